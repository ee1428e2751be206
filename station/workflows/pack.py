"""The pack bench: scan the order, scan every item into the box, close the parcel.

States (saved after every scan): no order → scanning items → (waiting for the pre-printed
waybill) → closed. An error stays on screen until the packer scans CONFIRM; until then
every other scan is refused with ``acknowledge_first`` so nothing is counted by mistake.
Commands: UNDO (last item), CANCEL (order back to the queue, nothing moved), SHORT (item
missing: order on hold ``short_pick``), NEW_PARCEL (close this box, start the next),
REPRINT (the waybills of the current or last order, marked as a reprint), DONE (close when
complete), CONFIRM (acknowledge an error).

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
from typing import Any, Protocol

from station.i18n import N_, _
from station.scanning import Scan, ScanKind
from station.workflows.base import MachineBench, Outcome, Step
from station.workflows.messages import HeldError, item_scan, unreadable
from station.workflows.outcomes import Level

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


# --- the state --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    sku: str
    name: str
    colour: str | None
    size: str | None
    qty: int
    gift: bool

    def to_dict(self) -> dict[str, Any]:
        return {"sku": self.sku, "name": self.name, "colour": self.colour, "size": self.size, "qty": self.qty,
                "gift": self.gift}


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
                             bool(l.get("gift"))) for l in saved.get("lines") or []),
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
def step(state: PackState, scan: Scan, port: PackPort) -> Step[PackState]:
    """The pack bench's answer to one scan: the new state and what the packer sees."""
    # The refused scan an error was acknowledged for, kept for the one scan after the CONFIRM.
    not_counted = state.acknowledged.scan if state.acknowledged else None
    state = replace(state, acknowledged=None)
    state, outcome = _handle(state, scan, port, not_counted)
    if outcome.level is Level.ERROR and state.order and outcome.code != "acknowledge_first":
        state = replace(state, error=HeldError(outcome.code, outcome.message, item_scan(scan)))
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
        lines=tuple(Line(i.sku, i.name, i.colour, i.size, i.qty, i.gift) for i in items),
        notes=tuple((kind, text) for kind, text in notes if text),
        expected=tuple(expected.items()), gifts=tuple(sorted({i.sku for i in items if i.gift})),
        styles=tuple(styles.items()))
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
    closed = port.close(order.order_no, [dict(p) for p in state.parcels if p], manual)
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
        state = replace(state, history=state.history[:-1], parcels=tuple(parcels), awaiting_waybill=False,
                        waybills=())
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
        state = replace(state, parcels=(*state.parcels, ()))
        return state, Outcome.ok("new_parcel", _("Parcel {n} started: scan what goes in it", n=len(state.parcels)),
                                 *state.progress_lines())
    if command == "DONE":
        if state.remaining():
            missing = ", ".join(f"{sku} ×{qty}" for sku, qty in state.remaining().items())
            return state, Outcome.error("not_complete", _("Still to scan: {items}", items=missing))
        return _complete(state, port)
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
    }
    State = PackState
    step = staticmethod(step)
    typed: PackState

    @property
    def order_no(self) -> str | None:
        return self.typed.order

    def counted(self) -> dict[str, int]:
        return self.typed.counted()

    def remaining(self) -> dict[str, int]:
        return self.typed.remaining()

    def progress_lines(self) -> list[str]:
        return self.typed.progress_lines()
