"""The receiving note (入库单), A4: what came from the supplier against the PO, and what was accepted.

Printed as two copies, each starting on its own page: the warehouse copy (仓库联) and the
finance copy (财务联), which finance matches with the supplier's invoice. Every page: the
receipt number and its barcode, PO, supplier, date, the copy's name, page count. One row per
line: SKU, item, expected, received, accepted, quarantined, the quality check and its reason,
batches and expiry dates. Totals, then the keeper's (仓管员) and the supervisor's (主管)
signatures on the last page of each copy. Every figure is the caller's; nothing is computed here.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

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
STYLE = TableStyle(size=9, header_size=8, min_size=6.5, pad_y=0.9)
SIGN_SIZE = 10.0
COPIES = ("仓库联 Warehouse copy", "财务联 Finance copy")


@dataclass(frozen=True)
class ReceivingNoteLine:
    sku: str
    name: str
    expected: int
    received: int
    accepted: int
    quarantined: int
    qc: str = ""  # "合格 pass", "部分不合格 partial: 破损 damaged", ...
    lots: str = ""  # "LOT-A 2028-06-30 ×48"


@dataclass(frozen=True)
class ReceivingNote:
    receipt_no: str
    po_no: str  # "" for a blind receipt
    supplier: str
    received_at: datetime
    keeper: str
    lines: tuple[ReceivingNoteLine, ...]
    total_expected: int
    total_received: int
    total_accepted: int
    total_quarantined: int
    blind_reason: str = ""
    warehouse: str = ""


def render_receiving_note(data: ReceivingNote, *, size: PageSize = A4) -> bytes:
    """Both copies in one A4 PDF. Raises LayoutError for any size but A4."""
    if size.name != A4.name:
        raise LayoutError(f"the receiving note prints on A4, not {size.name}")
    layout = PageLayout(size, MARGIN)
    body = layout.content
    columns = [Column("序号 No.", 11, "right", False), Column("SKU 商家编码", 34, "left", True),
               Column("品名 Item", 0, "left", True), Column("应收 Expected", 17, "right", False),
               Column("实收 Received", 17, "right", False), Column("合格 Accepted", 17, "right", False),
               Column("隔离 Quarantine", 18, "right", False), Column("质检 QC", 34, "left", True)]
    rest = body.width - sum(c.width for c in columns)
    columns = tuple(Column(c.title, c.width or rest, c.align, c.wrap) for c in columns)
    out = io.BytesIO()
    canvas = new_canvas(out, size, title=f"入库单 Receiving note {data.receipt_no}")
    for copy in COPIES:
        facts = [f"{copy} · 入库单号 Receipt No. {data.receipt_no}",
                 f"采购单 PO {data.po_no}" if data.po_no else f"无采购单 Blind receipt: {data.blind_reason}",
                 f"供应商 Supplier {data.supplier}",
                 f"收货日期 Received {data.received_at:%Y-%m-%d %H:%M} · 仓管员 Keeper {data.keeper}"]
        if data.warehouse:
            facts.insert(0, f"仓库 Warehouse {data.warehouse}")
        header = plan_page_header(body, "入库单 Receiving note", facts, data.receipt_no)
        heading = Piece(header_height(columns, STYLE) + 1.0,
                        lambda c, top: draw_header(c, columns, body.x, top - 1.0, STYLE), what="table heading")
        pieces: list[Piece] = []
        for number, line in enumerate(data.lines, start=1):
            qc = line.qc + (f" · {line.lots}" if line.lots else "")
            cells = [str(number), line.sku, line.name, str(line.expected), str(line.received), str(line.accepted),
                     str(line.quarantined), qc]
            row = plan_row(columns, cells, STYLE, shade=number % 2 == 0)
            pieces.append(Piece(row.height, _row_drawer(columns, body.x, row), header=heading,
                                what=f"line {line.sku}"))
        total = plan_row(columns, ["", "合计 Total", "", str(data.total_expected), str(data.total_received),
                                   str(data.total_accepted), str(data.total_quarantined), ""], STYLE)
        pieces.append(Piece(total.height, _row_drawer(columns, body.x, total), header=heading, what="totals"))
        pieces.append(_signatures(data, body))
        draw_office_pages(canvas, header, body, pieces)
    canvas.save()
    return out.getvalue()


def _row_drawer(columns, x, row):
    def draw(canvas: Canvas, top: float) -> None:
        draw_row(canvas, columns, x, top, row, STYLE)
    return draw


def _signatures(data: ReceivingNote, body: Box) -> Piece:
    return signature_box(
        body, f"实收 {data.total_received} 件，合格入库 {data.total_accepted} 件，隔离 {data.total_quarantined} 件 · "
              f"{data.total_received} received, {data.total_accepted} accepted, {data.total_quarantined} quarantined",
        (("仓管员 Keeper", "日期 Date"), ("主管 Supervisor", "日期 Date")), SIGN_SIZE)
