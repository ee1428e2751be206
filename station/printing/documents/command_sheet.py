"""The command sheet: the bench command barcodes (CMD-DONE, CMD-UNDO, ...) to hang at each bench.

Each entry is what the command does, in Chinese and in English, above its Code128 barcode with
the code under the bars. Barcodes are 3 printer dots a module at 203 dpi (0.375 mm) wherever
that fits the paper, 2 dots where it does not, with 10-module quiet zones, and stacked entries
keep a gap so that a scanner reads one at a time. Sections (scanner setup, every bench, one per
bench) flow over as many pages as they take, planned before anything is drawn
(`pages.flow`): on A4 two entries to a row, on a bench card (100x150 mm) one.
What the sheet says comes from the caller (``station.documents.commands``), already translated.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Sequence

from reportlab.pdfgen.canvas import Canvas

from station.printing.barcodes import BarcodeSize, code128_size, draw_code128
from station.printing.ink import draw_block, draw_text
from station.printing.pages import Piece, draw_pages, flow, page_line
from station.printing.pdf import new_canvas
from station.printing.shapes import rule
from station.printing.text import TextBlock, ascent_mm, descent_mm, fit_block, line_pitch_mm
from station.printing.units import A4, Box, LayoutError, PageLayout, PageSize


@dataclass(frozen=True)
class CommandEntry:
    code: str  # what the barcode carries, e.g. CMD-DONE
    meaning: str  # what it does, in Chinese
    meaning_en: str  # the same in English


@dataclass(frozen=True)
class CommandSection:
    heading: str
    entries: tuple[CommandEntry, ...]


@dataclass(frozen=True)
class CommandSheet:
    title: str
    hint: str  # one line under the title (print at 100%)
    sections: tuple[CommandSection, ...]


@dataclass(frozen=True)
class _Style:
    margin: float
    gutter: float
    title_size: float
    hint_size: float
    heading_size: float
    meaning_size: float
    meaning_min: float
    en_size: float
    en_min: float
    bar_height: float
    max_columns: int


A4_STYLE = _Style(margin=10.0, gutter=6.0, title_size=16.0, hint_size=8.0, heading_size=12.0,
                  meaning_size=10.5, meaning_min=7.5, en_size=8.0, en_min=6.0, bar_height=12.0, max_columns=2)
CARD_STYLE = _Style(margin=4.0, gutter=4.0, title_size=11.0, hint_size=6.5, heading_size=9.5,
                    meaning_size=9.0, meaning_min=6.5, en_size=7.0, en_min=5.5, bar_height=11.0, max_columns=1)
MODULES = (0.375, 0.25)  # 3 dots at 203 dpi where it fits, else 2 (the least that scans reliably)
CODE_TEXT_SIZE = 9.0  # the code under the bars
MEANING_LINES = 2  # each language gets at most this many lines; shrunk to fit
TEXT_GAP = 0.8  # between the Chinese and the English
BARCODE_GAP = 1.2  # between the English and the bars
ENTRY_GAP = 6.0  # below an entry: a scanner aimed at one barcode does not catch the next
FOOTER_HEIGHT = 5.0


def style_for(page: PageSize) -> _Style:
    return A4_STYLE if page.width >= 150 else CARD_STYLE


def render_command_sheet(sheet: CommandSheet, *, size: PageSize = A4) -> bytes:
    """The sheet as a PDF on `size`, as many pages as it takes.

    Raises LayoutError naming the code whose barcode or meaning does not fit the paper.
    """
    style = style_for(size)
    layout = PageLayout(size, style.margin)
    body = layout.content
    header = _header_height(style)
    pieces = _pieces(sheet, body, style)
    pages = flow(pieces, body.top - header, body.top - header, body.y + FOOTER_HEIGHT)
    out = io.BytesIO()
    canvas = new_canvas(out, size, title=sheet.title)

    def page_top(canvas: Canvas, number: int, count: int) -> None:
        y = body.top - ascent_mm(style.title_size)
        draw_text(canvas, sheet.title, body.x, y, body.width, style.title_size, 7)
        y -= descent_mm(style.title_size) + 0.8 + ascent_mm(style.hint_size)
        draw_text(canvas, sheet.hint, body.x, y, body.width, style.hint_size, 5)
        draw_text(canvas, page_line(number, count), body.right, body.y + 1.0, body.width, 7, 5, align="right")

    draw_pages(canvas, pages, page_top)
    canvas.save()
    return out.getvalue()


def _header_height(style: _Style) -> float:
    return (ascent_mm(style.title_size) + descent_mm(style.title_size) + 0.8
            + ascent_mm(style.hint_size) + descent_mm(style.hint_size) + 2.0)


# ---------------------------------------------------------------- planning


@dataclass(frozen=True)
class _Cell:
    entry: CommandEntry
    meaning: TextBlock
    meaning_en: TextBlock
    barcode: BarcodeSize


def _pieces(sheet: CommandSheet, body: Box, style: _Style) -> list[Piece]:
    pieces: list[Piece] = []
    for section in sheet.sections:
        if not section.entries:
            continue
        # The heading goes with the rows as their header: drawn above the first, and again above
        # the first row on a new page, so a page never starts with a bench's codes unnamed.
        heading = _heading(section.heading, body, style)
        columns, module = _columns(section, body, style)
        boxes = body.columns(columns, style.gutter)
        for start in range(0, len(section.entries), columns):
            row = [_cell(entry, box.width, module, style)
                   for entry, box in zip(section.entries[start:start + columns], boxes)]
            pieces.append(_row(row, boxes, module, style, heading))
    return pieces


def _columns(section: CommandSection, body: Box, style: _Style) -> tuple[int, float]:
    """The most columns at the widest module in which every barcode of the section fits."""
    for module in MODULES:
        widest = max(_barcode(e.code, module, style).width for e in section.entries)
        for columns in range(style.max_columns, 0, -1):
            if widest <= body.columns(columns, style.gutter)[0].width:
                return columns, module
    code = max(section.entries, key=lambda e: _barcode(e.code, MODULES[-1], style).width).code
    raise LayoutError(f"the barcode {code!r} needs {_barcode(code, MODULES[-1], style).width:.1f} mm; "
                      f"the page has {body.width:.1f} mm")


def _barcode(code: str, module: float, style: _Style) -> BarcodeSize:
    return code128_size(code, module_mm=module, bar_height_mm=style.bar_height, text_size=CODE_TEXT_SIZE)


def _cell(entry: CommandEntry, width: float, module: float, style: _Style) -> _Cell:
    def block(text: str, size: float, smallest: float) -> TextBlock:
        height = ascent_mm(size) + descent_mm(size) + (MEANING_LINES - 1) * line_pitch_mm(size)
        return fit_block(text, width, height + 1e-6, size, smallest, what=f"{entry.code}: {text!r}")

    return _Cell(entry, block(entry.meaning, style.meaning_size, style.meaning_min),
                 block(entry.meaning_en, style.en_size, style.en_min), _barcode(entry.code, module, style))


def _heading(text: str, body: Box, style: _Style) -> Piece:
    height = ascent_mm(style.heading_size) + descent_mm(style.heading_size) + 3.0

    def draw(canvas: Canvas, top: float) -> None:
        baseline = top - 1.0 - ascent_mm(style.heading_size)
        draw_text(canvas, text, body.x, baseline, body.width, style.heading_size, 7)
        line = baseline - descent_mm(style.heading_size) - 0.6
        rule(canvas, body.x, line, body.right, line, width=0.3, gray=0.4)

    return Piece(height, draw, what=f"heading {text!r}")


def _row(cells: Sequence[_Cell], boxes: Sequence[Box], module: float, style: _Style, heading: Piece) -> Piece:
    """Entries side by side, their barcodes on one line under the tallest meaning."""
    text = max(cell.meaning.height + TEXT_GAP + cell.meaning_en.height for cell in cells)
    bars = max(cell.barcode.height for cell in cells)
    height = 1.0 + text + BARCODE_GAP + bars + ENTRY_GAP

    def draw(canvas: Canvas, top: float) -> None:
        for cell, box in zip(cells, boxes):
            y = draw_block(canvas, cell.meaning, box.x, top - 1.0, box.width, align="center") - TEXT_GAP
            draw_block(canvas, cell.meaning_en, box.x, y, box.width, align="center")
            x = box.x + (box.width - cell.barcode.width) / 2
            draw_code128(canvas, cell.entry.code, x, top - 1.0 - text - BARCODE_GAP - cell.barcode.height,
                         module_mm=module, bar_height_mm=style.bar_height, max_width_mm=box.width,
                         text_size=CODE_TEXT_SIZE)

    return Piece(height, draw, header=heading, what=", ".join(cell.entry.code for cell in cells))
