"""The pack bench: scan the order, scan every item into the box, close the parcel.

States (saved after every scan): no order → scanning items → (waiting for the pre-printed
waybill) → closed. An error stays on screen until the packer scans CONFIRM; until then
every other scan is refused with ``acknowledge_first`` so nothing is counted by mistake.
Commands: UNDO (last item), CANCEL (order back to the queue, nothing moved), SHORT (item
missing: order on hold ``short_pick``), NEW_PARCEL (close this box, start the next),
REPRINT (the waybills of the current or last order, marked as a reprint), DONE (close when
complete), CONFIRM (acknowledge an error), WEIGH (weigh the parcel now, or again).

With a scale at the bench (issue 18; ``port.scale_attached()``), the parcel is weighed before it
closes: when its last item is scanned (or on DONE, NEW_PARCEL or WEIGH) the bench waits for the
scale, and the scale's settled reading arrives as an input event of its own, a ``Weighed``, exactly
like a scan (the GUI reads the scale on a worker thread, ``station replay`` from ``--scale`` or a
``WEIGHT 1.250`` line): the machine itself never waits and never reads a device. A weight outside
the expected band is ``weight_mismatch``, held until the packer re-checks the box and weighs again
(CMD-WEIGH, or UNDO and scan again) or a supervisor's badge lets it go (recorded in the audit).
Without a scale the bench is exactly as before.

A pure state machine (issue 14): ``step(state, scan, port)`` takes the bench's typed state
(``PackState``, frozen), the scan and a ``PackPort`` (the facts it asks for, the changes it asks
to be made) and returns the new state and the outcome. No database here: the runner gives it
``station.workflows.ports.pack.DatabasePackPort``; tests/unit/test_pack_machine.py a fake.
The saved form (table bench_state, the replay's ``state``) is ``PackState.to_dict()``, exactly the
dict the bench saved before it was typed; ``PackState.from_dict`` reads it back.

Over ~400 lines on purpose: the bench's facts, its port, its typed state and its machine are one
state machine and read together; nothing in it touches the database (that side is in ports/).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from station.i18n import N_, _
from station.scanning import Scan, ScanKind
from station.workflows.base import MachineBench, Outcome, Step
from station.workflows.messages import HeldError, item_scan, unreadable
from station.workflows.outcomes import Level

if TYPE_CHECKING:  # typing only: the expectation the port answers with (station.weighing, pure too)
    from station.weighing.expected import Expectation

ORDER_KINDS = (ScanKind.ORDER, ScanKind.TRACKING, ScanKind.SKU, ScanKind.PRODUCT)

Counts = tuple[tuple[str, int], ...]  # sku -> quantity, in the order first scanned (a dict's order)


# --- the facts the bench asks for -------------------------------------------------------------------------------
@dataclass(frozen=True)
class OrderFacts:
    order_no: str
    status: str  # ready, packed, shipped, cancelled, on_hold…
    courier: str | None = None
    buyer_message: str | None = None
    seller_memo: str | None = None
    holds: tuple[str, ...] = ()  # the open holds, as the packer reads them ("short pick: PN-002 ×1")


@dataclass(frozen=True)
class ItemToPack:
    """One SKU of the order (gift lines separate), with its catalog name."""
    sku: str
    qty: int
    name: str
    colour: str | None = None
    size: str | None = None
    gift: bool = False
    style: str | None = None
    bins: tuple[str, ...] = ()  # the stock bins that hold it, in walking order (where to fetch one more)
    image: bool = False  # the product has a picture (the screen fetches it)


@dataclass(frozen=True)
class ProductFacts:
    """What a scanned barcode or SKU label names: the product, and how many units it counts."""
    sku: str
    description: str  # name, colour and size as the packer reads them
    style: str | None = None
    pack_qty: int = 1


@dataclass(frozen=True)
class Closed:
    numbers: tuple[str | None, ...]  # the parcels' tracking numbers, in parcel order
    from_pool: bool  # a number came from the courier's pool: its waybill is to be printed


@dataclass(frozen=True)
class CloseRefused:
    code: str
    message: str
    waybill: bool  # the waybill numbers were refused: they are scanned again, from the first parcel


@dataclass(frozen=True)
class Weighed:
    """The bench scale's reading, delivered to the bench as an input event: the settled weight in
    grams, or None and why there is none (``offline``, ``unstable``, ``overload``, ...)."""
    grams: Decimal | None
    reason: str = ""

    @property
    def raw(self) -> str:
        """As the scan log and a replay script write it: ``WEIGHT 1.250`` (kg), ``WEIGHT offline``."""
        if self.grams is None:
            return f"WEIGHT {self.reason or 'unstable'}"
        return f"WEIGHT {Decimal(self.grams) / 1000:.3f}"


class PackPort(Protocol):
    """What the pack bench asks of the warehouse during one scan (the runner's unit of work)."""

    def order(self, key: str) -> OrderFacts | None:
        """The order by number, or by a tracking number of one of its parcels."""

    def items(self, order_no: str) -> list[ItemToPack]: ...

    def product(self, scan: Scan) -> ProductFacts | None: ...

    def needs_manual_waybill(self, order_no: str) -> bool: ...

    def printed_waybill(self, order_no: str) -> str | None:
        """The tracking number a printed batch already gave the order's parcel, if one did."""

    def uses_pool(self, courier: str) -> bool: ...

    def check_waybill(self, courier: str | None, number: str) -> str | None:
        """None if `number` may be the courier's waybill, else why not."""

    def close(self, order_no: str, parcels: list[dict[str, int]], scanned_waybills: list[str]) -> Closed | CloseRefused:
        """Pack the order (all of it or, refused, nothing): stock to the packing location, parcels made."""

    def print_waybills(self, order_no: str, reprint: bool = False) -> None: ...

    def reprint_packing_slip(self, order_no: str) -> None: ...

    def put_on_hold(self, order_no: str, code: str, detail: str) -> None: ...

    def has_parcels(self, order_no: str) -> bool: ...

    # --- the scale (issue 18) ---
    def scale_attached(self) -> bool:
        """True when the bench has a scale: the parcel is weighed before it closes."""

    def expected_weight(self, order_no: str, contents: dict[str, int]) -> "Expectation":
        """What a parcel of `contents` should weigh (products + packaging, or the learned weight)."""

    def badge(self, badge: str) -> tuple[str, frozenset[str]] | None:
        """The person a badge belongs to: (name, roles)."""

    def record_weight_release(self, order_no: str, supervisor: str, roles: frozenset[str], detail: str) -> None:
        """A supervisor let a parcel go whose weight did not fit (or could not be read): on record."""


# --- the state --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    sku: str
    name: str
    colour: str | None
    size: str | None
    qty: int
    gift: bool
    bins: tuple[str, ...] = ()
    image: bool = False

    def to_dict(self) -> dict[str, Any]:
        out = {"sku": self.sku, "name": self.name, "colour": self.colour, "size": self.size, "qty": self.qty,
               "gift": self.gift}
        if self.bins:
            out["bins"] = list(self.bins)
        if self.image:
            out["image"] = True
        return out


@dataclass(frozen=True)
class ParcelWeight:
    """What the scale said about one parcel: the grams read (None: let go unweighed), the grams
    expected then and the basis (products / learned), and who let it go when it did not fit."""
    grams: int | None
    expected: int | None = None
    basis: str | None = None
    released_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"grams": self.grams, "expected": self.expected, "basis": self.basis, "released_by": self.released_by}

    @classmethod
    def from_dict(cls, saved: dict[str, Any]) -> "ParcelWeight":
        return cls(saved.get("grams"), saved.get("expected"), saved.get("basis"), saved.get("released_by"))


@dataclass(frozen=True)
class WeightHold:
    """A weight outside the expected band, held until weighed again or a supervisor lets it go."""
    weight: ParcelWeight
    low: int | None
    high: int | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.weight.to_dict(), "low": self.low, "high": self.high, "message": self.message}

    @classmethod
    def from_dict(cls, saved: dict[str, Any]) -> "WeightHold":
        return cls(ParcelWeight.from_dict(saved), saved.get("low"), saved.get("high"), saved.get("message", ""))


@dataclass(frozen=True)
class Acknowledged:
    """The error just confirmed: for the one scan after the CONFIRM, the item scan it refused."""
    scan: str | None


@dataclass(frozen=True)
class PackState:
    order: str | None = None
    last_order: str | None = None
    lines: tuple[Line, ...] = ()
    notes: tuple[tuple[str, str], ...] = ()  # ("buyer_message" | "seller_memo", text)
    expected: Counts = ()
    gifts: tuple[str, ...] = ()
    styles: tuple[tuple[str, str], ...] = ()  # sku -> style, for "wrong colour or size"
    parcels: tuple[Counts, ...] = ((),)
    history: tuple[tuple[str, int], ...] = ()  # (sku, units) per counted scan, for UNDO
    awaiting_waybill: bool = False
    error: HeldError | None = None
    waybills: tuple[str, ...] | None = None  # scanned waybill numbers (None: never asked for)
    acknowledged: Acknowledged | None = None
    blank: bool = False  # the bench never held an order: saved as {}
    courier: str | None = None  # the open order's courier, for the packer to see
    # The scale (saved only when used, so a bench without one saves what it always did):
    weighing: str | None = None  # waiting for the scale, then: "close", "parcel" (start the next), "check"
    weights: tuple[ParcelWeight, ...] = ()  # per parcel weighed so far, in parcel order
    weight_hold: WeightHold | None = None

    # --- what the bench shows -----------------------------------------------------------------------------
    def counted(self) -> dict[str, int]:
        total: dict[str, int] = defaultdict(int)
        for parcel in self.parcels:
            for sku, qty in parcel:
                total[sku] += qty
        return dict(total)

    def remaining(self) -> dict[str, int]:
        counted = self.counted()
        return {sku: qty - counted.get(sku, 0) for sku, qty in self.expected if qty - counted.get(sku, 0) > 0}

    def progress_lines(self) -> list[str]:
        counted = self.counted()
        gifts = set(self.gifts)
        lines = []
        for sku, qty in sorted(self.expected, key=lambda kv: counted.get(kv[0], 0) >= kv[1]):
            mark = "✓" if counted.get(sku, 0) >= qty else "□"
            gift = " " + _("GIFT") if sku in gifts else ""
            lines.append(f"{mark} {sku}{gift}  {counted.get(sku, 0)}/{qty}")
        return lines

    # --- the saved form -------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        if self.order is None:
            return {} if self.blank else {"order": None, "last_order": self.last_order}
        out: dict[str, Any] = {
            "order": self.order, "last_order": self.last_order,
            "lines": [line.to_dict() for line in self.lines],
            "notes": [[kind, text] for kind, text in self.notes],
            "expected": dict(self.expected), "gifts": list(self.gifts), "styles": dict(self.styles),
            "parcels": [dict(parcel) for parcel in self.parcels], "history": [[sku, n] for sku, n in self.history],
            "awaiting_waybill": self.awaiting_waybill,
            "error": self.error.to_dict() if self.error else None,
        }
        if self.waybills is not None:
            out["waybills"] = list(self.waybills)
        if self.acknowledged is not None:
            out["not_counted"] = self.acknowledged.scan
        if self.courier:
            out["courier"] = self.courier
        if self.weighing is not None:
            out["weighing"] = self.weighing
        if self.weights:
            out["weights"] = [w.to_dict() for w in self.weights]
        if self.weight_hold is not None:
            out["weight_hold"] = self.weight_hold.to_dict()
        return out

    @classmethod
    def from_dict(cls, saved: dict[str, Any]) -> "PackState":
        """The state as the bench saved it (also before it was typed); missing keys take their defaults."""
        if not saved:
            return cls(blank=True)
        error = saved.get("error")
        waybills = saved.get("waybills")
        return cls(
            order=saved.get("order"), last_order=saved.get("last_order"),
            lines=tuple(Line(l["sku"], l.get("name", l["sku"]), l.get("colour"), l.get("size"), int(l["qty"]),
                             bool(l.get("gift")), tuple(l.get("bins") or ()), bool(l.get("image")))
                   for l in saved.get("lines") or []),
            notes=tuple((kind, text) for kind, text in saved.get("notes") or []),
            expected=tuple((sku, int(q)) for sku, q in (saved.get("expected") or {}).items()),
            gifts=tuple(saved.get("gifts") or ()),
            styles=tuple((saved.get("styles") or {}).items()),
            parcels=tuple(tuple((sku, int(q)) for sku, q in p.items()) for p in saved.get("parcels") or [{}]),
            history=tuple((sku, int(n)) for sku, n in saved.get("history") or []),
            awaiting_waybill=bool(saved.get("awaiting_waybill")),
            error=HeldError(error["code"], error["message"], error.get("scan"),
                            tuple(error["refused"]) if "refused" in error else None) if error else None,
            waybills=tuple(waybills) if waybills is not None else None,
            acknowledged=Acknowledged(saved["not_counted"]) if "not_counted" in saved else None,
            courier=saved.get("courier"),
            weighing=saved.get("weighing"),
            weights=tuple(ParcelWeight.from_dict(w) for w in saved.get("weights") or ()),
            weight_hold=WeightHold.from_dict(saved["weight_hold"]) if saved.get("weight_hold") else None,
        )


def _add(counts: Counts, sku: str, n: int) -> Counts:
    """`counts` with `n` more of `sku` (a dict's ``d[sku] = d.get(sku, 0) + n``; none left: removed)."""
    if any(s == sku for s, _q in counts):
        return tuple((s, q + n if s == sku else q) for s, q in counts if s != sku or q + n > 0)
    return counts + ((sku, n),) if n > 0 else counts


def _reset(state: PackState, last_order: str | None = None) -> PackState:
    return PackState(last_order=last_order or state.last_order)


def _scan_order_first() -> Outcome:
    return Outcome.error("scan_order_first", _("Scan the packing slip or the order number first"))


# --- one scan ---------------------------------------------------------------------------------------------------
# Errors the bench does not keep for CONFIRM: the refusal of a scan while one waits, and the
# scale's own hold (a weight that does not fit waits for a new weight or a supervisor, not CONFIRM).
NOT_HELD = frozenset({"acknowledge_first", "weight_mismatch", "weight_held", "supervisor_required"})


def step(state: PackState, scan: Scan | Weighed, port: PackPort) -> Step[PackState]:
    """The pack bench's answer to one scan, or to one reading of its scale (``Weighed``)."""
    # The refused scan an error was acknowledged for, kept for the one scan after the CONFIRM.
    not_counted = state.acknowledged.scan if state.acknowledged else None
    state = replace(state, acknowledged=None)
    if isinstance(scan, Weighed):
        state, outcome = _weighed(state, scan, port)
        item = None
    else:
        state, outcome = _handle(state, scan, port, not_counted)
        item = item_scan(scan)
    if outcome.level is Level.ERROR and state.order and outcome.code not in NOT_HELD:
        state = replace(state, error=HeldError(outcome.code, outcome.message, item))
    return Step(state, outcome)


def _handle(state: PackState, scan: Scan, port: PackPort, not_counted: str | None) -> tuple[PackState, Outcome]:
    command = scan.value if scan.kind is ScanKind.COMMAND else None
    if state.order and state.error:
        err = state.error
        if command == "CONFIRM":
            # The scan that made the error counted nothing: an UNDO right after takes back nothing
            # (the packer means that scan), not the good item before it.
            state = replace(state, acknowledged=Acknowledged(err.scan), error=None)
            return state, Outcome.ok("error_acknowledged", _("Error acknowledged: carry on"), *state.progress_lines())
        if command != "CANCEL":
            state = replace(state, error=replace(err, refused=(*(err.refused or ()), scan.raw)))  # none was counted
            return state, Outcome.error("acknowledge_first",
                                        _("Scan CONFIRM first to acknowledge: {message}", message=err.message))
    if state.order and state.weight_hold:
        if scan.kind is ScanKind.BADGE:
            return _release(state, scan, port)
        if command == "WEIGH":
            return _ask_weight(replace(state, weight_hold=None), state.weighing or "close")
        if command not in ("CANCEL", "UNDO", "SHORT", "REPRINT"):
            return state, Outcome.error("weight_held", state.weight_hold.message,
                                        _("Re-check the box, then scan CMD-WEIGH; or a supervisor scans their badge"))
    elif state.order and state.weighing and scan.kind is ScanKind.BADGE:
        return _release(state, scan, port)  # the scale gave nothing usable: a supervisor may let it go
    if command:
        return _command(state, command, port, not_counted)
    if scan.kind is ScanKind.UNKNOWN:
        return state, unreadable(scan)
    if not state.order:
        return _open(state, scan, port)
    if state.awaiting_waybill:
        return _waybill(state, scan, port)
    if scan.kind in (ScanKind.PRODUCT, ScanKind.SKU, ScanKind.GS1):
        found = port.product(scan)
        if found is not None:
            return _item(state, found, port)
        if scan.kind is ScanKind.SKU and port.order(scan.value) is not None:
            return state, _other_order(state)
        if scan.kind is ScanKind.SKU:
            return state, replace(unreadable(scan), kind=str(ScanKind.UNKNOWN))
        return state, Outcome.error("unknown_barcode", _("Barcode {code} is not in the catalog", code=scan.value))
    if scan.kind in (ScanKind.ORDER, ScanKind.TRACKING):
        if scan.value == state.order:
            return state, Outcome.ok("order_opened", _("Order {order} is open", order=scan.value),
                                     *state.progress_lines())
        return state, _other_order(state)
    return state, Outcome.error("wrong_bench", _("{kind} scans are not used at the pack bench", kind=str(scan.kind)))


def _other_order(state: PackState) -> Outcome:
    return Outcome.error("order_in_progress", _("Finish order {order} first, or scan CANCEL", order=state.order))


# --- opening an order -------------------------------------------------------------------------------------------
def _open(state: PackState, scan: Scan, port: PackPort) -> tuple[PackState, Outcome]:
    if scan.kind not in ORDER_KINDS and scan.kind is not ScanKind.RETURN_SLIP:
        return state, _scan_order_first()
    order = port.order(scan.value)
    if order is None:
        if scan.kind is ScanKind.PRODUCT or (scan.kind is ScanKind.SKU and port.product(scan)):
            return state, _scan_order_first()
        return state, Outcome.error("unknown_order", _("No order {order}", order=scan.value))
    if order.status == "cancelled":
        return state, Outcome.error("order_cancelled", _("Order {order} was cancelled: do not pack it",
                                                         order=order.order_no))
    if order.status == "on_hold":
        return state, Outcome.error("order_on_hold", _("Order {order} is on hold: do not pack it",
                                                       order=order.order_no), *order.holds)
    if order.status != "ready":
        return state, Outcome.error("already_packed", _("Order {order} is already packed", order=order.order_no))
    items = port.items(order.order_no)
    notes = (("buyer_message", order.buyer_message), ("seller_memo", order.seller_memo))
    expected: dict[str, int] = {}
    styles: dict[str, str] = {}
    for item in items:
        expected[item.sku] = expected.get(item.sku, 0) + item.qty
        if item.style:
            styles[item.sku] = item.style
    state = PackState(
        order=order.order_no, last_order=state.last_order,
        lines=tuple(Line(i.sku, i.name, i.colour, i.size, i.qty, i.gift, i.bins, i.image) for i in items),
        notes=tuple((kind, text) for kind, text in notes if text),
        expected=tuple(expected.items()), gifts=tuple(sorted({i.sku for i in items if i.gift})),
        styles=tuple(styles.items()), courier=order.courier)
    details = []
    if order.buyer_message:
        details.append(_("Buyer message: {text}", text=order.buyer_message))
    if order.seller_memo:
        details.append(_("Seller memo: {text}", text=order.seller_memo))
    gifts = [i for i in items if i.gift]
    if gifts:
        details.append(_("Gift: {items}", items=", ".join(f"{g.name} ×{g.qty}" for g in gifts)))
    details += [f"□ {i.sku} {i.name} {i.colour or ''} {i.size or ''}  0/{i.qty}".replace("  ", " ") for i in items]
    total = sum(i.qty for i in items)
    return state, Outcome.ok("order_opened", _("Order {order}: scan {n} items", order=order.order_no, n=total),
                             *details)


# --- items ------------------------------------------------------------------------------------------------------
def _item(state: PackState, found: ProductFacts, port: PackPort) -> tuple[PackState, Outcome]:
    sku, n = found.sku, found.pack_qty
    expected = dict(state.expected)
    remaining = state.remaining()
    if sku not in expected:
        styles = dict(state.styles)
        twin = next((s for s in remaining if found.style and styles.get(s) == found.style), None)
        if twin:
            return state, Outcome.error("wrong_variant", _("Wrong colour or size: scanned {scanned}, the order needs {needed}",
                                                           scanned=f"{sku} {found.description}", needed=twin))
        return state, Outcome.error("wrong_item", _("Wrong item: {scanned} is not in order {order}",
                                                    scanned=f"{sku} {found.description}", order=state.order))
    if remaining.get(sku, 0) < n:
        return state, Outcome.error("over_scan", _("Too many {sku}: {qty} ordered, all already scanned",
                                                   sku=sku, qty=expected[sku]) if remaining.get(sku, 0) == 0 else
                                    _("Too many {sku}: this case holds {n} but only {left} are still needed",
                                      sku=sku, n=n, left=remaining.get(sku, 0)))
    state = replace(state, parcels=(*state.parcels[:-1], _add(state.parcels[-1], sku, n)),
                    history=(*state.history, (sku, n)))
    if not state.remaining():
        return _complete(state, port)
    return state, Outcome.ok("item_ok", _("{sku} {name}: {counted}/{qty}", sku=sku, name=found.description,
                                          counted=state.counted()[sku], qty=expected[sku]), *state.progress_lines())


def _complete(state: PackState, port: PackPort) -> tuple[PackState, Outcome]:
    if port.scale_attached() and len(state.weights) < len([p for p in state.parcels if p]):
        return _ask_weight(state, "close")
    order = port.order(state.order)
    if port.needs_manual_waybill(order.order_no):
        state = replace(state, awaiting_waybill=True, waybills=())
        return state, _ask_waybill(state, order, port)
    return _close(state, order, port, [])


def _manual_count(state: PackState, order: OrderFacts, port: PackPort) -> int:
    """How many waybills the packer scans: the batch's pre-printed one (checked), and one for
    each further parcel when the courier's numbers are not in a pool."""
    parcels = len([p for p in state.parcels if p])
    pre = port.printed_waybill(order.order_no) is not None
    pool = bool(order.courier) and port.uses_pool(order.courier)
    return int(pre) + (0 if pool else parcels - int(pre))


def _ask_waybill(state: PackState, order: OrderFacts, port: PackPort) -> Outcome:
    got, needed = len(state.waybills or ()), _manual_count(state, order, port)
    pre = port.printed_waybill(order.order_no)
    if got == 0 and pre is not None:
        return Outcome.warn("scan_waybill", _("All items scanned: scan the waybill {number} on the parcel",
                                              number=pre))
    if needed > 1:
        return Outcome.warn("scan_waybill", _("Scan the pre-printed waybill of parcel {n}/{count}",
                                              n=got + 1, count=needed))
    return Outcome.warn("scan_waybill", _("All items scanned: scan the pre-printed waybill"))


def _waybill(state: PackState, scan: Scan, port: PackPort) -> tuple[PackState, Outcome]:
    order = port.order(state.order)
    pre = port.printed_waybill(order.order_no)
    if state.waybills is None:
        state = replace(state, waybills=())
    scanned = state.waybills
    if scan.kind not in (ScanKind.TRACKING, ScanKind.SKU, ScanKind.PRODUCT):
        return state, _ask_waybill(state, order, port)
    if pre is not None and not scanned:
        if scan.value != pre:
            return state, Outcome.error("waybill_mismatch", _("Waybill {scanned} is not this order's: it needs {number}",
                                                              scanned=scan.value, number=pre))
    elif scan.kind is not ScanKind.TRACKING:
        return state, Outcome.error("waybill_mismatch", _("{scanned} is not a waybill number", scanned=scan.value))
    elif scan.value in scanned:
        return state, Outcome.error("waybill_mismatch", _("Waybill {scanned} is already on parcel {n} of this order",
                                                          scanned=scan.value, n=scanned.index(scan.value) + 1))
    else:
        refused = port.check_waybill(order.courier, scan.value)
        if refused is not None:
            return state, Outcome.error("waybill_mismatch", refused)
    state = replace(state, waybills=(*scanned, scan.value))
    if len(state.waybills) < _manual_count(state, order, port):
        return state, _ask_waybill(state, order, port)
    manual = list(state.waybills[1:]) if pre is not None else list(state.waybills)
    return _close(state, order, port, manual)


def _close(state: PackState, order: OrderFacts, port: PackPort, manual: list[str]) -> tuple[PackState, Outcome]:
    filled = [i for i, p in enumerate(state.parcels) if p]
    weights = [state.weights[i] if i < len(state.weights) else None for i in filled] if state.weights else []
    closed = (port.close(order.order_no, [dict(state.parcels[i]) for i in filled], manual, weights) if weights
              else port.close(order.order_no, [dict(p) for p in state.parcels if p], manual))
    if isinstance(closed, CloseRefused):
        if closed.waybill and state.waybills:
            state = replace(state, waybills=())  # scan them again, from the first parcel
        return state, Outcome.error(closed.code, closed.message)
    if closed.from_pool:
        port.print_waybills(order.order_no)
    numbers = ", ".join(n or "-" for n in closed.numbers)
    order_no = state.order
    return _reset(state, order_no), Outcome.ok(
        "order_packed", _("Order {order} packed: {n} parcel(s), waybill {numbers}",
                          order=order_no, n=len(closed.numbers), numbers=numbers),
        _("Scan the next packing slip"))


# --- commands ---------------------------------------------------------------------------------------------------
def _command(state: PackState, command: str, port: PackPort, not_counted: str | None) -> tuple[PackState, Outcome]:
    if command == "REPRINT":
        return state, _reprint(state, port)
    if command == "WEIGH" and not port.scale_attached():
        return state, Outcome.warn("command_not_used", _("No scale at this bench: {command} does nothing here",
                                                         command=command))
    if not state.order:
        if command == "CONFIRM":
            return state, Outcome.ok("nothing_to_confirm", _("Nothing to confirm"))
        return state, _scan_order_first()
    if command == "CANCEL":
        return _reset(state), Outcome.warn("order_released", _("Order {order} put back in the queue: nothing was moved",
                                                               order=state.order))
    if command == "UNDO":
        if not_counted:  # the last scan was refused and acknowledged: there is nothing of it to take back
            return state, Outcome.warn("nothing_to_undo",
                                       _("Nothing to undo: {scan} was not counted. Take it out of the parcel if it went in",
                                         scan=not_counted.replace("\x1d", "<GS>")), *state.progress_lines())
        if not state.history:
            return state, Outcome.warn("nothing_to_undo", _("Nothing to undo"))
        sku, n = state.history[-1]
        parcels = list(state.parcels)
        for i in reversed(range(len(parcels))):
            if dict(parcels[i]).get(sku):
                parcels[i] = _add(parcels[i], sku, -n)
                break
        touched = next(i for i in reversed(range(len(parcels))) if parcels[i] != state.parcels[i]) \
            if parcels != list(state.parcels) else len(parcels)
        state = replace(state, history=state.history[:-1], parcels=tuple(parcels), awaiting_waybill=False,
                        waybills=(), weighing=None, weight_hold=None, weights=state.weights[:touched])
        return state, Outcome.warn("undone", _("Took back the last scan: {sku} ×{n}", sku=sku, n=n),
                                   *state.progress_lines())
    if command == "SHORT":
        missing = ", ".join(f"{sku} ×{qty}" for sku, qty in state.remaining().items())
        port.put_on_hold(port.order(state.order).order_no, "short_pick", missing)
        # Nothing left the books (stock moves at the close): what is in the box goes back to its bins.
        boxed = ", ".join(f"{sku} ×{n}" for sku, n in state.counted().items() if n > 0)
        what_now = (_("In the box: {items}. Nothing was taken off the books: put them back in their bins", items=boxed)
                    if boxed else _("The box is empty: nothing to put back"))
        return _reset(state), Outcome.warn("short_pick", _("Order {order} on hold, missing {items}: customer service is told",
                                                           order=state.order, items=missing), what_now)
    if command == "NEW_PARCEL":
        if not state.parcels[-1]:
            return state, Outcome.warn("parcel_empty", _("This parcel is still empty"))
        if port.scale_attached() and len(state.weights) < len(state.parcels):
            return _ask_weight(state, "parcel")
        state = replace(state, parcels=(*state.parcels, ()))
        return state, Outcome.ok("new_parcel", _("Parcel {n} started: scan what goes in it", n=len(state.parcels)),
                                 *state.progress_lines())
    if command == "DONE":
        if state.remaining():
            missing = ", ".join(f"{sku} ×{qty}" for sku, qty in state.remaining().items())
            return state, Outcome.error("not_complete", _("Still to scan: {items}", items=missing))
        return _complete(state, port)
    if command == "WEIGH":
        if not state.parcels[-1]:
            return state, Outcome.warn("parcel_empty", _("This parcel is still empty"))
        return _ask_weight(replace(state, weights=state.weights[:len(state.parcels) - 1]),
                           "check" if state.remaining() else "close")
    return state, Outcome.warn("command_not_used", _("Command {command} does nothing here", command=command))


def _reprint(state: PackState, port: PackPort) -> Outcome:
    """With an order open: its packing slip (and the batch's waybill). Otherwise the last order's waybills."""
    if state.order:
        order = port.order(state.order)
        port.reprint_packing_slip(order.order_no)
        if port.printed_waybill(order.order_no) is not None:
            port.print_waybills(order.order_no, reprint=True)
        return Outcome.ok("reprinted", _("Packing slip of order {order} reprinted", order=order.order_no))
    order = port.order(state.last_order) if state.last_order else None
    if order is None or not port.has_parcels(order.order_no):
        return Outcome.warn("nothing_to_reprint", _("No waybill to reprint yet"))
    port.print_waybills(order.order_no, reprint=True)
    return Outcome.ok("reprinted", _("Waybills of order {order} reprinted", order=order.order_no))


# --- the scale (issue 18) ------------------------------------------------------------------------------------------
def _kg(grams: Decimal | int | None) -> str:
    return "-" if grams is None else f"{Decimal(grams) / 1000:.3f} kg"


def _ask_weight(state: PackState, then: str) -> tuple[PackState, Outcome]:
    """The bench waits for the scale; the GUI (or replay) delivers the settled reading as a ``Weighed``."""
    state = replace(state, weighing=then, awaiting_waybill=False, waybills=None if state.waybills is None else ())
    n = len(state.parcels)
    return state, Outcome.warn("weigh_parcel", _("Put parcel {n} on the scale", n=n) if n > 1 else
                               _("Put the parcel on the scale"), *state.progress_lines())


def _weighed(state: PackState, event: Weighed, port: PackPort) -> tuple[PackState, Outcome]:
    if not state.order or not state.weighing or state.weight_hold or state.error:
        return state, Outcome.warn("weight_not_expected", _("Nothing is waiting for the scale: weight {weight} not used",
                                                            weight=_kg(event.grams) if event.grams is not None
                                                            else event.reason))
    if event.grams is None:
        if event.reason == "offline":
            return state, Outcome.warn("scale_offline", _("The scale is not answering: check its cable and power, "
                                                          "then scan CMD-WEIGH"),
                                       _("A supervisor's badge lets the parcel go without a weight"))
        return state, Outcome.warn("weight_unstable", _("The weight did not settle ({reason}): let the parcel rest "
                                                        "on the scale, then scan CMD-WEIGH", reason=event.reason or
                                                        "unstable"))
    from station.weighing.expected import decide

    contents = dict(state.parcels[-1])
    expectation = port.expected_weight(state.order, contents)
    verdict = decide(event.grams, expectation)
    expected = None if expectation.grams is None else int(expectation.grams.to_integral_value())
    weight = ParcelWeight(int(Decimal(event.grams).to_integral_value()), expected, expectation.basis)
    if verdict.ok:
        if not verdict.judged:
            line = _("Weight {weight}: not checked, no weight known for {skus}", weight=_kg(event.grams),
                     skus=", ".join(expectation.missing) or "-")
        else:
            line = _("Weight {weight}: fits ({expected} expected, {basis})", weight=_kg(event.grams),
                     expected=_kg(expected), basis=_basis(expectation.basis))
        return _take_weight(state, weight, line, port)
    low = int(expectation.low.to_integral_value())
    high = int(expectation.high.to_integral_value())
    message = _("Weight {weight} does not fit: {low} to {high} expected ({basis})", weight=_kg(event.grams),
                low=_kg(low), high=_kg(high), basis=_basis(expectation.basis))
    state = replace(state, weight_hold=WeightHold(weight, low, high, message))
    return state, Outcome.error("weight_mismatch", message,
                                _("Re-check the box, then scan CMD-WEIGH; or a supervisor scans their badge"),
                                *state.progress_lines())


def _basis(basis: str | None) -> str:
    return _("learned from earlier parcels") if basis == "learned" else _("products and packaging")


def _take_weight(state: PackState, weight: ParcelWeight, line: str, port: PackPort) -> tuple[PackState, Outcome]:
    """The weight is taken (it fits, or a supervisor let it go): do what the bench was waiting to do.
    A close answers as a close does (``order_packed``, or why not), the weight its first detail."""
    then = state.weighing
    code = "weight_released" if weight.released_by else "weight_ok"
    make = Outcome.warn if weight.released_by else Outcome.ok
    state = replace(state, weighing=None, weight_hold=None)
    if then == "check":
        return state, make(code, line, *state.progress_lines())
    index = len(state.parcels) - 1
    state = replace(state, weights=(*state.weights[:index], weight))
    if then == "parcel":
        state = replace(state, parcels=(*state.parcels, ()))
        return state, make(code, line, _("Parcel {n} started: scan what goes in it", n=len(state.parcels)),
                           *state.progress_lines())
    state, outcome = _complete(state, port)
    if outcome.level is Level.ERROR or outcome.code == "order_packed":
        return state, replace(outcome, details=(line, *outcome.details))
    return state, make(code, line, outcome.message, *outcome.details)


def _release(state: PackState, scan: Scan, port: PackPort) -> tuple[PackState, Outcome]:
    person = port.badge(scan.value)
    if person is None or not ({"supervisor", "admin"} & person[1]):
        return state, Outcome.error("supervisor_required", _("{name} is not a supervisor: a supervisor's badge lets "
                                                             "the parcel go", name=person[0] if person else scan.value))
    name, roles = person
    hold = state.weight_hold
    weight = replace(hold.weight, released_by=name) if hold else ParcelWeight(None, released_by=name)
    detail = (f"order {state.order} parcel {len(state.parcels)}: read {weight.grams} g, "
              f"expected {hold.low}-{hold.high} g ({weight.basis})" if hold else
              f"order {state.order} parcel {len(state.parcels)}: no weight read")
    port.record_weight_release(state.order, name, roles, detail)
    line = _("{name} let the parcel go at {weight}", name=name, weight=_kg(weight.grams)) if hold else \
        _("{name} let the parcel go without a weight", name=name)
    return _take_weight(state, weight, line, port)


class PackBench(MachineBench):
    name = "pack"
    title = N_("Pack")
    roles = frozenset({"packer", "supervisor"})
    commands = {
        "DONE": N_("Finish the order once every item is scanned"),
        "UNDO": N_("Take back the last item scan"),
        "SHORT": N_("An item is missing: the order goes on hold for customer service"),
        "NEW_PARCEL": N_("This box is full: start the order's next parcel"),
        "REPRINT": N_("Reprint the open order's packing slip, or the last order's waybills"),
        "CANCEL": N_("Put the order back in the queue: nothing is moved"),
        "WEIGH": N_("Weigh the parcel on the bench scale (again, after a re-check)"),
    }
    State = PackState
    step = staticmethod(step)
    typed: PackState

    @property
    def order_no(self) -> str | None:
        return self.typed.order

    def takes_badge(self) -> bool:
        """While a parcel's weight is held (or the scale gave none), a badge is a supervisor's release."""
        return bool(self.typed.order and (self.typed.weight_hold or self.typed.weighing))

    def waiting_for_weight(self) -> bool:
        """True when the bench waits for the scale's reading (the GUI and replay then read it)."""
        return bool(self.typed.order and self.typed.weighing and not self.typed.weight_hold and not self.typed.error)

    def counted(self) -> dict[str, int]:
        return self.typed.counted()

    def remaining(self) -> dict[str, int]:
        return self.typed.remaining()

    def progress_lines(self) -> list[str]:
        return self.typed.progress_lines()
