"""Build any document from the database by its IDs, for ``station print`` and reprints.

Each builder loads plain data and hands it to a layout in ``station.printing.documents``;
an unknown ID is refused with its name, before anything is drawn.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.catalog.models import Barcode, Courier, Product
from station.fulfilment import packing
from station.fulfilment.models import Handover, Order, Parcel, PickBatch
from station.i18n import _
from station.inventory.models import Location
from station.printing import units
from station.printing.documents.labels import LABEL_100x50

DOCUMENTS = ("packing-slip", "waybill", "product-label", "location-label", "pick-list", "handover",
             "receiving-note", "count-sheet", "variance-report", "write-off", "return-receipt", "requisition",
             "monthly-summary", "return-refusal")
SIZES = {"A4": units.A4, "A5": units.A5, "100x180": units.WAYBILL_100x180, "76x130": units.WAYBILL_76x130,
         "4x6": units.LABEL_4x6IN, "40x30": units.LABEL_40x30, "50x30": units.LABEL_50x30,
         "100x50": LABEL_100x50}


def page_size(session: Session, document: str, size: str | None = None) -> units.PageSize | None:
    """The size asked for, else the one set for the document in the printer settings."""
    from station.printing.outbox import paper_for

    name = size or paper_for(session, document)
    if name is None:
        return None
    if name not in SIZES:
        raise DocumentError(_("Unknown size {size}; sizes: {sizes}", size=name, sizes=", ".join(SIZES)))
    return SIZES[name]


class DocumentError(ValueError):
    code = "document_error"


def _orders(session: Session, ids: list[str]) -> list[Order]:
    found = {o.order_no: o for o in session.scalars(select(Order).where(Order.order_no.in_(ids)))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise DocumentError(_("No order {order}", order=", ".join(missing)))
    return [found[i] for i in ids]


def build(session: Session, document: str, ids: list[str], size: str | None = None) -> bytes:
    page = page_size(session, document, size)
    kw = {"size": page} if page else {}
    if document == "packing-slip":
        from station.fulfilment.batches import packing_slip_data
        from station.printing.documents.packing_slips import render_packing_slips

        return render_packing_slips([packing_slip_data(session, o) for o in _orders(session, ids)], **kw)
    if document == "waybill":
        from station.printing.documents.waybill import render_waybills

        docs = []
        for order in _orders(session, ids):
            parcels = [p for p in order.parcels if p.status in ("printed", "closed", "shipped") and p.tracking_no]
            if not parcels:
                raise DocumentError(_("Order {order_no} has no waybill yet", order_no=order.order_no))
            docs += packing.waybill_documents(session, order, parcels)
        return render_waybills(docs, **kw)
    if document == "product-label":
        from station.printing.documents.labels import ProductLabel, render_product_labels

        labels = []
        for sku in ids:
            product = session.scalar(select(Product).where(Product.sku == sku))
            if product is None:
                raise DocumentError(_("Unknown SKU {sku}", sku=sku))
            code = session.scalar(select(Barcode.code).where(Barcode.product_id == product.id,
                                                             Barcode.pack_qty == 1).order_by(Barcode.code).limit(1))
            labels.append(ProductLabel(sku, product.name, code or sku, product.colour or "", product.size or ""))
        return render_product_labels(labels, **kw)
    if document == "location-label":
        from station.printing.documents.labels import LocationLabel, render_location_labels

        labels = []
        for code in ids:
            location = session.scalar(select(Location).where(Location.code == code))
            if location is None:
                raise DocumentError(_("Unknown location {code}", code=code))
            labels.append(LocationLabel(code, location.zone or "", location.kind))
        return render_location_labels(labels, **kw)
    if document == "pick-list":
        from station.fulfilment.batches import pick_lines
        from station.printing.documents.pick_list import PickList, render_pick_list

        [number] = ids
        batch = session.scalar(select(PickBatch).where(PickBatch.batch_no == number))
        if batch is None:
            raise DocumentError(_("No batch {batch}", batch=number))
        orders = list(session.scalars(select(Order).where(Order.batch_id == batch.id).order_by(Order.id)))
        rows, totals = pick_lines(session, orders)
        return render_pick_list(PickList(batch.batch_no, batch.created_at.astimezone(), tuple(rows), tuple(totals),
                                         sum(t.qty for t in totals), len(orders), batch.created_by or ""), **kw)
    if document == "handover":
        from station.printing.documents.handover import Handover as HandoverDoc
        from station.printing.documents.handover import HandoverParcel, render_handover

        [number] = ids
        handover = session.scalar(select(Handover).where(Handover.handover_no == number))
        if handover is None:
            raise DocumentError(_("No handover {handover}", handover=number))
        parcels = list(session.scalars(select(Parcel).where(Parcel.handover_id == handover.id).order_by(Parcel.id)))
        courier = session.get(Courier, handover.courier)
        return render_handover(HandoverDoc(
            handover.handover_no, f"{courier.name_zh} {courier.name_en}" if courier else handover.courier,
            (handover.closed_at or handover.created_at).astimezone(),
            tuple(HandoverParcel(p.tracking_no, p.order.order_no) for p in parcels), len(parcels),
            warehouse=packing.sender_contact(session, None).name), **kw)
    if document == "requisition":
        from datetime import datetime as _dt

        from station.inbound.reorder import render_requisition, requisition

        groups = requisition(session, None if ids == ["all"] else ids)
        if not groups:
            raise DocumentError(_("Nothing is at or below its reorder point"))
        return render_requisition(groups, _dt.now().astimezone())
    if document == "monthly-summary":
        from station.inbound.monthly import monthly_summary, render_summary

        [month] = ids
        return render_summary(monthly_summary(session, month))
    if document == "receiving-note":
        from station.inbound.notes import receiving_note_data
        from station.inbound.receiving import find_receipt
        from station.printing.documents.receiving_note import render_receiving_note

        [number] = ids
        receipt = find_receipt(session, number)
        if receipt is None:
            raise DocumentError(_("No receipt {receipt}", receipt=number))
        return render_receiving_note(receiving_note_data(session, receipt,
                                                         packing.sender_contact(session, None).name), **kw)
    if document in ("return-receipt", "return-refusal"):
        from station.returns import documents as returns_documents

        [number] = ids
        try:
            if document == "return-receipt":
                return returns_documents.render_receipt(session, number)
            return returns_documents.render_refusal(session, number)
        except returns_documents.ReturnDocumentError as exc:
            raise DocumentError(str(exc)) from exc
    if document in ("count-sheet", "variance-report", "write-off"):
        from station.inventory import count_documents as cd
        from station.inventory.counts import CountError
        from station.printing.documents import stock_count

        [number] = ids
        warehouse = packing.sender_contact(session, None).name
        try:
            if document == "count-sheet":
                return stock_count.render_count_sheet(cd.count_sheet_data(session, number, warehouse), **kw)
            if document == "variance-report":
                return stock_count.render_variance_report(cd.variance_report_data(session, number, warehouse), **kw)
            return stock_count.render_write_off(cd.write_off_data(session, number, warehouse), **kw)
        except CountError as exc:
            raise DocumentError(str(exc)) from exc
    raise DocumentError(_("Unknown document {document}; documents: {documents}", document=document,
                          documents=", ".join(DOCUMENTS)))
