"""The fonts every Station document uses: WenQuanYi Micro Hei, embedded as a subset, and
two fallbacks for what it lacks.

Chinese names and addresses must print on any printer, so the font goes into the PDF.
reportlab embeds TrueType outlines only (not CFF, so not Noto CJK); Micro Hei is
TrueType, Apache-2.0, and carries Latin glyphs too, so it is also the Latin fallback.
It has no bold face: bold maps to the same face.

Micro Hei covers the BMP's hanzi only. A name such as 𠈌 (U+2020C, CJK Extension B) or
an emoji in a buyer's message would print as a blank, so text is split into runs
(`runs`), each in the first font that has its characters: Micro Hei, then HanaMinB
(花園明朝 B, CJK Extensions B–F, TrueType from Debian's fonts-hanazono), then Symbola
(monochrome emoji and symbols, from fonts-symbola). The fallbacks are read from disk the
first time a character needs them. A character none of them has is `unprintable`: the
order carrying it in a name or address is held (`unprintable_text`) before anything
prints; elsewhere (a buyer's message) it prints as the visible mark MISSING_MARK.

reportlab 5 writes a subset's ToUnicode map with 4 hex digits per character, which is
wrong for characters beyond U+FFFF (𠈌 extracted as "†"); `_to_unicode_cmap` replaces it
with one that writes UTF-16 surrogate pairs, so such names copy and search correctly.
"""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTFont

CJK_FONT = "StationCJK"
# Micro Hei ships no bold; headings that ask for bold get the regular face.
CJK_BOLD_FONT = CJK_FONT

FONTS_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
CJK_FONT_FILE = FONTS_DIR / "wqy-microhei.ttc"
# Subfont 0 of the collection is "WenQuanYi Micro Hei" (1 is the Mono face).
_CJK_SUBFONT_INDEX = 0

# Fallbacks, in the order they are asked: (reportlab name, file).
EXT_B_FONT = "StationExtB"
SYMBOL_FONT = "StationSymbols"
EXT_B_FONT_FILE = FONTS_DIR / "HanaMinB.ttf"
SYMBOL_FONT_FILE = FONTS_DIR / "Symbola.ttf"
FALLBACKS = ((EXT_B_FONT, EXT_B_FONT_FILE), (SYMBOL_FONT, SYMBOL_FONT_FILE))
MISSING_MARK = "〓"  # in Micro Hei: what a character no font has prints as (never a blank)

_lock = threading.Lock()


class FontMissingError(FileNotFoundError):
    """The bundled font file is not where Station expects it (a broken install)."""


def register_fonts() -> None:
    """Register the CJK font with reportlab once; later calls do nothing.

    Raises FontMissingError, naming the path it looked at, if the font file is absent.
    """
    if _is_registered():
        return
    with _lock:
        if _is_registered():
            return
        if not CJK_FONT_FILE.is_file():
            raise FontMissingError(
                f"Station's print font is missing: {CJK_FONT_FILE} "
                "(reinstall Station; documents cannot print Chinese without it)"
            )
        pdfmetrics.registerFont(
            TTFont(CJK_FONT, str(CJK_FONT_FILE), subfontIndex=_CJK_SUBFONT_INDEX)
        )
        # Paragraph markup (<b>, <i>) resolves through the family mapping.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(CJK_FONT, bold, italic, CJK_FONT)


def _is_registered() -> bool:
    return CJK_FONT in pdfmetrics.getRegisteredFontNames()


_charmaps: dict[str, dict[int, int]] = {}


def _charmap(font_name: str) -> dict[int, int]:
    """The font's character → glyph table, registering a fallback on first use."""
    table = _charmaps.get(font_name)
    if table is not None:
        return table
    register_fonts()
    with _lock:
        if font_name not in pdfmetrics.getRegisteredFontNames():
            path = dict(FALLBACKS)[font_name]
            if not path.is_file():
                raise FontMissingError(
                    f"Station's fallback print font is missing: {path} (reinstall Station)")
            pdfmetrics.registerFont(TTFont(font_name, str(path)))
        table = _charmaps[font_name] = pdfmetrics.getFont(font_name).face.charToGlyph
    return table


# Characters that draw nothing and need no glyph: joiners, variation selectors, format
# controls (an emoji's U+FE0F, a ZWJ sequence's U+200D).
def _ignorable(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc") or "\ufe00" <= ch <= "\ufe0f"


_font_of: dict[str, str | None] = {}


def font_for(ch: str) -> str | None:
    """The first of Station's fonts with a glyph for `ch`, or None (no font has it)."""
    try:
        return _font_of[ch]
    except KeyError:
        pass
    found: str | None = None
    if ord(ch) in _charmap(CJK_FONT) or _ignorable(ch):
        found = CJK_FONT
    else:
        for name, _path in FALLBACKS:
            if ord(ch) in _charmap(name):
                found = name
                break
    _font_of[ch] = found
    return found


def unprintable(text: str) -> list[str]:
    """The characters of `text`, in order and once each, that no shipped font can print."""
    seen: list[str] = []
    for ch in text:
        if ch not in seen and font_for(ch) is None:
            seen.append(ch)
    return seen


_runs: dict[str, tuple[tuple[str, str], ...]] = {}
_MAX_RUNS = 20_000


def runs(text: str) -> tuple[tuple[str, str], ...]:
    """`text` as (font name, piece) runs, each piece in the first font that has it; a
    character no font has becomes MISSING_MARK. Plain text is one run in CJK_FONT."""
    found = _runs.get(text)
    if found is not None:
        return found
    if len(_runs) > _MAX_RUNS:
        _runs.clear()
    table = _charmap(CJK_FONT)
    if all(ord(ch) in table for ch in text):  # nearly every text: one font
        found = ((CJK_FONT, text),)
    else:
        pieces: list[list] = []
        for ch in text:
            font = font_for(ch)
            if font is None:
                font, ch = CJK_FONT, MISSING_MARK
            elif font == CJK_FONT and ord(ch) not in table and not ch.isspace():
                continue  # a joiner or selector the font lacks: it draws nothing anyway
            if pieces and pieces[-1][0] == font:
                pieces[-1][1] += ch
            else:
                pieces.append([font, ch])
        found = tuple((font, piece) for font, piece in pieces)
    _runs[text] = found
    return found


def _to_unicode_cmap(fontname: str, subset) -> str:
    """reportlab's makeToUnicodeCMap, writing characters beyond U+FFFF as UTF-16 pairs."""

    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()

    return "\n".join((
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        "<< /Registry (%s)" % fontname,
        "/Ordering (%s)" % fontname,
        "/Supplement 0",
        ">> def",
        "/CMapName /%s def" % fontname,
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1),
        "endcodespacerange",
        "%d beginbfchar" % len(subset),
        *("<%02X> <%s>" % (i, utf16(v)) for i, v in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ))


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def missing_glyphs(text: str, font_name: str = CJK_FONT) -> set[str]:
    """Characters of `text` the font has no glyph for (they would print as empty boxes)."""
    register_fonts()
    face = pdfmetrics.getFont(font_name).face
    char_to_glyph = getattr(face, "charToGlyph", None)
    if char_to_glyph is None:  # a standard Type 1 font: no per-character table to ask
        return set()
    return {ch for ch in set(text) if not ch.isspace() and ord(ch) not in char_to_glyph}
