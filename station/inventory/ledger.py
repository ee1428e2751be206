"""The stock ledger: every change of stock is a Movement, with its balances, in one transaction.

A move that would take a physical location below zero is refused with
``InsufficientStock``; the caller's transaction is left as it was before the move.
Virtual locations (supplier, customer, adjustment) are the other side of the books
and may go negative.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import bindparam, event, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from station.catalog.models import Product
from station.db import write_later
from station.i18n import _
from station.inventory.models import REASONS, VIRTUAL_KINDS, VIRTUAL_LOCATIONS, Balance, Location, Movement


class LedgerError(ValueError):
    """A refused stock movement; ``code`` is stable, ``str()`` is for a person."""

    code = "ledger_error"


class InsufficientStock(LedgerError):
    code = "insufficient_stock"


class UnknownSku(LedgerError):
    code = "unknown_sku"


class UnknownLocation(LedgerError):
    code = "unknown_location"


@dataclass(frozen=True)
class Move:
    sku: str
    qty: int
    from_location: str
    to_location: str
    reason: str
    document: str | None = None
    user: str | None = None
    station: str | None = None


def ensure_virtual_locations(session: Session) -> None:
    have = set(session.scalars(select(Location.code).where(Location.code.in_(VIRTUAL_LOCATIONS))))
    for code, kind in VIRTUAL_LOCATIONS.items():
        if code not in have:
            session.add(Location(code=code, kind=kind))
    session.flush()


@dataclass(frozen=True)
class _Ref:
    id: int
    key: str  # SKU or location code
    kind: str | None = None  # location kind


# Per database (engine): SKU -> product id and code -> (location id, kind). Products are never
# deleted and a location's kind cannot change once it has a movement, so these never go stale.
_refs: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()


def _cache(session: Session) -> dict:
    return _refs.setdefault(session.get_bind(), {})


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction) -> None:
    """A rolled-back transaction may have created a product or location that is now gone."""
    try:
        _refs.pop(session.get_bind(), None)
    except Exception:  # a session without a bind has cached nothing
        pass


def _product(session: Session, sku: str) -> _Ref:
    cache = _cache(session)
    ref = cache.get(("p", sku))
    if ref is None:
        pid = session.scalar(select(Product.id).where(Product.sku == sku))
        if pid is None:
            raise UnknownSku(_("Unknown SKU {sku}", sku=sku))
        ref = cache[("p", sku)] = _Ref(pid, sku)
    return ref


def _location(session: Session, code: str) -> _Ref:
    cache = _cache(session)
    ref = cache.get(("l", code))
    if ref is None:
        row = session.execute(select(Location.id, Location.kind).where(Location.code == code)).first()
        if row is None:
            raise UnknownLocation(_("Unknown location {code}", code=code))
        ref = cache[("l", code)] = _Ref(row[0], code, row[1])
    return ref


def prime(session: Session, products: dict[str, int], locations: dict[str, tuple[int, str]]) -> None:
    """Remember SKU -> product id and code -> (location id, kind) that the caller read in one query,
    so that thousands of moves (a count's adjustments) do not look them up one at a time."""
    cache = _cache(session)
    for sku, pid in products.items():
        cache.setdefault(("p", sku), _Ref(pid, sku))
    for code, (lid, kind) in locations.items():
        cache.setdefault(("l", code), _Ref(lid, code, kind))


# The writes of a move, built once and run on the session's connection: a Core statement
# through Session.execute pays for the ORM's bulk machinery (about 0.2 ms a statement here),
# through the connection it costs a few tens of microseconds. Balances are never ORM-managed
# on the write path, so no autoflush is needed before them.
_BALANCE = Balance.__table__
_MOVEMENT = Movement.__table__
_DEBIT = (
    update(_BALANCE)
    .where(_BALANCE.c.product_id == bindparam("p"), _BALANCE.c.location_id == bindparam("l"),
           _BALANCE.c.qty >= bindparam("q"))
    .values(qty=_BALANCE.c.qty - bindparam("q"))
)
_MOVEMENT_INSERT = insert(_MOVEMENT).inline()  # inline: no RETURNING id (db.write_later)


def _credit_statement(dialect: str):
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(_BALANCE).values(
        product_id=bindparam("p"), location_id=bindparam("l"), qty=bindparam("d"))
    return stmt.on_conflict_do_update(index_elements=[_BALANCE.c.product_id, _BALANCE.c.location_id],
                                      set_={"qty": _BALANCE.c.qty + stmt.excluded.qty}).inline()


_CREDIT = {name: _credit_statement(name) for name in ("sqlite", "postgresql")}


def _credit(session: Session, product_id: int, location_id: int, delta: int) -> None:
    """Add ``delta`` (may be negative, for virtual locations) atomically, creating the row.

    Nothing is read back, so it goes with the transaction's other writes (db.write_later):
    a credit cannot be refused once its movement passed _check."""
    write_later(session, _CREDIT[session.connection().dialect.name],
                {"p": product_id, "l": location_id, "d": delta})


def _debit_physical(session: Session, product: _Ref, location: _Ref, qty: int) -> None:
    # One atomic conditional UPDATE: two stations can never both take the last unit.
    result = session.connection().execute(_DEBIT, {"p": product.id, "l": location.id, "q": qty})
    if result.rowcount != 1:
        have = on_hand(session, product.key, location.key)
        raise InsufficientStock(
            _("Not enough {sku} in {location}: {have} on hand, {qty} asked",
              sku=product.key, location=location.key, have=have, qty=qty)
        )


def _check(session: Session, mv: Move) -> tuple[_Ref, _Ref, _Ref]:
    """Refuse a malformed movement; its product and both locations."""
    if mv.reason not in REASONS:
        raise LedgerError(_("Unknown movement reason {reason}", reason=mv.reason))
    if not isinstance(mv.qty, int) or mv.qty <= 0:
        raise LedgerError(_("A movement needs a positive whole quantity, not {qty}", qty=mv.qty))
    if mv.from_location == mv.to_location:
        raise LedgerError(_("A movement needs two different locations"))
    return _product(session, mv.sku), _location(session, mv.from_location), _location(session, mv.to_location)


def _row(mv: Move, product: _Ref, src: _Ref, dst: _Ref, at: datetime | None) -> dict:
    return dict(at=at or datetime.now(timezone.utc), product_id=product.id, qty=mv.qty,
                from_location_id=src.id, to_location_id=dst.id, reason=mv.reason,
                document=mv.document, user=mv.user, station=mv.station)


def _apply(session: Session, mv: Move, at: datetime | None) -> dict:
    """Check one movement and update both balances; returns the ledger row's values (not yet inserted)."""
    product, src, dst = _check(session, mv)
    # The debit comes first and writes nothing when it is refused, so a refused move leaves
    # the caller's transaction exactly as it was without the cost of a savepoint.
    if src.kind in VIRTUAL_KINDS:
        _credit(session, product.id, src.id, -mv.qty)
    else:
        _debit_physical(session, product, src, mv.qty)
    _credit(session, product.id, dst.id, mv.qty)
    return _row(mv, product, src, dst, at)


def move(session: Session, mv: Move, *, at: datetime | None = None) -> Movement:
    """Record one movement and update both balances; does not commit. Returns the (unsaved) row values."""
    values = _apply(session, mv, at)
    write_later(session, _MOVEMENT_INSERT, [values])
    return Movement(**values)


def move_many(session: Session, moves: list[Move], *, at: datetime | None = None,
              locked: bool = False) -> list[Movement]:
    """Several movements of one business event (an order's pick, a count's adjustments): every
    movement is checked first, then the debits, the credits and the ledger rows are written as
    three batched statements (the debits at once, the rest with the transaction's other writes). Does not commit. If a debit is
    refused (InsufficientStock), others of the batch have already changed balances in the
    caller's transaction: call this inside a savepoint or roll back on error.

    ``locked``: the caller read every debited balance in this transaction with a row lock
    (SELECT ... FOR UPDATE) and asks no more than it read, so no debit can be refused: on
    PostgreSQL the debits then go with the transaction's other writes too."""
    when = at or datetime.now(timezone.utc)
    checked = [(mv, *_check(session, mv)) for mv in moves]
    if not checked:
        return []
    debits, credits = [], []
    for mv, product, src, dst in checked:
        if src.kind in VIRTUAL_KINDS:
            credits.append({"p": product.id, "l": src.id, "d": -mv.qty})
        else:
            debits.append({"p": product.id, "l": src.id, "q": mv.qty})
        credits.append({"p": product.id, "l": dst.id, "d": mv.qty})
    conn = session.connection()
    if debits and locked and conn.dialect.name == "postgresql":
        write_later(session, _DEBIT, debits)
    elif debits and conn.execute(_DEBIT, debits).rowcount != len(debits):
        asked: dict[tuple[str, str], int] = {}
        for mv, _product_ref, src, _dst in checked:
            if src.kind not in VIRTUAL_KINDS:
                asked[(mv.sku, src.key)] = asked.get((mv.sku, src.key), 0) + mv.qty
        raise InsufficientStock(_("Not enough stock for these movements: {items}", items=", ".join(
            f"{sku}@{code} ×{qty}" for (sku, code), qty in asked.items())))
    # The debits were checked (their rowcount); credits and ledger rows are not read back:
    # they go with the transaction's other writes (db.write_later, one round trip on PostgreSQL).
    write_later(session, _CREDIT[conn.dialect.name], credits)
    rows = [_row(mv, product, src, dst, when) for mv, product, src, dst in checked]
    write_later(session, _MOVEMENT_INSERT, rows)
    return [Movement(**values) for values in rows]


def on_hand(session: Session, sku: str, location: str | None = None) -> int:
    """Units of ``sku`` in physical locations (or in one location)."""
    stmt = (
        select(func.coalesce(func.sum(Balance.qty), 0))
        .join(Product, Product.id == Balance.product_id)
        .join(Location, Location.id == Balance.location_id)
        .where(Product.sku == sku)
    )
    if location is None:
        stmt = stmt.where(Location.kind.not_in(VIRTUAL_KINDS))
    else:
        stmt = stmt.where(Location.code == location)
    return int(session.scalar(stmt))


@dataclass(frozen=True)
class StockRow:
    sku: str
    name: str
    colour: str | None
    size: str | None
    location: str
    kind: str
    qty: int


def stock_rows(session: Session, sku: str | None = None) -> list[StockRow]:
    """Non-zero balances in physical locations, by SKU then location."""
    stmt = (
        select(Product.sku, Product.name, Product.colour, Product.size, Location.code, Location.kind, Balance.qty)
        .join(Product, Product.id == Balance.product_id)
        .join(Location, Location.id == Balance.location_id)
        .where(Location.kind.not_in(VIRTUAL_KINDS), Balance.qty != 0)
        .order_by(Product.sku, Location.code)
    )
    if sku is not None:
        stmt = stmt.where(Product.sku == sku)
    return [StockRow(*row) for row in session.execute(stmt)]


@dataclass(frozen=True)
class Discrepancy:
    sku: str
    location: str
    balance: int
    ledger: int
    problem: str  # "mismatch" or "negative"


def verify(session: Session) -> list[Discrepancy]:
    """Every (sku, location) whose balance differs from the ledger sum, or is negative where it may not be."""
    inflow = (
        select(Movement.product_id.label("p"), Movement.to_location_id.label("l"), Movement.qty.label("q"))
    )
    outflow = select(Movement.product_id, Movement.from_location_id, -Movement.qty)
    flows = inflow.union_all(outflow).subquery()
    ledger = dict(
        ((p, l), int(q))
        for p, l, q in session.execute(
            select(flows.c.p, flows.c.l, func.sum(flows.c.q)).group_by(flows.c.p, flows.c.l)
        )
    )
    balances = {(b.product_id, b.location_id): b.qty for b in session.scalars(select(Balance))}
    skus = dict(session.execute(select(Product.id, Product.sku)).all())
    locations = {l.id: l for l in session.scalars(select(Location))}
    problems: list[Discrepancy] = []
    for key in sorted(set(ledger) | set(balances)):
        bal, led = balances.get(key, 0), ledger.get(key, 0)
        loc = locations[key[1]]
        if bal != led:
            problems.append(Discrepancy(skus[key[0]], loc.code, bal, led, "mismatch"))
        elif bal < 0 and not loc.is_virtual:
            problems.append(Discrepancy(skus[key[0]], loc.code, bal, led, "negative"))
    return problems


def rebuild_balances(session: Session) -> int:
    """Recompute every balance from the ledger (after a bulk load of movements); returns rows written."""
    session.execute(Balance.__table__.delete())
    inflow = select(Movement.product_id.label("p"), Movement.to_location_id.label("l"), Movement.qty.label("q"))
    outflow = select(Movement.product_id, Movement.from_location_id, -Movement.qty)
    flows = inflow.union_all(outflow).subquery()
    totals = select(flows.c.p, flows.c.l, func.sum(flows.c.q)).group_by(flows.c.p, flows.c.l)
    result = session.execute(Balance.__table__.insert().from_select(["product_id", "location_id", "qty"], totals))
    return result.rowcount
