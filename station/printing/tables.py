"""Tables whose cells wrap: columns, a heading row, rows planned (wrapped, measured)
before any is drawn, so the page flow knows each row's height."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from station.printing.ink import draw_block, draw_text
from station.printing.shapes import frame, rule
from station.printing.text import (
    TextBlock,
    descent_mm,
    fit_size,
    single_line,
    text_block_height_mm,
    wrap_block,
)
from station.printing.units import Box, LayoutError


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


