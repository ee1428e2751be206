"""Batches (print first): choose ready orders, give each a waybill number, print the pick list,
packing slips and waybills.

An order in a printed batch keeps its parcel 1 with the printed waybill number
(status ``printed``); at the pack bench the packer scans that waybill when the box is full
(``waybill_mismatch`` for any other). Orders whose courier has no number pool print no
waybill here: the packer scans a pre-printed one.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from station.catalog.models import Product
from station.db import unit_of_work
from station.fulfilment import packing, waybills
from station.fulfilment.models import NumberSequence, Order, OrderLine, Parcel, PickBatch
from station.fulfilment.orders import put_on_hold
from station.fulfilment.printable import PRINTED_FIELDS, unprintable_values
from station.i18n import _
from station.inventory.models import Balance, Location
from station import outbox


class BatchError(ValueError):
    code = "batch_error"


@dataclass(frozen=True)
class BatchCriteria:
    courier: str | None = None
    shop: str | None = None
    items: str | None = None  # "single" (one unit) or "multi"
    paid_from: datetime | None = None
    paid_to: datetime | None = None
    limit: int | None = None


@dataclass(frozen=True)
class BatchResult:
    batch_no: str
    orders: tuple[str, ...]
    jobs: tuple[int, ...]  # print job ids: pick list, packing slips, waybills
    waybills: int
    held: tuple[str, ...] = ()  # orders put on hold `unprintable_text` instead of printed


UNPRINTABLE = "unprintable_text"


def unprintable_fields(order: Order) -> str | None:
    """What of the order's recipient no shipped font can print ("address: U+F0001"), or
    None. Such an order must not print: a courier cannot deliver to a blank."""
    return unprintable_values({field: getattr(order, field) for field in PRINTED_FIELDS})



def next_number(session: Session, name: str) -> int:
    """The next number of the sequence `name` (``number_sequence``), in the caller's transaction:
    the row stays locked until the commit, so two stations never get the same number, and a
    number is only ever given once (a rolled-back one was never printed)."""
    table = NumberSequence.__table__
    number = session.execute(update(table).where(table.c.name == name)
                             .values(last_value=table.c.last_value + 1)
                             .returning(table.c.last_value)).scalar()
    if number is None:  # a sequence not seeded by the migration: start after what exists
        start = session.scalar(select(func.coalesce(func.max(PickBatch.id), 0))) if name == "pick_batch" else 0
        session.add(NumberSequence(name=name, last_value=start + 1))
        session.flush()
        number = start + 1
    return number


def select_ready(session: Session, c: BatchCriteria, *, lock: bool = False) -> list[Order]:
    """Ready orders not yet in a batch, oldest payment first; ``lock``: skip orders another batch holds."""
    units = (select(OrderLine.order_id, func.sum(OrderLine.qty).label("units"))
             .group_by(OrderLine.order_id).subquery())
    stmt = (select(Order).join(units, units.c.order_id == Order.id)
            .where(Order.status == "ready", Order.batch_id.is_(None))
            .order_by(Order.paid_at, Order.id))
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
    if c.limit:
        stmt = stmt.limit(c.limit)
    if lock:
        stmt = stmt.with_for_update(skip_locked=True, of=Order)
    return list(session.scalars(stmt))


def pick_lines(session: Session, orders: list[Order]):
    """Pick list rows in bin walk order (location code), taking each SKU from its bins in turn."""
    from station.printing.documents.pick_list import OrderQty, PickLine, SkuTotal

    need: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for order in orders:
        for line in order.lines:
            need[line.sku].append((order.order_no, line.qty))
    products = {p.sku: p for p in session.scalars(select(Product).where(Product.sku.in_(need)))}
    bins: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for sku, code, qty in session.execute(
            select(Product.sku, Location.code, Balance.qty).join(Balance, Balance.product_id == Product.id)
            .join(Location, Location.id == Balance.location_id)
            .where(Product.sku.in_(need), Location.kind == "stock", Balance.qty > 0).order_by(Location.code)):
        bins[sku].append((code, qty))
    rows = []
    for sku, wanted in need.items():
        p = products.get(sku)
        queue = [[code, have] for code, have in bins.get(sku, [])]
        per_bin: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for order_no, qty in wanted:
            while qty:
                if not queue:  # the books show too little: "?" tells the picker to look
                    per_bin["?"].append((order_no, qty))
                    break
                take = min(qty, queue[0][1])
                per_bin[queue[0][0]].append((order_no, take))
                qty -= take
                queue[0][1] -= take
                if queue[0][1] == 0:
                    queue.pop(0)
        for code, parts in per_bin.items():
            rows.append(PickLine(bin=code, sku=sku, name=p.name if p else sku, qty=sum(q for _o, q in parts),
                                 colour=(p.colour or "") if p else "", size=(p.size or "") if p else "",
                                 orders=tuple(OrderQty(o, q) for o, q in parts)))
    rows.sort(key=lambda r: (r.bin, r.sku))
    totals = [SkuTotal(sku, products[sku].name if sku in products else sku, sum(q for _o, q in wanted),
                       (products[sku].colour or "") if sku in products else "",
                       (products[sku].size or "") if sku in products else "")
              for sku, wanted in sorted(need.items())]
    return rows, totals


def packing_slip_data(session: Session, order: Order):
    from station.printing.documents.packing_slip import PackingSlip, SlipLine
    from station.printing.documents.waybill import Contact

    lines = tuple(SlipLine(l.sku, l.name, l.colour or "", l.size or "", l.qty, l.gift)
                  for l in packing.pack_lines(session, order))
    return PackingSlip(
        shop_name=order.shop or "", order_no=order.order_no,
        recipient=Contact(order.recipient, order.phone, order.province or "", order.city or "",
                          order.district or "", order.address),
        lines=lines, total_qty=sum(l.qty for l in lines), paid_at=order.paid_at,
        buyer_message=order.buyer_message or "", seller_memo=order.seller_memo or "",
        return_address=packing.sender_contact(session, order.shop).address)


def create_batch(sessions: sessionmaker[Session], criteria: BatchCriteria, *, user: str | None,
                 station: str | None, progress=None) -> BatchResult:
    """Select, allocate and queue the batch's documents in one transaction (nothing half-done if it
    fails); after the commit, draw them (no transaction open: 500 orders take many seconds, and
    every bench on the database would wait for the lock) and send them to the printer. A crash
    between the two leaves the jobs ``rendering``: the next ``render_deferred`` makes them."""
    now = datetime.now(timezone.utc)
    with unit_of_work(sessions) as s:
        orders = select_ready(s, criteria, lock=True)
        held = []
        for order in orders:  # before anything is numbered or printed
            problem = unprintable_fields(order)
            if problem:
                put_on_hold(order, UNPRINTABLE, _("No print font has these characters: {what}",
                                                   what=problem), user)
                held.append(order.order_no)
        if held:
            orders = [o for o in orders if o.order_no not in held]
            if not orders:
                s.commit()  # the holds stand
                raise BatchError(_("Every order chosen is on hold ({code}): {orders}",
                                   code=UNPRINTABLE, orders=", ".join(held)))
        if not orders:
            raise BatchError(_("No ready orders match: nothing to print"))
        batch = PickBatch(batch_no=f"B{now:%Y%m%d}-{next_number(s, 'pick_batch'):04d}", created_at=now,
                          created_by=user, printed_at=now, criteria=repr(criteria))
        s.add(batch)
        s.flush()
        printed: list[tuple[Order, Parcel]] = []
        # Orders whose number already came from an e-waybill service (waybills.issue_from_service)
        numbered = set(s.scalars(select(Parcel.order_id).where(Parcel.order_id.in_([o.id for o in orders]),
                                                               Parcel.status == "printed")))
        for order in orders:
            order.batch_id, order.printed_at = batch.id, now
            if order.courier and order.id not in numbered and waybills.uses_pool(s, order.courier):
                parcel = Parcel(order_id=order.id, seq=1, courier=order.courier, status="printed")
                s.add(parcel)
                printed.append((order, parcel))
        s.flush()  # every parcel in one go (their ids): the write lock is held for as short as can be
        for i, (order, parcel) in enumerate(printed, start=1):
            waybills.allocate(s, order.courier, parcel)
            if progress:
                progress(i, len(printed))
        if progress and not printed:
            progress(len(orders), len(orders))
        documents = ("pick-list", "packing-slip") + (("waybill",) if printed or numbered else ())
        jobs = [outbox.queue_rendering(s, document, batch.batch_no, user=user, station=station)
                for document in documents]
        s.commit()
        result = BatchResult(batch.batch_no, tuple(o.order_no for o in orders), tuple(jobs), len(printed),
                             tuple(held))
    # After the commit: drawing and a slow printer hold no lock. Every document is drawn
    # before any is sent: a batch prints whole or not at all.
    error = outbox.render_together(sessions, result.jobs)
    if error is not None:
        raise BatchError(_("Batch {batch} was not printed (nothing was sent): {error}",
                           batch=result.batch_no, error=error))
    outbox.send_jobs(sessions, list(result.jobs))
    return result
