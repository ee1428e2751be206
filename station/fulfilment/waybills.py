"""Waybill numbers behind one interface.

* Number pool: a courier issues a range or a list of tracking numbers; Station validates
  them against the courier's pattern and allocates each exactly once, also across
  stations (a row lock with SKIP LOCKED on PostgreSQL; SQLite writers are serialised by
  BEGIN IMMEDIATE; the unique parcel column is the last line of defence).
* Manual: the packer scans a pre-printed waybill; it must fit the courier's pattern and
  must not be on another parcel.
* E-waybill services (station.couriers: Cainiao, 拼多多, SF 丰桥): ``issue_from_service``
  reads the order, asks the shop's service with no transaction open, and writes the number and
  its routing data onto a printed parcel; a parcel voided later gives its number back
  (``cancel_voided``, also with no transaction open).
The routing code and hub travel with the number: from the service, or from the pool file.
Nothing invents them.
"""
from __future__ import annotations

import re
import weakref
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from station.catalog.models import Courier
from station.db import unit_of_work, write_later
from station.fulfilment.models import Order, Parcel, WaybillNumber
from station.i18n import _


class WaybillError(ValueError):
    code = "waybill_error"


class PoolEmpty(WaybillError):
    code = "waybill_pool_empty"


@dataclass(frozen=True)
class PoolRouting:
    """What a courier's file may say about one number: its routing code and hub."""

    routing_code: str | None = None
    hub_name: str | None = None
    hub_code: str | None = None


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


def add_numbers(session: Session, courier_code: str, numbers: list[str],
                routing: dict[str, PoolRouting] | None = None) -> PoolReport:
    """Add issued numbers to the pool; all or nothing: any invalid number rejects the lot.
    ``routing``: the routing code and hub per number, where the courier's file gives them."""
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
        session.execute(insert(WaybillNumber), [_pool_row(n, courier_code, routing)
                                                for n in numbers[start:start + _SLICE]])
    session.flush()
    report.added = len(numbers)
    return report


_SLICE = 10_000  # numbers per statement of add_numbers
_NO_ROUTING = PoolRouting()


def _pool_row(number: str, courier_code: str, routing: dict[str, PoolRouting] | None) -> dict:
    r = routing.get(number, _NO_ROUTING) if routing else _NO_ROUTING
    # every row the same keys: one executemany
    return {"tracking_no": number, "courier": courier_code, "routing_code": r.routing_code or None,
            "hub_name": r.hub_name or None, "hub_code": r.hub_code or None}


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
_SET_TRACKING = update(_PARCELS).where(_PARCELS.c.id == bindparam("pid")).values(
    tracking_no=bindparam("t"), routing_code=bindparam("rc"), hub_name=bindparam("hn"), hub_code=bindparam("hc"),
    waybill_provider="pool")
_TAKE_NEXT = (update(_POOL)
              .where(_POOL.c.tracking_no == _NEXT_FREE.scalar_subquery(), _POOL.c.parcel_id.is_(None))
              .values(parcel_id=bindparam("pid"), allocated_at=bindparam("when"))
              .returning(_POOL.c.tracking_no, _POOL.c.routing_code, _POOL.c.hub_name, _POOL.c.hub_code))


def allocate(session: Session, courier_code: str, parcel: Parcel) -> str:
    """Give the parcel the next free number of the courier's pool, exactly once."""
    if parcel.id is None:
        session.flush()  # the parcel needs its id; the statements below go straight to the connection
    conn = session.connection()
    for _attempt in range(5):
        # The next free number, locked (skipped by other stations) and taken in one statement.
        row = conn.execute(_TAKE_NEXT, {"c": courier_code, "pid": parcel.id,
                                        "when": datetime.now(timezone.utc)}).first()
        if row is None and conn.execute(_NEXT_FREE, {"c": courier_code}).scalar() is None:
            raise PoolEmpty(_("No waybill numbers left for {courier}: add the next range the courier issued",
                              courier=courier_code))
        if row is not None:
            number, routing_code, hub_name, hub_code = row
            # Nothing reads it back in this transaction: sent with the scan's other writes.
            write_later(session, _SET_TRACKING, {"pid": parcel.id, "t": number, "rc": routing_code,
                                                 "hn": hub_name, "hc": hub_code})
            for key, value in (("tracking_no", number), ("routing_code", routing_code), ("hub_name", hub_name),
                               ("hub_code", hub_code), ("waybill_provider", "pool")):
                set_committed_value(parcel, key, value)  # written by then: no ORM update
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
    parcel.waybill_provider = "manual"
    return number


# --- e-waybill services ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ServiceWaybill:
    """A number an e-waybill service gave one parcel, as written to it."""

    order_no: str
    parcel_seq: int
    provider: str
    tracking_no: str
    routing_code: str
    hub_name: str
    hub_code: str


def online_service(session: Session, shop: str | None) -> str | None:
    """The e-waybill service the shop's numbers come from, or None (pool, scanned, or none set).
    A platform order takes its number from the platform's service, never from a branch pool."""
    from station import couriers
    from station import settings

    name = settings.WAYBILL_SERVICE.read(session, shop) if shop else None
    cls = couriers.PROVIDERS.get(name or "")
    return name if cls is not None and cls.online else None


def _sender(session: Session, shop: str | None):
    from station.couriers import Address, Party
    from station import settings

    def get(key: str) -> str:
        return settings.SENDER.read(session, key) or ""

    return Party(get("name") or shop or "", get("phone"),
                 Address(get("province"), get("city"), get("district"), get("street")))


def service_request(session: Session, order: Order, seq: int):
    from station.couriers import Address, Party, WaybillRequest

    recipient = Party(order.recipient, order.phone,
                      Address(order.province or "", order.city or "", order.district or "", order.address),
                      oaid=order.recipient_oaid)
    items: dict[str, int] = {}
    for line in order.lines:
        items[line.name or line.sku] = items.get(line.name or line.sku, 0) + line.qty
    return WaybillRequest(order.order_no, order.courier or "", seq, _sender(session, order.shop), recipient,
                          tuple(items.items()), cod_amount=order.cod_amount if carries_cod(order, seq) else None,
                          insured_value=order.insured_value, payment=order.payment_method or "")


def carries_cod(order: Order, seq: int) -> bool:
    """Whether parcel `seq` of the order is the one the courier collects its cash on delivery with:
    the first of its parcels that are not void (the others carry none, or the buyer pays twice)."""
    return min([p.seq for p in order.parcels if p.status != "void"] + [seq]) == seq


def _order_for_number(session: Session, order_no: str) -> Order:
    order = session.scalar(select(Order).where(Order.order_no == order_no))
    if order is None:
        raise WaybillError(_("No order {order_no}", order_no=order_no))
    if order.status != "ready":
        raise WaybillError(_("Order {order_no} is {status}: it takes no waybill number now",
                             order_no=order_no, status=order.status))
    if not order.courier:
        raise WaybillError(_("Order {order_no} has no courier", order_no=order_no))
    if any(p.status == "printed" and p.tracking_no for p in order.parcels):
        raise WaybillError(_("Order {order_no} already has a waybill number", order_no=order_no))
    return order


def issue_from_service(sessions: sessionmaker[Session], order_no: str) -> ServiceWaybill:
    """Ask the shop's e-waybill service for the order's number and routing data; the order gets a
    printed parcel with them, which the pack bench packs like a batch's pre-printed one.

    Three steps, so that no transaction is open while the service answers: read the order, ask
    the service, write the parcel. If the order changed meanwhile (cancelled, held, numbered at
    another desk) the number is given back to the service and the person reads why.
    Raises WaybillError (order not ready, no service for the shop) or ServiceError (the service
    refused, could not be reached, or has no credentials for the shop)."""
    from station import couriers
    from station import settings
    from station.couriers import ServiceError, credentials

    with unit_of_work(sessions) as s:
        order = _order_for_number(s, order_no)
        provider = settings.WAYBILL_SERVICE.read(s, order.shop or "")
        if not provider:
            raise WaybillError(_("Shop {shop} has no e-waybill service: run station waybills credentials",
                                 shop=order.shop or "-"))
        seq = max((p.seq for p in order.parcels), default=0) + 1
        request = service_request(s, order, seq)
        shop = order.shop or ""
    service = couriers.adapter(provider, credentials.load(shop, provider))
    if not service.online:
        raise WaybillError(_("{provider} numbers are not asked for: they come from the pool or a scan",
                             provider=provider))
    issued = service.issue(request)  # no transaction open
    try:
        with unit_of_work(sessions) as s:
            order = _order_for_number(s, order_no)
            order.printed_at = datetime.now(timezone.utc)  # a change to the order now holds it (changed_after_print)
            s.add(Parcel(order_id=order.id, seq=seq, courier=order.courier, status="printed",
                         tracking_no=issued.tracking_no, waybill_provider=issued.provider,
                         routing_code=issued.routing_code or None, hub_name=issued.hub_name or None,
                         hub_code=issued.hub_code or None, qr_data=issued.qr_data or None,
                         print_data=issued.print_data or None))
            s.commit()
    except Exception as exc:
        try:  # nothing holds the number now: give it back
            service.cancel(request.courier, issued.tracking_no, request.object_id)
        except ServiceError as refused:
            raise WaybillError(_("{reason}; and {provider} did not take waybill {number} back: {why}",
                                 reason=exc, provider=provider, number=issued.tracking_no, why=refused)) from exc
        raise
    return ServiceWaybill(order_no, seq, issued.provider, issued.tracking_no, issued.routing_code,
                          issued.hub_name, issued.hub_code)


@dataclass(frozen=True)
class CancelOutcome:
    tracking_no: str
    provider: str
    cancelled: bool
    reason: str = ""


def cancel_voided(sessions: sessionmaker[Session]) -> list[CancelOutcome]:
    """Give back to their services the numbers of void parcels (an order cancelled after its
    number was taken). Each is asked with no transaction open; a refusal or an unreachable
    service leaves the number pending, to try again, with the reason in the outcome."""
    from station import couriers
    from station.couriers import ServiceError, credentials

    online = [name for name, cls in couriers.PROVIDERS.items() if cls.online]
    with unit_of_work(sessions) as s:
        pending = s.execute(
            select(Parcel.id, Parcel.tracking_no, Parcel.courier, Parcel.waybill_provider, Parcel.seq,
                   Order.order_no, Order.shop)
            .join(Order, Order.id == Parcel.order_id)
            .where(Parcel.status == "void", Parcel.waybill_provider.in_(online),
                   Parcel.waybill_cancelled_at.is_(None), Parcel.tracking_no.is_not(None))
            .order_by(Parcel.id)).all()
    outcomes, done = [], []
    for pid, number, courier, provider, seq, order_no, shop in pending:
        try:
            couriers.adapter(provider, credentials.load(shop or "", provider)).cancel(
                courier or "", number, f"{order_no}-{seq}")
        except ServiceError as exc:
            outcomes.append(CancelOutcome(number, provider, False, str(exc)))
            continue
        outcomes.append(CancelOutcome(number, provider, True))
        done.append(pid)
    if done:
        with unit_of_work(sessions) as s:
            s.execute(update(Parcel).where(Parcel.id.in_(done)).values(waybill_cancelled_at=datetime.now(timezone.utc)))
            s.commit()
    return outcomes

