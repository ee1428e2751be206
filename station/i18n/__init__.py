"""One message catalog for domain, CLI and UI (gettext-style, read from .po files).

English msgids live in the code; ``zh_CN.po`` beside this file holds the Chinese.
``_()`` translates into the current language and fills ``{named}`` fields.
"""
from __future__ import annotations

import locale
import os
from functools import lru_cache
from pathlib import Path

CATALOGS = Path(__file__).resolve().parent
LANGUAGES = ("en", "zh_CN")
_current = {"lang": None}


def system_language() -> str:
    for var in ("STATION_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh_CN" if value.lower().startswith("zh") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "zh_CN" if loc.lower().startswith("zh") else "en"


def set_language(lang: str | None) -> str:
    lang = lang or system_language()
    if lang.lower().startswith("zh"):
        lang = "zh_CN"
    elif lang not in LANGUAGES:
        lang = "en"
    _current["lang"] = lang
    return lang


def language() -> str:
    if _current["lang"] is None:
        set_language(None)
    return _current["lang"]


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    path = CATALOGS / f"{lang}.po"
    if not path.exists():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        cat = read_po(fh)
    return {m.id: m.string for m in cat if m.id and m.string and not m.fuzzy}


class Text(str):
    """A translated message that remembers what it was made of: its English msgid and fields.

    It *is* the text in the language current when it was made (every ``str`` use works), and
    ``render(lang)`` makes it again in any language, fields that are themselves ``Text``
    included. ``stored()`` gives the JSON form kept in the saved bench state and the scan log;
    ``restored()`` makes it a ``Text`` again, in the language current then: an outcome made
    under ``--lang en`` shows in Chinese after a restart in zh_CN.
    """

    __slots__ = ("msgid", "fields")

    def __new__(cls, text: str, msgid: str | None = None, fields: dict | None = None) -> "Text":
        obj = super().__new__(cls, text)
        obj.msgid = text if msgid is None else msgid
        obj.fields = fields or {}
        return obj

    def render(self, lang: str | None = None) -> str:
        """The message in `lang` (default: the current language)."""
        lang = lang or language()
        try:
            fields = {k: v.render(lang) if isinstance(v, Text) else v for k, v in self.fields.items()}
            return translate(self.msgid, lang, **fields)
        except (KeyError, IndexError, ValueError):  # a catalog entry that does not fit its fields
            return str.__str__(self)


def _(msgid: str, /, **fields) -> Text:
    """Translate ``msgid`` into the current language and fill its ``{fields}``; the result
    remembers both (a ``Text``), so it can be shown again in another language."""
    lang = language()
    text = msgid if lang == "en" else catalog(lang).get(msgid, msgid)
    return Text(text.format(**fields) if fields else text, msgid, fields)


def N_(msgid: str, /) -> str:
    """Mark a string for the catalog without translating it now."""
    return msgid


def translate(msgid: str, lang: str, /, **fields) -> str:
    text = msgid if lang == "en" else catalog(lang).get(msgid, msgid)
    return text.format(**fields) if fields else text


def render(text: str, lang: str | None = None) -> str:
    """`text` in `lang` (default: the current language) if it is a ``Text``; any other string as it is."""
    return text.render(lang) if isinstance(text, Text) else text


def message_of(exc: BaseException) -> str:
    """What an exception says, as the ``Text`` it was raised with when there is one."""
    if len(exc.args) == 1 and isinstance(exc.args[0], Text) and str(exc) == exc.args[0]:
        return exc.args[0]
    return str(exc)


# --- stored form -----------------------------------------------------------------------------
# A Text is stored as {"$text": msgid, "params": {...}, "text": "as shown then"}; a field that is
# itself a Text the same way; a field JSON cannot hold as its text. Anything else is kept as it is:
# saved state and scan-log rows from before (plain strings) come back exactly as they were saved.
_TAG = "$text"


def _param(value):
    if isinstance(value, Text):
        return stored(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)


def stored(value):
    """`value` (a message, or a state of dicts and lists holding messages) in its JSON form."""
    if isinstance(value, Text):
        return {_TAG: value.msgid, "params": {k: _param(v) for k, v in value.fields.items()},
                "text": str.__str__(value)}
    if isinstance(value, dict):
        return {k: stored(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [stored(v) for v in value]
    return value


def restored(value):
    """The inverse of `stored`: every stored message a ``Text`` again, in the current language."""
    if isinstance(value, dict):
        if _TAG in value and isinstance(value.get(_TAG), str):
            params = {k: restored(v) for k, v in (value.get("params") or {}).items()}
            text = Text(value.get("text") or value[_TAG], value[_TAG], params)
            shown = text.render()
            return Text(shown, value[_TAG], params)
        return {k: restored(v) for k, v in value.items()}
    if isinstance(value, list):
        return [restored(v) for v in value]
    return value
