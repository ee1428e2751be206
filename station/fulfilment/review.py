"""What the office screens ask before acting: how many ready orders a batch would take, which
couriers and shops have ready orders, and the supervisor's numbers in one read.

Plain values out (frozen dataclasses, ints, strings), no ORM objects, no Qt: the screens
show these and call the services in `orders` and `batches` to act.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from station.catalog.models import Courier
from station.db import unit_of_work
from station.fulfilment.batches import BatchCriteria
from station.fulfilment.kpi import LateOrder, PackerHour, late_orders, packer_hours
from station.fulfilment.models import Order, OrderLine


def _ready_filters(c: BatchCriteria):
    """The conditions of `batches.select_ready` without the limit: keep the two in step."""
    units = (select(OrderLine.order_id, func.sum(OrderLine.qty).label("units"))
             .group_by(OrderLine.order_id).subquery())
    stmt = (select(Order.id).join(units, units.c.order_id == Order.id)
            .where(Order.status == "ready", Order.batch_id.is_(None)))
    if c.courier:
        stmt = stmt.where(Order.courier == c.courier)
    if c.shop:
        stmt = stmt.where(Order.shop == c.shop)
    if c.items == "single":
        stmt = stmt.where(units.c.units == 1)
    elif c.items == "multi":
        stmt = stmt.where(units.c.units > 1)
    if c.paid_from:
        stmt = stmt.where(Order.paid_at >= c.paid_from)
    if c.paid_to:
        stmt = stmt.where(Order.paid_at < c.paid_to)
    return stmt


def count_ready(sessions: sessionmaker[Session], criteria: BatchCriteria) -> int:
    """Ready orders not yet in a batch that match ``criteria``, before its limit."""
    with unit_of_work(sessions) as s:
        return int(s.scalar(select(func.count()).select_from(_ready_filters(criteria).subquery())) or 0)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # the courier's name in the current language, or the shop's name
    ready: int  # ready orders not yet in a batch


@dataclass(frozen=True)
class BatchChoices:
    couriers: tuple[Choice, ...]
    shops: tuple[Choice, ...]


def batch_choices(sessions: sessionmaker[Session], *, chinese: bool = False) -> BatchChoices:
    """The couriers and shops that have ready orders not yet in a batch, most orders first."""
    waiting = (Order.status == "ready", Order.batch_id.is_(None))
    with unit_of_work(sessions) as s:
        names = {c.code: (c.name_zh if chinese else c.name_en) for c in s.scalars(select(Courier))}
        couriers = s.execute(select(Order.courier, func.count()).where(*waiting, Order.courier.is_not(None))
                             .group_by(Order.courier)).all()
        shops = s.execute(select(Order.shop, func.count()).where(*waiting, Order.shop.is_not(None))
                          .group_by(Order.shop)).all()

    def ranked(rows, label):
        return tuple(Choice(v, label(v), int(n)) for v, n in sorted(rows, key=lambda r: (-r[1], r[0])) if v)

    return BatchChoices(ranked(couriers, lambda code: names.get(code) or code), ranked(shops, str))


@dataclass(frozen=True)
class SupervisorNumbers:
    hours: tuple[PackerHour, ...]
    late: tuple[LateOrder, ...]


def supervisor_numbers(sessions: sessionmaker[Session], since: datetime,
                       now: datetime | None = None) -> SupervisorNumbers:
    """Per packer and hour since ``since``, and the orders not shipped within 24 h of payment."""
    with unit_of_work(sessions) as s:
        return SupervisorNumbers(tuple(packer_hours(s, since)), tuple(late_orders(s, now)))
