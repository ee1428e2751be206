"""Numbers a supervisor wants: per packer and hour, and orders not shipped in time.

Per packer and hour (local time): orders packed, items packed, scans, error scans and
the error rate, from the scan log and the parcels. Late orders: paid more than 24 hours
ago and not shipped (the promise is 48 hours at most), oldest first.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.audit.models import ScanEvent
from station.fulfilment.models import Order, Parcel, ParcelItem

LATE_AFTER = timedelta(hours=24)
PROMISE = timedelta(hours=48)


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)  # SQLite hands back naive UTC


@dataclass(frozen=True)
class PackerHour:
    packer: str
    hour: datetime  # local, on the hour
    orders: int
    items: int
    scans: int
    errors: int

    @property
    def error_rate(self) -> float:
        return self.errors / self.scans if self.scans else 0.0


def packer_hours(session: Session, since: datetime) -> list[PackerHour]:
    def hour(t: datetime) -> datetime:
        return _aware(t).astimezone().replace(minute=0, second=0, microsecond=0)

    scans: dict[tuple[str, datetime], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for user, at, level in session.execute(
            select(ScanEvent.user, ScanEvent.at, ScanEvent.level)
            .where(ScanEvent.bench == "pack", ScanEvent.at >= since, ScanEvent.user.is_not(None))):
        row = scans[(user, hour(at))]
        row[2] += 1
        row[3] += level == "error"
    orders_seen: dict[tuple[str, datetime], set[int]] = defaultdict(set)
    for user, at, order_id, qty in session.execute(
            select(Parcel.packed_by, Parcel.closed_at, Parcel.order_id, ParcelItem.qty)
            .join(ParcelItem, ParcelItem.parcel_id == Parcel.id)
            .where(Parcel.closed_at >= since, Parcel.packed_by.is_not(None))):
        key = (user, hour(at))
        orders_seen[key].add(order_id)
        scans[key][1] += qty
    for key, ids in orders_seen.items():
        scans[key][0] = len(ids)
    return [PackerHour(user, h, *row) for (user, h), row in sorted(scans.items(), key=lambda kv: (kv[0][1], kv[0][0]))]


@dataclass(frozen=True)
class LateOrder:
    order_no: str
    status: str
    paid_at: datetime
    hours: float
    overdue: bool  # past the 48-hour promise


def late_orders(session: Session, now: datetime | None = None) -> list[LateOrder]:
    now = now or datetime.now(timezone.utc)
    rows = session.execute(
        select(Order.order_no, Order.status, Order.paid_at)
        .where(Order.paid_at.is_not(None), Order.paid_at < now - LATE_AFTER,
               Order.status.not_in(("shipped", "delivered", "cancelled")))
        .order_by(Order.paid_at))
    out = []
    for order_no, status, paid_at in rows:
        age = now - _aware(paid_at)
        out.append(LateOrder(order_no, status, _aware(paid_at), round(age.total_seconds() / 3600, 1), age > PROMISE))
    return out
