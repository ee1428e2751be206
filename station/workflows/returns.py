"""The returns bench: receive a return parcel, find its order, decide and put away each item.

1. Scan the parcel's tracking number. A return customer service registered is matched at once
   (``return_matched``); otherwise (``parcel_opened``) scan the return slip from our packing
   slip, or enter the customer's note (``NOTE:{json}``: the form on screen sends the same line).
   A note marked freight collect (``"cod": true``) refuses the parcel (``cod_refused``) and
   prints the refusal note. The candidates come back ranked with their evidence
   (``confident_match`` or ``candidates_found``); the clerk confirms one by scanning or typing its order number, or
   CONFIRM for the top one when the engine is confident — never by itself when two are close.
   No candidate: DONE shelves the parcel as unidentified under its tag number (its receipt
   number), with its note kept and searchable, and the items scanned out of it on the shelf's
   books (ledger ``return_unidentified``: customer → shelf); scanning the tag later takes it back
   with its items, and once it is matched they leave the shelf's books and are received as usual.
2. Scan each item out of the parcel: the policy decides it (``item_accepted`` / ``item_refused``)
   and says why and who pays the postage. ``COND:worn`` (washed, tags_missing, stained, damaged,
   altered) records what the inspection found, ``REASON:quality`` (wrong_item, missing_item,
   no_reason) why it came back; both decide again. ``OVERRIDE:{"accept": true, "reason": "…"}``
   then a supervisor's badge overrides the decision, recorded with the reason.
3. Scan where the item goes: a bin restocks it (ledger ``return_restock``; a refused item
   cannot be), a quarantine location quarantines it, a scrap location writes it off.
4. DONE closes the parcel: the registered return is received, an exchange gets its new order,
   the return receipt is printed. The same parcel or unit received again is refused.

An error stays until CONFIRM; every other scan meanwhile is ``acknowledge_first``.

A pure state machine (issue 14): ``step(state, scan, port)``; the return receipt, its items, the
orders and the matching engine are reached through a ``ReturnsPort`` (the runner's:
``station.workflows.ports.returns``). A refused action (``Refused``, raised by the port) writes
nothing and changes no state, and its error still waits for CONFIRM.

Over ~400 lines on purpose: the bench's facts, its port, its typed state and its machine are one
state machine and read together; nothing in it touches the database (that side is in ports/).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Protocol, TypeVar

from station.i18n import N_, _, message_of
from station.returns.note import NoteError, ReturnNote
from station.returns.policy import REASONS
from station.returns.words import describe_stored, return_type
from station.scanning import Scan, ScanKind
from station.workflows.base import KeyedState, MachineBench, Outcome, Step
from station.workflows.messages import HeldError, item_scan, unreadable
from station.workflows.outcomes import Level

PREFIXES = ("NOTE:", "COND:", "REASON:", "OVERRIDE:", "TRAIL:", "EXCHANGE:")
PAYER = {"shop": N_("shop"), "buyer": N_("buyer")}
BENCH_NOTE_FIELDS = ("text", "reason_code")  # the form's extra fields, beyond a ReturnNote's
T = TypeVar("T")


class Refused(Exception):
    """A refused return action (the unit already returned, a refused item to a bin, ...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


# --- the facts --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    """One unit taken out of the parcel, as the policy decided it (saved in this form too)."""
    id: int
    sku: str
    accepted: bool
    decision: str
    text: str  # the decision, as the clerk reads it
    postage: str  # shop, buyer
    conditions: str
    disposition: str | None
    location: str | None
    overridden_by: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "sku": self.sku, "accepted": self.accepted, "decision": self.decision,
                "text": self.text, "postage": self.postage, "conditions": self.conditions,
                "disposition": self.disposition, "location": self.location, "overridden_by": self.overridden_by}


@dataclass(frozen=True)
class Receipt:
    receipt_no: str
    status: str  # open (no order yet), matched, received, refused, unidentified
    tracking: str | None
    note: Mapping[str, Any] | None
    items: tuple[Item, ...] = ()
    shelved: tuple[str, ...] = ()  # an unidentified parcel's items (SKUs, one per unit), on its shelf's books


@dataclass(frozen=True)
class Matched:
    order_no: str
    recipient: str
    type: str  # refund, exchange
    reason: str | None  # the registered return's reason, when it is one of REASONS
    lines: tuple[tuple[str, int], ...]  # the order's (sku, qty)


@dataclass(frozen=True)
class Candidate:
    order_no: str
    score: int
    confidence: float
    evidence: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"order_no": self.order_no, "score": self.score, "confidence": self.confidence,
                "evidence": list(self.evidence)}


@dataclass(frozen=True)
class Matches:
    candidates: tuple[Candidate, ...]  # best first
    confident: bool


@dataclass(frozen=True)
class Override:
    item: int
    accept: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "accept": self.accept, "reason": self.reason}


@dataclass(frozen=True)
class Trail:
    order: str
    lines: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"order": self.order, "lines": list(self.lines)}


class ReturnsPort(Protocol):
    def all_or_nothing(self, work: Callable[[], T]) -> T:
        """Run `work`; if it raises ``Refused``, nothing it asked for is kept."""

    def receipt(self, receipt_no: str) -> Receipt | None: ...

    def open_parcel(self, tracking: str) -> tuple[Receipt, str]:
        """The parcel's receipt and how: registered, resumed, new."""

    def open_without_tracking(self) -> Receipt: ...

    def reopen_unidentified(self, receipt_no: str) -> None: ...

    def is_product(self, scan: Scan) -> bool: ...

    def product_sku(self, scan: Scan) -> str | None: ...

    def is_return_receipt(self, number: str) -> bool: ...

    def matched(self, receipt_no: str) -> Matched: ...

    def confirm(self, receipt_no: str, order_nos: tuple[str, ...], how: str) -> bool:
        """Match the receipt to the order (the first of `order_nos` that exists); False if none does."""

    def add_item(self, receipt_no: str, sku: str, reason: str) -> Item: ...

    def add_loose_item(self, receipt_no: str, barcode: str, reason: str) -> str | None:
        """An item scanned before the order was known: added now; a refusal's message, or None."""

    def store_note(self, receipt_no: str, note: dict[str, Any]) -> Mapping[str, Any] | None: ...

    def refuse_cod(self, receipt_no: str) -> None: ...

    def match(self, note: ReturnNote) -> Matches: ...

    def dispose(self, item_id: int, location: str) -> str:
        """restock, quarantine or scrap."""

    def inspect(self, item_id: int, condition: str | None = None, reason: str | None = None) -> None: ...

    def override(self, item_id: int, badge: str, accept: bool, reason: str) -> tuple[str, str | None]:
        """(the name of the person whose badge it is, why the policy refused them or None)."""

    def exchange_for(self, receipt_no: str, sku: str) -> None: ...

    def trail(self, key: str) -> tuple[str | None, list[str]]:
        """(the order, its packing scan trail one line per scan); no order: (None, [])."""

    def shelve_unidentified(self, receipt_no: str, loose: tuple[str, ...]) -> str:
        """The shelf location; the items scanned out of the parcel (`loose`, as scanned) go on its books."""

    def remove_item(self, receipt_no: str, item_id: int) -> None: ...

    def close(self, receipt_no: str, exchange_skus: list[str] | None) -> str | None:
        """Receive the return; the exchange's new order, if one was made."""


# --- the state --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReturnsState(KeyedState):
    receipt: str | None = None
    last_receipt: str | None = None
    tracking: str | None = None
    order: str | None = None
    reason: str = "no_reason"
    candidates: tuple[Candidate, ...] = ()
    confident: bool = False
    loose: tuple[str, ...] = ()  # items scanned before the order was known
    items: tuple[Item, ...] = ()
    current: int | None = None  # the item waiting for its place
    override: Override | None = None  # waiting for a supervisor's badge
    error: HeldError | None = None
    note: Mapping[str, Any] | None = None  # the customer's note as entered (never changed here)
    type: str | None = None
    buyer: str | None = None
    exchange: tuple[str, ...] = ()
    trail: Trail | None = None
    not_counted: str | None = None  # for the one scan after a CONFIRM: the item scan the error refused

    @classmethod
    def saved(cls, key: str, value: Any) -> Any:
        if key == "note":
            return dict(value) if value is not None else None
        return super().saved(key, value)

    @classmethod
    def read(cls, key: str, value: Any) -> Any:
        if key == "candidates":
            return tuple(Candidate(c["order_no"], c.get("score", 0), c.get("confidence", 0), tuple(c.get("evidence") or ()))
                         for c in value or [])
        if key == "items":
            return tuple(Item(i["id"], i["sku"], i.get("accepted", False), i.get("decision", ""), i.get("text", ""),
                              i.get("postage", "shop"), i.get("conditions", ""), i.get("disposition"),
                              i.get("location"), i.get("overridden_by")) for i in value or [])
        if key == "override":
            return Override(value["item"], bool(value["accept"]), value.get("reason", "")) if value else None
        if key == "error":
            return HeldError(value["code"], value["message"], value.get("scan")) if value else None
        if key == "trail":
            return Trail(value["order"], tuple(value.get("lines") or ())) if value else None
        if key == "note":
            return dict(value) if value is not None else None
        return super().read(key, value)


def _reset(state: ReturnsState) -> ReturnsState:
    return ReturnsState().put(receipt=None, last_receipt=state.last_receipt or state.receipt)


def _start(state: ReturnsState, receipt: Receipt) -> ReturnsState:
    return ReturnsState().put(
        receipt=receipt.receipt_no, last_receipt=state.last_receipt, tracking=receipt.tracking, order=None,
        reason="no_reason", candidates=(), confident=False, loose=(), items=(), current=None, override=None,
        error=None, note=receipt.note or None)


def _current(state: ReturnsState, items: tuple[Item, ...]) -> Item | None:
    waiting = [i for i in items if not i.disposition]
    return next((i for i in waiting if i.id == state.current), waiting[-1] if waiting else None)


def _note_lines(state: ReturnsState) -> list[str]:
    note = state.note or {}
    return [f"{k}: {note[k]}" for k in ("account", "name", "phone", "order_no", "reason", "text") if note.get(k)]


def _decision_outcome(item: Item) -> Outcome:
    """The policy's decision on the item, when it is scanned and again after ``COND:`` or ``REASON:``."""
    details = [_("Postage: paid by the {payer}", payer=_(PAYER[item.postage])),
               _("Scan where it goes: a bin, quarantine or scrap")]
    if item.accepted:
        return Outcome.ok("item_accepted", f"{item.sku}: {item.text}", *details)
    return Outcome.warn("item_refused", f"{item.sku}: {item.text}", *details)


def _place_again(item: Item) -> Outcome:
    """An item of this parcel still without a place, scanned again or left behind at DONE."""
    where = (_("Scan where it goes: a bin, quarantine or scrap") if item.accepted
             else _("Refused: scan a quarantine or scrap location (a bin takes it only after a supervisor's override)"))
    return Outcome.warn("item_waiting_place", _("{sku} is still to put away: {decision}", sku=item.sku,
                                                 decision=item.text), where)


def _scan_parcel_first() -> Outcome:
    return Outcome.error("scan_parcel_first", _("Scan the tracking number on the return parcel first"))


# --- one scan ---------------------------------------------------------------------------------------------------
def step(state: ReturnsState, scan: Scan, port: ReturnsPort) -> Step[ReturnsState]:
    # The refused scan a held error was confirmed for, kept for the one scan after the CONFIRM:
    # an UNDO then takes back nothing (that scan took nothing in), not the item before it.
    not_counted = state.not_counted
    state = state.drop("not_counted")
    before = state
    try:
        state, outcome = port.all_or_nothing(lambda: _handle(before, scan, port, not_counted))
    except Refused as exc:  # a refused action writes nothing, and its error still waits for CONFIRM
        state, outcome = before, Outcome.error(exc.code, exc.message)
    if outcome.level is Level.ERROR and state.receipt and outcome.code != "acknowledge_first":
        state = state.put(error=HeldError(outcome.code, outcome.message, item_scan(scan)))
    return Step(state, outcome)


def _handle(state: ReturnsState, scan: Scan, port: ReturnsPort, not_counted: str | None) -> tuple[ReturnsState, Outcome]:
    command = scan.value if scan.kind is ScanKind.COMMAND else None
    if state.receipt and state.error:
        if command == "CONFIRM":
            state = state.put(not_counted=state.error.scan).put(error=None)
            return state, Outcome.ok("error_acknowledged", _("Error acknowledged: carry on"))
        if command != "CANCEL":
            return state, Outcome.error("acknowledge_first", _("Scan CONFIRM first to acknowledge: {message}",
                                                               message=state.error.message))
    if state.override and scan.kind is ScanKind.BADGE:
        return _approve(state, scan, port)
    prefix = next((p for p in PREFIXES if scan.raw.startswith(p)), None)
    if prefix:
        return _structured(state, prefix, scan.raw[len(prefix):], port)
    if command:
        return _command(state, command, port, not_counted)
    if scan.kind is ScanKind.UNKNOWN:
        return state, unreadable(scan)
    receipt = port.receipt(state.receipt) if state.receipt else None
    if receipt is None:
        return _open(state, scan, port)
    if receipt.status == "open":
        return _unmatched(state, scan, receipt, port)
    return _matched(state, scan, receipt, port)


# --- opening a parcel -------------------------------------------------------------------------------------------
def _open(state: ReturnsState, scan: Scan, port: ReturnsPort) -> tuple[ReturnsState, Outcome]:
    if scan.kind in (ScanKind.RETURN_SLIP, ScanKind.ORDER):  # our return slip, or the packing slip itself
        receipt = port.open_without_tracking()
        return _slip(_start(state, receipt), scan.value, receipt, port)
    if scan.kind is ScanKind.SKU and scan.value.startswith("RR-"):
        return _resume_tag(state, scan.value, port)
    if scan.kind in (ScanKind.PRODUCT, ScanKind.GS1) or (scan.kind is ScanKind.SKU and port.is_product(scan)):
        return state, _scan_parcel_first()
    if scan.kind not in (ScanKind.TRACKING, ScanKind.SKU):
        return state, _scan_parcel_first()
    receipt, how = port.open_parcel(scan.value)
    state = _start(state, receipt)
    if how == "registered" or (how == "resumed" and receipt.status == "matched"):
        return _matched_outcome(state, receipt, port, "return_matched")
    return state, Outcome.warn("parcel_opened", _("Parcel {tracking} is not registered: scan the return slip or "
                                                  "enter the customer's note", tracking=scan.value),
                               _("Receipt {receipt}", receipt=receipt.receipt_no))


def _resume_tag(state: ReturnsState, tag: str, port: ReturnsPort) -> tuple[ReturnsState, Outcome]:
    receipt = port.receipt(tag)
    if receipt is None:
        return state, Outcome.error("unknown_receipt", _("No return receipt {receipt}", receipt=tag))
    if receipt.status in ("received", "refused"):
        return state, Outcome.error("already_received", _("Return {receipt} is closed ({status})",
                                                          receipt=tag, status=receipt.status))
    if receipt.status == "unidentified":
        port.reopen_unidentified(tag)
        receipt = port.receipt(tag)
    # The items it was shelved with come back with it: they help find the order, and are received once it is found
    state = _start(state, receipt).put(loose=receipt.shelved)
    if receipt.status == "matched":
        return _matched_outcome(state, receipt, port, "return_matched")
    return state, Outcome.warn("parcel_opened", _("Parcel {tag} is back on the bench: enter the note or scan the "
                                                  "return slip", tag=tag), *_note_lines(state))


def _matched_outcome(state: ReturnsState, receipt: Receipt, port: ReturnsPort, code: str) -> tuple[ReturnsState, Outcome]:
    order = port.matched(receipt.receipt_no)
    state = state.put(order=order.order_no, candidates=(), confident=False, type=order.type, buyer=order.recipient)
    if order.reason in REASONS:
        state = state.put(reason=order.reason)
    state = state.put(items=port.receipt(receipt.receipt_no).items)
    details = [_("Receipt {receipt} · {type}", receipt=receipt.receipt_no, type=return_type(order.type))]
    details += [f"{sku} ×{qty}" for sku, qty in order.lines]
    for barcode in state.loose:
        refused = port.add_loose_item(receipt.receipt_no, barcode, state.reason)
        if refused is not None:
            details.append(refused)
    state = state.put(loose=())
    state = state.put(items=port.receipt(receipt.receipt_no).items)
    return state, Outcome.ok(code, _("Return of order {order} ({buyer}): scan the items out of the parcel",
                                     order=order.order_no, buyer=order.recipient), *details)


# --- not matched yet --------------------------------------------------------------------------------------------
def _unmatched(state: ReturnsState, scan: Scan, receipt: Receipt, port: ReturnsPort) -> tuple[ReturnsState, Outcome]:
    if scan.kind in (ScanKind.RETURN_SLIP, ScanKind.ORDER):
        return _slip(state, scan.value, receipt, port)
    candidates = [c.order_no for c in state.candidates]
    if scan.value in candidates or scan.raw in candidates:
        port.confirm(receipt.receipt_no, (scan.value, scan.raw), "note")
        return _matched_outcome(state, receipt, port, "return_matched")
    sku = port.product_sku(scan) if scan.kind in (ScanKind.PRODUCT, ScanKind.SKU, ScanKind.GS1) else None
    if sku is not None:
        return state.put(loose=(*state.loose, scan.value)), Outcome.ok(
            "item_noted", _("{sku} noted: it helps find the order", sku=sku), _("Enter the note or scan the return slip"))
    if scan.kind in (ScanKind.ORDER, ScanKind.SKU, ScanKind.TRACKING) and candidates:
        return state, Outcome.error("not_a_candidate", _("{order} is not one of the candidates", order=scan.value))
    return state, Outcome.error("match_first", _("Find the order first: scan the return slip or enter the note"))


def _slip(state: ReturnsState, order_no: str, receipt: Receipt, port: ReturnsPort) -> tuple[ReturnsState, Outcome]:
    if not port.confirm(receipt.receipt_no, (order_no,), "slip"):
        return state, Outcome.error("unknown_order", _("No order {order}", order=order_no))
    return _matched_outcome(state, receipt, port, "return_matched")


def _note(state: ReturnsState, text: str, port: ReturnsPort) -> tuple[ReturnsState, Outcome]:
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise NoteError([_("A note is a JSON object")])
        extra = {k: data.pop(k) for k in BENCH_NOTE_FIELDS if k in data}
        note = ReturnNote.from_dict(data)
    except (ValueError, NoteError) as exc:
        problems = exc.problems if isinstance(exc, NoteError) else [message_of(exc)]
        return state, Outcome.error("bad_note", _("The note cannot be read"), *problems)
    if extra.get("reason_code") and extra["reason_code"] not in REASONS:
        return state, Outcome.error("bad_note", _("The note cannot be read"), _(
            "Reason {reason} unknown; allowed: {allowed}", reason=extra["reason_code"], allowed=", ".join(REASONS)))
    receipt = port.receipt(state.receipt) if state.receipt else None
    if receipt is None:
        receipt = port.open_without_tracking()
        state = _start(state, receipt)
    state = state.put(note=port.store_note(receipt.receipt_no, {**data, **extra}))
    if extra.get("reason_code"):
        state = state.put(reason=extra["reason_code"])
    if note.cod:
        port.refuse_cod(receipt.receipt_no)
        number = receipt.receipt_no
        return _reset(state), Outcome.error(
            "cod_refused", _("Freight collect (到付): refuse parcel {tracking}, the refusal note is printing",
                             tracking=receipt.tracking or number), _("Receipt {receipt}", receipt=number))
    if receipt.status != "open":
        return state, Outcome.ok("note_saved", _("Note saved with return {receipt}", receipt=receipt.receipt_no))
    items = tuple(state.loose) + note.items
    result = port.match(ReturnNote(**{**note.__dict__, "tracking": receipt.tracking, "items": items}))
    state = state.put(candidates=result.candidates[:5]).put(confident=result.confident)
    if not result.candidates:
        return state, Outcome.warn("no_candidate", _("No order matches this note: DONE puts the parcel on the "
                                                     "unidentified-returns shelf"), *_note_lines(state))
    lines = [f"{n}. {c.order_no}  {c.score}  " + ", ".join(describe_stored(e) for e in c.evidence)
             for n, c in enumerate(state.candidates, start=1)]
    if result.confident:
        return state, Outcome.ok("confident_match", _("Order {order} matches: CONFIRM, or scan another candidate's "
                                                       "order number", order=result.candidates[0].order_no), *lines)
    return state, Outcome.warn("candidates_found", _("{n} possible orders, none certain: scan or type the right "
                                                     "order number", n=len(state.candidates)), *lines)


# --- matched: items and where they go ---------------------------------------------------------------------------
def _matched(state: ReturnsState, scan: Scan, receipt: Receipt, port: ReturnsPort) -> tuple[ReturnsState, Outcome]:
    if scan.kind is ScanKind.LOCATION:
        return _dispose(state, scan.value, receipt, port)
    if scan.kind in (ScanKind.PRODUCT, ScanKind.SKU, ScanKind.GS1):
        sku = port.product_sku(scan)
        if sku is not None:
            try:
                item = port.add_item(receipt.receipt_no, sku, state.reason or "no_reason")
            except Refused as exc:
                # Every unit is back, one of them in this parcel still without a place: it is that unit,
                # scanned again (the clerk moved on after a refused place): it waits for its place again.
                waiting = [i for i in receipt.items if i.sku == sku and not i.disposition]
                if exc.code != "already_returned" or not waiting:
                    raise
                return state.put(current=waiting[-1].id), _place_again(waiting[-1])
            state = state.put(current=item.id).put(items=port.receipt(receipt.receipt_no).items)
            return state, _decision_outcome(item)
        if (scan.kind is ScanKind.SKU and not port.is_return_receipt(scan.value)
                and not scan.value.startswith("RR-")):
            return state, Outcome.error("unknown_barcode", _("Barcode {code} is not in the catalog", code=scan.value))
    if scan.kind is ScanKind.PRODUCT:
        return state, Outcome.error("unknown_barcode", _("Barcode {code} is not in the catalog", code=scan.value))
    return state, Outcome.error("receipt_in_progress", _("Finish return {receipt} first (DONE), or scan CANCEL",
                                                         receipt=receipt.receipt_no))


def _dispose(state: ReturnsState, location: str, receipt: Receipt, port: ReturnsPort) -> tuple[ReturnsState, Outcome]:
    item = _current(state, receipt.items)
    if item is None:
        return state, Outcome.error("scan_item_first", _("Scan an item out of the parcel first"))
    disposition = port.dispose(item.id, location)
    items = port.receipt(receipt.receipt_no).items
    state = state.put(current=None).put(items=items)
    left = sum(1 for i in items if not i.disposition)
    more = _("Scan the next item, or DONE") if not left else _("{n} item(s) still to put away", n=left)
    if disposition == "restock":
        return state, Outcome.ok("item_restocked", _("{sku} back in stock: {location}", sku=item.sku,
                                                     location=location), more)
    if disposition == "quarantine":
        return state, Outcome.warn("item_quarantined", _("{sku} to quarantine: {location}", sku=item.sku,
                                                         location=location), more)
    return state, Outcome.warn("item_scrapped", _("{sku} scrapped (written off): {location}", sku=item.sku,
                                                  location=location), more)


# --- structured inputs (the note form, inspection, override) ----------------------------------------------------
def _structured(state: ReturnsState, prefix: str, text: str, port: ReturnsPort) -> tuple[ReturnsState, Outcome]:
    if prefix == "NOTE:":
        return _note(state, text, port)
    if prefix == "TRAIL:":
        return _trail(state, text.strip(), port)
    if prefix == "EXCHANGE:":
        return _exchange(state, text.strip(), port)
    receipt = port.receipt(state.receipt) if state.receipt else None
    item = _current(state, receipt.items) if receipt is not None else None
    if item is None and receipt is not None and receipt.items and prefix == "OVERRIDE:":
        item = receipt.items[-1]
    if item is None:
        return state, Outcome.error("scan_item_first", _("Scan an item out of the parcel first"))
    if prefix == "OVERRIDE:":
        try:
            data = json.loads(text)
            accept, reason = bool(data["accept"]), str(data.get("reason") or "").strip()
        except (ValueError, KeyError, TypeError):
            return state, Outcome.error("bad_override",
                                        _('An override is OVERRIDE: and JSON with "accept" (true or false) and "reason"'))
        if not reason:
            return state, Outcome.error("override_reason_needed", _("Give the reason for the override"))
        return state.put(override=Override(item.id, accept, reason)), Outcome.warn(
            "scan_supervisor_badge", _("Supervisor: scan your badge to override {sku}", sku=item.sku), reason)
    if prefix == "COND:":
        port.inspect(item.id, condition=text.strip().lower())
    else:
        port.inspect(item.id, reason=text.strip().lower())
    items = port.receipt(receipt.receipt_no).items
    return state.put(items=items), _decision_outcome(next(i for i in items if i.id == item.id))


def _exchange(state: ReturnsState, sku: str, port: ReturnsPort) -> tuple[ReturnsState, Outcome]:
    receipt = port.receipt(state.receipt) if state.receipt else None
    if receipt is None or receipt.status != "matched":
        return state, Outcome.error("match_first", _("Find the order first: scan the return slip or enter the note"))
    port.exchange_for(receipt.receipt_no, sku)
    state = state.put(type="exchange").put(exchange=(*state.exchange, sku))
    return state, Outcome.ok("exchange_noted", _("Exchange: {skus} will go out in a new order when DONE",
                                                 skus=", ".join(state.exchange)))


def _trail(state: ReturnsState, key: str, port: ReturnsPort) -> tuple[ReturnsState, Outcome]:
    order, lines = port.trail(key)
    if order is None:
        return state, Outcome.error("unknown_order", _("No order {order}", order=key))
    state = state.put(trail=Trail(order, tuple(lines)))
    if not lines:
        return state, Outcome.warn("no_trail", _("Order {order} was not packed at a Station bench: no scan trail",
                                                 order=order))
    return state, Outcome.ok("packing_trail", _("Packing scans of order {order}: {n}", order=order, n=len(lines)),
                             *lines)


def _approve(state: ReturnsState, scan: Scan, port: ReturnsPort) -> tuple[ReturnsState, Outcome]:
    pending = state.override
    state = state.put(override=None)
    name, refused = port.override(pending.item, scan.value, pending.accept, pending.reason)
    if refused is not None:
        return state, Outcome.error("not_permitted", _("{name} may not override the return policy", name=name),
                                    refused)
    items = port.receipt(state.receipt).items
    item = next(i for i in items if i.id == pending.item)
    return state.put(items=items), Outcome.ok("policy_overridden", f"{item.sku}: {item.text}",
                                              _("Scan where it goes: a bin, quarantine or scrap"))


# --- commands ---------------------------------------------------------------------------------------------------
def _command(state: ReturnsState, command: str, port: ReturnsPort, not_counted: str | None) -> tuple[ReturnsState, Outcome]:
    receipt = port.receipt(state.receipt) if state.receipt else None
    if receipt is None:
        if command == "CONFIRM":
            return state, Outcome.ok("nothing_to_confirm", _("Nothing to confirm"))
        return state, _scan_parcel_first()
    if command == "CANCEL":
        if state.override:
            return state.put(override=None), Outcome.warn("override_cancelled", _("Override cancelled"))
        return _reset(state), Outcome.warn("receipt_parked", _("Return {receipt} left open: scan its parcel or tag to "
                                                               "go on", receipt=receipt.receipt_no))
    if receipt.status == "open":
        if command == "CONFIRM":
            if not state.candidates:
                return state, Outcome.error("no_candidate_to_confirm", _(
                    "No candidate to confirm: enter the note, or DONE to shelve the parcel as unidentified"))
            if not state.confident:
                return state, Outcome.error("choose_candidate", _("The candidates are too close to confirm by "
                                                                  "themselves: scan or type the right order number"))
            port.confirm(receipt.receipt_no, (state.candidates[0].order_no,), "note")
            return _matched_outcome(state, receipt, port, "return_matched")
        if command == "DONE":
            location = port.shelve_unidentified(receipt.receipt_no, state.loose)
            return _reset(state), Outcome.warn("parcel_unidentified", _(
                "Unidentified: write tag {tag} on the parcel and put it on {location}", tag=receipt.receipt_no,
                location=location), _("The note is kept; search it with station returns unidentified"))
        return state, Outcome.warn("command_not_used", _("Command {command} does nothing here", command=command))
    if command == "UNDO":
        if not_counted:  # the last scan was refused and confirmed: nothing of it to take back
            return state, Outcome.warn("nothing_to_undo", _("Nothing to undo: {scan} was not counted",
                                                            scan=not_counted.replace("\x1d", "<GS>")))
        item = _current(state, receipt.items)
        if item is None:
            return state, Outcome.warn("nothing_to_undo", _("Nothing to undo"))
        port.remove_item(receipt.receipt_no, item.id)
        state = state.put(items=port.receipt(receipt.receipt_no).items)
        return state, Outcome.warn("undone", _("Took back the last scan: {sku} ×{n}", sku=item.sku, n=1))
    if command == "DONE":
        waiting = [i for i in receipt.items if not i.disposition]
        if waiting:  # not closed: the first item without a place waits for it (its place, by scan)
            item = waiting[0]
            place = _place_again(item)
            return state.put(current=item.id), Outcome.error(
                "not_disposed", _("Still to put away: {items}", items=", ".join(i.sku for i in waiting)),
                place.message, *place.details)
        exchange = port.close(receipt.receipt_no, list(state.exchange) or None)
        number, order_no = receipt.receipt_no, state.order
        state = _reset(state).put(last_receipt=number)
        details = [_("Exchange: new order {order}", order=exchange)] if exchange else []
        return state, Outcome.ok("return_received", _("Return {receipt} of order {order} received: the receipt is "
                                                      "printing", receipt=number, order=order_no), *details)
    if command == "CONFIRM":
        return state, Outcome.ok("nothing_to_confirm", _("Nothing to confirm"))
    return state, Outcome.warn("command_not_used", _("Command {command} does nothing here", command=command))


class ReturnsBench(MachineBench):
    name = "returns"
    title = N_("Returns")
    roles = frozenset({"returns", "supervisor"})
    commands = {
        "CONFIRM": N_("Take the order Station proposes from the customer's note (also acknowledges an error)"),
        "DONE": N_("Close the return: the return receipt prints (no order found: shelve the parcel as unidentified)"),
        "UNDO": N_("Take back the last item scan"),
        "CANCEL": N_("Step away: the return stays open"),
    }
    State = ReturnsState
    step = staticmethod(step)
    typed: ReturnsState

    @property
    def receipt_no(self) -> str | None:
        return self.typed.receipt

    def takes_badge(self) -> bool:
        return bool(self.typed.override)
