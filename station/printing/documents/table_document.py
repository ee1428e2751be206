"""An A4 office document that is one table: a page header with a barcode, the table (its heading
repeated on every page), sections with a title row, totals, and signature lines on the last page.

The purchase requisition and the monthly in/out/stock summary are laid out with it; every
value arrives as text, computed by the caller.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from station.printing.ink import draw_text
from station.printing.pages import Piece, draw_office_pages, plan_page_header, signature_box
from station.printing.pdf import new_canvas
from station.printing.tables import (
    Column,
    TableStyle,
    draw_header,
    draw_row,
    header_height,
    plan_row,
)
from station.printing.units import A4, Box, LayoutError, PageLayout, PageSize

MARGIN = 12.0
STYLE = TableStyle(size=8.5, header_size=8, min_size=6.5, pad_y=0.8)
SIGN_SIZE = 10.0


@dataclass(frozen=True)
class TableSection:
    title: str  # "" for none
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...] | None = None


@dataclass(frozen=True)
class TableDocument:
    title: str
    facts: tuple[str, ...]
    barcode: str
    columns: tuple[Column, ...]  # a width of 0: takes what is left
    sections: tuple[TableSection, ...]
    summary: str = ""  # one bold line above the signatures
    signatures: tuple[str, ...] = ()


def render_table_document(doc: TableDocument, size: PageSize = A4) -> bytes:
    if size.name != A4.name:
        raise LayoutError(f"{doc.title} prints on A4, not {size.name}")
    body = PageLayout(size, MARGIN).content
    rest = body.width - sum(c.width for c in doc.columns)
    columns = tuple(Column(c.title, c.width or rest, c.align, c.wrap) for c in doc.columns)
    header = plan_page_header(body, doc.title, list(doc.facts), doc.barcode)
    heading = Piece(header_height(columns, STYLE) + 1.0,
                    lambda c, top: draw_header(c, columns, body.x, top - 1.0, STYLE), what="table heading")
    pieces: list[Piece] = []
    for section in doc.sections:
        if section.title:
            title = plan_row(columns, [section.title] + [""] * (len(columns) - 1), STYLE, shade=True)
            pieces.append(Piece(title.height + 1.0, _title_drawer(section.title, body, title.height), header=heading,
                                what=f"section {section.title}"))
        for n, cells in enumerate(section.rows, start=1):
            row = plan_row(columns, list(cells), STYLE, shade=n % 2 == 0)
            pieces.append(Piece(row.height, _row_drawer(columns, body.x, row), header=heading, what=cells[0]))
        if section.total is not None:
            row = plan_row(columns, list(section.total), STYLE)
            pieces.append(Piece(row.height, _row_drawer(columns, body.x, row), header=heading, what="total"))
    if doc.summary or doc.signatures:
        pieces.append(_signatures(doc, body))
    out = io.BytesIO()
    canvas = new_canvas(out, size, title=f"{doc.title} {doc.barcode}")
    draw_office_pages(canvas, header, body, pieces)
    canvas.save()
    return out.getvalue()


def _row_drawer(columns, x, row):
    def draw(canvas: Canvas, top: float) -> None:
        draw_row(canvas, columns, x, top, row, STYLE)
    return draw


def _title_drawer(title: str, body: Box, height: float):
    def draw(canvas: Canvas, top: float) -> None:
        draw_text(canvas, title, body.x + 1.0, top - height + 1.5, body.width - 2.0, STYLE.size + 1, 6.5, bold=True)
    return draw


def _signatures(doc: TableDocument, body: Box) -> Piece:
    names = list(doc.signatures) + [""] * (len(doc.signatures) % 2)
    return signature_box(body, doc.summary, tuple(zip(names[::2], names[1::2])), SIGN_SIZE)
