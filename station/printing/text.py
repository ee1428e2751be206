"""Text that fits: shrink a line to its box, wrap Chinese and Latin text, escape user text.

Sizes of type are in points (as printers and designers say them); widths and positions
in mm. Nothing here cuts text off: when it cannot fit even at the smallest allowed size,
the helpers raise LayoutError saying what did not fit.
"""

from __future__ import annotations

from functools import lru_cache

import re
import unicodedata
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from station.printing.fonts import CJK_FONT, register_fonts
from station.printing.units import LayoutError, mm, to_mm

_SIZE_STEP = 0.25  # pt; shrinking goes down in these steps
_WHITESPACE = re.compile(r"\s+")
# Kinsoku: punctuation that may not start a line, and that may not end one.
_NO_LINE_START = set("，。、；：！？）」』】》〉…%,.;:!?)]}’”")
_NO_LINE_END = set("（「『【《〈([{‘“")


def text_width_mm(text: str, font_size: float, font_name: str = CJK_FONT) -> float:
    register_fonts()
    return to_mm(pdfmetrics.stringWidth(text, font_name, font_size))


def font_line_height_mm(font_size: float, font_name: str = CJK_FONT) -> float:
    """Ascender to descender of one line at `font_size`, in mm."""
    ascent, descent = _ascent_descent(font_name)
    return to_mm((ascent - descent) / 1000 * font_size)


def font_descent_mm(font_size: float, font_name: str = CJK_FONT) -> float:
    """How far below the baseline the descenders reach (a positive number), in mm."""
    return to_mm(-_ascent_descent(font_name)[1] / 1000 * font_size)


@lru_cache(maxsize=16)
def _ascent_descent(font_name: str) -> tuple[float, float]:
    register_fonts()
    ascent, descent = pdfmetrics.getAscentDescent(font_name)
    return ascent, descent


def single_line(text: str) -> str:
    """Runs of whitespace (newlines, tabs) collapsed to one space, ends trimmed."""
    return _WHITESPACE.sub(" ", text).strip()


def fit_font_size(
    text: str, max_width_mm: float, font_size: float, min_size: float, font_name: str = CJK_FONT
) -> float:
    """The largest size from `font_size` down to `min_size` at which `text` fits on one line.

    Raises LayoutError if it does not fit even at `min_size`.
    """
    width = text_width_mm(text, font_size, font_name)
    if width <= max_width_mm:
        return font_size
    size = font_size * max_width_mm / width
    size = int(size / _SIZE_STEP) * _SIZE_STEP  # round down onto the step grid
    while size >= min_size and text_width_mm(text, size, font_name) > max_width_mm:
        size -= _SIZE_STEP
    if size < min_size:
        raise LayoutError(
            f"text {text!r} needs {text_width_mm(text, min_size, font_name):.1f} mm at "
            f"{min_size} pt (the smallest allowed) but only {max_width_mm:.1f} mm is available"
        )
    return size


def draw_fitted_text(
    canvas: Canvas,
    text: str,
    x: float,
    y: float,
    max_width_mm: float,
    font_size: float,
    min_size: float,
    *,
    font_name: str = CJK_FONT,
    align: str = "left",
) -> float:
    """Draw one line with its baseline at y mm, shrunk as needed to fit `max_width_mm`.

    `align` says what x is: the left edge, the "center" or the "right" edge of the text.
    Line breaks in `text` become spaces. Returns the font size used; raises LayoutError
    rather than let the text run past its width.
    """
    text = single_line(text)
    size = fit_font_size(text, max_width_mm, font_size, min_size, font_name)
    canvas.saveState()
    canvas.setFont(font_name, size)
    if align == "left":
        canvas.drawString(mm(x), mm(y), text)
    elif align == "center":
        canvas.drawCentredString(mm(x), mm(y), text)
    elif align == "right":
        canvas.drawRightString(mm(x), mm(y), text)
    else:
        raise ValueError(f"align must be 'left', 'center' or 'right', not {align!r}")
    canvas.restoreState()
    return size


# ---------------------------------------------------------------- wrapping


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _tokens(paragraph: str) -> list[str]:
    """Unbreakable pieces: Latin words, single spaces, single CJK characters.

    Closing punctuation sticks to the piece before it, opening punctuation to the one after.
    """
    raw: list[str] = []
    word = ""
    for ch in paragraph:
        if ch.isspace() or _is_wide(ch) or ch in _NO_LINE_START or ch in _NO_LINE_END:
            if word:
                raw.append(word)
                word = ""
            raw.append(" " if ch.isspace() else ch)
        else:
            word += ch
    if word:
        raw.append(word)

    tokens: list[str] = []
    carry = ""
    for token in raw:
        if token in _NO_LINE_START and tokens and tokens[-1] != " " and not carry:
            tokens[-1] += token
        elif token in _NO_LINE_END:
            carry += token
        elif carry and token != " ":
            tokens.append(carry + token)
            carry = ""
        else:
            tokens.append(token)
    if carry:
        tokens.append(carry)
    return tokens


def wrap_text(
    text: str, max_width_mm: float, font_size: float, font_name: str = CJK_FONT
) -> list[str]:
    """Break `text` into lines no wider than `max_width_mm`.

    Chinese breaks between any two characters (not before closing punctuation), Latin at
    spaces; a word longer than a whole line is broken between letters. Newlines in
    `text` start new lines.
    """
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(_wrap_paragraph(single_line(paragraph), max_width_mm, font_size, font_name))
    return lines


def _wrap_paragraph(paragraph: str, max_width: float, size: float, font: str) -> list[str]:
    def fits(candidate: str) -> bool:
        return text_width_mm(candidate, size, font) <= max_width

    lines: list[str] = []
    line = ""
    for token in _tokens(paragraph):
        if token == " " and not line:
            continue
        if fits((line + token).rstrip()):
            line += token
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = "" if token == " " else token
        while not fits(line):  # one word wider than a line: break it between letters
            if not fits(line[:1]):
                raise LayoutError(
                    f"{line[:1]!r} alone is wider than {max_width:.1f} mm at {size} pt"
                )
            cut = max(n for n in range(1, len(line) + 1) if fits(line[:n]))
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def fit_wrapped(
    text: str,
    max_width_mm: float,
    max_height_mm: float,
    font_size: float,
    min_size: float,
    *,
    leading: float = 1.2,
    font_name: str = CJK_FONT,
) -> tuple[float, list[str]]:
    """The largest size (down to `min_size`) at which wrapped `text` fits the box, and its lines.

    `leading` is the line pitch as a multiple of the font size. Raises LayoutError if
    the text needs more height than `max_height_mm` even at `min_size`.
    """
    size = font_size
    while True:
        lines = wrap_text(text, max_width_mm, size, font_name)
        if text_block_height_mm(len(lines), size, leading, font_name) <= max_height_mm:
            return size, lines
        if size - _SIZE_STEP < min_size - 1e-9:
            needed = text_block_height_mm(len(lines), size, leading, font_name)
            raise LayoutError(
                f"text {_preview(text)!r} needs {len(lines)} lines "
                f"({needed:.1f} mm) at {size} pt "
                f"but only {max_height_mm:.1f} x {max_width_mm:.1f} mm is available"
            )
        size -= _SIZE_STEP


def text_block_height_mm(
    line_count: int, size: float, leading: float = 1.2, font: str = CJK_FONT
) -> float:
    """Height from the first line's ascender to the last line's descender, in mm."""
    if line_count == 0:
        return 0.0
    return font_line_height_mm(size, font) + (line_count - 1) * to_mm(size * leading)


def draw_wrapped_text(
    canvas: Canvas,
    text: str,
    x: float,
    top: float,
    max_width_mm: float,
    max_height_mm: float,
    font_size: float,
    min_size: float,
    *,
    leading: float = 1.2,
    font_name: str = CJK_FONT,
    align: str = "left",
) -> float:
    """Draw `text` wrapped into the box whose top-left corner is (x, top) mm.

    Shrinks towards `min_size` until every line fits; returns the font size used.
    Raises LayoutError instead of dropping lines.
    """
    size, lines = fit_wrapped(
        text, max_width_mm, max_height_mm, font_size, min_size, leading=leading, font_name=font_name
    )
    ascent = to_mm(_ascent_descent(font_name)[0] / 1000 * size)
    anchor = {"left": x, "center": x + max_width_mm / 2, "right": x + max_width_mm}[align]
    baseline = top - ascent
    for line in lines:
        draw_fitted_text(
            canvas, line, anchor, baseline, max_width_mm, size, size,
            font_name=font_name, align=align,
        )
        baseline -= to_mm(size * leading)
    return size


def _preview(text: str, length: int = 40) -> str:
    text = single_line(text)
    return text if len(text) <= length else text[: length - 1] + "…"


# ---------------------------------------------------------------- Paragraphs


def escape_markup(text: str) -> str:
    """User text made safe for a reportlab Paragraph: <, > and & escaped, newlines kept."""
    return escape(text).replace("\n", "<br/>")


def user_paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of user text (names, addresses, notes): escaped, in our embedded font,
    wrapping Chinese between characters whatever `style` said."""
    register_fonts()
    if style.wordWrap != "CJK" or style.fontName != CJK_FONT:
        style = ParagraphStyle(
            f"{style.name}-cjk", parent=style, fontName=CJK_FONT, wordWrap="CJK"
        )
    return Paragraph(escape_markup(text), style)


def paragraph_style(name: str, font_size: float, *, leading: float = 1.2, **kw) -> ParagraphStyle:
    """A ParagraphStyle in our embedded font, wrapping Chinese between characters."""
    return ParagraphStyle(
        name,
        fontName=CJK_FONT,
        fontSize=font_size,
        leading=font_size * leading,
        wordWrap="CJK",
        **kw,
    )
