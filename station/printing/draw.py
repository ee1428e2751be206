"""Drawing pieces the document layouts share: bold and inverted text, rules, frames,
tables whose cells wrap, a page flow that plans every page before one is drawn, office
page headers, and the fast paths a thousand-waybill batch needs (cached text widths,
a page's text gathered into few text objects, barcodes as one path).

Sizes of type in points, everything else in mm, positions from the bottom-left corner
(as in `units`). Like `text`, nothing here cuts anything off: text shrinks to its
minimum size, wraps, or the helper raises LayoutError saying what did not fit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from station.printing import barcodes
from station.printing.fonts import CJK_FONT, register_fonts
from station.printing.text import (
    _ascent_descent,
    _tokens,
    fit_font_size,
    fit_wrapped,
    single_line,
    text_block_height_mm,
)
from station.printing.units import Box, LayoutError, mm, to_mm

# Micro Hei has no bold face; bold is drawn as fill + a thin outline (PDF text render
# mode 2), this fraction of the type size wide.
_BOLD_STROKE = 0.035
_TEXT_FILL_STROKE = 2
_SIZE_STEP = 0.25  # pt, as text.fit_font_size steps


@lru_cache(maxsize=256)
def ascent_mm(size: float) -> float:
    """How far above the baseline the font's ascender reaches, in mm."""
    return to_mm(_ascent_descent(CJK_FONT)[0] / 1000 * size)


@lru_cache(maxsize=256)
def descent_mm(size: float) -> float:
    """How far below the baseline the font's descender reaches (positive), in mm."""
    return to_mm(-_ascent_descent(CJK_FONT)[1] / 1000 * size)


def line_pitch_mm(size: float, leading: float = 1.2) -> float:
    return to_mm(size * leading)


# ---------------------------------------------------------------- measuring, fast
#
# The same sums reportlab makes (advance widths from the font's table, no kerning),
# remembered per piece of text: a batch of a thousand waybills measures the same
# characters and words over and over while wrapping.

_widths: dict[str, float] = {}  # text -> advance width in 1/1000 em
_MAX_REMEMBERED = 50_000


def _units(text: str) -> float:
    width = _widths.get(text)
    if width is None:
        if len(_widths) > _MAX_REMEMBERED:
            _widths.clear()
        register_fonts()
        face = pdfmetrics.getFont(CJK_FONT).face
        get, default = face.charWidths.get, face.defaultWidth
        width = _widths[text] = float(sum(get(ord(ch), default) for ch in text))
    return width


def text_width(text: str, size: float) -> float:
    """Width of `text` at `size` pt in our font, in mm (as text.text_width_mm, cached)."""
    return to_mm(_units(text) * size / 1000)


def _limit(max_width: float, size: float) -> float:
    """`max_width` mm as 1/1000 em at `size` pt (what _units returns)."""
    return mm(max_width) * 1000 / size


def fit_size(text: str, max_width: float, size: float, min_size: float) -> float:
    """text.fit_font_size, measured with the cache: the largest size that fits one line."""
    units = _units(text)
    if units * size / 1000 <= mm(max_width):
        return size
    used = int(size * mm(max_width) / (units * size / 1000) / _SIZE_STEP) * _SIZE_STEP
    while used >= min_size and units * used / 1000 > mm(max_width):
        used -= _SIZE_STEP
    if used < min_size:
        fit_font_size(text, max_width, size, min_size)  # raises, with its message
    return used


def wrap_lines(text: str, max_width: float, size: float) -> list[str]:
    """text.wrap_text's lines (same breaks: kinsoku, Latin words, over-long words split),
    measured with the cache instead of re-measuring the whole line for every token."""
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
                    width += _units(token)
                continue
            token_width = _units(token)
            if width + token_width <= limit:
                line.append(token)
                width += token_width
                continue
            content = "".join(line).rstrip()
            if content:
                lines.append(content)
                produced += 1
            while token_width > limit:  # one word wider than a line: break between letters
                if _units(token[0]) > limit:
                    raise LayoutError(
                        f"{token[0]!r} alone is wider than {max_width:.1f} mm at {size} pt"
                    )
                cut, run = 0, 0.0
                while cut < len(token) and run + _units(token[cut]) <= limit:
                    run += _units(token[cut])
                    cut += 1
                lines.append(token[:cut])
                produced += 1
                token = token[cut:]
                token_width = _units(token)
            line, width = [token], token_width
        content = "".join(line).rstrip()
        if content or not produced:
            lines.append(content)
    return tuple(lines)


# ---------------------------------------------------------------- text


def _show(obj, code: list, text: str) -> None:
    """The PDF operators that show `text` at the text object's origin: what reportlab's
    textOut writes for a TrueType font, without measuring the advance (every line here
    sets its own origin) and with each text's subset bytes remembered per document.

    reportlab assigns a character its code in a font subset the first time a document
    shows it, and never changes it after: the bytes of a text stay valid for the whole
    document, so a batch encodes the shop's address and the form's labels once.
    """
    doc = obj._canvas._doc
    shown = getattr(doc, "_station_shown", None)
    if shown is None:
        shown = doc._station_shown = {}
    parts = shown.get(text)
    if parts is None:
        font = pdfmetrics.getFont(CJK_FONT)
        escape = obj._canvas._escape
        parts = shown[text] = tuple((subset, f"({escape(chunk)}) Tj")
                                    for subset, chunk in font.splitString(text, doc))
    for subset, op in parts:
        if subset != obj._curSubset:
            key = (subset, obj._fontsize, obj._leading)
            select = shown.get(key)
            if select is None:
                name = pdfmetrics.getFont(CJK_FONT).getSubsetInternalName(subset, doc)
                select = shown[key] = f"{name} {fp_str(obj._fontsize)} Tf {fp_str(obj._leading)} TL"
            code.append(select)
            obj._curSubset = subset
        code.append(op)


class TextWriter:
    """A page's text gathered into a few PDF text objects, drawn together by `flush()`.

    reportlab's drawString opens a text object and saves and restores the graphics
    state for every line; a waybill has about fifty lines and a batch a thousand
    waybills. Everything written here lands on top of whatever the canvas drew before
    `flush()` (white marks on black boxes included), so flush once, last.
    """

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        # One text object per outline width: 0 for regular text, else bold text.
        self._objects: dict[float, list] = {}

    def line(
        self, text: str, x: float, y: float, size: float, *,
        align: str = "left", bold: bool = False, white: bool = False,
    ) -> None:
        stroke = round(size * _BOLD_STROKE, 2) if bold else 0.0
        entry = self._objects.get(stroke)
        if entry is None:
            obj = self.canvas.beginText()
            if bold:
                obj.setTextRenderMode(_TEXT_FILL_STROKE)
            entry = self._objects[stroke] = [obj, None, None]  # object, size, gray
        obj, current_size, current_gray = entry
        if size != current_size:
            obj.setFont(CJK_FONT, size)
            entry[1] = size
        gray = 1 if white else 0
        if gray != current_gray:
            obj.setFillGray(gray)
            if bold:
                obj.setStrokeGray(gray)
            entry[2] = gray
        if align == "left":
            left = mm(x)
        elif align in ("center", "right"):
            width = _units(text) * size / 1000
            left = mm(x) - (width / 2 if align == "center" else width)
        else:
            raise ValueError(f"align must be 'left', 'center' or 'right', not {align!r}")
        code = obj._code
        # Three decimals of a point (0.35 µm) is far finer than any printer's dot, and
        # formats several times faster than fp_str's significant digits.
        code.append(f"1 0 0 1 {left:.3f} {mm(y):.3f} Tm")
        _show(obj, code, text)

    def flush(self) -> None:
        code = self.canvas._code
        for stroke, (obj, _, _) in self._objects.items():
            # Colours and the outline width set here outlive the text object in PDF:
            # keep them inside q/Q. Written as operators, not saveState/setLineWidth:
            # the canvas's own state does not change, so it has nothing to restore.
            code.append(f"q {stroke:.3f} w {obj.getCode()} Q" if stroke
                        else f"q {obj.getCode()} Q")
        self._objects.clear()


Ink = Canvas | TextWriter  # where text goes: straight onto the canvas, or gathered first


def draw_text(
    ink: Ink,
    text: str,
    x: float,
    y: float,
    max_width: float,
    size: float,
    min_size: float | None = None,
    *,
    align: str = "left",
    bold: bool = False,
    white: bool = False,
) -> float:
    """One line with its baseline at y mm, shrunk from `size` towards `min_size` to fit.

    `align` says what x is: the left edge, the "center" or the "right" edge. Returns
    the size used; raises LayoutError if the text does not fit even at `min_size`.
    """
    text = single_line(text)
    used = fit_size(text, max_width, size, size if min_size is None else min_size)
    _draw_line(ink, text, x, y, used, align=align, bold=bold, white=white)
    return used


def _draw_line(
    ink: Ink,
    text: str,
    x: float,
    y: float,
    size: float,
    *,
    align: str = "left",
    bold: bool = False,
    white: bool = False,
) -> None:
    if isinstance(ink, TextWriter):
        ink.line(text, x, y, size, align=align, bold=bold, white=white)
        return
    writer = TextWriter(ink)
    writer.line(text, x, y, size, align=align, bold=bold, white=white)
    writer.flush()


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
    what: str = "text",
) -> TextBlock:
    """`text` wrapped into width x height, shrunk from `size` towards `min_size` to fit.

    The same answer as text.fit_wrapped (the largest size on its 0.25 pt steps whose
    lines fit), found by guessing close first. Raises LayoutError, starting with `what`,
    if it does not fit at `min_size`.
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
    try:
        fit_wrapped(text, width, height, min_size, min_size, leading=leading)
    except LayoutError as error:
        raise LayoutError(f"{what}: {error}") from None
    raise LayoutError(f"{what}: does not fit {width:.1f} x {height:.1f} mm")


def draw_block(
    ink: Ink,
    block: TextBlock,
    x: float,
    top: float,
    width: float,
    *,
    align: str = "left",
    bold: bool = False,
    white: bool = False,
) -> float:
    """Draw a planned block with its first ascender at `top`; returns the y of its bottom."""
    anchor = {"left": x, "center": x + width / 2, "right": x + width}[align]
    baseline = top - ascent_mm(block.size)
    pitch = line_pitch_mm(block.size, block.leading)
    writer = ink if isinstance(ink, TextWriter) else TextWriter(ink)
    for line in block.lines:
        writer.line(line, anchor, baseline, block.size, align=align, bold=bold, white=white)
        baseline -= pitch
    if writer is not ink:
        writer.flush()
    return top - block.height


# ---------------------------------------------------------------- lines and boxes


def rule(
    canvas: Canvas,
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    *,
    width: float = 0.25,
    gray: float = 0.0,
    dash: tuple[float, float] | None = None,
) -> None:
    """A straight line from (x1, y1) to (x2, y2); `width` and `dash` (on, off) in mm."""
    canvas.saveState()
    canvas.setLineWidth(mm(width))
    canvas.setStrokeGray(gray)
    if dash:
        canvas.setDash(mm(dash[0]), mm(dash[1]))
    canvas.line(mm(x1), mm(y1), mm(x2), mm(y2))
    canvas.restoreState()


def frame(
    canvas: Canvas,
    box: Box,
    *,
    width: float = 0.25,
    fill_gray: float | None = None,
    stroke: bool = True,
    radius: float = 0.0,
) -> None:
    """Outline (and optionally fill) `box`; line `width` and corner `radius` in mm."""
    canvas.saveState()
    canvas.setLineWidth(mm(width))
    canvas.setStrokeGray(0)
    if fill_gray is not None:
        canvas.setFillGray(fill_gray)
    args = (mm(box.x), mm(box.y), mm(box.width), mm(box.height))
    fill = 1 if fill_gray is not None else 0
    if radius:
        canvas.roundRect(*args, mm(radius), stroke=1 if stroke else 0, fill=fill)
    else:
        canvas.rect(*args, stroke=1 if stroke else 0, fill=fill)
    canvas.restoreState()


def inverted_text(
    canvas: Canvas,
    text: str,
    box: Box,
    size: float,
    min_size: float,
    *,
    pad: float = 1.0,
    ink: Ink | None = None,
) -> float:
    """White bold text centred on a black `box` (marks that must catch the eye).

    With a TextWriter as `ink` the text is drawn when the writer is flushed, which
    must come after this box.
    """
    frame(canvas, box, fill_gray=0, stroke=False, radius=0.6)
    text = single_line(text)
    used = fit_size(text, box.width - 2 * pad, size, min_size)
    y = box.y + (box.height - ascent_mm(used) + descent_mm(used)) / 2
    _draw_line(canvas if ink is None else ink, text, box.x + box.width / 2, y, used,
               align="center", bold=True, white=True)
    return used


def checkbox(canvas: Canvas, x: float, y: float, side: float = 3.5) -> None:
    """An empty square to tick by hand, bottom-left corner at (x, y)."""
    frame(canvas, Box(x, y, side, side), width=0.3)


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class Column:
    """A table column: its bilingual heading, width in mm, and how its cells behave.

    `wrap=False` keeps a cell on one line (codes, quantities), shrinking it down to the
    table's minimum size; a cell that still does not fit raises LayoutError.
    """

    title: str
    width: float
    align: str = "left"
    wrap: bool = True


@dataclass(frozen=True)
class TableStyle:
    size: float = 9.0  # pt, cell text
    min_size: float = 6.5  # pt, single-line cells shrink this far
    header_size: float = 8.0
    leading: float = 1.2
    pad_x: float = 1.2
    pad_y: float = 1.1
    header_gray: float = 0.86
    shade_gray: float = 0.93
    rule_gray: float = 0.55
    note_size: float = 7.5


@dataclass(frozen=True)
class Cell:
    block: TextBlock


@dataclass(frozen=True)
class Row:
    """A planned table row: every cell wrapped, its height known."""

    cells: tuple[Cell, ...]
    height: float
    shade: bool = False
    bold: bool = False
    note: TextBlock | None = None  # a smaller line under the cells, across columns 2..n


def table_width(columns: Sequence[Column]) -> float:
    return sum(column.width for column in columns)


def header_height(columns: Sequence[Column], style: TableStyle) -> float:
    return text_block_height_mm(1, style.header_size) + 2 * style.pad_y + 0.6


def plan_row(
    columns: Sequence[Column],
    texts: Sequence[str],
    style: TableStyle,
    *,
    shade: bool = False,
    bold: bool = False,
    note: str = "",
) -> Row:
    """Wrap each cell to its column (or shrink single-line cells) and size the row."""
    if len(texts) != len(columns):
        raise ValueError(f"{len(texts)} cells for {len(columns)} columns")
    cells = []
    for column, text in zip(columns, texts):
        inner = column.width - 2 * style.pad_x
        if column.wrap:
            block = wrap_block(text, inner, style.size, leading=style.leading)
        else:
            try:
                used = fit_size(single_line(text), inner, style.size, style.min_size)
            except LayoutError as error:
                raise LayoutError(f"column {column.title!r}: {error}") from None
            block = TextBlock((single_line(text),), used, style.leading)
        cells.append(Cell(block))
    body = max(
        (text_block_height_mm(len(c.block.lines), style.size, style.leading) for c in cells),
        default=0.0,
    )
    note_block = None
    if note:
        note_width = table_width(columns[1:]) - 2 * style.pad_x
        note_block = wrap_block(note, note_width, style.note_size, leading=style.leading)
        body += 0.6 + note_block.height
    return Row(tuple(cells), body + 2 * style.pad_y, shade, bold, note_block)


def draw_header(
    canvas: Canvas, columns: Sequence[Column], x: float, top: float, style: TableStyle
) -> float:
    """The heading row with its grey band; returns the y of its bottom."""
    height = header_height(columns, style)
    frame(canvas, Box(x, top - height, table_width(columns), height),
          fill_gray=style.header_gray, stroke=False)
    baseline = top - height + style.pad_y + 0.3 + descent_mm(style.header_size)
    left = x
    for column in columns:
        inner = column.width - 2 * style.pad_x
        anchor = {"left": left + style.pad_x, "center": left + column.width / 2,
                  "right": left + column.width - style.pad_x}[column.align]
        draw_text(canvas, column.title, anchor, baseline, inner, style.header_size,
                  min(5.0, style.header_size), align=column.align, bold=True)
        left += column.width
    rule(canvas, x, top - height, x + table_width(columns), top - height, width=0.35)
    return top - height


def draw_row(
    canvas: Canvas,
    columns: Sequence[Column],
    x: float,
    top: float,
    row: Row,
    style: TableStyle,
) -> float:
    """Draw a planned row with its top at `top`; returns the y of its bottom."""
    width = table_width(columns)
    if row.shade:
        frame(canvas, Box(x, top - row.height, width, row.height),
              fill_gray=style.shade_gray, stroke=False)
    left = x
    cell_top = top - style.pad_y
    for column, cell in zip(columns, row.cells):
        draw_block(canvas, cell.block, left + style.pad_x, cell_top,
                   column.width - 2 * style.pad_x, align=column.align, bold=row.bold)
        left += column.width
    if row.note is not None:
        note_top = top - row.height + style.pad_y + row.note.height
        draw_block(canvas, row.note, x + columns[0].width + style.pad_x, note_top,
                   width - columns[0].width - 2 * style.pad_x)
    rule(canvas, x, top - row.height, x + width, top - row.height,
         width=0.15, gray=style.rule_gray)
    return top - row.height


# ---------------------------------------------------------------- page flow


@dataclass(frozen=True, eq=False)
class Piece:
    """Something to place on a page: its height in mm and how to draw it at (x, top).

    A table row names its table `header`: the header is drawn above the row whenever
    the row opens a page or follows something else. `keep_with_next` keeps a heading
    on the page of what follows it; `at_bottom` pins a piece to the foot of its page
    (a tear-off slip, signature lines) instead of right under the piece before it.
    """

    height: float
    draw: Callable[[Canvas, float], None]  # (canvas, top)
    header: Piece | None = None
    keep_with_next: bool = False
    at_bottom: bool = False
    what: str = "content"


@dataclass
class FlowPage:
    placed: list[tuple[Piece, float]] = field(default_factory=list)  # (piece, top)


def flow(pieces: Sequence[Piece], first_top: float, top: float, bottom: float) -> list[FlowPage]:
    """Place `pieces` top-down on as many pages as it takes; nothing is drawn yet.

    The first page's body starts at `first_top`, later pages' at `top`; every body ends
    at `bottom` (y in mm). Raises LayoutError for a piece taller than a whole page.
    """
    pages = [FlowPage()]
    cursor = first_top
    page_top = first_top
    last_header: Piece | None = None

    def needs_header(piece: Piece) -> float:
        if piece.header is None or piece.header is last_header:
            return 0.0
        return piece.header.height

    index = 0
    while index < len(pieces):
        piece = pieces[index]
        need = needs_header(piece) + piece.height
        if piece.keep_with_next and index + 1 < len(pieces):
            following = pieces[index + 1]
            extra = following.header.height if following.header is not None else 0.0
            need += extra + following.height
        if cursor - need < bottom - 1e-6:
            if not pages[-1].placed:
                available = page_top - bottom
                raise LayoutError(
                    f"{piece.what} needs {need:.1f} mm but a page has only {available:.1f} mm"
                )
            pages.append(FlowPage())
            cursor = page_top = top
            last_header = None
            continue
        if needs_header(piece):
            pages[-1].placed.append((piece.header, cursor))
            cursor -= piece.header.height
            last_header = piece.header
        elif piece.header is None:
            last_header = None
        if piece.at_bottom:
            pages[-1].placed.append((piece, bottom + piece.height))
        else:
            pages[-1].placed.append((piece, cursor))
        cursor -= piece.height
        index += 1
    return pages


def draw_flow_page(canvas: Canvas, page: FlowPage) -> None:
    for piece, top in page.placed:
        piece.draw(canvas, top)


def spacer(height: float) -> Piece:
    return Piece(height, lambda canvas, top: None, what="space")


# ---------------------------------------------------------------- barcodes, in bulk


def draw_code128_bulk(
    canvas: Canvas,
    value: str,
    x: float,
    y: float,
    *,
    module_mm: float = barcodes.DEFAULT_MODULE_MM,
    bar_height_mm: float = 12.0,
    max_width_mm: float | None = None,
    text_size: float = barcodes.DEFAULT_TEXT_SIZE,
    ink: Ink | None = None,
) -> float:
    """`barcodes.draw_code128` for documents printed by the thousand (waybills).

    The same bars in the same places (same runs, dot snapping, bar width reduction,
    quiet zones, human-readable line), written as one filled path instead of one
    rectangle operator per bar: a waybill's two barcodes were half its drawing time.
    With a TextWriter as `ink`, the digits go with the page's other text.
    Returns the width in mm; raises LayoutError / BarcodeValueError as draw_code128 does.
    """
    dots = barcodes.DOTS_PER_MM_203DPI
    runs = code128_runs(value)
    size = code128_bulk_size(value, module_mm=module_mm, bar_height_mm=bar_height_mm,
                             text_size=text_size)
    barcodes._check_fits(f"Code128 {value!r}", size, max_width_mm, size.module)
    # Everything horizontal sits on the 203 dpi dot grid: count in whole dots and
    # format each edge once (formatting floats was most of the time).
    module_dots = round(size.module * dots)
    cursor = round(x * dots) + barcodes.QUIET_ZONE_MODULES * module_dots  # as _snap_to_dots
    bars_start = cursor
    band = barcodes._text_band_mm(text_size)
    bottom, height = f"{mm(y + band):.4f}", f"{mm(bar_height_mm):.4f}"
    parts = ["q 0 g"]
    append = parts.append
    for index, run in enumerate(runs):
        if index % 2 == 0:  # even runs are bars
            append(f"{_bar_left(cursor)} {bottom} {_bar_width(run * module_dots)} {height} re")
        cursor += run * module_dots
    parts.append("f Q")
    canvas.addLiteral("\n".join(parts))
    bars_x = bars_start / dots
    cursor = cursor / dots
    # The human-readable line as barcodes._draw_human_readable sets it.
    draw_text(canvas if ink is None else ink, value, bars_x + (cursor - bars_x) / 2,
              y + descent_mm(text_size), cursor - bars_x, text_size,
              min(barcodes.MIN_TEXT_SIZE, text_size), align="center")
    return size.width


@lru_cache(maxsize=64)
def code128_runs(value: str) -> tuple[int, ...]:
    """barcodes.code128_runs, remembered: a layout sizes a barcode before drawing it."""
    return tuple(barcodes.code128_runs(value))


def code128_bulk_size(
    value: str,
    *,
    module_mm: float = barcodes.DEFAULT_MODULE_MM,
    bar_height_mm: float = 12.0,
    text_size: float = barcodes.DEFAULT_TEXT_SIZE,
) -> barcodes.BarcodeSize:
    """barcodes.code128_size (human-readable line included) from the remembered runs."""
    module = barcodes.snap_module_mm(module_mm, barcodes.DOTS_PER_MM_203DPI)
    modules = sum(code128_runs(value)) + 2 * barcodes.QUIET_ZONE_MODULES
    return barcodes.BarcodeSize(
        width=modules * module,
        height=bar_height_mm + barcodes._text_band_mm(text_size),
        module=module,
    )


# ---------------------------------------------------------------- office page headers


@dataclass(frozen=True)
class PageHeader:
    """The top of an office document's every page: a title, lines of facts, a barcode.

    Planned once (`plan_page_header`) so the flow knows its height before any page is
    drawn; `draw` adds the page number, which only the flow knows.
    """

    title: str
    lines: tuple[str, ...]
    barcode: str
    module: float
    bar_h: float
    barcode_width: float
    barcode_height: float
    height: float
    title_size: float
    size: float


def plan_page_header(
    body: Box,
    title: str,
    lines: Sequence[str],
    barcode: str,
    *,
    title_size: float = 18.0,
    size: float = 9.5,
    bar_h: float = 13.0,
    modules: Sequence[float] = (0.375, 0.25),
    barcode_share: float = 0.45,
) -> PageHeader:
    """Choose the widest module (from `modules`) whose barcode takes at most
    `barcode_share` of the width; raises LayoutError naming the value if none does."""
    for module in modules:
        measured = barcodes.code128_size(barcode, module_mm=module, bar_height_mm=bar_h)
        if measured.width <= body.width * barcode_share:
            break
    else:
        raise LayoutError(
            f"the barcode {barcode!r} needs {measured.width:.1f} mm; the page header has "
            f"{body.width * barcode_share:.1f} mm for it"
        )
    text_h = (ascent_mm(title_size) + descent_mm(title_size) + 1.0
              + (len(lines) + 1) * line_pitch_mm(size, 1.25))
    height = max(measured.height, text_h) + 3.0
    return PageHeader(title, tuple(lines), barcode, module, bar_h, measured.width,
                      measured.height, height, title_size, size)


def draw_page_header(canvas: Canvas, header: PageHeader, body: Box, number: int,
                     count: int) -> None:
    """The header at the top of `body`, with "第 n/N 页 · Page n of N" as its last line."""
    left = body.right - header.barcode_width
    barcodes.draw_code128(canvas, header.barcode, left, body.top - header.barcode_height,
                          module_mm=header.module, bar_height_mm=header.bar_h,
                          max_width_mm=header.barcode_width + 1e-6)
    width = left - body.x - 3.0
    y = body.top - ascent_mm(header.title_size)
    draw_text(canvas, header.title, body.x, y, width, header.title_size, 8, bold=True)
    y -= descent_mm(header.title_size) + 1.0 + ascent_mm(header.size)
    pitch = line_pitch_mm(header.size, 1.25)
    for line in (*header.lines, f"第 {number}/{count} 页 · Page {number} of {count}"):
        if line:
            draw_text(canvas, line, body.x, y, width, header.size, 5.5)
        y -= pitch
    bottom = body.top - header.height + 1.0
    rule(canvas, body.x, bottom, body.right, bottom, width=0.5)


def draw_signature_line(canvas: Canvas, label: str, x: float, y: float, width: float,
                        size: float = 9.5) -> None:
    """A label and a line to sign or write on, the baseline at y."""
    draw_text(canvas, label, x, y, width * 0.7, size, 6)
    start = x + min(width * 0.7, text_width(label, size)) + 1.5
    rule(canvas, start, y - 0.8, x + width, y - 0.8, width=0.25)


def signature_box(body: Box, summary: str, rows: Sequence[tuple[str, str]], size: float = 10.0) -> "Piece":
    """The framed box at the foot of a document's last page: a bold summary line, then per row
    a line to sign on the left and a shorter one (date, exceptions) on the right."""
    pitch = line_pitch_mm(size) + 7.0
    height = 6.0 + (len(rows) + 1) * pitch + 3.0

    def draw(canvas: Canvas, top: float) -> None:
        box = Box(body.x, top - height + 1.0, body.width, height - 3.0)
        frame(canvas, box, width=0.4)
        x, y = box.x + 3.0, box.top - 6.0
        if summary:
            draw_text(canvas, summary, x, y, box.width - 6.0, size, 7, bold=True)
        half = (box.width - 9.0) / 2
        for left, right in rows:
            y -= pitch
            draw_signature_line(canvas, left, x, y, half + 25, size)
            if right:
                draw_signature_line(canvas, right, x + half + 31, y, half - 28, size)

    return Piece(height, draw, at_bottom=True, what="signatures")


_BAR_INSET_MM = barcodes.BAR_WIDTH_REDUCTION_DOTS / barcodes.DOTS_PER_MM_203DPI / 2


@lru_cache(maxsize=4096)
@lru_cache(maxsize=4096)  # a page is at most a few thousand dots wide
def _bar_left(dot: int) -> str:
    """The left edge of a bar starting at printer dot `dot`, in points, as PDF text."""
    return f"{mm(dot / barcodes.DOTS_PER_MM_203DPI + _BAR_INSET_MM):.4f}"


@lru_cache(maxsize=256)
def _bar_width(dots: int) -> str:
    """The width of a bar `dots` printer dots wide (less the reduction), as PDF text."""
    return f"{mm(dots / barcodes.DOTS_PER_MM_203DPI - 2 * _BAR_INSET_MM):.4f}"
