"""Both languages: every string the code can show has a zh_CN translation with the same fields."""
from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

import pytest

from station.i18n import _, catalog, set_language

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from update_catalog import extract  # noqa: E402

MESSAGES = sorted(extract())


def fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_the_code_has_messages_to_translate():
    assert len(MESSAGES) > 50


@pytest.mark.parametrize("msgid", MESSAGES)
def test_every_message_has_a_chinese_translation_with_the_same_fields(msgid):
    translated = catalog("zh_CN").get(msgid)
    assert translated, f"no zh_CN translation for {msgid!r}: run scripts/update_catalog.py and translate it"
    assert fields(translated) == fields(msgid)


def test_switching_language_changes_the_words_and_keeps_the_values():
    set_language("zh_CN")
    chinese = _("Unknown SKU {sku}", sku="TS-RED-M")
    set_language("en")
    assert _("Unknown SKU {sku}", sku="TS-RED-M") == "Unknown SKU TS-RED-M"
    assert "TS-RED-M" in chinese and chinese != "Unknown SKU TS-RED-M"


def test_the_catalog_file_is_up_to_date_with_the_code():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "update_catalog.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


# --- messages kept by msgid and fields (issue 13) -------------------------------------------

def test_a_message_is_its_text_and_keeps_its_msgid_and_fields_to_be_said_again_in_another_language():
    import copy
    import json
    import pickle

    from station.i18n import Text, render

    inner = _("Unknown SKU {sku}", sku="TS-RED-M")
    outer = _("Scan CONFIRM first to acknowledge: {message}", message=inner)
    assert isinstance(outer, Text) and isinstance(outer, str)
    assert outer == "Scan CONFIRM first to acknowledge: Unknown SKU TS-RED-M"
    assert json.dumps({"m": outer}) == '{"m": "Scan CONFIRM first to acknowledge: Unknown SKU TS-RED-M"}'
    for again in (copy.deepcopy(outer), pickle.loads(pickle.dumps(outer))):
        assert again == outer and again.msgid == outer.msgid and again.fields["message"].msgid == inner.msgid
    chinese = outer.render("zh_CN")
    assert chinese == _catalog_text("Scan CONFIRM first to acknowledge: {message}").format(
        message=_catalog_text("Unknown SKU {sku}").format(sku="TS-RED-M"))
    set_language("zh_CN")
    assert render(outer) == chinese and render("plain text") == "plain text"


def _catalog_text(msgid: str) -> str:
    return catalog("zh_CN")[msgid]


def test_stored_messages_come_back_in_the_language_of_now_and_plain_old_text_as_it_was():
    from station.i18n import Text, restored, stored

    state = {"error": {"code": "unknown_sku", "message": _("Unknown SKU {sku}", sku="TS-RED-M")},
             "history": [["TS-RED-M", 1]], "old": "saved as text before 0011"}
    saved = stored(state)
    assert saved["error"]["message"] == {"$text": "Unknown SKU {sku}", "params": {"sku": "TS-RED-M"},
                                         "text": "Unknown SKU TS-RED-M"}
    assert saved["history"] == [["TS-RED-M", 1]] and saved["old"] == "saved as text before 0011"
    set_language("zh_CN")
    back = restored(saved)
    assert back["error"]["message"] == _catalog_text("Unknown SKU {sku}").format(sku="TS-RED-M")
    assert isinstance(back["error"]["message"], Text) and back["old"] == "saved as text before 0011"
    # a catalog entry that no longer fits its fields: the text as shown then
    broken = {"$text": "Unknown SKU {sku}", "params": {"code": "X"}, "text": "Unknown SKU X"}
    assert restored(broken) == "Unknown SKU X"


def test_an_exception_raised_with_a_message_gives_that_message_back():
    from station.i18n import Text, message_of

    exc = ValueError(_("Unknown SKU {sku}", sku="X"))
    assert isinstance(message_of(exc), Text) and message_of(exc) == "Unknown SKU X"
    assert message_of(KeyError("k")) == "'k'"
