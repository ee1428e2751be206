"""The receive bench: scan the PO (or a receipt number), then the goods; DONE closes the receipt.

Goods: an EAN/UPC or SKU label counts 1, a case barcode its pack quantity, a GS1-128 carton
label its count (AI 37/30, times the pack quantity of its GTIN) and records batch and expiry;
``QTY:N`` keys the quantity of the next scan (bulk goods). Every unit counted is booked into
the receiving location through the ledger at once, so a crash loses nothing.

Every error while a receipt is open stays until CONFIRM (every other scan is ``acknowledge_first``).
What stops the clerk and needs more than CONFIRM:
``not_on_po`` and ``over_tolerance`` (more than the PO quantity plus the tolerance) wait for a
supervisor's badge, which lets the units in, or CONFIRM, which leaves them out;
``unknown_barcode`` waits for CONFIRM (set the item aside) or a supervisor's badge and then the
SKU label of the product the barcode belongs to (the barcode is linked and the unit counted).
The quality check by scan (while the receipt is open or just after it closed): a reason code from the
command sheet (``QC:damaged``, ...), then each failed unit, which goes to quarantine; DONE ends the check.
BLIND with no receipt open: the next item opens a blind receipt (no PO) from its product's supplier
and is counted in it. Commands: DONE (close: short and over lines listed), UNDO (the last scan back), CANCEL (park the
receipt; scan the PO again to go on), REPRINT (product labels for the units of the last scan; once
the receipt is closed, its receiving note again, e.g. after the quality check).

A pure state machine (issue 14): ``step(state, scan, port)``; the receipt, the catalog and the
ledger are reached through a ``ReceivePort`` (the runner's: ``station.workflows.ports.receive``).

Over ~400 lines on purpose: the bench's facts, its port, its typed state and its machine are one
state machine and read together; nothing in it touches the database (that side is in ports/).
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any, Protocol

from station.i18n import N_, _
from station.scanning import Scan, ScanKind
from station.workflows.base import KeyedState, MachineBench, Outcome, Step
from station.workflows.messages import item_scan, unreadable
from station.workflows.outcomes import Level

QTY_RE = re.compile(r"(?i)QTY:(\d{1,6})")
QC_RE = re.compile(r"(?i)QC:([a-z_]{1,32})")
# The quality check's reason codes: ``QC:<code>`` barcodes on the command sheet (station print command-sheet)
QC_REASONS: dict[str, str] = {
    "damaged": N_("damaged"),
    "stained": N_("stained or dirty"),
    "defective": N_("defective"),
    "wrong_item": N_("wrong item or size"),
    "missing_parts": N_("parts missing"),
    "expired": N_("expired or too short a date"),
}
APPROVAL = ("over_tolerance", "not_on_po", "unknown_barcode")
UNDO_DEPTH = 20  # scans UNDO can take back
PROGRESS_LINES = 8  # progress lines in an outcome's details (the screen shows the whole table)


# What each reason code says on the command sheet
QC_SHEET: dict[str, str] = {
    "damaged": N_("Quality check failed: damaged"),
    "stained": N_("Quality check failed: stained or dirty"),
    "defective": N_("Quality check failed: defective"),
    "wrong_item": N_("Quality check failed: wrong item or size"),
    "missing_parts": N_("Quality check failed: parts missing"),
    "expired": N_("Quality check failed: expired or too short a date"),
}


# --- the facts --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    sku: str
    description: str
    pack_qty: int = 1


@dataclass(frozen=True)
class ReceiptFacts:
    receipt_no: str
    status: str  # open, closed
    po: str | None  # None: a blind receipt
    supplier: str
    blind_reason: str | None
    receipt_id: int
    location: str


@dataclass(frozen=True)
class Received:
    line_id: int
    received: int  # units on the line now


@dataclass(frozen=True)
class NotReceived:
    code: str  # over_tolerance (another station counted the last units), receipt_already_closed
    message: str


class ReceivePort(Protocol):
    def product(self, scan: Scan) -> Item | None:
        """What a barcode names (remembered: barcodes are only ever added, never moved)."""

    def product_now(self, scan: Scan) -> Item | None:
        """The same, asked of the catalog now."""

    def product_by_sku(self, sku: str) -> Item: ...

    def po_or_receipt_exists(self, key: str) -> bool: ...

    def open_receipt(self, key: str) -> ReceiptFacts | None:
        """The PO's open receipt (opened if none is), else the receipt of that number; None if neither."""

    def lines(self, receipt_id: int) -> list["Line"]: ...

    def tolerance_pct(self) -> int: ...

    def line_received(self, line_id: int) -> int:
        """Units on the line now, other stations' scans included."""

    def receive(self, receipt: ReceiptFacts, sku: str, qty: int, *, batch: str | None, expiry: str | None,
                approved_by: str | None, line_id: int | None, limit: int | None) -> Received | NotReceived: ...

    def badge(self, badge: str) -> tuple[str, frozenset[str]] | None: ...

    def link_barcode(self, barcode: str, sku: str) -> None: ...

    def close(self, receipt_no: str) -> list["ClosedLine"]:
        """Close the receipt and queue its receiving note."""

    def take_back(self, receipt_no: str, sku: str, qty: int, batch: str | None, expiry: str | None) -> None: ...

    def reprint_note(self, receipt_no: str) -> None: ...

    def labels_per_case(self) -> bool: ...

    def print_labels(self, sku: str, qty: int, cases: int | None) -> None: ...

    def quarantine(self, receipt_no: str, sku: str, qty: int, reason: str) -> tuple[int, int] | NotReceived:
        """`qty` more units of `sku` on the receipt failed the quality check for `reason`: they go to quarantine.
        Returns (units of the line failed now, units received)."""

    def open_blind(self, sku: str) -> ReceiptFacts:
        """A blind receipt (no PO) from the product's supplier, opened at the bench by CMD-BLIND."""

    def needs_labels(self, sku: str, supplier: str | None) -> bool:
        """The product (flag ``labels``) or the supplier (setting ``receive.label_suppliers``) is marked
        "needs labels": its labels print as it is received."""


# --- the state --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    sku: str
    name: str
    expected: int
    received: int
    on_po: bool
    id: int

    def to_dict(self) -> dict[str, Any]:
        return {"sku": self.sku, "name": self.name, "expected": self.expected, "received": self.received,
                "on_po": self.on_po, "id": self.id}


@dataclass(frozen=True)
class ClosedLine:
    sku: str
    name: str
    expected: int
    received: int
    quarantined: int
    short: int = 0
    over: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"sku": self.sku, "name": self.name, "expected": self.expected, "received": self.received,
                "quarantined": self.quarantined}


@dataclass(frozen=True)
class Pending(KeyedState):
    """An error waiting for CONFIRM, a badge or a SKU label, with what the refused scan would have counted."""
    code: str = ""
    message: str = ""
    barcode: str | None = None
    sku: str | None = None
    qty: int | None = None
    batch: str | None = None
    expiry: str | None = None
    cases: int | None = None
    scan: str | None = None
    supervisor: str | None = None


@dataclass(frozen=True)
class ReceiveState(KeyedState):
    receipt: str | None = None
    po: str | None = None
    supplier: str | None = None
    blind: bool = False
    qty: int | None = None  # keyed with QTY:N, for the next scan
    pending: Pending | None = None
    history: tuple[tuple[str, int, str | None, str | None, int], ...] = ()  # (sku, qty, batch, expiry, cases)
    last_receipt: str | None = None
    tolerance_pct: int = 0
    receipt_id: int | None = None
    location: str | None = None
    lines: tuple[Line, ...] = ()
    last_lines: tuple[ClosedLine, ...] = ()  # the closed receipt's lines, for the quality check on the screen
    not_counted: str | None = None  # for the one scan after a CONFIRM: the item scan the error refused
    blind_next: bool = False  # CMD-BLIND scanned: the next item opens a blind receipt from its supplier
    qc_reason: str | None = None  # a QC: reason code scanned: the next items failed the check (to quarantine)

    @classmethod
    def read(cls, key: str, value: Any) -> Any:
        if key == "pending":
            return Pending.from_dict(value) if value else None
        if key == "lines":
            return tuple(Line(l["sku"], l.get("name", l["sku"]), l["expected"], l["received"], l.get("on_po", True),
                              l["id"]) for l in value or [])
        if key == "last_lines":
            return tuple(ClosedLine(l["sku"], l.get("name", l["sku"]), l["expected"], l["received"],
                                    l.get("quarantined", 0)) for l in value or [])
        if key == "history":
            return tuple(tuple(h) for h in value or [])
        return super().read(key, value)

    def line(self, sku: str) -> Line | None:
        return next((l for l in self.lines if l.sku == sku), None)

    def with_line(self, line: Line) -> "ReceiveState":
        """The state with `line` in place of the line of its SKU (or added at the end)."""
        if self.line(line.sku) is None:
            return self.put(lines=(*self.lines, line))
        return self.put(lines=tuple(line if l.sku == line.sku else l for l in self.lines))

    def progress_lines(self, first: str | None = None) -> list[str]:
        """``✓/□ SKU received/expected``: the line just scanned, then lines still open (at most PROGRESS_LINES)."""
        shown = [l for l in self.lines if l.sku == first]
        shown += [l for l in self.lines if l.sku != first and l.received < l.expected][:PROGRESS_LINES - len(shown)]
        return [f"{'✓' if l.received >= l.expected and l.received else '□'} {l.sku}  {l.received}/{l.expected}"
                for l in shown]


def _lot(scan: Scan) -> dict[str, Any]:
    """Batch and expiry of a GS1 carton label (best-before when it has no expiry date)."""
    when = scan.expiry or scan.best_before
    return {"batch": scan.batch, "expiry": when.isoformat() if when else None}


def _quantity(state: ReceiveState, scan: Scan, pack_qty: int) -> tuple[ReceiveState, int]:
    keyed = state.qty
    state = state.put(qty=None)
    if keyed:
        return state, keyed
    if scan.kind is ScanKind.GS1 and scan.count:
        return state, scan.count * pack_qty
    return state, pack_qty


def _hold(state: ReceiveState, code: str, message: str, **what: Any) -> tuple[ReceiveState, Outcome]:
    pending = Pending().put(code=code, message=message, **what)
    return state.put(qty=None).put(pending=pending), Outcome.error(code, message)


# --- one scan ---------------------------------------------------------------------------------------------------
def step(state: ReceiveState, scan: Scan, port: ReceivePort) -> Step[ReceiveState]:
    # The refused scan a held error was confirmed for, kept for the one scan after the CONFIRM:
    # an UNDO then takes back nothing (that scan counted nothing), not the good units before it.
    not_counted = state.not_counted
    state = state.drop("not_counted")
    waited = bool(state.pending)
    state, outcome = _handle(state, scan, port, not_counted)
    if outcome.level is Level.ERROR and state.receipt and not state.pending and outcome.code != "acknowledge_first":
        state = state.put(pending=Pending().put(code=outcome.code, message=outcome.message))  # stays until CONFIRM
    if state.pending and not waited and not state.pending.has("scan"):
        state = state.put(pending=state.pending.put(scan=item_scan(scan)))
    return Step(state, outcome)


def _handle(state: ReceiveState, scan: Scan, port: ReceivePort, not_counted: str | None) -> tuple[ReceiveState, Outcome]:
    command = scan.value if scan.kind is ScanKind.COMMAND else None
    pending = state.pending if state.receipt else None
    if pending:
        return _pending(state, pending, scan, command, port)
    if command and state.qc_reason and command in ("DONE", "CANCEL"):
        return state.drop("qc_reason"), Outcome.ok("qc_finished", _("Quality check finished"))
    if command:
        return _command(state, command, port, not_counted)
    if scan.kind is ScanKind.UNKNOWN:
        return state, unreadable(scan)
    reason = QC_RE.fullmatch(scan.value) if scan.kind is ScanKind.SKU else None
    if reason or (state.qc_reason and scan.kind in (ScanKind.PRODUCT, ScanKind.SKU, ScanKind.GS1)):
        return _quality(state, scan, reason.group(1).lower() if reason else None, port)
    if not state.receipt and state.blind_next and scan.kind in (ScanKind.PRODUCT, ScanKind.SKU, ScanKind.GS1):
        return _open_blind(state, scan, port)
    if not state.receipt:
        return _open(state, scan, port)
    keyed = QTY_RE.fullmatch(scan.value) if scan.kind is ScanKind.SKU else None
    if keyed:
        qty = int(keyed.group(1))
        if qty <= 0:
            return state, Outcome.error("bad_quantity", _("A quantity must be at least 1"))
        return state.put(qty=qty), Outcome.ok("quantity_keyed", _("Quantity {qty}: now scan the item", qty=qty))
    if scan.kind in (ScanKind.PRODUCT, ScanKind.SKU, ScanKind.GS1):
        found = port.product(scan)
        if found is None:
            if scan.kind is ScanKind.SKU and port.po_or_receipt_exists(scan.value):
                return state, Outcome.error("receipt_in_progress", _("Finish receipt {receipt} first (DONE), or CANCEL",
                                                                     receipt=state.receipt))
            if scan.kind is ScanKind.GS1 and not scan.gtin:
                return state, Outcome.error("unknown_barcode", _("Scan the carton label with the GTIN, not {code}",
                                                                 code=scan.value))
            state, qty = _quantity(state, scan, 1)
            return _hold(state, "unknown_barcode", _("Barcode {code} is not in the catalog: set the item aside "
                                                     "(CONFIRM) or a supervisor links it (badge)", code=scan.value),
                         barcode=scan.gtin if scan.kind is ScanKind.GS1 else scan.value, qty=qty, **_lot(scan))
        keyed = bool(state.qty)
        cases = 1 if not keyed and (found.pack_qty > 1 or (scan.kind is ScanKind.GS1 and scan.count)) else 0
        state, qty = _quantity(state, scan, found.pack_qty)
        return _item(state, found, qty, scan, port, cases=cases)
    if scan.kind is ScanKind.ORDER:
        return state, Outcome.error("receipt_in_progress", _("Finish receipt {receipt} first (DONE), or CANCEL",
                                                             receipt=state.receipt))
    return state, Outcome.error("wrong_bench", _("{kind} scans are not used at the receive bench", kind=str(scan.kind)))


# --- opening ----------------------------------------------------------------------------------------------------
def _open(state: ReceiveState, scan: Scan, port: ReceivePort) -> tuple[ReceiveState, Outcome]:
    if scan.kind not in (ScanKind.SKU, ScanKind.ORDER, ScanKind.PRODUCT):
        return state, Outcome.error("scan_po_first", _("Scan the PO number on the delivery note first"))
    receipt = port.open_receipt(scan.value)
    if receipt is None:
        if port.product_now(scan) is not None:
            return state, Outcome.error("scan_po_first", _("Scan the PO number on the delivery note first"))
        return state, Outcome.error("unknown_po", _("No purchase order {po}", po=scan.value))
    if receipt.status != "open":
        return state, Outcome.error("receipt_already_closed", _("Receipt {receipt} is closed",
                                                                receipt=receipt.receipt_no))
    state = _opened(state, receipt, port)
    total = sum(l.expected for l in state.lines)
    if receipt.po is None:
        return state, Outcome.ok("receipt_opened", _("Blind receipt {receipt} from {supplier}: scan the goods",
                                                     receipt=receipt.receipt_no, supplier=receipt.supplier),
                                 _("Reason: {reason}", reason=receipt.blind_reason or ""), *state.progress_lines())
    return state, Outcome.ok("receipt_opened", _("PO {po} from {supplier}: {n} units expected",
                                                 po=receipt.po, supplier=receipt.supplier, n=total),
                             _("Receipt {receipt}", receipt=receipt.receipt_no), *state.progress_lines())


def _opened(state: ReceiveState, receipt: ReceiptFacts, port: ReceivePort) -> ReceiveState:
    return ReceiveState().put(
        receipt=receipt.receipt_no, po=receipt.po, supplier=receipt.supplier, blind=receipt.po is None, qty=None,
        pending=None, history=(), last_receipt=state.last_receipt, tolerance_pct=port.tolerance_pct(),
        receipt_id=receipt.receipt_id, location=receipt.location, lines=tuple(port.lines(receipt.receipt_id)))


def _open_blind(state: ReceiveState, scan: Scan, port: ReceivePort) -> tuple[ReceiveState, Outcome]:
    """The first item after CMD-BLIND: a blind receipt from its supplier opens, and the item is counted in it."""
    found = port.product(scan)
    if found is None:
        return state, Outcome.error("unknown_barcode", _("Barcode {code} is not in the catalog: a blind receipt "
                                                         "starts with an item Station knows", code=scan.value))
    receipt = port.open_blind(found.sku)
    state, qty = _quantity(_opened(state, receipt, port), scan, found.pack_qty)
    cases = 1 if found.pack_qty > 1 or (scan.kind is ScanKind.GS1 and scan.count) else 0
    state, outcome = _item(state, found, qty, scan, port, cases=cases)
    opened = _("Blind receipt {receipt} from {supplier}: scan the goods, DONE closes it", receipt=receipt.receipt_no,
               supplier=receipt.supplier)
    return state, Outcome(outcome.level, outcome.code, outcome.message, (opened, *outcome.details))


def _quality(state: ReceiveState, scan: Scan, reason: str | None, port: ReceivePort) -> tuple[ReceiveState, Outcome]:
    """The quality check by scan: a reason code from the sheet, then each failed unit (to quarantine)."""
    receipt = state.receipt or state.last_receipt
    if receipt is None:
        return state, Outcome.error("scan_po_first", _("Scan the PO number on the delivery note first"))
    if reason is not None:
        if reason not in QC_REASONS:
            return state, Outcome.error("unknown_qc_reason", _("QC:{code} is no reason on the sheet; scan one of: "
                                                               "{codes}", code=reason, codes=", ".join(QC_REASONS)))
        return state.put(qc_reason=reason), Outcome.ok(
            "qc_reason_set", _("Quality check of {receipt}: {reason}. Scan each failed unit: it goes to quarantine",
                               receipt=receipt, reason=_(QC_REASONS[reason])), _("DONE ends the check"))
    found = port.product(scan)
    if found is None:  # not unknown_barcode: that one waits for a supervisor to link it, and counts it in
        return state, Outcome.error("not_on_receipt", _("Barcode {code} is not in the catalog: it is on no receipt",
                                                        code=scan.value))
    state, qty = _quantity(state, scan, found.pack_qty)
    done = port.quarantine(receipt, found.sku, qty, state.qc_reason)
    if isinstance(done, NotReceived):
        return state, Outcome.error(done.code, done.message)
    failed, received = done
    if not state.receipt and state.last_lines:  # the closed receipt's lines on the screen show it at once
        state = state.put(last_lines=tuple(dataclasses.replace(l, quarantined=failed) if l.sku == found.sku else l
                                           for l in state.last_lines))
    return state, Outcome.warn("unit_quarantined", _("{sku} ×{qty} to quarantine ({reason}): {failed} of {received} "
                                                     "failed", sku=found.sku, qty=qty,
                                                     reason=_(QC_REASONS[state.qc_reason]), failed=failed,
                                                     received=received), _("Scan the next failed unit, or DONE"))


# --- items ------------------------------------------------------------------------------------------------------
def _item(state: ReceiveState, product: Item, qty: int, scan: Scan, port: ReceivePort,
          approved_by: str | None = None, cases: int = 0) -> tuple[ReceiveState, Outcome]:
    line = state.line(product.sku)
    lot = {**_lot(scan), "cases": cases}
    if approved_by is None and not state.blind:
        if line is None or not line.on_po:
            return _hold(state, "not_on_po", _("{sku} {name} is not on PO {po}: a supervisor lets it in (badge) "
                                               "or set it aside (CONFIRM)", sku=product.sku, name=product.description,
                                               po=state.po), sku=product.sku, qty=qty, **lot)
        line = Line(line.sku, line.name, line.expected, port.line_received(line.id), line.on_po, line.id)
        state = state.with_line(line)  # another station may share the PO
        over = line.received + qty - line.expected
        allowed = line.expected * (state.tolerance_pct or 0) // 100
        if over > allowed:
            return _hold(state, "over_tolerance", _("Too many {sku}: {received} of {expected} would be received, "
                                                    "{allowed} over allowed; a supervisor's badge lets them in",
                                                    sku=product.sku, received=line.received + qty,
                                                    expected=line.expected, allowed=allowed),
                         sku=product.sku, qty=qty, **lot)
        return _count(state, product, qty, lot, port, approved_by, limit=line.expected + allowed)
    return _count(state, product, qty, lot, port, approved_by)


def _count(state: ReceiveState, product: Item, qty: int, lot: dict[str, Any], port: ReceivePort,
           approved_by: str | None, limit: int | None = None) -> tuple[ReceiveState, Outcome]:
    line = state.line(product.sku)
    receipt = ReceiptFacts(state.receipt, "open", state.po, state.supplier, None, state.receipt_id, state.location)
    done = port.receive(receipt, product.sku, qty, batch=lot.get("batch"), expiry=lot.get("expiry"),
                        approved_by=approved_by, line_id=line.id if line else None, limit=limit)
    if isinstance(done, NotReceived):
        if done.code == "over_tolerance":  # another station counted the last units a moment ago
            return _hold(state, "over_tolerance", done.message, sku=product.sku, qty=qty, **lot)
        # closed at another station
        return ReceiveState().put(receipt=None, last_receipt=state.receipt), Outcome.error(done.code, done.message)
    if line is None:
        line = Line(product.sku, product.description, 0, 0, False, done.line_id)
    line = Line(line.sku, line.name, line.expected, done.received, line.on_po, line.id)
    state = state.with_line(line)
    history = (*state.history, (product.sku, qty, lot.get("batch"), lot.get("expiry"), lot.get("cases", 0)))
    state = state.put(history=history[-UNDO_DEPTH:])  # the state is saved with every scan: keep it small
    details = []
    if lot.get("batch") or lot.get("expiry"):
        details.append(_("Batch {batch}, expiry {expiry}", batch=lot.get("batch") or "-",
                         expiry=lot.get("expiry") or "-"))
    if port.needs_labels(product.sku, state.supplier):  # queued (the outbox's deferred path): the scan never waits
        cases = lot.get("cases", 0)
        per_case = bool(cases) and port.labels_per_case()
        port.print_labels(product.sku, qty, cases if per_case else None)
        details.append(_("{n} labels printing: stick one on each", n=cases if per_case else qty))
    details += state.progress_lines(product.sku)
    message = _("{sku} {name} +{qty}: {received}/{expected}", sku=product.sku, name=product.description,
                qty=qty, received=line.received, expected=line.expected)
    if approved_by:
        return state, Outcome.ok("supervisor_approved", message, _("Let in by {name}", name=approved_by), *details)
    if line.expected and line.received > line.expected:
        return state, Outcome.warn("over_within_tolerance", message,
                                   _("More than ordered, within the tolerance"), *details)
    return state, Outcome.ok("item_received", message, *details)


# --- held errors ------------------------------------------------------------------------------------------------
def _lot_of(pending: Pending) -> dict[str, Any]:
    return {"batch": pending.batch, "expiry": pending.expiry, "cases": pending.cases or 0}


def _pending(state: ReceiveState, pending: Pending, scan: Scan, command: str | None,
             port: ReceivePort) -> tuple[ReceiveState, Outcome]:
    if command == "CONFIRM":
        state = state.put(pending=None).put(not_counted=pending.scan)
        if pending.code == "link":
            return state, Outcome.warn("link_cancelled", _("Not linked: set the item aside"), *state.progress_lines())
        if pending.code in APPROVAL:
            return state, Outcome.warn("set_aside", _("Not counted: set the item aside"), *state.progress_lines())
        return state, Outcome.ok("error_acknowledged", _("Error acknowledged: carry on"), *state.progress_lines())
    if scan.kind is ScanKind.BADGE and pending.code in APPROVAL:
        person = port.badge(scan.value)
        if person is None or "supervisor" not in person[1]:
            return state, Outcome.error("supervisor_required", _("{name} is not a supervisor: a supervisor's badge "
                                                                 "is needed", name=person[0] if person else "?"))
        if pending.code == "unknown_barcode":
            state = state.put(pending=pending.put(code="link", supervisor=person[0]))
            return state, Outcome.warn("link_scan_sku", _("{name}: scan the SKU label of the product barcode {code} "
                                                          "belongs to", name=person[0], code=pending.barcode))
        state = state.put(pending=None)
        return _count(state, port.product_by_sku(pending.sku), pending.qty, _lot_of(pending), port, person[0])
    if pending.code == "link" and scan.kind in (ScanKind.SKU, ScanKind.PRODUCT):
        found = port.product_now(scan)
        if found is None:
            return state, Outcome.error("unknown_sku", _("Unknown SKU {sku}", sku=scan.value))
        port.link_barcode(pending.barcode, found.sku)
        state = state.put(pending=None)
        state, outcome = _count(state, found, pending.qty, _lot_of(pending), port, pending.supervisor)
        if outcome.level is not Level.OK:  # not counted after all (e.g. the receipt was closed meanwhile)
            return state, outcome
        return state, Outcome.ok("barcode_linked",
                                 _("Barcode {code} is now {sku}; counted", code=pending.barcode, sku=found.sku),
                                 *outcome.details)
    return state, Outcome.error("acknowledge_first", _("Scan CONFIRM first to acknowledge: {message}",
                                                       message=pending.message))


# --- commands ---------------------------------------------------------------------------------------------------
def _command(state: ReceiveState, command: str, port: ReceivePort, not_counted: str | None) -> tuple[ReceiveState, Outcome]:
    if command == "REPRINT":
        return state, _labels(state, port)
    if not state.receipt:
        if command == "CONFIRM":
            return state, Outcome.ok("nothing_to_confirm", _("Nothing to confirm"))
        if command == "BLIND":
            return state.put(blind_next=True), Outcome.ok(
                "blind_receipt_started", _("Blind receipt (no PO): scan the first item, its supplier names the receipt"))
        if command == "CANCEL" and state.blind_next:
            return state.drop("blind_next"), Outcome.warn("blind_receipt_cancelled",
                                                          _("No blind receipt: scan the PO number instead"))
        return state, Outcome.error("scan_po_first", _("Scan the PO number on the delivery note first"))
    if command == "DONE":
        lines = port.close(state.receipt)
        short = [f"{l.sku} -{l.short}" for l in lines if l.short]
        over = [f"{l.sku} +{l.over}" for l in lines if l.over]
        details = []
        if short:
            details.append(_("Short: {lines}", lines=", ".join(short)))
        if over:
            details.append(_("Over: {lines}", lines=", ".join(over)))
        # The closed receipt's lines stay for the quality check on the screen.
        closed = ReceiveState().put(receipt=None, last_receipt=state.receipt, last_lines=tuple(lines))
        message = _("Receipt {receipt} closed: {n} units received", receipt=state.receipt,
                    n=sum(l.received for l in lines))
        if details:
            return closed, Outcome.warn("receipt_closed_variance", message, *details)
        return closed, Outcome.ok("receipt_closed", message, _("Everything as ordered"))
    if command == "CANCEL":
        return ReceiveState().put(receipt=None, last_receipt=state.last_receipt), Outcome.warn(
            "receipt_parked", _("Receipt {receipt} parked: scan the PO again to go on", receipt=state.receipt))
    if command == "UNDO":
        if not_counted:  # the last scan was refused and confirmed: nothing of it to take back
            return state, Outcome.warn("nothing_to_undo", _("Nothing to undo: {scan} was not counted",
                                                            scan=not_counted.replace("\x1d", "<GS>")),
                                       *state.progress_lines())
        if not state.history:
            return state, Outcome.warn("nothing_to_undo", _("Nothing to undo"))
        sku, qty, batch, expiry, _cases = state.history[-1]
        state = state.put(history=state.history[:-1])
        port.take_back(state.receipt, sku, qty, batch, expiry)
        line = state.line(sku)
        state = state.with_line(Line(line.sku, line.name, line.expected, line.received - qty, line.on_po, line.id))
        return state, Outcome.warn("undone", _("Took back the last scan: {sku} ×{n}", sku=sku, n=qty),
                                   *state.progress_lines(sku))
    if command == "CONFIRM":
        return state, Outcome.ok("nothing_to_confirm", _("Nothing to confirm"))
    return state, Outcome.warn("command_not_used", _("Command {command} does nothing here", command=command))


def _labels(state: ReceiveState, port: ReceivePort) -> Outcome:
    """With a receipt open: labels for the last scan. Once closed: the receiving note again (after the check)."""
    if not state.receipt and state.last_receipt:
        port.reprint_note(state.last_receipt)
        return Outcome.ok("note_reprinted", _("Receiving note {receipt} sent to the printer",
                                              receipt=state.last_receipt))
    if not state.history:
        return Outcome.warn("nothing_to_reprint", _("Scan an item first: its labels print for the units received"))
    sku, qty, _batch, _expiry, cases = state.history[-1]
    if cases and port.labels_per_case():
        port.print_labels(sku, qty, cases)
        return Outcome.ok("labels_printed", _("{n} case labels for {sku} sent to the printer", n=cases, sku=sku))
    port.print_labels(sku, qty, None)
    return Outcome.ok("labels_printed", _("{n} labels for {sku} sent to the printer", n=qty, sku=sku))


class ReceiveBench(MachineBench):
    name = "receive"
    title = N_("Receive")
    roles = frozenset({"receiver", "supervisor"})
    commands = {
        "DONE": N_("Close the receipt: the receiving note prints"),
        "UNDO": N_("Take back the last scan's units"),
        "REPRINT": N_("Labels for the last scan's units (after closing: the receiving note again)"),
        "CANCEL": N_("Park the receipt: scan the PO again to go on"),
        "BLIND": N_("A delivery without a PO: the next item opens a blind receipt from its supplier"),
    }
    sheet_codes = {f"QC:{code}": meaning for code, meaning in QC_SHEET.items()}
    State = ReceiveState
    step = staticmethod(step)
    typed: ReceiveState

    @property
    def receipt_no(self) -> str | None:
        return self.typed.receipt

    def takes_badge(self) -> bool:
        pending = self.typed.pending
        return bool(pending) and pending.code in APPROVAL

    def _line(self, sku: str) -> dict | None:
        """The receipt line of `sku` in its saved form (a copy)."""
        line = self.typed.line(sku)
        return line.to_dict() if line else None

    def progress_lines(self, first: str | None = None) -> list[str]:
        return self.typed.progress_lines(first)
