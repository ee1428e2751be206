"""Courier handover (交接单): scan each parcel onto its courier's list, close, print, ship.

One open handover per courier. Closing marks the parcels shipped, moves their goods
packing location → customer through the ledger, marks orders whose parcels have all left as
shipped, and prints the handover list.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from station.files.writer import excel_csv, safe_cell
from station.fulfilment import packing
from station.fulfilment.models import Handover, Order, Parcel
from station.fulfilment.shipped_index import index_order
from station.i18n import _
from station.inventory import ledger
from station import outbox


class HandoverError(ValueError):
    code = "handover_error"


def _refuse(code: str, message: str) -> HandoverError:
    err = HandoverError(message)
    err.code = code
    return err


def open_handover(session: Session, courier: str, user: str | None) -> Handover:
    handover = session.scalar(select(Handover).where(Handover.courier == courier, Handover.status == "open"))
    if handover is None:
        now = datetime.now(timezone.utc)
        handover = Handover(handover_no=f"tmp-{uuid.uuid4().hex[:24]}", courier=courier, status="open", created_at=now,
                            created_by=user)
        session.add(handover)
        session.flush()
        handover.handover_no = f"H{now:%Y%m%d}-{courier}-{handover.id:04d}"  # from the id: unique everywhere
    return handover


def add_parcel(session: Session, tracking_no: str, *, current: Handover | None, user: str | None) -> tuple[Parcel, Handover]:
    """Put one parcel on the open handover of its courier (or on ``current``); see the codes raised."""
    parcel = session.scalar(select(Parcel).where(Parcel.tracking_no == tracking_no))
    if parcel is None:
        raise _refuse("unknown_parcel", _("No parcel with waybill {number}", number=tracking_no))
    if parcel.order.status == "cancelled":
        raise _refuse("order_cancelled", _("Order {order} was cancelled: take parcel {number} out",
                                           order=parcel.order.order_no, number=tracking_no))
    if parcel.status not in ("closed", "shipped"):
        raise _refuse("not_packed", _("Parcel {number} is not packed: it may not leave", number=tracking_no))
    if parcel.handover_id is not None:
        if current is not None and parcel.handover_id == current.id:
            raise _refuse("already_scanned", _("Parcel {number} is already on this list", number=tracking_no))
        other = session.get(Handover, parcel.handover_id)
        raise _refuse("already_handed_over", _("Parcel {number} is already on handover {handover}",
                                               number=tracking_no, handover=other.handover_no))
    if current is not None and parcel.courier != current.courier:
        raise _refuse("wrong_courier", _("Parcel {number} goes with {courier}, not on this {this} list",
                                         number=tracking_no, courier=parcel.courier, this=current.courier))
    handover = current or open_handover(session, parcel.courier, user)
    taken = session.execute(update(Parcel).where(Parcel.id == parcel.id, Parcel.handover_id.is_(None))
                            .values(handover_id=handover.id, listed_at=datetime.now(timezone.utc))
                            .execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        raise _refuse("already_handed_over", _("Parcel {number} was just put on another list", number=tracking_no))
    session.refresh(parcel)
    return parcel, handover


def remove_parcel(session: Session, tracking_no: str, handover: Handover) -> None:
    session.execute(update(Parcel).where(Parcel.tracking_no == tracking_no, Parcel.handover_id == handover.id)
                    .values(handover_id=None, listed_at=None).execution_options(synchronize_session=False))


def parcels_on(session: Session, handover: Handover) -> list[Parcel]:
    return list(session.scalars(select(Parcel).where(Parcel.handover_id == handover.id).order_by(Parcel.id)))


def listed(session: Session, handover: Handover, limit: int) -> list[tuple[str, str]]:
    """The list's last `limit` parcels, newest first: (tracking number, order number)."""
    return [tuple(row) for row in session.execute(
        select(Parcel.tracking_no, Order.order_no).join(Order, Order.id == Parcel.order_id)
        .where(Parcel.handover_id == handover.id).order_by(Parcel.listed_at.desc(), Parcel.id.desc()).limit(limit))]


def _waiting():
    """Parcels packed and on no list yet (an order cancelled since is no parcel to hand over)."""
    return (Parcel.status == "closed", Parcel.handover_id.is_(None), Parcel.tracking_no.is_not(None),
            Order.status != "cancelled")


def waiting(session: Session, courier: str, limit: int) -> tuple[int, list[tuple[str, str]]]:
    """How many of `courier`'s parcels are packed and on no list, and the oldest `limit` of them."""
    count = session.scalar(select(func.count(Parcel.id)).join(Order, Order.id == Parcel.order_id)
                           .where(Parcel.courier == courier, *_waiting())) or 0
    first = [tuple(row) for row in session.execute(
        select(Parcel.tracking_no, Order.order_no).join(Order, Order.id == Parcel.order_id)
        .where(Parcel.courier == courier, *_waiting()).order_by(Parcel.closed_at, Parcel.id).limit(limit))]
    return count, first


def couriers(session: Session) -> list[tuple[str, str | None, int, int]]:
    """Every courier with an open list or parcels waiting: (courier, open list, parcels on it, waiting)."""
    waiting_by = dict(session.execute(
        select(Parcel.courier, func.count(Parcel.id)).join(Order, Order.id == Parcel.order_id)
        .where(Parcel.courier.is_not(None), *_waiting()).group_by(Parcel.courier)).all())
    open_lists = session.execute(
        select(Handover.courier, Handover.handover_no, func.count(Parcel.id))
        .outerjoin(Parcel, Parcel.handover_id == Handover.id).where(Handover.status == "open")
        .group_by(Handover.id, Handover.courier, Handover.handover_no)).all()
    lines = {courier: (courier, number, on, waiting_by.get(courier, 0)) for courier, number, on in open_lists}
    for courier, count in waiting_by.items():
        lines.setdefault(courier, (courier, None, 0, count))
    return [lines[c] for c in sorted(lines)]


def close_handover(session: Session, handover: Handover, *, user: str | None, station: str | None) -> int:
    """Ship every parcel on the list and queue its print; returns the print job id.

    The list (交接单) is drawn and sent after the caller commits (``render_deferred``, which the
    bench runs on its printing thread after every scan that queued something): neither the
    drawing nor the printer is waited for inside the transaction.
    """
    parcels = parcels_on(session, handover)
    if not parcels:
        raise _refuse("handover_empty", _("The list is empty: scan the parcels first"))
    now = datetime.now(timezone.utc)
    for parcel in parcels:
        source = packing.packing_location(session, parcel.station)
        for item in parcel.items:
            ledger.move(session, ledger.Move(item.sku, item.qty, source.code, "CUSTOMER", "ship",
                                             document=parcel.tracking_no, user=user, station=station))
        parcel.status = "shipped"
    session.flush()
    for order in {p.order for p in parcels}:
        if all(p.status in ("shipped", "void") for p in order.parcels):
            order.status, order.shipped_at = "shipped", now
            order.tracking_no = order.tracking_no or next(p.tracking_no for p in order.parcels if p.status == "shipped")
            index_order(session, order, now)
    handover.status, handover.closed_at = "closed", now
    session.flush()
    return outbox.queue_rendering(session, "handover", handover.handover_no, user=user, station=station)


# --- shipment confirmations for the shop --------------------------------------------

@dataclass(frozen=True)
class Shipment:
    order_no: str
    courier: str
    tracking_no: str
    shipped_at: datetime


def shipments(session: Session, since: datetime | None = None) -> list[Shipment]:
    stmt = (select(Order.order_no, Parcel.courier, Parcel.tracking_no, Order.shipped_at)
            .join(Parcel, Parcel.order_id == Order.id)
            .where(Parcel.status == "shipped").order_by(Order.shipped_at, Order.order_no, Parcel.seq))
    if since:
        stmt = stmt.where(Order.shipped_at >= since)
    return [Shipment(*row) for row in session.execute(stmt)]


def shipments_csv(rows: list[Shipment]) -> str:
    """Generic shipment confirmation: order_no, courier, tracking_no, shipped_at (UTF-8 with BOM for Excel)."""
    return excel_csv(["order_no", "courier", "tracking_no", "shipped_at"],
                     ([safe_cell(r.order_no), safe_cell(r.courier), safe_cell(r.tracking_no),
                       r.shipped_at.isoformat() if r.shipped_at else ""] for r in rows))
