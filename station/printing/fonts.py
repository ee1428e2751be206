"""The one font every Station document uses: WenQuanYi Micro Hei, embedded as a subset.

Chinese names and addresses must print on any printer, so the font goes into the PDF.
reportlab embeds TrueType outlines only (not CFF, so not Noto CJK); Micro Hei is
TrueType, Apache-2.0, and carries Latin glyphs too, so it is also the Latin fallback.
It has no bold face: bold maps to the same face.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

CJK_FONT = "StationCJK"
# Micro Hei ships no bold; headings that ask for bold get the regular face.
CJK_BOLD_FONT = CJK_FONT

FONTS_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
CJK_FONT_FILE = FONTS_DIR / "wqy-microhei.ttc"
# Subfont 0 of the collection is "WenQuanYi Micro Hei" (1 is the Mono face).
_CJK_SUBFONT_INDEX = 0

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


def missing_glyphs(text: str, font_name: str = CJK_FONT) -> set[str]:
    """Characters of `text` the font has no glyph for (they would print as empty boxes)."""
    register_fonts()
    face = pdfmetrics.getFont(font_name).face
    char_to_glyph = getattr(face, "charToGlyph", None)
    if char_to_glyph is None:  # a standard Type 1 font: no per-character table to ask
        return set()
    return {ch for ch in set(text) if not ch.isspace() and ord(ch) not in char_to_glyph}
