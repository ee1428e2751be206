"""Receiving against a PO (or blind), the quality check, and quarantine: the services the benches call.

Every unit received is a ledger movement SUPPLIER → receiving location (reason ``receipt``,
document = the receipt number) in the same transaction as its receipt line; units that fail
the quality check move receiving location → quarantine (reason ``transfer``, same document).
A refused action raises ``InboundError`` with a stable ``code`` and writes nothing.

Several receive stations may work on one PO: there is at most one open receipt per PO (a
partial unique index, migration 0009), and opening, closing and every booking held to the
tolerance lock the PO's row first (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's write
transactions are serialised anyway), so a second station joins the open receipt and the
tolerance check sees what the other station booked.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from station.catalog.models import Product
from station.i18n import _
from station.inbound.models import PurchaseOrder, PurchaseOrderLine, Receipt, ReceiptLine, ReceiptLot
from station.inventory import ledger
from station.inventory.models import Location
from station import settings



class InboundError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def over_tolerance_pct(session: Session) -> int:
    return max(settings.RECEIVE_OVER_TOLERANCE_PCT.read(session), 0)


def allowed_over(expected: int, pct: int) -> int:
    """Units a line may exceed its PO quantity by without a supervisor (rounded down)."""
    return expected * pct // 100


def _first_location(session: Session, kind: str) -> str:
    code = session.scalar(select(Location.code).where(Location.kind == kind).order_by(Location.code).limit(1))
    if code is None:
        raise InboundError(f"no_{kind}_location",
                           _("There is no {kind} location: import one first", kind=kind))
    return code


def receiving_location(session: Session) -> str:
    return settings.RECEIVE_LOCATION.read(session) or _first_location(session, "receiving")


def quarantine_location(session: Session) -> str:
    return settings.RECEIVE_QUARANTINE.read(session) or _first_location(session, "quarantine")


def find_po(session: Session, key: str) -> PurchaseOrder | None:
    return session.scalar(select(PurchaseOrder).where(PurchaseOrder.po_no == key))


def find_receipt(session: Session, key: str) -> Receipt | None:
    return session.scalar(select(Receipt).where(Receipt.receipt_no == key))


def _new_receipt(session: Session, **kw) -> Receipt:
    receipt = Receipt(receipt_no=f"tmp-{uuid.uuid4().hex[:24]}", status="open", location=receiving_location(session),
                      opened_at=datetime.now(timezone.utc), **kw)
    session.add(receipt)
    session.flush()
    receipt.receipt_no = f"RCV-{receipt.id:06d}"
    session.flush()
    return receipt


def received_before(session: Session, po: PurchaseOrder) -> dict[int, int]:
    """Units of each product received on this PO's closed receipts."""
    return dict(session.execute(
        select(ReceiptLine.product_id, func.sum(ReceiptLine.received))
        .join(Receipt, Receipt.id == ReceiptLine.receipt_id)
        .where(Receipt.po_id == po.id, Receipt.status == "closed")
        .group_by(ReceiptLine.product_id)).all())


def lock_po(session: Session, po_id) -> tuple[int, str] | None:
    """Hold the PO's row until the transaction ends: opening, closing and tolerance-checked bookings
    of one PO then happen one station after the other, each seeing what the one before committed.

    ``po_id`` may be a scalar subquery. Returns the PO's id and its status as committed now
    (read once the lock is held), or None when there is no such PO."""
    row = session.execute(select(PurchaseOrder.id, PurchaseOrder.status)
                          .where(PurchaseOrder.id == po_id).with_for_update()).first()
    return (row[0], row[1]) if row else None


def _open_receipt_of(session: Session, po_id: int) -> Receipt | None:
    return session.scalar(select(Receipt).where(Receipt.po_id == po_id, Receipt.status == "open")
                          .execution_options(populate_existing=True))


OPEN_ATTEMPTS = 3


def open_receipt(session: Session, po: PurchaseOrder, *, user: str | None, station: str | None) -> Receipt:
    """The PO's open receipt (another station's, or one parked), else a new one expecting what is outstanding.

    Never a second open receipt: the PO's row is locked first, and should a station that took no
    lock open one in between, the unique index refuses ours and we join theirs.
    """
    locked = lock_po(session, po.id)
    for _attempt in range(OPEN_ATTEMPTS):
        receipt = _open_receipt_of(session, po.id)
        if receipt is not None:
            return receipt
        if locked is not None and locked[1] == "received":  # (also: received in full at another station meanwhile)
            raise InboundError("po_already_received", _("PO {po} is already received in full", po=po.po_no))
        before = received_before(session, po)
        try:
            with session.begin_nested():  # a savepoint: a unique violation leaves the scan's transaction usable
                receipt = _new_receipt(session, po_id=po.id, supplier=po.supplier, opened_by=user, station=station)
                for pl in po.lines:
                    session.add(ReceiptLine(receipt_id=receipt.id, product_id=pl.product_id,
                                            expected=max(pl.qty - int(before.get(pl.product_id, 0)), 0),
                                            received=0, quarantined=0, on_po=True))
                session.flush()
        except IntegrityError:  # uq_receipt_one_open_per_po: another station's receipt is open now; join it
            continue
        return receipt
    raise InboundError("receipt_busy", _("PO {po} is being opened at another station: scan it again",
                                         po=po.po_no))


def open_blind_receipt(session: Session, supplier: str, reason: str, *, user: str | None,
                       station: str | None) -> Receipt:
    """A delivery without a PO: allowed, but only with a reason (kept on the receipt and its note)."""
    if not supplier.strip():
        raise InboundError("supplier_required", _("A blind receipt needs the supplier"))
    if not reason.strip():
        raise InboundError("reason_required", _("A blind receipt needs a reason"))
    return _new_receipt(session, po_id=None, supplier=supplier.strip(), blind_reason=reason.strip()[:200],
                        opened_by=user, station=station)


def line_for(session: Session, receipt: Receipt, product_id: int, *, lock: bool = False) -> ReceiptLine | None:
    """``lock``: hold the line's row until the commit (a change that depends on what it holds now)."""
    # populate_existing: receive() counts with a Core UPDATE, so a line loaded before may hold an old count
    stmt = select(ReceiptLine).where(ReceiptLine.receipt_id == receipt.id, ReceiptLine.product_id == product_id)
    return session.scalar((stmt.with_for_update() if lock else stmt).execution_options(populate_existing=True))


@dataclass(frozen=True)
class ReceiptRef:
    """What the bench keeps of an open receipt, so a scan needs no query to find it."""

    id: int
    receipt_no: str
    location: str

    @classmethod
    def of(cls, receipt: Receipt) -> "ReceiptRef":
        return cls(receipt.id, receipt.receipt_no, receipt.location)


def receive(session: Session, receipt: Receipt | ReceiptRef, sku: str, qty: int, *, batch: str | None = None,
            expiry: date | None = None, user: str | None, station: str | None,
            approved_by: str | None = None, line_id: int | None = None, limit: int | None = None) -> tuple[int, int]:
    """Book ``qty`` units into the receiving location and onto the receipt line (a new line if not on the PO).

    Returns the line's id and its units received now (other stations' scans included). Refused,
    booking nothing, with ``receipt_already_closed`` once the receipt is closed (also by another
    station), and with ``over_tolerance`` when the line would pass ``limit`` units.
    """
    ref = receipt if isinstance(receipt, ReceiptRef) else ReceiptRef.of(receipt)
    if line_id is None:
        product_id = session.scalar(select(Product.id).where(Product.sku == sku))
        if product_id is None:
            raise InboundError("unknown_sku", _("Unknown SKU {sku}", sku=sku))
        line_id = session.scalar(select(ReceiptLine.id).where(ReceiptLine.receipt_id == ref.id,
                                                              ReceiptLine.product_id == product_id))
        if line_id is None:
            line = ReceiptLine(receipt_id=ref.id, product_id=product_id, expected=0, received=0, quarantined=0,
                               on_po=False)
            session.add(line)
            session.flush()
            line_id = line.id
    values = {"received": ReceiptLine.received + qty}
    if approved_by:
        values["approved_by"] = approved_by
    still_open = select(Receipt.id).where(Receipt.id == ref.id, Receipt.status == "open").scalar_subquery()
    stmt = update(ReceiptLine).where(ReceiptLine.id == line_id, ReceiptLine.receipt_id == still_open)
    if limit is not None:  # one conditional UPDATE: two stations on one PO can never pass the limit together
        stmt = stmt.where(ReceiptLine.received + qty <= limit)
        # Under the PO's lock, across all its receipts: what the PO's other receipts booked of this
        # product, plus this line, may pass the PO quantity by no more than this line's allowance.
        locked = lock_po(session, select(Receipt.po_id).where(Receipt.id == ref.id).scalar_subquery())
        if locked is not None:
            po_id = locked[0]
            other = aliased(ReceiptLine)
            elsewhere = (select(func.coalesce(func.sum(other.received), 0))
                         .join(Receipt, Receipt.id == other.receipt_id)
                         .where(Receipt.po_id == po_id, other.product_id == ReceiptLine.product_id,
                                other.receipt_id != ReceiptLine.receipt_id).scalar_subquery())
            ordered = (select(PurchaseOrderLine.qty)
                       .where(PurchaseOrderLine.po_id == po_id,
                              PurchaseOrderLine.product_id == ReceiptLine.product_id).scalar_subquery())
            stmt = stmt.where(elsewhere + ReceiptLine.received + qty <= ordered + (limit - ReceiptLine.expected))
    now = session.execute(stmt.values(**values).returning(ReceiptLine.received)
                          .execution_options(synchronize_session=False)).scalar()
    if now is None:
        if limit is not None and session.scalar(select(Receipt.status).where(Receipt.id == ref.id)) == "open":
            raise InboundError("over_tolerance", _("Too many {sku}: more than {limit} would be received",
                                                   sku=sku, limit=limit))
        raise InboundError("receipt_already_closed", _("Receipt {receipt} is closed", receipt=ref.receipt_no))
    ledger.move(session, ledger.Move(sku, qty, "SUPPLIER", ref.location, "receipt",
                                     document=ref.receipt_no, user=user, station=station))
    if batch or expiry:
        session.execute(insert(ReceiptLot), [{"line_id": line_id, "batch": batch, "expiry": expiry, "qty": qty}])
    return line_id, int(now)


def line_received(session: Session, line_id: int) -> int:
    """Units on a receipt line now, other stations' scans included."""
    return int(session.scalar(select(ReceiptLine.received).where(ReceiptLine.id == line_id)) or 0)


def take_back(session: Session, receipt: Receipt, sku: str, qty: int, *, batch: str | None = None,
              expiry: date | None = None, user: str | None, station: str | None) -> None:
    """UNDO of a scan: the units go back to the supplier's side of the books (a counter-movement)."""
    line = line_for(session, receipt, session.scalar(select(Product.id).where(Product.sku == sku)))
    if receipt.status != "open" or line is None or line.received < qty:
        raise InboundError("cannot_undo", _("Nothing to undo"))
    ledger.move(session, ledger.Move(sku, qty, receipt.location, "SUPPLIER", "receipt",
                                     document=receipt.receipt_no, user=user, station=station))
    line.received -= qty
    if batch or expiry:
        lot = session.scalar(select(ReceiptLot).where(ReceiptLot.line_id == line.id, ReceiptLot.batch == batch,
                                                      ReceiptLot.expiry == expiry, ReceiptLot.qty == qty)
                             .order_by(ReceiptLot.id.desc()).limit(1))
        if lot is not None:
            session.delete(lot)


@dataclass(frozen=True)
class LineSummary:
    id: int
    sku: str
    name: str
    expected: int
    received: int
    quarantined: int
    on_po: bool

    @property
    def short(self) -> int:
        return max(self.expected - self.received, 0)

    @property
    def over(self) -> int:
        return max(self.received - self.expected, 0)


def summary(session: Session, receipt: Receipt) -> list[LineSummary]:
    rows = session.execute(
        select(ReceiptLine.id, Product.sku, Product.name, Product.colour, Product.size, ReceiptLine.expected,
               ReceiptLine.received, ReceiptLine.quarantined, ReceiptLine.on_po)
        .join(Product, Product.id == ReceiptLine.product_id)
        .where(ReceiptLine.receipt_id == receipt.id).order_by(ReceiptLine.id))
    return [LineSummary(id_, sku, " ".join(x for x in (name, colour, size) if x), e, r, q, on_po)
            for id_, sku, name, colour, size, e, r, q, on_po in rows]


def close_receipt(session: Session, receipt: Receipt, *, user: str | None) -> list[LineSummary]:
    """Close the receipt; the PO counts as received when nothing on it is outstanding any more."""
    if receipt.po_id is not None:  # a station opening the PO meanwhile waits, then opens the next receipt
        lock_po(session, receipt.po_id)
        session.refresh(receipt, ["status"])
    if receipt.status != "open":
        raise InboundError("receipt_already_closed", _("Receipt {receipt} is closed", receipt=receipt.receipt_no))
    receipt.status, receipt.closed_at, receipt.closed_by = "closed", datetime.now(timezone.utc), user
    session.flush()
    if receipt.po is not None:
        before = received_before(session, receipt.po)
        if all(int(before.get(pl.product_id, 0)) >= pl.qty for pl in receipt.po.lines):
            receipt.po.status = "received"
    return summary(session, receipt)


def quality_check(session: Session, receipt: Receipt, sku: str, failed: int, reason: str, *,
                  user: str | None, station: str | None) -> ReceiptLine:
    """Record one line's inspection. ``failed`` units (all of the line's failures so far) go to quarantine.

    Refused: a SKU not on the receipt, more failures than units received, failures without a
    reason, fewer failures than already quarantined (a release is the supervisor's, at put-away).
    """
    product_id = session.scalar(select(Product.id).where(Product.sku == sku))
    # Locked: two desks recording the line's check at once must not both move the same failures to
    # quarantine (PostgreSQL let both read quarantined = 0; SQLite serialises writers anyway).
    line = line_for(session, receipt, product_id, lock=True) if product_id is not None else None
    if line is None:
        raise InboundError("not_on_receipt", _("{sku} is not on receipt {receipt}", sku=sku,
                                               receipt=receipt.receipt_no))
    if failed < 0 or failed > line.received:
        raise InboundError("bad_quantity", _("{sku}: {failed} failed but {received} received", sku=sku,
                                             failed=failed, received=line.received))
    if failed and not reason.strip():
        raise InboundError("reason_required", _("Say why {sku} failed the check", sku=sku))
    if failed < line.quarantined:
        raise InboundError("already_quarantined", _("{n} of {sku} are already in quarantine: a supervisor releases "
                                                    "them at the put-away bench", n=line.quarantined, sku=sku))
    more = failed - line.quarantined
    if more:
        ledger.move(session, ledger.Move(sku, more, receipt.location, quarantine_location(session), "transfer",
                                         document=receipt.receipt_no, user=user, station=station))
    line.quarantined = failed
    line.qc_result = "pass" if failed == 0 else "fail" if failed == line.received else "partial"
    line.qc_reason = reason.strip()[:200] or None
    line.qc_by = user
    session.flush()
    return line


def record_quality_check(sessions, receipt_no: str, sku: str, failed: int, reason: str, *, user: str | None,
                         station: str | None) -> LineSummary:
    """One user action (the receive screen's QC form): check one line in its own unit of work."""
    from station.db import unit_of_work

    with unit_of_work(sessions) as s:
        receipt = find_receipt(s, receipt_no)
        if receipt is None:
            raise InboundError("unknown_receipt", _("No receipt {receipt}", receipt=receipt_no))
        quality_check(s, receipt, sku, failed, reason, user=user, station=station)
        s.commit()
        return next(l for l in summary(s, receipt) if l.sku == sku)
