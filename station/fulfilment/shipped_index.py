"""The lookup keys of shipped orders: written when an order is imported already shipped, when
Station packs it (parcel closed) and when it ships, so that a return's note finds its candidates
by index (``station.returns.matching`` reads them; fulfilment writes them as its orders leave)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from station.db import write_later
from station.fulfilment.models import MatchKey, Order, Parcel
from station.fulfilment.recipient_keys import order_keys

#: Orders that have left (or are about to leave) the building and may come back.
RETURNABLE = ("packed", "shipped", "delivered")


def index_orders(session: Session, order_ids: Iterable[int]) -> int:
    """(Re)write the keys of these orders; orders not (yet) shipped get none. Returns rows written."""
    ids = sorted(set(order_ids))
    written = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        session.flush()
        session.execute(delete(MatchKey).where(MatchKey.order_id.in_(chunk)))
        rows = session.execute(
            select(Order.id, Order.status, Order.recipient, Order.phone, Order.buyer_account, Order.shipped_at,
                   Order.delivered_at, Order.paid_at, Order.imported_at)
            .where(Order.id.in_(chunk), Order.status.in_(RETURNABLE))).all()
        closed = dict(session.execute(
            select(Parcel.order_id, func.max(Parcel.closed_at))
            .where(Parcel.order_id.in_(chunk), Parcel.status.in_(("closed", "shipped"))).group_by(Parcel.order_id)).all())
        values = []
        for r in rows:
            when = r.shipped_at or closed.get(r.id) or r.delivered_at or r.paid_at or r.imported_at \
                or datetime.now(timezone.utc)
            values += [dict(order_id=r.id, kind=k, key=v, shipped_at=when)
                       for k, v in order_keys(r.recipient, r.phone, r.buyer_account)]
        if values:
            session.execute(insert(MatchKey), values)
        written += len(values)
    return written


def reindex_all(session: Session) -> int:
    """Rebuild every key (after an upgrade of a database that already held shipped orders)."""
    session.execute(delete(MatchKey))
    ids = list(session.scalars(select(Order.id).where(Order.status.in_(RETURNABLE))))
    return index_orders(session, ids)


def index_order(session: Session, order: Order, shipped_at: datetime) -> None:
    """Keys of one order Station has just packed or shipped (the order is loaded already).

    On the pack bench's close path: Core statements, sent with the scan's other writes
    (``db.write_later``: one round trip on PostgreSQL)."""
    write_later(session, _DELETE_KEYS, {"oid": order.id})
    values = [dict(order_id=order.id, kind=k, key=v, shipped_at=shipped_at)
              for k, v in order_keys(order.recipient, order.phone, order.buyer_account)]
    if values:
        write_later(session, _INSERT_KEYS, values)


_KEYS = MatchKey.__table__
_DELETE_KEYS = delete(_KEYS).where(_KEYS.c.order_id == bindparam("oid"))
_INSERT_KEYS = insert(_KEYS).inline()  # inline: no RETURNING id (db.write_later)


def index_orders_by_number(session: Session, order_nos: Iterable[str]) -> int:
    """Keys of the orders of an import that arrived (or stayed) shipped."""
    numbers = list(order_nos)
    ids: list[int] = []
    for start in range(0, len(numbers), 500):
        ids += session.scalars(select(Order.id).where(Order.order_no.in_(numbers[start:start + 500]),
                                                      Order.status.in_(RETURNABLE)))
    return index_orders(session, ids)


def index_missing(session: Session) -> bool:
    """True for a database upgraded with shipped orders but no keys yet (they came before 0005)."""
    if session.scalar(select(MatchKey.id).limit(1)) is not None:
        return False
    return session.scalar(select(Order.id).where(Order.status.in_(RETURNABLE)).limit(1)) is not None
