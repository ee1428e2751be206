"""The pick list (拣货单): one batch's picks in bin walk order, A4.

Every page: the batch number and its barcode (scan it to start picking the batch),
printed time, order and piece counts, page count. Then one row per pick — a box to
tick, bin, SKU, name, colour, size, quantity — in the order the caller sorted them
(the walk through the warehouse), each optionally followed by which orders take how
many. At the end the totals per SKU, as the caller added them up.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from reportlab.pdfgen.canvas import Canvas

from station.printing.ink import draw_text
from station.printing.pages import Piece, draw_office_pages, plan_page_header
from station.printing.pdf import new_canvas
from station.printing.shapes import checkbox
from station.printing.tables import (
    Column,
    Row,
    TableStyle,
    draw_header,
    draw_row,
    header_height,
    plan_row,
)
from station.printing.text import ascent_mm, descent_mm
from station.printing.units import A4, LayoutError, PageLayout, PageSize

MARGIN = 12.0
STYLE = TableStyle(size=10, header_size=9, min_size=7)
TOTALS_STYLE = TableStyle(size=9, header_size=8.5, min_size=6.5)
CHECK = 3.6  # mm, the tick box


@dataclass(frozen=True)
class OrderQty:
    """How many of a pick line's pieces go to one order."""

    order_no: str
    qty: int


@dataclass(frozen=True)
class PickLine:
    bin: str
    sku: str
    name: str
    qty: int
    colour: str = ""
    size: str = ""
    orders: tuple[OrderQty, ...] = ()  # the per-order breakdown, printed when given


@dataclass(frozen=True)
class SkuTotal:
    sku: str
    name: str
    qty: int
    colour: str = ""
    size: str = ""


@dataclass(frozen=True)
class PickList:
    """A batch to pick. `lines` are already in bin walk order; `totals`, `total_qty` and
    `order_count` are the caller's sums. `printed_at` is shown as given (local time)."""

    batch_no: str
    printed_at: datetime
    lines: tuple[PickLine, ...]
    totals: tuple[SkuTotal, ...]
    total_qty: int
    order_count: int
    picker: str = ""


_PICK_COLUMNS = (
    Column("✓", 8, "center", False),
    Column("库位 Bin", 27, "left", True),
    Column("SKU 货号", 34, "left", True),
    Column("品名 Name", 0, "left", True),
    Column("颜色 Colour", 24, "left", True),
    Column("尺码 Size", 17, "left", True),
    Column("数量 Qty", 15, "right", False),
)
_TOTAL_COLUMNS = (
    Column("SKU 货号", 42, "left", True),
    Column("品名 Name", 0, "left", True),
    Column("颜色 Colour", 28, "left", True),
    Column("尺码 Size", 20, "left", True),
    Column("合计 Total", 18, "right", False),
)


def _sized(columns: tuple[Column, ...], width: float) -> tuple[Column, ...]:
    rest = width - sum(column.width for column in columns)
    return tuple(Column(c.title, c.width or rest, c.align, c.wrap) for c in columns)


def render_pick_list(data: PickList, *, size: PageSize = A4) -> bytes:
    """The pick list as an A4 PDF, as many pages as the batch takes.

    Raises LayoutError if one pick line alone is taller than a page, and for any size
    but A4.
    """
    if size.name != A4.name:
        raise LayoutError(f"the pick list prints on A4, not {size.name}")
    layout = PageLayout(size, MARGIN)
    body = layout.content
    header = plan_page_header(
        body,
        "拣货单 Pick list",
        (
            f"批次 Batch {data.batch_no}",
            f"打印 Printed {data.printed_at:%Y-%m-%d %H:%M}",
            f"订单 Orders {data.order_count} · 件数 Pieces {data.total_qty}"
            + (f" · 拣货员 Picker {data.picker}" if data.picker else ""),
        ),
        data.batch_no,
    )
    picks = _sized(_PICK_COLUMNS, body.width)
    totals = _sized(_TOTAL_COLUMNS, body.width)
    x = body.x

    def table_header(columns, style):
        return Piece(header_height(columns, style) + 1.0,
                     lambda canvas, top: draw_header(canvas, columns, x, top - 1.0, style),
                     what="table heading")

    def row_piece(columns, style, row: Row, heading: Piece, what: str, tick: bool = False):
        def draw(canvas: Canvas, top: float) -> None:
            draw_row(canvas, columns, x, top, row, style)
            if tick:  # the box to tick, on the first line of the row
                first = top - style.pad_y - ascent_mm(style.size) - descent_mm(style.size)
                checkbox(canvas, x + (columns[0].width - CHECK) / 2,
                         first + descent_mm(style.size) * 0.5, CHECK)
        return Piece(row.height, draw, header=heading, what=what)

    pieces: list[Piece] = []
    pick_header = table_header(picks, STYLE)
    for line in data.lines:
        note = " · ".join(f"{o.order_no} ×{o.qty}" for o in line.orders)
        row = plan_row(picks, ("", line.bin, line.sku, line.name, line.colour, line.size,
                               str(line.qty)), STYLE,
                       note=f"订单 Orders: {note}" if note else "")
        pieces.append(row_piece(picks, STYLE, row, pick_header, f"pick {line.sku} at {line.bin}",
                                tick=True))

    heading_h = 10.0
    pieces.append(Piece(
        heading_h,
        lambda canvas, top: draw_text(canvas, "按 SKU 合计 Totals per SKU", x,
                                      top - heading_h + 2.5, body.width, 12, 8, bold=True),
        keep_with_next=True, what="totals heading",
    ))
    totals_header = table_header(totals, TOTALS_STYLE)
    for total in data.totals:
        row = plan_row(totals, (total.sku, total.name, total.colour, total.size, str(total.qty)),
                       TOTALS_STYLE)
        pieces.append(row_piece(totals, TOTALS_STYLE, row, totals_header, f"total {total.sku}"))
    grand = plan_row(totals, ("", "合计 Total", "", "", str(data.total_qty)), TOTALS_STYLE,
                     bold=True)
    pieces.append(row_piece(totals, TOTALS_STYLE, grand, totals_header, "grand total"))

    out = io.BytesIO()
    canvas = new_canvas(out, size, title=f"拣货单 Pick list {data.batch_no}")
    draw_office_pages(canvas, header, body, pieces)
    canvas.save()
    return out.getvalue()
