"""Supervisor numbers: per packer and hour, and orders not shipped in time."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from station.audit.models import ScanEvent
from station.db import unit_of_work
from station.fulfilment.kpi import late_orders, packer_hours
from station.fulfilment.models import Order, Parcel, ParcelItem

NOW = datetime(2026, 11, 11, 12, 0, tzinfo=timezone.utc)


def order(s, no, status="ready", paid_hours_ago=1.0):
    o = Order(order_no=no, recipient="王小明", phone="13812345678", address="中山五路33号", status=status,
              fingerprint="x", imported_at=NOW, paid_at=NOW - timedelta(hours=paid_hours_ago))
    s.add(o)
    s.flush()
    return o


def test_each_packer_hour_counts_orders_items_and_error_rate(sessions):
    with unit_of_work(sessions) as s:
        at = NOW - timedelta(minutes=30)
        for level in ["ok"] * 8 + ["error"] * 2:
            s.add(ScanEvent(at=at, raw="x", kind="product", bench="pack", level=level, code="c", user="张伟"))
        s.add(ScanEvent(at=at, raw="x", kind="product", bench="lookup", level="error", code="c", user="张伟"))
        for no, qty in (("K1", 2), ("K2", 3)):
            o = order(s, no, "packed")
            p = Parcel(order_id=o.id, seq=1, status="closed", packed_by="张伟", closed_at=at)
            p.items = [ParcelItem(sku="TS", qty=qty)]
            s.add(p)
        s.commit()
    with unit_of_work(sessions) as s:
        [row] = packer_hours(s, NOW - timedelta(hours=2))
    assert (row.packer, row.orders, row.items, row.scans, row.errors) == ("张伟", 2, 5, 10, 2)
    assert row.error_rate == 0.2
    assert row.hour.minute == 0 and row.hour.tzinfo is not None


def test_orders_paid_over_a_day_ago_and_not_shipped_are_late_and_past_two_days_overdue(sessions):
    with unit_of_work(sessions) as s:
        order(s, "L1", "ready", 30)
        order(s, "L2", "on_hold", 50)
        order(s, "L3", "shipped", 50)
        order(s, "L4", "ready", 3)
        order(s, "L5", "cancelled", 80)
        s.commit()
    with unit_of_work(sessions) as s:
        late = late_orders(s, NOW)
    assert [(o.order_no, o.overdue, o.hours) for o in late] == [("L2", True, 50.0), ("L1", False, 30.0)]
