"""Orders in: import from shop exports, holds that a person must look at, release and cancel.

Import is all or nothing per file. Re-importing updates changed orders without
duplicating them; a refunded or cancelled order is cancelled; an order that changes
after its waybill was printed goes on hold ``changed_after_print`` and its printed
parcels are void.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from station.catalog.models import Product
from station.db import one_at_a_time, unit_of_work
from station.files.reader import RowError
from station.files.report import ImportReport
from station.fulfilment.models import Order, OrderHold, OrderLine, Parcel
from station.fulfilment.printable import unprintable_values
from station.fulfilment.listings import Unmapped, resolve
from station.fulfilment.parsers import OrderRowError, ParsedOrder, parse_orders
from station.fulfilment.shipped_index import index_orders_by_number
from station.i18n import N_, _
from station.inventory.models import Balance, Location

OPEN = ("ready", "on_hold", "packing")  # orders that still need stock from the bins
HOLD_TEXT = {
    "incomplete_address": N_("Address incomplete"),
    "incomplete_phone": N_("Phone number missing or too short"),
    "unknown_sku": N_("Unknown SKU"),
    "not_enough_stock": N_("Not enough stock"),
    "buyer_message": N_("Buyer message: read it"),
    "seller_memo": N_("Seller memo: read it"),
    "cancelled": N_("Cancelled or refunded"),
    "changed_after_print": N_("Changed after its waybill was printed"),
    "short_pick": N_("Item missing at packing"),
    "manual": N_("Held by hand"),
    "unpaid": N_("Not paid in the shop yet"),
    "refund": N_("Refund asked or partly refunded in the shop"),
    "partly_fulfilled": N_("Partly fulfilled in the shop: check what is left to send"),
    "unprintable_text": N_("A character no print font has: the waybill would print a blank"),
}


class OrderError(ValueError):
    code = "order_error"


#: What an order import tallies, in its summary's order.
ORDER_TALLIES = ("created", "updated", "unchanged", "cancelled", "on_hold")


def order_report(file: str, fmt: str) -> ImportReport:
    return ImportReport("orders", file, ORDER_TALLIES, format=fmt, orders=0)


def fingerprint(o: ParsedOrder) -> str:
    content = [o.recipient, o.phone, o.province, o.city, o.district, o.address, o.postcode, o.courier,
               o.buyer_message, o.seller_memo, o.status,
               sorted((l.sku, l.qty, l.gift) for l in o.lines)]
    if o.holds:  # only then: orders imported before shop holds existed keep their fingerprint
        content.append([list(h) for h in o.holds])
    if o.cod_amount is not None or o.insured_value is not None or o.payment_method:  # the same: only when said
        content.append(["money", str(o.cod_amount), str(o.insured_value), o.payment_method])
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _order_values(o: ParsedOrder) -> dict:
    status = {"refunded": "cancelled"}.get(o.status, o.status)
    return dict(order_no=o.order_no, shop=o.shop, buyer_account=o.buyer_account, recipient=o.recipient,
                phone=o.phone, province=o.province, city=o.city, district=o.district, address=o.address,
                postcode=o.postcode, courier=o.courier, paid_at=o.paid_at, buyer_message=o.buyer_message,
                seller_memo=o.seller_memo, status=status, source_status=o.source_status,
                fingerprint=fingerprint(o), tracking_no=o.tracking_no, shipped_at=o.shipped_at,
                delivered_at=o.delivered_at, cod_amount=o.cod_amount, insured_value=o.insured_value,
                payment_method=o.payment_method)


def _line_values(order_id: int, o: ParsedOrder) -> list[dict]:
    return [dict(order_id=order_id, line_no=i, sku=l.sku, qty=l.qty, unit_price=l.unit_price, name=l.name,
                 colour=l.colour, size=l.size, gift=l.gift) for i, l in enumerate(o.lines, start=1)]


class Availability:
    """Units in stock bins not yet promised to an open order, per SKU."""

    def __init__(self, session: Session) -> None:
        on_hand = dict(session.execute(
            select(Product.sku, func.sum(Balance.qty)).join(Product, Product.id == Balance.product_id)
            .join(Location, Location.id == Balance.location_id).where(Location.kind == "stock")
            .group_by(Product.sku)).all())
        promised = dict(session.execute(
            select(OrderLine.sku, func.sum(OrderLine.qty)).join(Order, Order.id == OrderLine.order_id)
            .where(Order.status.in_(OPEN)).group_by(OrderLine.sku)).all())
        self.free = defaultdict(int, {sku: int(q) - int(promised.get(sku, 0)) for sku, q in on_hand.items()})
        for sku, q in promised.items():
            self.free.setdefault(sku, -int(q))

    def take(self, lines: Iterable[tuple[str, int]]) -> bool:
        need = defaultdict(int)
        for sku, qty in lines:
            need[sku] += qty
        if any(self.free[sku] < qty for sku, qty in need.items()):
            return False
        for sku, qty in need.items():
            self.free[sku] -= qty
        return True


_DIGITS = re.compile(r"\d")


def holds_for(values: dict, lines: list[tuple[str, int]], known_skus: set[str],
              stock: Availability) -> list[tuple[str, str | None]]:
    """Why a new or changed ready order may not be packed yet: (code, detail) pairs."""
    holds = []
    if not values["recipient"] or not values["address"] or not (values["city"] or values["province"]):
        holds.append(("incomplete_address", None))
    phone = values["phone"] or ""
    if "*" not in phone and len(_DIGITS.findall(phone)) < 7:  # masked numbers are kept as they come
        holds.append(("incomplete_phone", phone or None))
    unknown = sorted({sku for sku, _q in lines if sku not in known_skus})
    if unknown:
        holds.append(("unknown_sku", ", ".join(unknown)))
    elif not stock.take(lines):
        holds.append(("not_enough_stock", None))
    unprintable = unprintable_values(values)
    if unprintable:  # held as it arrives, before anything prints: a courier cannot deliver to a blank
        holds.append(("unprintable_text", _("No print font has these characters: {what}", what=unprintable)))
    if values["buyer_message"]:
        holds.append(("buyer_message", values["buyer_message"]))
    if values["seller_memo"]:
        holds.append(("seller_memo", values["seller_memo"]))
    return holds


def _order_text_limits() -> dict[str, int]:
    """The order's text columns and how many characters each holds (the schema's own lengths)."""
    return {c.name: c.type.length for c in Order.__table__.columns
            if getattr(c.type, "length", None) and c.name in ParsedOrder.__dataclass_fields__}


def too_long(o: ParsedOrder) -> list[RowError]:
    """A value longer than its column: refused with its line (PostgreSQL would refuse the whole
    import with a driver error; SQLite would keep it)."""
    return [RowError(o.line, _("{column}: {n} characters, at most {most} fit", column=name, n=len(value),
                                                                             most=most))
            for name, most in _order_text_limits().items()
            if isinstance(value := getattr(o, name, None), str) and len(value) > most]


def import_orders(sessions: sessionmaker[Session], path: str | Path, fmt: str = "generic", *,
                  item_report: str | Path | None = None, user: str | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  encoding: str | None = None) -> ImportReport:
    """Parse, check, and write every order of the file, or none. See the module docstring.
    ``encoding``: the CSV's encoding when the person gave it (see ``files.reader.decode``)."""
    report = order_report(str(path), fmt)
    parsed = parse_orders(path, fmt, item_report=item_report, progress=progress, encoding=encoding)
    report.encoding, report.rows, report.orders = parsed.encoding, parsed.rows, len(parsed.orders)
    report.rejected = list(parsed.errors)
    seen: dict[str, int] = {}
    for o in parsed.orders:
        if o.order_no in seen:
            report.rejected.append(RowError(o.line, _("Order {order_no} already on line {line}",
                                                      order_no=o.order_no, line=seen[o.order_no])))
        seen[o.order_no] = o.line
        report.rejected += too_long(o)
    now = _now()
    with unit_of_work(sessions) as s:
        one_at_a_time(s, "import.orders")  # two desks importing one file: the second finds the first's orders
        orders, unmapped = resolve(s, parsed.orders, _lines_file(parsed, fmt, path))
        if unmapped:
            report.unmapped = [u.as_dict() for u in unmapped]
            report.rejected += [OrderRowError(u.first_line, unmapped_reason(u), u.file) for u in unmapped]
            report.rejected.sort(key=lambda e: (getattr(e, "file", None) or "", e.line))
        if report.rejected:
            return report
        parsed = replace(parsed, orders=tuple(orders))
        known_skus = set(s.scalars(select(Product.sku)))
        existing: dict[str, Order] = {}
        numbers = list(seen)
        # Locked until the commit: an order a station is packing or shipping right now is updated
        # after it, from what it committed (PostgreSQL otherwise failed on the version check).
        for i in range(0, len(numbers), 500):
            for order in s.scalars(select(Order).where(Order.order_no.in_(numbers[i:i + 500]))
                                   .order_by(Order.id).with_for_update()):
                existing[order.order_no] = order
        stock = Availability(s)
        new = [o for o in parsed.orders if o.order_no not in existing]
        new.sort(key=lambda o: (o.paid_at or now, o.line))  # first paid, first served
        _insert_new(s, new, known_skus, stock, report, now)
        for o in parsed.orders:
            if o.order_no in existing:
                _update(s, existing[o.order_no], o, known_skus, stock, report, user, now)
        # Orders shipped outside Station may come back: their keys let a return note find them.
        index_orders_by_number(s, [o.order_no for o in parsed.orders if o.status in ("shipped", "delivered")])
        s.commit()
    return report


def _lines_file(parsed, fmt: str, path: str | Path) -> str:
    """The file the order lines are in (Taobao: the item report), as rejected rows name it."""
    return parsed.lines_file or Path(path).name


def unmapped_reason(u: Unmapped) -> str:
    """What the person reads for an unmapped listing: which one, how many lines, what to do."""
    listing = f"{u.listing} / {u.variant}" if u.variant else u.listing
    return _("No product for listing {listing!r} of shop {shop!r} ({n} lines): map it to a SKU "
             "(station import mappings, or the office's mapping dialog) and import again",
             listing=listing, shop=u.shop, n=u.lines)


def _insert_new(s: Session, new: list[ParsedOrder], known_skus: set[str], stock: Availability,
                report: ImportReport, now: datetime) -> None:
    rows, hold_rows = [], []
    for o in new:
        values = _order_values(o)
        holds: list[tuple[str, str | None]] = []
        if values["status"] == "ready":
            holds = list(o.holds) + holds_for(values, [(l.sku, l.qty) for l in o.lines], known_skus, stock)
            if holds:
                values["status"] = "on_hold"
                report.on_hold += 1
        elif values["status"] == "cancelled":
            report.cancelled += 1
        rows.append({**values, "imported_at": now, "version": 1})
        hold_rows.append(holds)
    report.created += len(rows)
    # Core executemany on the connection, then the new ids by order number: the ORM's bulk
    # insert with RETURNING in parameter order splices its result batches at a cost that grows
    # with the square of the chunk (minutes for 100,000 lines).
    conn = s.connection()
    orders = Order.__table__
    for start in range(0, len(rows), 2000):
        chunk = rows[start:start + 2000]
        conn.execute(insert(orders), chunk)
        ids = dict(conn.execute(select(orders.c.order_no, orders.c.id)
                                .where(orders.c.order_no.in_([r["order_no"] for r in chunk]))).all())
        lines, holds = [], []
        for o, order_holds in zip(new[start:start + 2000], hold_rows[start:start + 2000]):
            order_id = ids[o.order_no]
            lines += _line_values(order_id, o)
            holds += [dict(order_id=order_id, code=c, detail=d, created_at=now, created_by="import")
                      for c, d in order_holds]
        conn.execute(insert(OrderLine.__table__), lines)
        if holds:
            conn.execute(insert(OrderHold.__table__), holds)


def _open_holds(order: Order) -> list[OrderHold]:
    return [h for h in order.holds if h.resolved_at is None]


def _resolve(order: Order, resolution: str, user: str | None, now: datetime) -> None:
    for h in _open_holds(order):
        h.resolved_at, h.resolved_by, h.resolution = now, user, resolution


def _void_printed(s: Session, order: Order) -> None:
    for parcel in order.parcels:
        if parcel.status in ("open", "printed"):
            parcel.status = "void"
    order.printed_at = None


def _update(s: Session, order: Order, o: ParsedOrder, known_skus: set[str], stock: Availability,
            report: ImportReport, user: str | None, now: datetime) -> None:
    values = _order_values(o)
    if values["fingerprint"] == order.fingerprint:
        report.unchanged += 1
        return
    report.updated += 1
    if order.status in ("shipped", "delivered") and values["status"] not in ("shipped", "delivered"):
        return  # it left the building; a shop-side change cannot call it back
    if values["status"] == "cancelled":
        if order.status != "cancelled":
            report.cancelled += 1
        _resolve(order, "superseded", "import", now)
        _void_printed(s, order)
        order.status, order.fingerprint, order.source_status = "cancelled", values["fingerprint"], o.source_status
        return
    printed = order.printed_at is not None or any(p.status == "printed" for p in order.parcels)
    for key, value in values.items():
        if key != "status":
            setattr(order, key, value)
    order.lines.clear()
    s.flush()
    for row in _line_values(order.id, o):
        row.pop("order_id")
        order.lines.append(OrderLine(**row))
    _resolve(order, "superseded", "import", now)
    if values["status"] in ("shipped", "delivered"):
        order.status = values["status"]
        return
    if printed or order.status == "packed":
        _void_printed(s, order)
        order.holds.append(OrderHold(code="changed_after_print", created_at=now, created_by="import",
                                     detail=_("Reprint its slip and waybill after checking")))
        order.status = "on_hold"
        report.on_hold += 1
        return
    holds = list(o.holds) + holds_for(values, [(l.sku, l.qty) for l in o.lines], known_skus, stock)
    for code, detail in holds:
        order.holds.append(OrderHold(code=code, detail=detail, created_at=now, created_by="import"))
    order.status = "on_hold" if holds else "ready"
    report.on_hold += bool(holds)


# --- a person looks at holds -------------------------------------------------------

def find_order(s: Session, order_no: str) -> Order:
    """The order, its row locked until the commit: a person's hold, release or cancel waits for a
    station that is changing the order (a pack, a handover) and then decides on what it committed.
    Without the lock PostgreSQL let both read the same version and the office action failed on the
    version check (StaleDataError); SQLite serialises writers (BEGIN IMMEDIATE) anyway."""
    order = s.scalar(select(Order).where(Order.order_no == order_no).with_for_update())
    if order is None:
        raise OrderError(_("No order {order_no}", order_no=order_no))
    return order


def hold_order(sessions: sessionmaker[Session], order_no: str, *, user: str, code: str = "manual",
               detail: str | None = None) -> Order:
    with unit_of_work(sessions) as s:
        order = find_order(s, order_no)
        put_on_hold(order, code, detail, user)
        s.commit()
        return order


def put_on_hold(order: Order, code: str, detail: str | None, user: str | None) -> None:
    if order.status in ("shipped", "delivered", "cancelled"):
        raise OrderError(_("Order {order_no} is {status}: it cannot be held",
                           order_no=order.order_no, status=order.status))
    order.holds.append(OrderHold(code=code, detail=detail, created_at=_now(), created_by=user))
    order.status = "on_hold"


def release_order(sessions: sessionmaker[Session], order_no: str, *, user: str) -> Order:
    """A person has read the message or fixed the problem: the order may be packed."""
    with unit_of_work(sessions) as s:
        order = find_order(s, order_no)
        if order.status != "on_hold":
            raise OrderError(_("Order {order_no} is not on hold", order_no=order_no))
        _resolve(order, "released", user, _now())
        order.status = "ready"
        s.commit()
        return order


def cancel_order(sessions: sessionmaker[Session], order_no: str, *, user: str) -> Order:
    with unit_of_work(sessions) as s:
        order = find_order(s, order_no)
        if order.status in ("shipped", "delivered"):
            raise OrderError(_("Order {order_no} has shipped: it cannot be cancelled", order_no=order_no))
        _resolve(order, "cancelled", user, _now())
        _void_printed(s, order)
        order.status = "cancelled"
        s.commit()
        return order


@dataclass(frozen=True)
class OrderSummary:
    order_no: str
    status: str
    recipient: str
    courier: str | None
    items: int
    holds: tuple[tuple[str, str | None], ...]
    paid_at: datetime | None


def list_orders(sessions: sessionmaker[Session], status: str | None = None, limit: int = 500) -> list[OrderSummary]:
    with unit_of_work(sessions) as s:
        # lines and holds in two more queries, not two per order (500 orders: 3 queries, not 1,001)
        stmt = (select(Order).options(selectinload(Order.lines), selectinload(Order.holds))
                .order_by(Order.paid_at, Order.id).limit(limit))
        if status:
            stmt = stmt.where(Order.status == status)
        return [OrderSummary(o.order_no, o.status, o.recipient, o.courier, sum(l.qty for l in o.lines),
                             tuple((h.code, h.detail) for h in _open_holds(o)), o.paid_at)
                for o in s.scalars(stmt)]


def hold_text(code: str) -> str:
    return _(HOLD_TEXT.get(code, code))


def create_order(s: Session, parsed: ParsedOrder) -> Order:
    """One order Station makes itself (the replacement of an exchange): the same checks and holds as an
    imported order (unknown SKU, not enough stock, the address), ``ready`` when none applies. Does not commit."""
    if s.scalar(select(Order.id).where(Order.order_no == parsed.order_no)) is not None:
        raise OrderError(_("Order {order_no} exists already", order_no=parsed.order_no))
    s.flush()
    known = set(s.scalars(select(Product.sku).where(Product.sku.in_([l.sku for l in parsed.lines]))))
    _insert_new(s, [parsed], known, Availability(s), order_report("", "station"), _now())
    return s.scalar(select(Order).where(Order.order_no == parsed.order_no))
