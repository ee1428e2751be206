"""Services behind the pack bench: find the order, close its parcels, move the stock, print waybills.

Closing is one transaction: the order is claimed with a conditional UPDATE (a second
station gets ``already_packed``), the parcels and their contents are written, each parcel
gets its waybill number, the goods move bin → packing location through the ledger, and the
waybills go to the outbox.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import bindparam, case, delete, insert, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from station.catalog.models import Courier, Product, ProductImage
from station.db import write_later
from station.fulfilment import packed_numbers, waybills
from station.fulfilment.models import Order, Parcel, ParcelItem
from station.fulfilment.shipped_index import index_order
from station.i18n import _
from station.inventory import ledger
from station.inventory.models import Balance, Location
from station import outbox
from station import settings
from station.settings import Setting


class PackError(ValueError):
    code = "pack_error"


class AlreadyPacked(PackError):
    code = "already_packed"


class OrderCancelled(PackError):
    code = "order_cancelled"


class OrderOnHold(PackError):
    code = "order_on_hold"


class StockMissing(PackError):
    code = "stock_missing"


@dataclass(frozen=True)
class PackLine:
    sku: str
    qty: int
    name: str
    colour: str | None
    size: str | None
    gift: bool
    style: str | None
    bins: tuple[str, ...] = ()  # stock bins holding it, in walking order
    image: bool = False  # the product has a picture


_ORDER_BY_NO = select(Order).where(Order.order_no == bindparam("key"))
_PARCEL_BY_TRACKING = select(Parcel).where(Parcel.tracking_no == bindparam("key"))
_ORDER_BY_TRACKING = select(Order).where(Order.tracking_no == bindparam("key"))


def find_order(session: Session, key: str) -> Order | None:
    """An order by its number, or by a tracking number of one of its parcels."""
    order = session.scalar(_ORDER_BY_NO, {"key": key})
    if order is not None:
        return order
    parcel = session.scalar(_PARCEL_BY_TRACKING, {"key": key})
    if parcel is not None:
        return parcel.order
    return session.scalar(_ORDER_BY_TRACKING, {"key": key})


_PRODUCTS_BY_SKU = select(Product).where(Product.sku.in_(bindparam("skus", expanding=True)))
_STOCK_BINS = (select(Product.sku, Location.code).join(Balance, Balance.product_id == Product.id)
               .join(Location, Location.id == Balance.location_id)
               .where(Product.sku.in_(bindparam("skus", expanding=True)), Location.kind == "stock", Balance.qty > 0)
               .order_by(Location.code))


def stock_bins(session: Session, skus: list[str]) -> dict[str, tuple[str, ...]]:
    """The stock bins holding each SKU, in walking order (location code), as the pick list walks them."""
    found: dict[str, list[str]] = defaultdict(list)
    for sku, code in session.execute(_STOCK_BINS, {"skus": skus}):
        found[sku].append(code)
    return {sku: tuple(codes) for sku, codes in found.items()}


def pack_lines(session: Session, order: Order) -> list[PackLine]:
    """What must go in the box, one entry per SKU (gift lines separate), with catalog names."""
    products = {p.sku: p for p in session.scalars(_PRODUCTS_BY_SKU, {"skus": [l.sku for l in order.lines]})}
    merged: dict[tuple[str, bool], int] = defaultdict(int)
    for line in order.lines:
        merged[(line.sku, line.gift)] += line.qty
    bins = stock_bins(session, [sku for sku, _gift in merged])
    pictured = set(session.scalars(select(ProductImage.product_id).where(
        ProductImage.product_id.in_([p.id for p in products.values()])))) if products else set()
    out = []
    for (sku, gift), qty in merged.items():
        p = products.get(sku)
        out.append(PackLine(sku, qty, p.name if p else sku, p.colour if p else None, p.size if p else None,
                            gift, p.style if p else None, bins.get(sku, ()), p is not None and p.id in pictured))
    return out


def product_image(session: Session, sku: str) -> bytes | None:
    """The product's picture (a small JPEG, catalog.images), or None."""
    return session.scalar(select(ProductImage.data).join(Product, Product.id == ProductImage.product_id)
                          .where(Product.sku == sku))


def printed_parcel(order: Order) -> Parcel | None:
    """The parcel whose waybill was printed with the batch (print-first flow)."""
    if (order.batch_id is None and order.printed_at is None and order.status == "ready"
            and "parcels" in inspect(order).unloaded):
        # Parcels of an order still to pack come only from a printed batch or a number taken from an
        # e-waybill service (both set printed_at): none to read.
        set_committed_value(order, "parcels", [])
    return next((p for p in order.parcels if p.status == "printed"), None)


def packing_location(session: Session, station: str | None) -> Location:
    code = settings.PACKING_LOCATION.read(session, station) if station else None
    stmt = select(Location).where(Location.kind == "packing").order_by(Location.code).limit(1)
    if code is not None:
        stmt = select(Location).where(Location.code == code)
    location = session.scalar(stmt)
    if location is None:
        raise PackError(_("There is no packing location: import a location of kind packing"))
    return location


_SETTINGS, _LOCATIONS = Setting.__table__, Location.__table__
_SETTING_VALUE = select(_SETTINGS.c.value).where(_SETTINGS.c.key == bindparam("k")).scalar_subquery()
_PACKING_CODE = case(  # the location the station's setting names, else the first packing location
    (_SETTING_VALUE.is_not(None),
     select(_LOCATIONS.c.code).where(_LOCATIONS.c.code == _SETTING_VALUE).scalar_subquery()),
    else_=select(_LOCATIONS.c.code).where(_LOCATIONS.c.kind == "packing").order_by(_LOCATIONS.c.code)
    .limit(1).scalar_subquery(),
)
_PACKING = select(_PACKING_CODE)


def packing_location_code(session: Session, station: str | None) -> str:
    """packing_location's code, in one Core statement (the pack bench's close path)."""
    code = session.connection().execute(_PACKING, {"k": settings.PACKING_LOCATION.key(station)}).scalar()
    if code is None:
        raise PackError(_("There is no packing location: import a location of kind packing"))
    return code


_PRODUCTS, _BALANCES = Product.__table__, Balance.__table__
_BINS = (  # each SKU's stock bins in walk (code) order, and where the station packs: one round trip
    select(_PRODUCTS.c.sku, _LOCATIONS.c.code, _BALANCES.c.qty, _PACKING_CODE)
    .select_from(_BALANCES.join(_LOCATIONS, _BALANCES.c.location_id == _LOCATIONS.c.id)
                 .join(_PRODUCTS, _PRODUCTS.c.id == _BALANCES.c.product_id))
    .where(_PRODUCTS.c.sku.in_(bindparam("skus", expanding=True)), _LOCATIONS.c.kind == "stock",
           _BALANCES.c.qty > 0)
    .order_by(_PRODUCTS.c.sku, _LOCATIONS.c.code)
    # The balances read are locked until the close commits (in walk order, so two stations
    # never deadlock): the debits planned from them cannot be refused, and go out with the
    # transaction's other writes. (SQLite needs no lock: one writer at a time.)
    .with_for_update(of=_BALANCES)
)


def _plan_pick(session: Session, totals: dict[str, int], order_no: str, user: str | None,
               station: str | None) -> list[ledger.Move]:
    """The moves that take each SKU's quantity from its stock bins in walk (code) order into
    the station's packing location; the bins' balances stay locked until commit."""
    bins: dict[str, list[tuple[str, int]]] = defaultdict(list)
    packing = None
    rows = session.connection().execute(  # Core: balances are only written by the ledger
        _BINS, {"skus": list(totals), "k": settings.PACKING_LOCATION.key(station)}).all()
    for sku, code, have, packing in rows:
        bins[sku].append((code, have))
    if not rows:  # no stock at all: the shortage below says so, once the location is known
        packing = packing_location_code(session, station)
    if packing is None:
        raise PackError(_("There is no packing location: import a location of kind packing"))
    moves = []
    for sku, qty in sorted(totals.items()):
        left = qty
        for code, have in bins.get(sku, []):
            take = min(have, left)
            moves.append(ledger.Move(sku, take, code, packing, "pick", document=order_no, user=user,
                                     station=station))
            left -= take
            if left == 0:
                break
        if left:
            raise StockMissing(_("The books show only {have} of {sku} in the bins, {qty} packed: tell the supervisor",
                                 have=qty - left, sku=sku, qty=qty))
    return moves


_ORDERS = Order.__table__
_ITEMS = ParcelItem.__table__
_ADD_ITEMS = insert(_ITEMS).inline()
_CLEAR_ITEMS = delete(_ITEMS).where(_ITEMS.c.parcel_id == bindparam("pid"))
_CLAIM = (update(_ORDERS)
          .where(_ORDERS.c.id == bindparam("oid"), _ORDERS.c.status == "ready", _ORDERS.c.version == bindparam("v"))
          .values(status="packed", version=_ORDERS.c.version + 1).returning(_ORDERS.c.version))


def claim(session: Session, order: Order) -> None:
    """Mark the order packed unless another station did first, or it was cancelled or held meanwhile."""
    for _attempt in range(3):
        # Only the version we read: then the order in memory is the row as it now is, without
        # reading it again. Changed meanwhile (an import updated the address): read it, try again.
        version = session.connection().execute(_CLAIM, {"oid": order.id, "v": order.version}).scalar()
        if version is not None:
            set_committed_value(order, "status", "packed")
            set_committed_value(order, "version", version)
            return
        session.refresh(order)
        if order.status != "ready":
            break
    raise _refusal(order)


def _refusal(order: Order) -> PackError:
    if order.status == "cancelled":
        return OrderCancelled(_("Order {order_no} was cancelled: do not ship it. Put the goods back",
                                order_no=order.order_no))
    if order.status == "on_hold":
        return OrderOnHold(_("Order {order_no} is on hold: do not ship it", order_no=order.order_no))
    return AlreadyPacked(_("Order {order_no} is already packed", order_no=order.order_no))


def close_order(session: Session, order: Order, parcels: list[dict[str, int]], *, user: str | None,
                station: str | None, scanned_waybills: Sequence[str] = ()) -> list[Parcel]:
    """Write the packed parcels and move their stock; see the module docstring.

    ``scanned_waybills``: pre-printed waybills the packer scanned, in parcel order, for the
    parcels that have no number yet (not the batch's pre-printed parcel, which has one).
    Parcels left without a scanned number take the next from the courier's pool, if it has one;
    a shop with an e-waybill service closes them without one: the waybill job the close queues
    (`print_waybills`) asks the service after the commit (`packed_numbers.issue_for_closed`), with no
    transaction open and off the scan's path, then prints.
    """
    pre = printed_parcel(order)
    manual = list(scanned_waybills)
    claim(session, order)
    now = datetime.now(timezone.utc)
    totals: dict[str, int] = defaultdict(int)
    for items in parcels:
        for sku, qty in items.items():
            totals[sku] += qty
    # Everything read comes first, the writes nobody reads back last: on PostgreSQL those
    # go to the server together with the COMMIT (db.write_later).
    moves = _plan_pick(session, totals, order.order_no, user, station)
    made: list[Parcel] = []
    taken = {p.seq for p in order.parcels if p.id is not None}  # void parcels keep their number
    for seq, items in enumerate(parcels, start=1):
        parcel = pre if (seq == 1 and pre is not None) else Parcel(order_id=order.id, courier=order.courier)
        if parcel.id is None:
            parcel.seq = min(n for n in range(seq, seq + len(taken) + 1) if n not in taken)
            taken.add(parcel.seq)
            session.add(parcel)
        parcel.status, parcel.packed_by, parcel.station, parcel.closed_at = "closed", user, station, now
        made.append(parcel)
    session.flush()  # the parcels, in one go
    # Their contents as Core rows that go with the COMMIT (nothing here reads them back; the
    # collection is expired, so anyone who does in this session loads them, queued rows first).
    rows = [dict(parcel_id=parcel.id, sku=sku, qty=qty)
            for parcel, items in zip(made, parcels) for sku, qty in sorted(items.items()) if qty]
    if pre is not None:  # a batch's printed parcel: what it held before, if anything, goes
        write_later(session, _CLEAR_ITEMS, {"pid": pre.id})
    if rows:
        write_later(session, _ADD_ITEMS, rows)
    for parcel in made:
        session.expire(parcel, ["items"])
    service = False  # the shop's e-waybill service, asked once and only if a parcel has no number
    for parcel in made:
        if parcel.tracking_no is None:
            if manual:
                waybills.accept_manual(session, order.courier, manual.pop(0), parcel)
                continue
            if service is False:
                service = waybills.online_service(session, order.shop)
            if service:  # a platform order: its number comes from the service, asked after the commit
                packed_numbers.await_service_number(parcel, service)
                continue
            if order.courier:
                try:  # the courier's pool, if it has one (asked only when it has no number left)
                    waybills.allocate(session, order.courier, parcel)
                    continue
                except waybills.PoolEmpty:
                    if waybills.uses_pool(session, order.courier):
                        raise
            raise waybills.WaybillError(_("Parcel {n} of order {order} has no waybill: scan one",
                                          n=parcel.seq, order=order.order_no))
    ledger.move_many(session, moves, locked=True)  # on a refusal the caller rolls back: all or none
    index_order(session, order, now)  # a packed order can come back as a return
    session.flush()
    return made


def needs_manual_waybill(session: Session, order: Order) -> bool:
    """True when the packer must scan a pre-printed waybill (no number from a pool or a batch)."""
    if printed_parcel(order) is not None:
        return True
    if waybills.online_service(session, order.shop):
        return False  # its number comes from the shop's e-waybill service, asked after the close
    return not (order.courier and waybills.uses_pool(session, order.courier))


def waybill_documents(session: Session, order: Order, parcels: list[Parcel], *, reprint: bool = False):
    from station.fulfilment.weighing import parcel_weight_kg
    from station.printing.documents.waybill import Contact, Waybill

    courier = session.get(Courier, order.courier) if order.courier else None
    sender = sender_contact(session, order.shop)
    recipient = Contact(order.recipient, order.phone, order.province or "", order.city or "",
                        order.district or "", order.address)
    privacy = settings.waybill_privacy(session, order.shop)
    out = []
    for parcel in parcels:
        contents = [(i.sku, i.qty) for i in parcel.items] or [(l.sku, l.qty) for l in order.lines]
        summary = ", ".join(f"{sku} ×{qty}" for sku, qty in contents) or "-"
        out.append(Waybill(
            courier_code=order.courier or "-", courier_name=(courier.name_zh if courier else order.courier or "-"),
            # The courier's routing data, from its service or the pool file; none: an empty zone for its pen
            tracking_no=parcel.tracking_no or "-", routing_code=parcel.routing_code or "",
            recipient=recipient, sender=sender, item_summary=summary, order_no=order.order_no,
            printed_at=datetime.now().astimezone(), sorting_area=parcel.hub_name or parcel.hub_code or "",
            parcel_no=parcel.seq, parcel_count=len(parcels), reprint=reprint,
            # the scale's reading when the parcel was weighed (issue 18), else its products' weights
            weight_kg=(parcel_weight_kg(parcel) if parcel.weight_g is not None
                       else contents_weight_kg(session, contents)),
            # the cash to collect goes on one parcel only: the first of the order's
            cod_amount=order.cod_amount if waybills.carries_cod(order, parcel.seq) else None,
            insured_value=order.insured_value, payment=order.payment_method or "", privacy=privacy))
    return out


def contents_weight_kg(session: Session, contents: list[tuple[str, int]]):
    """The parcel's weight from its products' weights (kg, 2 places), or None when any product
    has none: a waybill shows no weight rather than a wrong one."""
    from decimal import Decimal

    skus = {sku for sku, _qty in contents}
    weights = dict(session.execute(select(Product.sku, Product.weight_g).where(Product.sku.in_(skus))).all())
    if not contents or any(weights.get(sku) is None for sku in skus):
        return None
    return (Decimal(sum(weights[sku] * qty for sku, qty in contents)) / 1000).quantize(Decimal("0.01"))


def sender_contact(session: Session, shop: str | None):
    from station.printing.documents.waybill import Contact

    def get(key: str, default: str) -> str:
        value = settings.SENDER.read(session, key)
        return value if value is not None else default

    return Contact(get("name", shop or "Station"), get("phone", ""), get("province", ""), get("city", ""),
                   get("district", ""), get("street", ""))


def print_waybills(session: Session, order: Order, *, user: str | None, station: str | None,
                   reprint: bool = False) -> None:
    """Queue the order's waybills; they are rendered and printed right after the scan's commit."""
    outbox.defer(session, "waybill", order.order_no, user=user, station=station, reprint=reprint)


def parcels_of(session: Session, order: Order) -> list[Parcel]:
    return [p for p in order.parcels if p.status in ("closed", "shipped")]

