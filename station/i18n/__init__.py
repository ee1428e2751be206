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


def _(msgid: str, /, **fields) -> str:
    """Translate ``msgid`` into the current language and fill its ``{fields}``."""
    lang = language()
    text = msgid if lang == "en" else catalog(lang).get(msgid, msgid)
    return text.format(**fields) if fields else text


def N_(msgid: str, /) -> str:
    """Mark a string for the catalog without translating it now."""
    return msgid


def translate(msgid: str, lang: str, /, **fields) -> str:
    text = msgid if lang == "en" else catalog(lang).get(msgid, msgid)
    return text.format(**fields) if fields else text
