"""The order printer's documents: packing slip, waybill, pick list, courier handover list (交接单)."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.catalog.models import Courier
from station.db import read_only, session_factory
from station.outbox.registry import DocumentError, page_size
from station.fulfilment import packing
from station.fulfilment import packed_numbers as numbers
from station.fulfilment.batches import packing_slip_data, pick_lines, unprintable_fields
from station.fulfilment.models import Handover, Order, Parcel, PickBatch
from station.i18n import _
from station.printing.documents.handover import Handover as HandoverDoc
from station.printing.documents.handover import HandoverParcel, render_handover
from station.printing.documents.packing_slip import render_packing_slip
from station.printing.documents.packing_slips import render_packing_slips
from station.printing.documents.pick_list import PickList, render_pick_list
from station.printing.documents.waybill import render_waybills


def _printable(order: Order) -> Order:
    """The order, or DocumentError when its recipient has a character no print font has: its
    waybill must not print with a gap where the courier needs a name (`batches` holds such
    orders before a batch prints; this stops a single order's waybill at the pack bench)."""
    problem = unprintable_fields(order)
    if problem:
        raise DocumentError(_("Order {order_no} is not printed: no print font has these characters: {what}",
                              order_no=order.order_no, what=problem))
    return order


def _size(page) -> dict:
    return {"size": page} if page else {}


def _orders(session: Session, ids: list[str]) -> list[Order]:
    found = {o.order_no: o for o in session.scalars(select(Order).where(Order.order_no.in_(ids)))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise DocumentError(_("No order {order}", order=", ".join(missing)))
    return [found[i] for i in ids]


def packing_slips(session: Session, ids: list[str], page) -> bytes:
    return render_packing_slips([packing_slip_data(session, o) for o in _orders(session, ids)], **_size(page))


def waybills(session: Session, ids: list[str], page) -> bytes:
    docs = []
    for order in _orders(session, ids):
        parcels = [p for p in order.parcels if p.status in ("printed", "closed", "shipped") and p.tracking_no]
        if not parcels:
            raise DocumentError(_("Order {order_no} has no waybill yet", order_no=order.order_no))
        docs += packing.waybill_documents(session, _printable(order), parcels)
    return render_waybills(docs, **_size(page))


def pick_list(session: Session, ids: list[str], page) -> bytes:
    [number] = ids
    return render_pick_list(pick_list_data(session, number), **_size(page))


def handover_list(session: Session, ids: list[str], page) -> bytes:
    [number] = ids
    return render_handover(handover_data(session, number), **_size(page))


def _batch_orders(session: Session, number: str) -> list[Order] | None:
    """The orders of batch `number` (a batch's documents are filed under its number), or None."""
    batch = session.scalar(select(PickBatch).where(PickBatch.batch_no == number))
    if batch is None:
        return None
    return list(session.scalars(select(Order).where(Order.batch_id == batch.id).order_by(Order.id)))


def pick_list_data(session: Session, batch_no: str) -> PickList:
    batch = session.scalar(select(PickBatch).where(PickBatch.batch_no == batch_no))
    if batch is None:
        raise DocumentError(_("No batch {batch}", batch=batch_no))
    orders = list(session.scalars(select(Order).where(Order.batch_id == batch.id).order_by(Order.id)))
    rows, totals = pick_lines(session, orders)
    return PickList(batch.batch_no, batch.created_at.astimezone(), tuple(rows), tuple(totals),
                    sum(t.qty for t in totals), len(orders), batch.created_by or "")


def batch_pick_list(session: Session, batch_no: str, reprint: bool) -> Callable[[], bytes]:
    """A batch's pick list (a deferred ``pick-list`` job), drawn by the returned call."""
    pick = pick_list_data(session, batch_no)
    return lambda: render_pick_list(pick)


def closed_handover(session: Session, handover_no: str, reprint: bool) -> Callable[[], bytes]:
    """A closed handover's list (交接单, a deferred ``handover`` job), drawn by the returned call."""
    data = handover_data(session, handover_no)
    return lambda: render_handover(data)


def handover_data(session: Session, number: str) -> HandoverDoc:
    handover = session.scalar(select(Handover).where(Handover.handover_no == number))
    if handover is None:
        raise DocumentError(_("No handover {handover}", handover=number))
    parcels = list(session.scalars(select(Parcel).where(Parcel.handover_id == handover.id).order_by(Parcel.id)))
    courier = session.get(Courier, handover.courier)
    return HandoverDoc(
        handover.handover_no, f"{courier.name_zh} {courier.name_en}" if courier else handover.courier,
        (handover.closed_at or handover.created_at).astimezone(),
        tuple(HandoverParcel(p.tracking_no, p.order.order_no) for p in parcels), len(parcels),
        warehouse=packing.sender_contact(session, None).name)


def order_waybills(session: Session, order_no: str, reprint: bool) -> Callable[[], bytes]:
    """The waybills of every packed parcel of the order (a deferred ``waybill`` job), or of every
    order of a batch when `order_no` is a batch number: read now, drawn by the returned call
    once the transaction is over."""
    order = packing.find_order(session, order_no)
    batch = _batch_orders(session, order_no) if order is None else None
    if batch is not None:
        documents = [d for o in batch for p in o.parcels if p.status == "printed" and p.tracking_no
                     for d in packing.waybill_documents(session, _printable(o), [p], reprint=reprint)]
        if not documents:
            raise DocumentError(_("Batch {batch} has no waybills", batch=order_no))
        size = page_size(session, "waybill")
        return lambda: render_waybills(documents, size=size)
    if order is None:
        raise packing.PackError(_("No order {order}", order=order_no))
    if numbers.awaiting_service(_printable(order)):
        return _issue_then_draw(session_factory(session.get_bind()), order_no, reprint)
    parcels = packing.parcels_of(session, order) or [p for p in order.parcels if p.status == "printed"]
    if not parcels:
        raise packing.PackError(_("Order {order_no} has no waybill yet", order_no=order_no))
    documents, size = (packing.waybill_documents(session, _printable(order), parcels, reprint=reprint),
                       page_size(session, "waybill"))
    return lambda: render_waybills(documents, size=size)


def _issue_then_draw(sessions, order_no: str, reprint: bool) -> Callable[[], bytes]:
    """A packed order whose shop's e-waybill service has not numbered its parcels yet (the pack
    bench closed them without waiting): the returned call, run after the job's read is over and
    off the scan's path (the outbox's printing thread), asks the service, writes the numbers, then
    draws the waybills. If the service gives none, the job fails with the service's reason."""
    def draw() -> bytes:
        numbers.issue_for_closed(sessions, order_no)  # no transaction open while the service answers
        with read_only(sessions) as s:
            if numbers.awaiting_service(packing.find_order(s, order_no)):  # asked, and still none
                raise DocumentError(_("Order {order_no} has no waybill yet", order_no=order_no))
            made = order_waybills(s, order_no, reprint)
        return made()
    return draw


def order_slip(session: Session, order_no: str, reprint: bool) -> Callable[[], bytes]:
    """The order's packing slip (a deferred ``packing-slip`` job), or the slips of every order of
    a batch when `order_no` is a batch number, drawn by the returned call."""
    order = packing.find_order(session, order_no)
    batch = _batch_orders(session, order_no) if order is None else None
    if batch is not None:
        slips, size = [packing_slip_data(session, o) for o in batch], page_size(session, "packing-slip")
        return lambda: render_packing_slips(slips, size=size)
    if order is None:
        raise packing.PackError(_("No order {order}", order=order_no))
    data, size = packing_slip_data(session, order), page_size(session, "packing-slip")
    return lambda: render_packing_slip(data, size=size)


BUILDERS = {"packing-slip": packing_slips, "waybill": waybills, "pick-list": pick_list,
            "handover": handover_list}
DEFERRED = {"waybill": order_waybills, "packing-slip": order_slip, "pick-list": batch_pick_list,
            "handover": closed_handover}
