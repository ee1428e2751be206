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
