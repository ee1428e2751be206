"""Step 0 of classification: turn keyboard-wedge text into the text the rules look at."""
from __future__ import annotations

import unicodedata

__all__ = ["GS", "GS1_SYMBOLOGY_IDS", "WHITESPACE", "normalise", "split_symbology_id"]

GS = "\x1d"
"""ASCII group separator: what scanners send for FNC1 between GS1 fields. Always kept."""

WHITESPACE = " \r\n\t"
"""Stripped from both ends: the scanner's terminator (CR, LF or Tab) and stray spaces.
Deliberately not `str.strip()` without arguments, which would also strip GS."""

GS1_SYMBOLOGY_IDS = frozenset({"]C1", "]e0", "]d2", "]Q3", "]J1"})
"""AIM/ISO 15424 symbology identifiers that announce GS1 data: GS1-128, GS1 DataBar,
GS1 DataMatrix, GS1 QR Code, GS1 DotCode (the set biip treats as carrying GS1 messages)."""


def normalise(raw: str) -> str:
    """Strip CR/LF/Tab/spaces at both ends; NFKC-normalise non-ASCII text.

    NFKC turns what a Chinese input method in full-width mode types (`１２３`, `Ａ－０１`,
    `ＰＳ：`, the ideographic space) into ASCII, and leaves GS alone. Pure-ASCII text (nearly
    every scan) skips the normalisation: `isascii()` is O(1) on CPython.
    """
    text = raw.strip(WHITESPACE)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).strip(WHITESPACE)
    return text


def split_symbology_id(text: str) -> tuple[str, str]:
    """Split a leading symbology identifier (`]` + letter + modifier) off `text`.

    Returns `(identifier, rest)`; `("", text)` if there is none.
    """
    if len(text) >= 3 and text[0] == "]" and text[1].isascii() and text[1].isalpha() \
            and text[2].isascii() and text[2].isalnum():
        return text[:3], text[3:]
    return "", text
