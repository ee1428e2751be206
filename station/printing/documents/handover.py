"""The courier handover list (快递交接单), A4: what the courier took away, and both signatures.

Every page: courier, handover number and its barcode, time, parcel count (and total
weight when known), page count. Then one row per parcel — number, tracking number,
order number, weight when any parcel has one. At the foot of the last page the count
the courier confirms and the lines where the warehouse (交接人) and the courier
(快递员签字) sign and date.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from reportlab.pdfgen.canvas import Canvas

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
STYLE = TableStyle(size=10, header_size=9, min_size=7, pad_y=0.9)
SIGN_SIZE = 10.0


@dataclass(frozen=True)
class HandoverParcel:
    tracking_no: str
    order_no: str = ""
    weight_kg: Decimal | None = None


@dataclass(frozen=True)
class Handover:
    """One handover to a courier. `parcel_count` and `total_weight_kg` are the caller's
    sums; `handed_over_at` is shown as given (local time)."""

    handover_no: str
    courier_name: str
    handed_over_at: datetime
    parcels: tuple[HandoverParcel, ...]
    parcel_count: int
    total_weight_kg: Decimal | None = None
    warehouse: str = ""  # "小满服饰 杭州余杭仓 Hangzhou Yuhang warehouse"


def render_handover(data: Handover, *, size: PageSize = A4) -> bytes:
    """The handover list as an A4 PDF, as many pages as the parcels take.

    Raises LayoutError for any size but A4.
    """
    if size.name != A4.name:
        raise LayoutError(f"the handover list prints on A4, not {size.name}")
    layout = PageLayout(size, MARGIN)
    body = layout.content
    facts = [
        f"快递公司 Courier {data.courier_name}",
        f"交接单号 Handover No. {data.handover_no}",
        f"交接时间 Time {data.handed_over_at:%Y-%m-%d %H:%M}",
        f"包裹数 Parcels {data.parcel_count}"
        + (f" · 总重 Total weight {_kg(data.total_weight_kg)} kg"
           if data.total_weight_kg is not None else ""),
    ]
    if data.warehouse:
        facts.insert(0, f"发货仓 Warehouse {data.warehouse}")
    header = plan_page_header(body, "快递交接单 Courier handover list", facts,
                              data.handover_no)

    with_weight = any(parcel.weight_kg is not None for parcel in data.parcels)
    columns = [Column("序号 No.", 16, "right", False),
               Column("运单号 Tracking No.", 70, "left", False),
               Column("订单号 Order No.", 0, "left", True)]
    if with_weight:
        columns.append(Column("重量 Weight (kg)", 30, "right", False))
    rest = body.width - sum(column.width for column in columns)
    columns = tuple(Column(c.title, c.width or rest, c.align, c.wrap) for c in columns)
    x = body.x

    heading = Piece(header_height(columns, STYLE) + 1.0,
                    lambda canvas, top: draw_header(canvas, columns, x, top - 1.0, STYLE),
                    what="table heading")
    pieces: list[Piece] = []
    for number, parcel in enumerate(data.parcels, start=1):
        cells = [str(number), parcel.tracking_no, parcel.order_no]
        if with_weight:
            cells.append(_kg(parcel.weight_kg) if parcel.weight_kg is not None else "")
        row = plan_row(columns, cells, STYLE, shade=number % 2 == 0)
        pieces.append(Piece(row.height, _row_drawer(columns, x, row), header=heading,
                            what=f"parcel {parcel.tracking_no}"))
    pieces.append(_signatures(data, body))

    out = io.BytesIO()
    canvas = new_canvas(out, size, title=f"快递交接单 Handover {data.handover_no}")
    draw_office_pages(canvas, header, body, pieces)
    canvas.save()
    return out.getvalue()


def _row_drawer(columns, x, row):
    def draw(canvas: Canvas, top: float) -> None:
        draw_row(canvas, columns, x, top, row, STYLE)
    return draw


def _signatures(data: Handover, body: Box) -> Piece:
    return signature_box(body, f"共 {data.parcel_count} 件，请快递员当面点清 · "
                               f"{data.parcel_count} parcels: courier, please count them on the spot", (
        ("实收件数 Parcels received", "异常 Exceptions"),
        ("交接人 Handed over by (仓库 Warehouse)", "日期 Date"),
        ("快递员签字 Courier signature", "日期 Date"),
    ), SIGN_SIZE)


def _kg(weight: Decimal) -> str:
    return f"{weight:.2f}"
