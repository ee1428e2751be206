"""Reorder: products at or below their reorder point (警戒库存) become a purchase requisition (进货单).

Every product with a reorder point counts — goods for sale, and packaging and accessories
(tags, bags, gift items) alike, as long as they are in the catalog with a reorder point.
On hand is what sits in stock bins and at receiving (quarantine, packing and scrap do not
count: they cannot be sold). On order is what open POs still expect. The suggested quantity
brings on hand plus on order up to twice the reorder point. Lines are grouped by supplier.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.catalog.models import Product
from station.files.writer import excel_csv, safe_cell
from station.inbound.models import PurchaseOrder, PurchaseOrderLine, Receipt, ReceiptLine
from station.inventory.models import Balance, Location

USABLE_KINDS = ("stock", "receiving")
NO_SUPPLIER = "未指定供应商 No supplier"


@dataclass(frozen=True)
class RequisitionLine:
    sku: str
    name: str
    category: str
    on_hand: int
    reorder_point: int
    on_order: int
    suggested: int


@dataclass(frozen=True)
class SupplierGroup:
    supplier: str
    lines: tuple[RequisitionLine, ...]

    @property
    def suggested(self) -> int:
        return sum(l.suggested for l in self.lines)


def on_order(session: Session) -> dict[int, int]:
    """Product id -> units open POs still expect."""
    ordered = dict(session.execute(
        select(PurchaseOrderLine.product_id, func.sum(PurchaseOrderLine.qty))
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.po_id)
        .where(PurchaseOrder.status == "open").group_by(PurchaseOrderLine.product_id)).all())
    received = dict(session.execute(
        select(ReceiptLine.product_id, func.sum(ReceiptLine.received))
        .join(Receipt, Receipt.id == ReceiptLine.receipt_id).join(PurchaseOrder, PurchaseOrder.id == Receipt.po_id)
        .where(PurchaseOrder.status == "open").group_by(ReceiptLine.product_id)).all())
    return {pid: max(int(qty) - int(received.get(pid, 0)), 0) for pid, qty in ordered.items()}


def requisition(session: Session, suppliers: list[str] | None = None) -> list[SupplierGroup]:
    """What to reorder, by supplier (suppliers sorted, products by SKU); only the given suppliers if any."""
    usable = dict(session.execute(
        select(Balance.product_id, func.sum(Balance.qty)).join(Location, Location.id == Balance.location_id)
        .where(Location.kind.in_(USABLE_KINDS)).group_by(Balance.product_id)).all())
    coming = on_order(session)
    groups: dict[str, list[RequisitionLine]] = {}
    for p in session.scalars(select(Product).where(Product.reorder_point.is_not(None)).order_by(Product.sku)):
        have = int(usable.get(p.id, 0))
        if have > p.reorder_point:
            continue
        supplier = p.supplier or NO_SUPPLIER
        if suppliers and supplier not in suppliers:
            continue
        expected = coming.get(p.id, 0)
        name = " ".join(x for x in (p.name, p.colour, p.size) if x)
        groups.setdefault(supplier, []).append(RequisitionLine(
            p.sku, name, p.category or "", have, p.reorder_point, expected,
            max(2 * p.reorder_point - have - expected, 0)))
    return [SupplierGroup(s, tuple(groups[s])) for s in sorted(groups)]


def requisition_csv(groups: list[SupplierGroup]) -> str:
    """UTF-8 with BOM (Excel); text cells can never run as formulas."""
    return excel_csv(["supplier", "sku", "name", "category", "on_hand", "reorder_point", "on_order", "suggested_qty"],
                     ([safe_cell(g.supplier), safe_cell(l.sku), safe_cell(l.name), safe_cell(l.category),
                       l.on_hand, l.reorder_point, l.on_order, l.suggested] for g in groups for l in g.lines))


def requisition_number(when: datetime) -> str:
    return f"REQ-{when:%Y%m%d-%H%M}"


def render_requisition(groups: list[SupplierGroup], when: datetime, prepared_by: str = "") -> bytes:
    from station.printing.documents.requisition import render_requisition_document

    return render_requisition_document(groups, requisition_number(when), when, prepared_by)


def write_requisition(sessions, pdf_path, *, user: str = "") -> tuple[int, str | None]:
    """One user action (the office window): the requisition as PDF and, beside it, CSV.

    Returns (lines, csv path); nothing is written when nothing is at or below its reorder point."""
    from datetime import datetime as _dt
    from pathlib import Path

    from station.db import unit_of_work

    with unit_of_work(sessions) as s:
        groups = requisition(s)
    if not groups:
        return 0, None
    pdf = Path(pdf_path)
    pdf.write_bytes(render_requisition(groups, _dt.now().astimezone(), user))
    csv_path = pdf.with_suffix(".csv")
    csv_path.write_text(requisition_csv(groups), encoding="utf-8")
    return sum(len(g.lines) for g in groups), str(csv_path)
