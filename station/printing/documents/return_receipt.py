"""The return receipt (退货验收单) and the refusal note of a freight-collect parcel (到付拒收单), A4.

The receipt: one row per returned unit (SKU, item, why it came back, the policy's decision, who
pays the postage, where it went), the refund amount and the signatures. The refusal note says
which parcel was refused and why, for the courier to take back. Every value is the caller's.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from station.printing.documents.table_document import TableDocument, TableSection, render_table_document
from station.printing.tables import Column


@dataclass(frozen=True)
class ReturnReceiptLine:
    sku: str
    name: str
    reason: str
    decision: str
    postage: str
    place: str


@dataclass(frozen=True)
class ReturnReceiptDoc:
    receipt_no: str
    order_no: str
    tracking: str
    buyer: str
    type: str
    received_at: datetime
    received_by: str
    lines: tuple[ReturnReceiptLine, ...]
    amount: str
    postage: str
    exchange_order_no: str = ""


@dataclass(frozen=True)
class RefusalNote:
    receipt_no: str
    tracking: str
    refused_at: datetime
    refused_by: str
    reason: str


COLUMNS = (Column("SKU 商家编码", 30, "left", True), Column("品名 Item", 0, "left", True),
           Column("原因 Reason", 26, "left", True), Column("判定 Decision", 52, "left", True),
           Column("运费 Postage", 16, "left", False), Column("去向 Place", 24, "left", True))


def render_return_receipt(doc: ReturnReceiptDoc) -> bytes:
    rows = tuple((l.sku, l.name, l.reason, l.decision, l.postage, l.place) for l in doc.lines)
    facts = (f"订单 Order {doc.order_no}", f"退货运单 Return tracking {doc.tracking or '-'}",
             f"买家 Buyer {doc.buyer}", f"类型 Type {doc.type}",
             f"验收 Received {doc.received_at:%Y-%m-%d %H:%M} · {doc.received_by}")
    if doc.exchange_order_no:
        facts += (f"换货新单 Exchange order {doc.exchange_order_no}",)
    return render_table_document(TableDocument(
        "退货验收单 Return receipt", facts, doc.receipt_no, COLUMNS, (TableSection("", rows),),
        summary=f"共 {len(rows)} 件 · 退款 Refund {doc.amount} · 退货运费 Return postage: {doc.postage}",
        signatures=("验收 Received by", "日期 Date", "客服 Customer service", "日期 Date")))


REFUSAL_COLUMNS = (Column("退货运单 Return tracking", 60, "left", False), Column("原因 Reason", 0, "left", True))


def render_refusal_note(note: RefusalNote) -> bytes:
    return render_table_document(TableDocument(
        "到付拒收单 Freight-collect parcel refused",
        (f"运单 Tracking {note.tracking or '-'}", f"日期 Date {note.refused_at:%Y-%m-%d %H:%M}",
         f"经办 Refused by {note.refused_by}"),
        note.receipt_no, REFUSAL_COLUMNS, (TableSection("", ((note.tracking or "-", note.reason),)),),
        summary="本店不接受到付退货，请快递员带回 · We do not accept freight-collect returns: please take it back",
        signatures=("仓库 Warehouse", "快递员 Courier")))
