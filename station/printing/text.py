"""Text that fits, in Station's one font: measure, shrink a line to its box, wrap Chinese
and Latin text, escape user text for Paragraphs.

Sizes of type are in points (as printers and designers say them); widths and positions
in mm, from the page's bottom-left corner (as in `units`). Nothing here cuts text off:
when it cannot fit even at the smallest allowed size, the helpers raise LayoutError
saying what did not fit.

Every document measures and draws through here, and a batch of a thousand waybills
does too, so the hot paths are fast: widths come from the font's table and are
remembered per piece of text, wrapping measures each token once, and a page's lines go
into a few PDF text objects (`ink.TextWriter`) instead of one each. This module decides
what goes where (sizes, lines); `ink` writes it onto the page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from station.printing.fonts import CJK_FONT, register_fonts, runs
from station.printing.units import LayoutError, mm, to_mm

_SIZE_STEP = 0.25  # pt; shrinking goes down in these steps
_WHITESPACE = re.compile(r"[^\S\u00a0]+")  # a no-break space stays: it keeps a word with the next
NBSP = "\u00a0"
# Kinsoku: punctuation that may not start a line, and that may not end one.
_NO_LINE_START = set("，。、；：！？）」』】》〉…%,.;:!?)]}’”")
_NO_LINE_END = set("（「『【《〈([{‘“")


# ---------------------------------------------------------------- the font's metrics


@lru_cache(maxsize=1)
def _ascent_descent() -> tuple[float, float]:
    register_fonts()
    ascent, descent = pdfmetrics.getAscentDescent(CJK_FONT)
    return ascent, descent


@lru_cache(maxsize=256)
def ascent_mm(size: float) -> float:
    """How far above the baseline the font's ascender reaches, in mm."""
    return to_mm(_ascent_descent()[0] / 1000 * size)


@lru_cache(maxsize=256)
def descent_mm(size: float) -> float:
    """How far below the baseline the font's descender reaches (positive), in mm."""
    return to_mm(-_ascent_descent()[1] / 1000 * size)


def line_height_mm(size: float) -> float:
    """Ascender to descender of one line at `size`, in mm."""
    ascent, descent = _ascent_descent()
    return to_mm((ascent - descent) / 1000 * size)


def line_pitch_mm(size: float, leading: float = 1.2) -> float:
    return to_mm(size * leading)


def text_block_height_mm(line_count: int, size: float, leading: float = 1.2) -> float:
    """Height from the first line's ascender to the last line's descender, in mm."""
    if line_count == 0:
        return 0.0
    return line_height_mm(size) + (line_count - 1) * to_mm(size * leading)


def single_line(text: str) -> str:
    """Runs of whitespace (newlines, tabs) collapsed to one space, ends trimmed."""
    return _WHITESPACE.sub(" ", text).strip()


def _preview(text: str, length: int = 40) -> str:
    text = single_line(text)
    return text if len(text) <= length else text[: length - 1] + "…"


# ---------------------------------------------------------------- measuring
#
# The same sums reportlab makes (advance widths from the font's table, no kerning),
# remembered per piece of text: a batch of a thousand waybills measures the same
# characters and words over and over while wrapping.

_widths: dict[str, float] = {}  # text -> advance width in 1/1000 em
_MAX_REMEMBERED = 50_000


def width_units(text: str) -> float:
    """Advance width of `text` in 1/1000 em of our font (remembered per text)."""
    width = _widths.get(text)
    if width is None:
        if len(_widths) > _MAX_REMEMBERED:
            _widths.clear()
        register_fonts()
        width = 0.0
        for font, piece in runs(text):  # each piece in the font that prints it
            face = pdfmetrics.getFont(font).face
            get, default = face.charWidths.get, face.defaultWidth
            width += sum(get(ord(ch), default) for ch in piece)
        width = _widths[text] = float(width)
    return width


def text_width(text: str, size: float) -> float:
    """Width of `text` at `size` pt in our font, in mm."""
    return to_mm(width_units(text) * size / 1000)


def _limit(max_width: float, size: float) -> float:
    """`max_width` mm as 1/1000 em at `size` pt (what width_units returns)."""
    return mm(max_width) * 1000 / size


def fit_size(text: str, max_width: float, size: float, min_size: float) -> float:
    """The largest size from `size` down to `min_size`, on 0.25 pt steps, at which `text`
    fits on one line `max_width` mm wide.

    Raises LayoutError if it does not fit even at `min_size`.
    """
    units = width_units(text)
    if units * size / 1000 <= mm(max_width):
        return size
    used = int(size * mm(max_width) / (units * size / 1000) / _SIZE_STEP) * _SIZE_STEP
    while used >= min_size and units * used / 1000 > mm(max_width):
        used -= _SIZE_STEP
    if used < min_size:
        raise LayoutError(
            f"text {text!r} needs {text_width(text, min_size):.1f} mm at "
            f"{min_size} pt (the smallest allowed) but only {max_width:.1f} mm is available"
        )
    return used


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
        if (ch.isspace() and ch != NBSP) or _is_wide(ch) or ch in _NO_LINE_START or ch in _NO_LINE_END:
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


def wrap_lines(text: str, max_width: float, size: float) -> list[str]:
    """Break `text` into lines no wider than `max_width` mm at `size` pt.

    Chinese breaks between any two characters (not before closing punctuation, not
    after opening), Latin at spaces; a word longer than a whole line is broken between
    letters. Newlines in `text` start new lines. Each token is measured once.
    """
    return list(_wrap_lines(text, max_width, size))


@lru_cache(maxsize=1024)
def _paragraph_tokens(paragraph: str) -> tuple[str, ...]:
    # Fitting a block wraps the same text at several sizes and widths: split it once.
    return tuple(_tokens(single_line(paragraph)))


@lru_cache(maxsize=4096)  # the shop's own address is on every waybill of a batch
def _wrap_lines(text: str, max_width: float, size: float) -> tuple[str, ...]:
    limit = _limit(max_width, size) + 1e-9
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line: list[str] = []
        width = 0.0
        produced = 0
        for token in _paragraph_tokens(paragraph):
            if token == " ":
                if line:  # a space never makes a line too long: it is stripped at the end
                    line.append(token)
                    width += width_units(token)
                continue
            token_width = width_units(token)
            if width + token_width <= limit:
                line.append(token)
                width += token_width
                continue
            content = "".join(line).rstrip()
            if content:
                lines.append(content)
                produced += 1
            while token_width > limit:  # one word wider than a line: break between letters
                if width_units(token[0]) > limit:
                    raise LayoutError(
                        f"{token[0]!r} alone is wider than {max_width:.1f} mm at {size} pt"
                    )
                cut, run = 0, 0.0
                while cut < len(token) and run + width_units(token[cut]) <= limit:
                    run += width_units(token[cut])
                    cut += 1
                lines.append(token[:cut])
                produced += 1
                token = token[cut:]
                token_width = width_units(token)
            line, width = [token], token_width
        content = "".join(line).rstrip()
        if content or not produced:
            lines.append(content)
    return tuple(lines)


# ---------------------------------------------------------------- blocks


@dataclass(frozen=True)
class TextBlock:
    """Text already wrapped for a width: its lines, type size and height in mm."""

    lines: tuple[str, ...]
    size: float
    leading: float = 1.2

    @property
    def height(self) -> float:
        return text_block_height_mm(len(self.lines), self.size, self.leading)


def wrap_block(
    text: str, width: float, size: float, *, leading: float = 1.2
) -> TextBlock:
    """`text` wrapped to `width` at `size`, as many lines as it takes."""
    return TextBlock(tuple(wrap_lines(text, width, size)), size, leading)


def fit_block(
    text: str,
    width: float,
    height: float,
    size: float,
    min_size: float,
    *,
    leading: float = 1.2,
    what: str | None = "text",
) -> TextBlock:
    """`text` wrapped into width x height, shrunk from `size` towards `min_size` to fit.

    The largest size on its 0.25 pt steps whose lines fit, found by guessing close
    first. Raises LayoutError (its message starting with `what`, when given) if it does
    not fit at `min_size`.
    """

    def fits(candidate: float) -> list[str] | None:
        lines = wrap_lines(text, width, candidate)
        ok = text_block_height_mm(len(lines), candidate, leading) <= height
        return lines if ok else None

    lines = fits(size)
    if lines is not None:
        return TextBlock(tuple(lines), size, leading)
    # Height grows about with the square of the size: start near the answer.
    needed = text_block_height_mm(len(wrap_lines(text, width, size)), size, leading)
    guess = int(size * (height / needed) ** 0.5 / _SIZE_STEP) * _SIZE_STEP
    guess = min(size - _SIZE_STEP, max(min_size, guess))
    best = fits(guess)
    if best is not None:  # climb while the next step still fits
        while guess + _SIZE_STEP < size and (more := fits(guess + _SIZE_STEP)) is not None:
            guess, best = guess + _SIZE_STEP, more
        return TextBlock(tuple(best), guess, leading)
    while guess - _SIZE_STEP >= min_size - 1e-9:  # step down until one fits
        guess -= _SIZE_STEP
        if (best := fits(guess)) is not None:
            return TextBlock(tuple(best), guess, leading)
    lines = wrap_lines(text, width, min_size)
    needed = text_block_height_mm(len(lines), min_size, leading)
    problem = (
        f"text {_preview(text)!r} needs {len(lines)} lines ({needed:.1f} mm) at {min_size} pt "
        f"but only {height:.1f} x {width:.1f} mm is available"
        if needed > height else f"does not fit {width:.1f} x {height:.1f} mm"
    )
    raise LayoutError(f"{what}: {problem}" if what else problem)


# ---------------------------------------------------------------- Paragraphs


def escape_markup(text: str) -> str:
    """User text made safe for a reportlab Paragraph: <, > and & escaped, newlines kept, and
    what our font lacks put in the fallback font that has it (`fonts.runs`)."""
    return "".join(
        escape(piece).replace("\n", "<br/>") if font == CJK_FONT
        else f'<font name="{font}">{escape(piece)}</font>'
        for font, piece in runs(text)
    )


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
