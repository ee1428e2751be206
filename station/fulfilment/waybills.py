"""Waybill numbers behind one interface.

* Number pool: a courier issues a range or a list of tracking numbers; Station validates
  them against the courier's pattern and allocates each exactly once, also across
  stations (a row lock with SKIP LOCKED on PostgreSQL; SQLite writers are serialised by
  BEGIN IMMEDIATE; the unique parcel column is the last line of defence).
* Manual: the packer scans a pre-printed waybill; it must fit the courier's pattern and
  must not be on another parcel.
Online courier APIs can plug in later behind the same two calls.
"""
from __future__ import annotations

import re
import weakref
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from station.catalog.models import Courier
from station.db import write_later
from station.fulfilment.models import Parcel, WaybillNumber
from station.i18n import _


class WaybillError(ValueError):
    code = "waybill_error"


class PoolEmpty(WaybillError):
    code = "waybill_pool_empty"


@dataclass
class PoolReport:
    courier: str
    added: int
    duplicates: list[str]
    invalid: list[str]


def _courier(session: Session, code: str) -> Courier:
    courier = session.get(Courier, code)
    if courier is None:
        raise WaybillError(_("Unknown courier {courier}", courier=code))
    return courier


def add_numbers(session: Session, courier_code: str, numbers: list[str]) -> PoolReport:
    """Add issued numbers to the pool; all or nothing: any invalid number rejects the lot."""
    courier = _courier(session, courier_code)
    # One desk at a time adds to a courier's pool: on PostgreSQL a second desk adding the same range
    # waits here for the first to commit, then finds its numbers already there (a report, not a
    # unique-key error). SQLite's write transaction (BEGIN IMMEDIATE) serialises this already.
    session.execute(select(Courier.code).where(Courier.code == courier_code).with_for_update())
    pattern = re.compile(courier.tracking_pattern)
    invalid = [n for n in numbers if not pattern.fullmatch(n)]
    # A courier's range runs to 100,000 numbers and more: counted once (not a scan of the list per
    # number), and looked up in slices, since PostgreSQL takes at most 65,535 parameters a statement.
    repeated = {n for n, times in Counter(numbers).items() if times > 1}
    unique = list(dict.fromkeys(numbers))
    existing: set[str] = set()
    for start in range(0, len(unique), _SLICE):
        existing.update(session.scalars(select(WaybillNumber.tracking_no)
                                        .where(WaybillNumber.tracking_no.in_(unique[start:start + _SLICE]))))
    duplicates = sorted(existing | repeated)
    report = PoolReport(courier_code, 0, duplicates, invalid)
    if invalid or duplicates:
        return report
    for start in range(0, len(numbers), _SLICE):
        session.execute(insert(WaybillNumber), [{"tracking_no": n, "courier": courier_code}
                                                for n in numbers[start:start + _SLICE]])
    session.flush()
    report.added = len(numbers)
    return report


_SLICE = 10_000  # numbers per statement of add_numbers


def number_range(prefix: str, start: int, count: int, width: int) -> list[str]:
    return [f"{prefix}{n:0{width}d}" for n in range(start, start + count)]


_ANY_NUMBER = select(WaybillNumber.__table__.c.tracking_no).where(
    WaybillNumber.__table__.c.courier == bindparam("c")).limit(1)


def uses_pool(session: Session, courier_code: str) -> bool:
    """Whether the courier's numbers come from the pool (it has ever had a number in it).

    Pool numbers are never deleted (a used one keeps its parcel), so a courier once seen
    with a pool keeps it: remembered per database for the process. A courier without one
    is asked again each unit of work: another station may add a range meanwhile."""
    pooled = _pooled.setdefault(session.get_bind(), set())
    if courier_code in pooled:
        return True
    known = session.info.setdefault("uses_pool", {})
    if courier_code not in known:
        known[courier_code] = session.connection().execute(_ANY_NUMBER, {"c": courier_code}).first() is not None
        if known[courier_code]:
            pooled.add(courier_code)
    return known[courier_code]


_pooled: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()


# Built once, run on the session's connection (see station.inventory.ledger on why).
_POOL = WaybillNumber.__table__
_NEXT_FREE = (select(_POOL.c.tracking_no)
              .where(_POOL.c.courier == bindparam("c"), _POOL.c.parcel_id.is_(None))
              .order_by(_POOL.c.tracking_no).limit(1).with_for_update(skip_locked=True))
_PARCELS = Parcel.__table__
_SET_TRACKING = update(_PARCELS).where(_PARCELS.c.id == bindparam("pid")).values(tracking_no=bindparam("t"))
_TAKE_NEXT = (update(_POOL)
              .where(_POOL.c.tracking_no == _NEXT_FREE.scalar_subquery(), _POOL.c.parcel_id.is_(None))
              .values(parcel_id=bindparam("pid"), allocated_at=bindparam("when")).returning(_POOL.c.tracking_no))


def allocate(session: Session, courier_code: str, parcel: Parcel) -> str:
    """Give the parcel the next free number of the courier's pool, exactly once."""
    if parcel.id is None:
        session.flush()  # the parcel needs its id; the statements below go straight to the connection
    conn = session.connection()
    for _attempt in range(5):
        # The next free number, locked (skipped by other stations) and taken in one statement.
        number = conn.execute(_TAKE_NEXT, {"c": courier_code, "pid": parcel.id,
                                           "when": datetime.now(timezone.utc)}).scalar()
        if number is None and conn.execute(_NEXT_FREE, {"c": courier_code}).scalar() is None:
            raise PoolEmpty(_("No waybill numbers left for {courier}: add the next range the courier issued",
                              courier=courier_code))
        if number is not None:
            # Nothing reads it back in this transaction: sent with the scan's other writes.
            write_later(session, _SET_TRACKING, {"pid": parcel.id, "t": number})
            set_committed_value(parcel, "tracking_no", number)  # written by then: no ORM update
            return number
    raise WaybillError(_("Could not allocate a waybill number for {courier}; try again", courier=courier_code))


def check_manual(session: Session, courier_code: str | None, number: str, parcel_id: int | None = None) -> None:
    """Raise WaybillError unless ``number`` fits the courier's pattern and is on no other parcel."""
    if courier_code:
        courier = _courier(session, courier_code)
        if not re.fullmatch(courier.tracking_pattern, number):
            raise WaybillError(_("{number} is not a {courier} waybill number", number=number, courier=courier_code))
    other = session.scalar(select(Parcel.id).where(Parcel.tracking_no == number, Parcel.id != parcel_id)
                           if parcel_id is not None else select(Parcel.id).where(Parcel.tracking_no == number))
    if other is not None:
        raise WaybillError(_("Waybill {number} is already on another parcel", number=number))


def accept_manual(session: Session, courier_code: str | None, number: str, parcel: Parcel) -> str:
    """A pre-printed waybill scanned at packing: right courier pattern, not used elsewhere."""
    check_manual(session, courier_code, number, parcel.id)
    parcel.tracking_no = number
    return number
