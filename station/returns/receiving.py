"""Receiving a return parcel: open it, find its order, decide each item, put each item where it belongs.

Services take a session and plain values and never commit (the bench's runner commits once per
scan). A refused action raises ``ReturnError`` with a stable ``code`` and writes nothing:

* ``already_received`` — this parcel (its return tracking number) was received or refused already;
* ``already_returned`` — every unit of that SKU in the order has come back already (in this
  parcel or another, at this station or another: one ``return_item`` row per unit, unique);
* ``not_in_order`` — the item is not in the matched order;
* ``policy_refused`` — a refused item cannot be restocked (quarantine it, or a supervisor overrides);
* ``not_disposed`` — the parcel cannot be closed while an item has no place yet.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station.catalog.models import Product
from station.fulfilment.models import Order, OrderLine, Parcel
from station.fulfilment.shipped_index import RETURNABLE
from station.i18n import _
from station.inventory import ledger
from station.inventory.models import Location
from station import outbox
from station.returns.models import ExpectedReturn
from station.returns.policy import CONDITIONS, REASONS, ReturnedItem, decide_item, override
from station.returns.receipt_models import ReturnItem, ReturnReceipt

#: Where each kind of location sends an item, and the ledger reason of the move.
DISPOSAL = {"stock": ("restock", "return_restock"), "quarantine": ("quarantine", "return_quarantine"),
            "scrap": ("scrap", "scrap")}
NOTE_TEXT_FIELDS = ("account", "name", "phone", "order_no", "reason", "text", "tracking")


class ReturnError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _new_receipt(session: Session, **values) -> ReturnReceipt:
    """A receipt numbered from its own id (RR-000042): two stations opening parcels at the same
    moment never get the same number."""
    receipt = ReturnReceipt(receipt_no=f"new-{uuid.uuid4().hex[:24]}", status="open", type="refund", cod=False,
                            opened_at=_now(), **values)
    session.add(receipt)
    session.flush()
    receipt.receipt_no = f"RR-{receipt.id:06d}"
    session.flush()
    return receipt


def find_receipt(session: Session, receipt_no: str) -> ReturnReceipt | None:
    return session.scalar(select(ReturnReceipt).where(ReturnReceipt.receipt_no == receipt_no))


def receipt_for_tracking(session: Session, tracking: str) -> ReturnReceipt | None:
    return session.scalar(select(ReturnReceipt).where(ReturnReceipt.return_tracking == tracking)
                          .order_by(ReturnReceipt.id.desc()).limit(1))


def _registered(session: Session, tracking: str) -> ExpectedReturn | None:
    return session.scalar(select(ExpectedReturn).where(ExpectedReturn.return_tracking == tracking,
                                                       ExpectedReturn.status != "cancelled")
                          .order_by(ExpectedReturn.id).limit(1))


def open_parcel(session: Session, tracking: str, *, user: str | None, station: str | None) -> tuple[ReturnReceipt, str]:
    """A return parcel by its tracking number: (receipt, how) with how ``registered`` (matched at
    once to the order customer service registered), ``resumed`` (the parcel is already on a
    bench, unfinished) or ``opened`` (not registered: the slip or the note must find the order)."""
    earlier = receipt_for_tracking(session, tracking)
    if earlier is not None:
        if earlier.status in ("received", "refused"):
            raise ReturnError("already_received", _(
                "Parcel {tracking} was received already ({receipt}, {status}): nothing is restocked twice",
                tracking=tracking, receipt=earlier.receipt_no, status=earlier.status))
        return earlier, "resumed"
    receipt = _new_receipt(session, return_tracking=tracking, opened_by=user, station=station)
    expected = _registered(session, tracking)
    if expected is not None:
        confirm(session, receipt, session.get(Order, expected.order_id), "registered")
        return receipt, "registered"
    return receipt, "opened"


def open_without_tracking(session: Session, *, user: str | None, station: str | None) -> ReturnReceipt:
    """A parcel whose tracking number cannot be read (brought in by hand, label torn off)."""
    return _new_receipt(session, opened_by=user, station=station)


def confirm(session: Session, receipt: ReturnReceipt, order: Order, how: str) -> None:
    """The clerk (or a decisive clue) names the order: the parcel is matched to it."""
    if order.status not in RETURNABLE:
        raise ReturnError("order_not_shipped", _("Order {order_no} has not shipped (status {status})",
                                                 order_no=order.order_no, status=order.status))
    receipt.order_id, receipt.matched_by, receipt.status = order.id, how, "matched"
    expected = session.scalar(select(ExpectedReturn).where(
        ExpectedReturn.order_id == order.id, ExpectedReturn.status == "expected").order_by(ExpectedReturn.id).limit(1))
    if expected is not None:
        receipt.expected_id, receipt.type = expected.id, expected.type
    session.flush()


def store_note(receipt: ReturnReceipt, note: dict) -> None:
    """Keep the note as entered, and its words in one searchable line."""
    receipt.note = dict(note)
    receipt.note_text = " · ".join(str(note[k]) for k in NOTE_TEXT_FIELDS if note.get(k)) or None
    if note.get("cod"):
        receipt.cod = True


def refuse_cod(session: Session, receipt: ReturnReceipt, *, user: str | None, station: str | None) -> None:
    """A freight-collect (到付) parcel: refused whole, nothing received; the refusal note is printed."""
    if receipt.items:
        raise ReturnError("items_scanned", _("Items of this parcel were received already: call the supervisor"))
    receipt.cod, receipt.status, receipt.closed_at, receipt.closed_by = True, "refused", _now(), user
    session.flush()
    outbox.defer(session, "return-refusal", receipt.receipt_no, user=user, station=station)


def returns_shelf(session: Session) -> str:
    code = session.scalar(select(Location.code).where(Location.kind == "returns").order_by(Location.code).limit(1))
    if code is None:
        raise ReturnError("no_returns_location", _("There is no returns location: add one (kind returns), e.g. RET-01"))
    return code


def shelve_unidentified(session: Session, receipt: ReturnReceipt, *, user: str | None, station: str | None = None,
                        skus: list[str] | None = None) -> str:
    """No order found: the parcel goes to the unidentified-returns shelf; its receipt number is its tag.

    Its items (`skus`, one per unit: what the clerk scanned out of it) go on the books there, customer →
    shelf (``return_unidentified``): a count of the shelf finds them where the books say. Shelved again
    after it came back to the bench, only the difference moves."""
    shelf = returns_shelf(session)
    before = _units(receipt.shelved_items) if receipt.location == shelf else {}
    if receipt.shelved_items and receipt.location and receipt.location != shelf:  # moved shelf: all off the old
        _move_units(session, _units(receipt.shelved_items), receipt.location, "CUSTOMER", receipt, user, station)
    after = _units(skus or [])
    _move_units(session, {sku: n - before.get(sku, 0) for sku, n in after.items() if n > before.get(sku, 0)},
                "CUSTOMER", shelf, receipt, user, station)
    _move_units(session, {sku: n - after.get(sku, 0) for sku, n in before.items() if n > after.get(sku, 0)},
                shelf, "CUSTOMER", receipt, user, station)
    receipt.location, receipt.shelved_items = shelf, sorted(skus or []) or None
    receipt.status, receipt.closed_at, receipt.closed_by = "unidentified", _now(), user
    session.flush()
    return receipt.location


def _units(skus: list[str] | None) -> dict[str, int]:
    units: dict[str, int] = {}
    for sku in skus or ():
        units[sku] = units.get(sku, 0) + 1
    return units


def _move_units(session: Session, units: dict[str, int], source: str, target: str, receipt: ReturnReceipt,
                user: str | None, station: str | None) -> None:
    for sku, qty in sorted(units.items()):
        if qty > 0:
            ledger.move(session, ledger.Move(sku, qty, source, target, "return_unidentified", receipt.receipt_no,
                                             user, station))


def take_off_shelf(session: Session, receipt: ReturnReceipt, *, user: str | None, station: str | None) -> None:
    """Matched at last: the units it was shelved with leave the shelf's books (shelf → customer); each is
    then received like any returned item (scanned, decided, placed: customer → its place)."""
    if receipt.shelved_items and receipt.location:
        _move_units(session, _units(receipt.shelved_items), receipt.location, "CUSTOMER", receipt, user, station)
    receipt.shelved_items = None
    session.flush()


def reopen_unidentified(session: Session, receipt: ReturnReceipt) -> None:
    """The tag of a shelved parcel scanned again: it is back on the bench to be matched."""
    receipt.status, receipt.closed_at, receipt.closed_by = "open", None, None
    session.flush()


def search_unidentified(session: Session, text: str | None = None) -> list[ReturnReceipt]:
    stmt = select(ReturnReceipt).where(ReturnReceipt.status == "unidentified")
    for word in (text or "").split():
        stmt = stmt.where(ReturnReceipt.note_text.contains(word) | (ReturnReceipt.return_tracking == word))
    return list(session.scalars(stmt.order_by(ReturnReceipt.id)))


# --- items ---------------------------------------------------------------------------------
def _ship_time(session: Session, order: Order) -> datetime | None:
    return order.shipped_at or session.scalar(select(func.max(Parcel.closed_at)).where(
        Parcel.order_id == order.id, Parcel.status.in_(("closed", "shipped"))))


def _asked_at(session: Session, receipt: ReturnReceipt) -> datetime:
    if receipt.expected_id:
        expected = session.get(ExpectedReturn, receipt.expected_id)
        if expected is not None:
            return expected.created_at
    return receipt.opened_at


def _decide(session: Session, receipt: ReturnReceipt, sku: str, reason: str, conditions: frozenset[str],
            gift: bool):
    order = session.get(Order, receipt.order_id)
    product = session.scalar(select(Product).where(Product.sku == sku))
    flags = set(product.flag_set if product else ())
    if gift:
        flags.add("gift")
    return decide_item(ReturnedItem(sku, reason, frozenset(flags), conditions), shipped_at=_ship_time(session, order),
                       delivered=order.delivered_at, asked_at=_asked_at(session, receipt))


def _apply_decision(item: ReturnItem, decision) -> None:
    item.decision, item.accepted, item.postage = decision.code, decision.accepted, decision.postage
    item.decision_text = decision.text()


def add_item(session: Session, receipt: ReturnReceipt, sku: str, *, reason: str = "no_reason") -> ReturnItem:
    """One unit out of the parcel: checked against the order, decided by the policy."""
    if receipt.status != "matched" or receipt.order_id is None:
        raise ReturnError("match_first", _("Find the order first: scan the return slip or enter the note"))
    lines = session.execute(select(OrderLine.qty, OrderLine.gift, OrderLine.unit_price).where(
        OrderLine.order_id == receipt.order_id, OrderLine.sku == sku)).all()
    if not lines:
        order_no = session.scalar(select(Order.order_no).where(Order.id == receipt.order_id))
        raise ReturnError("not_in_order", _("{sku} is not in order {order_no}: put it aside for the supervisor",
                                            sku=sku, order_no=order_no))
    ordered = sum(l.qty for l in lines)
    gift = all(l.gift for l in lines)
    price = next((l.unit_price for l in lines if l.unit_price is not None), None)
    decision = _decide(session, receipt, sku, reason, frozenset(), gift)
    for _attempt in range(ordered + 1):
        # Claim the next unit; a unit another station claimed meanwhile makes the insert fail on
        # uq_return_item_unit, and the count (read again, committed rows included) moves on to the next.
        back = session.scalar(select(func.count(ReturnItem.id)).where(ReturnItem.order_id == receipt.order_id,
                                                                      ReturnItem.sku == sku)) or 0
        if back >= ordered:
            break
        item = ReturnItem(receipt_id=receipt.id, order_id=receipt.order_id, sku=sku, unit_no=back + 1,
                          unit_price=price, reason=reason, conditions="")
        _apply_decision(item, decision)
        try:
            with session.begin_nested():
                session.add(item)
                session.flush()
        except IntegrityError:
            continue
        session.expire(receipt, ["items"])
        return item
    raise ReturnError("already_returned", _(
        "All {ordered} × {sku} of this order have come back already: nothing is received twice",
        ordered=ordered, sku=sku))


def inspect(session: Session, item: ReturnItem, *, condition: str | None = None, reason: str | None = None) -> None:
    """What the inspection found (a condition) or why the buyer sends it (a reason): decided again."""
    if item.disposition:
        raise ReturnError("already_disposed", _("{sku} is already in {location}", sku=item.sku, location=item.location))
    if condition is not None and condition not in CONDITIONS:
        raise ReturnError("bad_condition", _("Condition {condition} unknown; allowed: {allowed}",
                                             condition=condition, allowed=", ".join(CONDITIONS)))
    if reason is not None and reason not in REASONS:
        raise ReturnError("bad_reason", _("Reason {reason} unknown; allowed: {allowed}",
                                          reason=reason, allowed=", ".join(REASONS)))
    conditions = {c for c in item.conditions.split(";") if c} | ({condition} if condition else set())
    item.conditions = ";".join(sorted(conditions))
    item.reason = reason or item.reason
    gift = all(session.scalars(select(OrderLine.gift).where(OrderLine.order_id == item.order_id,
                                                            OrderLine.sku == item.sku)))
    _apply_decision(item, _decide(session, item.receipt, item.sku, item.reason, frozenset(conditions), gift))
    item.overridden_by = item.override_reason = None


def override_item(session: Session, item: ReturnItem, *, user: str, roles, accept: bool, reason: str) -> None:
    """A supervisor's decision replaces the policy's; who and why are kept on the item."""
    gift = all(session.scalars(select(OrderLine.gift).where(OrderLine.order_id == item.order_id,
                                                            OrderLine.sku == item.sku)))
    conditions = frozenset(c for c in item.conditions.split(";") if c)
    decided = override(_decide(session, item.receipt, item.sku, item.reason, conditions, gift), user=user,
                       roles=tuple(roles), accept=accept, reason=reason)
    _apply_decision(item, decided)
    item.overridden_by, item.override_reason = user, decided.override_reason


def dispose(session: Session, item: ReturnItem, location: str, *, user: str | None, station: str | None) -> str:
    """Put one unit where it belongs; the location's kind says how: a bin restocks it (ledger
    ``return_restock``), a quarantine location quarantines it, a scrap location writes it off."""
    if item.disposition:
        raise ReturnError("already_disposed", _("{sku} is already in {location}", sku=item.sku, location=item.location))
    kind = session.scalar(select(Location.kind).where(Location.code == location))
    if kind not in DISPOSAL:
        raise ReturnError("not_a_return_location", _(
            "{location} is not a bin, quarantine or scrap location", location=location))
    disposition, reason = DISPOSAL[kind]
    if disposition == "restock" and not item.accepted:
        raise ReturnError("policy_refused", _(
            "{sku} is refused by the return policy: quarantine it, or a supervisor overrides", sku=item.sku))
    ledger.move(session, ledger.Move(item.sku, 1, "CUSTOMER", location, reason, item.receipt.receipt_no, user, station))
    item.disposition, item.location, item.disposed_at, item.disposed_by = disposition, location, _now(), user
    session.flush()
    return disposition


def close(session: Session, receipt: ReturnReceipt, *, user: str | None, station: str | None,
          exchange_skus: list[str] | None = None) -> str | None:
    """Every item has its place: the receipt is closed, the registered return marked received,
    an exchange gets its new order, and the return receipt goes to the printer. Returns the
    exchange order's number, if one was made."""
    waiting = [i.sku for i in receipt.items if not i.disposition]
    if waiting:
        raise ReturnError("not_disposed", _("Still to put away: {items}", items=", ".join(waiting)))
    if not receipt.items:
        raise ReturnError("nothing_received", _("No item scanned yet: scan the items out of the parcel"))
    receipt.status, receipt.closed_at, receipt.closed_by = "received", _now(), user
    if receipt.expected_id:
        expected = session.get(ExpectedReturn, receipt.expected_id)
        if expected is not None:
            expected.status = "received"
    if receipt.type == "exchange":
        from station.returns.handoff import create_exchange_order

        receipt.exchange_order_no = create_exchange_order(session, receipt, exchange_skus)
    session.flush()
    outbox.defer(session, "return-receipt", receipt.receipt_no, user=user, station=station)
    return receipt.exchange_order_no


def exchange_for(session: Session, receipt: ReturnReceipt, sku: str) -> None:
    """The buyer wants ``sku`` in exchange (another size or colour): the return becomes an exchange."""
    if session.scalar(select(Product.id).where(Product.sku == sku)) is None:
        raise ReturnError("unknown_sku", _("Unknown SKU {sku}", sku=sku))
    receipt.type = "exchange"
    session.flush()


def refund_amount(items: list[ReturnItem]) -> Decimal:
    return sum((i.unit_price or Decimal("0") for i in items if i.accepted), Decimal("0"))
