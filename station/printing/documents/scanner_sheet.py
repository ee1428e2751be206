"""The scanner sheet: a page of barcodes to scan by hand (badges, commands, products, bins).

`station demo` prints it so that someone with a real USB scanner can try every bench.
Each entry is its label (may be Chinese) above a barcode: EAN-13 for a valid GTIN-13,
Code128 for anything else. The whole layout is planned (columns, rows, page breaks)
before anything is drawn, so the footer knows the page count and a code too wide for
its column fails before a single page is written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from station.printing.barcodes import (
    BarcodeSize,
    code128_size,
    draw_code128,
    draw_ean13,
    ean13_size,
    is_valid_gtin13,
)
from station.printing.ink import draw_block, draw_text
from station.printing.pdf import new_canvas
from station.printing.text import fit_block, text_block_height_mm
from station.printing.units import A4, Box, LayoutError, PageLayout, mm


@dataclass(frozen=True)
class SheetEntry:
    label: str
    code: str


@dataclass(frozen=True)
class ScannerSheet:
    title: str
    sections: list[tuple[str, list[SheetEntry]]]


MARGIN = 12.0
GUTTER = 6.0
TITLE_HEIGHT = 16.0
FOOTER_HEIGHT = 7.0
HEADING_HEIGHT = 9.0
LABEL_HEIGHT = 8.5  # room for two lines of label at the smallest size
LABEL_SIZE, LABEL_MIN_SIZE = 10.0, 6.5
LABEL_GAP = 1.5  # between a label and its barcode's bars
BAR_HEIGHT = 12.0
CODE128_MODULE = 0.25  # 2 dots at 203 dpi
EAN13_MODULE = 0.375  # 3 dots at 203 dpi: GS1's 0.33 mm nominal, rounded up to whole dots
CELL_BOTTOM_PADDING = 6.0  # keeps stacked barcodes apart so the scanner takes one at a time
MAX_COLUMNS = 3
PRINT_HINT = '按 100% 比例打印，不要“适合页面”缩放 · Print at 100% (no "fit to page")'


@dataclass(frozen=True)
class _Cell:
    entry: SheetEntry
    box: Box
    symbology: str  # "ean13" or "code128"
    barcode: BarcodeSize
    label_size: float  # pt, after shrinking to fit
    label_lines: int


@dataclass(frozen=True)
class _Heading:
    text: str
    box: Box


@dataclass
class _Page:
    headings: list[_Heading]
    cells: list[_Cell]


def render_scanner_sheet(sheet: ScannerSheet) -> bytes:
    """The sheet as an A4 PDF, as many pages as it takes.

    Raises LayoutError naming the entry when a code is too long to fit even two columns
    to a page, and BarcodeValueError for a code Code128 cannot carry (non-ASCII).
    """
    layout = PageLayout(A4, MARGIN)
    pages = _plan(sheet, layout)
    out = io.BytesIO()
    canvas = new_canvas(out, A4, title=sheet.title)
    for number, page in enumerate(pages, start=1):
        _draw_frame(canvas, layout, sheet.title, number, len(pages))
        for heading in page.headings:
            _draw_heading(canvas, heading)
        for cell in page.cells:
            _draw_cell(canvas, cell)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


# ---------------------------------------------------------------- planning


def _plan(sheet: ScannerSheet, layout: PageLayout) -> list[_Page]:
    body = layout.content
    top = body.top - TITLE_HEIGHT
    bottom = body.y + FOOTER_HEIGHT
    cell_height = 0.5 + LABEL_HEIGHT + LABEL_GAP + _tallest_barcode(sheet) + CELL_BOTTOM_PADDING

    pages = [_Page([], [])]
    cursor = top  # y of the next free line, going down

    def new_page() -> None:
        nonlocal cursor
        pages.append(_Page([], []))
        cursor = top

    def add_heading(text: str) -> None:
        nonlocal cursor
        y = cursor - HEADING_HEIGHT
        box = layout.box(body.x, y, body.width, HEADING_HEIGHT, f"heading {text!r}")
        pages[-1].headings.append(_Heading(text, box))
        cursor -= HEADING_HEIGHT

    for heading, entries in sheet.sections:
        columns, sizes = _columns_for(entries, body)
        rows = [list(zip(entries, sizes))[i : i + columns] for i in range(0, len(entries), columns)]
        # A heading never sits alone at the foot of a page: it needs its first row below it.
        first_row = cell_height if rows else 0.0
        if cursor - HEADING_HEIGHT - first_row < bottom and (pages[-1].cells or pages[-1].headings):
            new_page()
        add_heading(heading)
        for row in rows:
            if cursor - cell_height < bottom:
                new_page()
                add_heading(f"{heading}（续 cont.）")
            row_box = Box(body.x, cursor - cell_height, body.width, cell_height)
            for column_box, (entry, (symbology, size)) in zip(
                row_box.columns(columns, GUTTER), row
            ):
                placed = layout.place(column_box, f"entry {entry.label!r}")
                # Raises LayoutError now, before any page is drawn, for a label too long.
                label = fit_block(
                    entry.label, placed.width, LABEL_HEIGHT, LABEL_SIZE, LABEL_MIN_SIZE, what=None
                )
                pages[-1].cells.append(
                    _Cell(entry, placed, symbology, size, label.size, len(label.lines))
                )
            cursor -= cell_height
    return pages


def _measure(entry: SheetEntry) -> tuple[str, BarcodeSize]:
    if is_valid_gtin13(entry.code):
        return "ean13", ean13_size(entry.code, module_mm=EAN13_MODULE, bar_height_mm=BAR_HEIGHT)
    return "code128", code128_size(entry.code, module_mm=CODE128_MODULE, bar_height_mm=BAR_HEIGHT)


def _columns_for(
    entries: list[SheetEntry], body: Box
) -> tuple[int, list[tuple[str, BarcodeSize]]]:
    """Three columns if every code of the section fits one, else two; else LayoutError."""
    sizes = [_measure(entry) for entry in entries]
    widest = max((size.width for _, size in sizes), default=0.0)
    for columns in range(MAX_COLUMNS, 1, -1):
        if widest <= body.columns(columns, GUTTER)[0].width:
            return columns, sizes
    entry = entries[max(range(len(sizes)), key=lambda i: sizes[i][1].width)]
    raise LayoutError(
        f"the barcode for {entry.label!r} ({entry.code!r}) is {widest:.1f} mm wide; "
        f"a scanner-sheet column is at most {body.columns(2, GUTTER)[0].width:.1f} mm"
    )


def _tallest_barcode(sheet: ScannerSheet) -> float:
    heights = [_measure(entry)[1].height for _, entries in sheet.sections for entry in entries]
    return max(heights, default=0.0)


# ---------------------------------------------------------------- drawing


def _draw_frame(canvas: Canvas, layout: PageLayout, title: str, number: int, count: int) -> None:
    body = layout.content
    # Titles in the regular face: Micro Hei has no bold (fonts.CJK_BOLD_FONT is the same face).
    draw_text(canvas, title, body.x, body.top - 7.0, body.width, 18, 10)
    draw_text(canvas, PRINT_HINT, body.x, body.top - 12.5, body.width, 8.5, 6)
    draw_text(
        canvas, f"第 {number}/{count} 页 · page {number} of {count}",
        body.right, body.y + 1.0, body.width, 8, 6, align="right",
    )


def _draw_heading(canvas: Canvas, heading: _Heading) -> None:
    box = heading.box
    draw_text(canvas, heading.text, box.x, box.y + 2.5, box.width, 12, 8)
    canvas.saveState()
    canvas.setLineWidth(0.5)
    canvas.setStrokeGray(0.4)
    canvas.line(mm(box.x), mm(box.y + 1.2), mm(box.right), mm(box.y + 1.2))
    canvas.restoreState()


def _draw_cell(canvas: Canvas, cell: _Cell) -> None:
    box = cell.box
    barcode_top = box.top - 0.5 - LABEL_HEIGHT - LABEL_GAP
    # The label sits just above its barcode, however many lines it takes.
    label_top = barcode_top + LABEL_GAP + text_block_height_mm(cell.label_lines, cell.label_size)
    label = fit_block(cell.entry.label, box.width, LABEL_HEIGHT, cell.label_size, cell.label_size,
                      what=None)
    draw_block(canvas, label, box.x, label_top, box.width, align="center")
    barcode_y = barcode_top - cell.barcode.height
    x = box.x + (box.width - cell.barcode.width) / 2
    draw, module = (
        (draw_ean13, EAN13_MODULE) if cell.symbology == "ean13" else (draw_code128, CODE128_MODULE)
    )
    draw(
        canvas, cell.entry.code, x, barcode_y,
        module_mm=module, bar_height_mm=BAR_HEIGHT, max_width_mm=box.width,
    )
