"""The receiving clerk's and the supervisor's documents: product and location labels, receiving
note (入库单), purchase requisition (进货单), monthly in/out/stock summary (进销存)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.catalog.models import Barcode, Product
from station.outbox.registry import DocumentError, page_size
from station.fulfilment import packing
from station.i18n import _
from station.inbound.labels import MAX_LABELS
from station.inbound.models import Receipt
from station.inbound.monthly import monthly_summary, render_summary
from station.inbound.receiving import find_receipt
from station.inbound.reorder import render_requisition, requisition
from station.inventory.models import Location
from station.printing.documents.labels import (LocationLabel, ProductLabel, render_location_labels,
                                               render_product_labels)
from station.printing.documents.receiving_note import ReceivingNote, ReceivingNoteLine, render_receiving_note

QC_TEXT = {"pass": "合格 pass", "fail": "不合格 fail", "partial": "部分不合格 partial"}


def _size(page) -> dict:
    return {"size": page} if page else {}


def product_labels(session: Session, ids: list[str], page) -> bytes:
    labels = []
    for sku in ids:
        product = session.scalar(select(Product).where(Product.sku == sku))
        if product is None:
            raise DocumentError(_("Unknown SKU {sku}", sku=sku))
        code = session.scalar(select(Barcode.code).where(Barcode.product_id == product.id,
                                                         Barcode.pack_qty == 1).order_by(Barcode.code).limit(1))
        labels.append(ProductLabel(sku, product.name, code or sku, product.colour or "", product.size or ""))
    return render_product_labels(labels, **_size(page))


def location_labels(session: Session, ids: list[str], page) -> bytes:
    labels = []
    for code in ids:
        location = session.scalar(select(Location).where(Location.code == code))
        if location is None:
            raise DocumentError(_("Unknown location {code}", code=code))
        labels.append(LocationLabel(code, location.zone or "", location.kind))
    return render_location_labels(labels, **_size(page))


def receiving_note_data(session: Session, receipt: Receipt, warehouse: str = "") -> ReceivingNote:
    lines = []
    for l in receipt.lines:
        p = l.product
        qc = QC_TEXT.get(l.qc_result or "", "未检 not checked")
        if l.qc_reason:
            qc += f": {l.qc_reason}"
        by_lot: dict[tuple[str, str], int] = {}
        for lot in l.lots:
            key = (lot.batch or "-", lot.expiry.isoformat() if lot.expiry else "-")
            by_lot[key] = by_lot.get(key, 0) + lot.qty
        lots = "; ".join(f"{batch} {expiry} ×{qty}" for (batch, expiry), qty in by_lot.items())
        lines.append(ReceivingNoteLine(p.sku, " ".join(x for x in (p.name, p.colour, p.size) if x), l.expected,
                                       l.received, l.accepted, l.quarantined, qc, lots))
    return ReceivingNote(
        receipt.receipt_no, receipt.po.po_no if receipt.po else "", receipt.supplier,
        (receipt.closed_at or receipt.opened_at).astimezone(), receipt.opened_by or "", tuple(lines),
        sum(l.expected for l in lines), sum(l.received for l in lines), sum(l.accepted for l in lines),
        sum(l.quarantined for l in lines), receipt.blind_reason or "", warehouse)


def receiving_note(session: Session, ids: list[str], page) -> bytes:
    [number] = ids
    receipt = find_receipt(session, number)
    if receipt is None:
        raise DocumentError(_("No receipt {receipt}", receipt=number))
    return render_receiving_note(receiving_note_data(session, receipt, packing.sender_contact(session, None).name),
                                 **_size(page))


def requisition_list(session: Session, ids: list[str], page) -> bytes:
    groups = requisition(session, None if ids == ["all"] else ids)
    if not groups:
        raise DocumentError(_("Nothing is at or below its reorder point"))
    return render_requisition(groups, datetime.now().astimezone())


def summary(session: Session, ids: list[str], page) -> bytes:
    [month] = ids
    return render_summary(monthly_summary(session, month))


def note_of_receipt(session: Session, receipt_no: str, _reprint: bool = False) -> bytes:
    """The receiving note of a receipt the bench closed (a deferred ``receiving-note`` job)."""
    receipt = find_receipt(session, receipt_no)
    if receipt is None:
        raise DocumentError(_("No receipt {receipt}", receipt=receipt_no))
    return render_receiving_note(receiving_note_data(session, receipt))


def labels_received(session: Session, reference: str, _reprint: bool = False) -> bytes:
    """Labels for goods received (a deferred ``product-label`` job): the reference is ``SKU*QTY``
    (a label per unit) or ``SKU*QTY*CASES`` (a label per case, with the case's barcode)."""
    sku, qty, *cases = reference.rsplit("*", 2) if reference.count("*") >= 2 else reference.rsplit("*", 1)
    n = int(cases[0]) if cases else int(qty)
    if not 0 < n <= MAX_LABELS:
        raise ValueError(_("Between 1 and {max} labels at a time, not {n}", max=MAX_LABELS, n=n))
    if not cases:
        return product_labels(session, [sku] * n, page_size(session, "product-label"))
    product = session.scalar(select(Product).where(Product.sku == sku))
    if product is None:
        raise ValueError(_("Unknown SKU {sku}", sku=sku))
    per = int(qty) // n
    code = session.scalar(select(Barcode.code).where(Barcode.product_id == product.id, Barcode.pack_qty == per)
                          .order_by(Barcode.code).limit(1))
    label = ProductLabel(sku, f"{product.name} ×{per}", code or sku, product.colour or "", product.size or "")
    return render_product_labels([label] * n)


BUILDERS = {"product-label": product_labels, "location-label": location_labels, "receiving-note": receiving_note,
            "requisition": requisition_list, "monthly-summary": summary}
DEFERRED = {"receiving-note": note_of_receipt, "product-label": labels_received}
