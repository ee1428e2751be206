"""The count bench (盘点): blind counting by bin, and the supervisor's approval by badge.

Scan a count sheet's number (or just a bin: the newest open count holding it is taken),
then a bin, then its items — each scan counts one unit (a case barcode its pack quantity);
after an item, a keyed number sets how many of it there are. The next bin closes this one;
DONE closes it too. An empty bin is confirmed with EMPTY. RECOUNT starts the open bin over,
or opens a bin already counted again. UNDO takes back the last item, CANCEL leaves the bin
without saving it. The counter never sees a book quantity.

APPROVE, then a badge: a supervisor's badge approves the count and posts the adjustments;
anyone else's is refused with ``not_permitted`` and recorded. An error stays on screen
until CONFIRM.

A pure state machine (issue 14): ``step(state, scan, port)``; the count, its bins and the stock
are reached through a ``CountPort`` (the runner's: ``station.workflows.ports.count``). A refused
count action (``Refused``, raised by the port) writes nothing and changes no state: the port runs
the scan's work ``all_or_nothing`` (a savepoint, in the database).

Over ~400 lines on purpose: the bench's facts, its port, its typed state and its machine are one
state machine and read together; nothing in it touches the database (that side is in ports/).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol, TypeVar

from station.i18n import N_, _
from station.scanning import Scan, ScanKind
from station.workflows.base import KeyedState, MachineBench, Outcome, Step
from station.workflows.messages import HeldError, item_scan, unreadable
from station.workflows.outcomes import Level

ITEM_KINDS = (ScanKind.PRODUCT, ScanKind.SKU, ScanKind.GS1)
MAX_KEYED = 99999
T = TypeVar("T")
Counts = tuple[tuple[str, int], ...]


class Refused(Exception):
    """A refused count action (the count closed meanwhile, a recount by its first counter...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class CountFacts:
    count_no: str
    status: str  # open, closed
    scope: str
    skus: frozenset[str] | None = None  # a count of some SKUs only


@dataclass(frozen=True)
class CountProgress:
    counted: int
    bins: int
    recount: int
    upcoming: tuple[str, ...] = ()  # the next bins to count


@dataclass(frozen=True)
class Item:
    sku: str
    description: str
    pack_qty: int = 1


@dataclass(frozen=True)
class Approval:
    ok: bool
    code: str
    message: str
    problems: tuple[str, ...] = ()
    closed: bool = False


class CountPort(Protocol):
    user: str | None

    def all_or_nothing(self, work: Callable[[], T]) -> T:
        """Run `work`; if it raises ``Refused``, nothing it asked for is kept."""

    def count(self, count_no: str) -> CountFacts | None: ...

    def progress(self, count_no: str) -> CountProgress: ...

    def location_kind(self, code: str) -> str | None: ...

    def count_for_bin(self, count_no: str | None, code: str) -> str | None:
        """The open count `count_no` if it holds the bin, else the newest open count that does, else
        the open count `count_no`; None when there is none."""

    def bin_status(self, count_no: str, code: str) -> str:
        """pending, counted or recount."""

    def check_recounter(self, count_no: str, code: str) -> None:
        """Raises ``Refused`` when the person logged in counted this bin first (a recount is someone else's)."""

    def movement_mark(self) -> int: ...

    def record_bin(self, count_no: str, code: str, counted: dict[str, int], mark: int | None) -> tuple[str, int]:
        """Save the bin's count; returns (bin, units counted)."""

    def product(self, scan: Scan) -> Item | None: ...

    def approve(self, count_no: str, badge: str) -> Approval: ...


@dataclass(frozen=True)
class CountState(KeyedState):
    count: str | None = None
    bin: str | None = None
    items: Counts = ()  # sku -> units counted in the open bin
    history: tuple[tuple[str, int], ...] = ()  # (sku, units) per scan or keyed number, for UNDO
    mark: int | None = None  # the newest ledger line when the bin was opened
    last_sku: str | None = None  # what a keyed number counts
    names: tuple[tuple[str, str], ...] = ()  # sku -> description, for the screen
    recount_bin: str | None = None  # a counted bin scanned once: RECOUNT opens it
    awaiting: str | None = None  # "approve": a badge is awaited
    error: HeldError | None = None
    not_counted: str | None = None  # for the one scan after a CONFIRM: the item scan the error refused

    @classmethod
    def saved(cls, key: str, value: Any) -> Any:
        if key in ("items", "names"):
            return dict(value)
        return super().saved(key, value)

    @classmethod
    def read(cls, key: str, value: Any) -> Any:
        if key in ("items", "names"):
            return tuple((value or {}).items())
        if key == "history":
            return tuple((sku, int(n)) for sku, n in value or [])
        if key == "error":
            return HeldError(value["code"], value["message"], value.get("scan")) if value else None
        return super().read(key, value)


def _items(state: CountState) -> tuple[CountState, dict[str, int]]:
    """The open bin's counts (the key is written when first read, as the untyped bench did)."""
    if not state.has("items"):
        state = state.put(items=())
    return state, dict(state.items)


def _lines(state: CountState) -> tuple[CountState, list[str]]:
    """What the counter has counted in the open bin (their own numbers only)."""
    state, items = _items(state)
    return state, [f"{sku}  {qty}" for sku, qty in sorted(items.items())]


def _leave_bin(state: CountState) -> CountState:
    return state.put(bin=None, items=(), history=(), mark=None, last_sku=None, names=())


def _count(state: CountState, port: CountPort) -> CountFacts | None:
    if not state.count:
        return None
    count = port.count(state.count)
    return count if count is not None and count.status == "open" else None


def _progress(count: CountFacts, port: CountPort) -> tuple[str, ...]:
    p = port.progress(count.count_no)
    first = _("{count}: {counted} of {bins} bins counted, {recount} to recount",
              count=count.count_no, counted=p.counted, bins=p.bins, recount=p.recount)
    rest = (_("Next bins: {bins}", bins=", ".join(p.upcoming)),) if p.upcoming else ()
    return (first, *rest)


# --- one scan ---------------------------------------------------------------------------------------------------
def step(state: CountState, scan: Scan, port: CountPort) -> Step[CountState]:
    # The refused scan a held error was confirmed for, kept for the one scan after the CONFIRM:
    # an UNDO then takes back nothing (that scan counted nothing), not the item counted before it.
    not_counted = state.not_counted
    state = state.drop("not_counted")
    before = state
    try:
        state, outcome = port.all_or_nothing(lambda: _handle(before, scan, port, not_counted))
    except Refused as exc:  # a refused count action writes nothing and changes no state
        state, outcome = before, Outcome.error(exc.code, exc.message)
    if outcome.level is Level.ERROR and outcome.code != "acknowledge_first":
        state = state.put(error=HeldError(outcome.code, outcome.message, item_scan(scan)))
    return Step(state, outcome)


def _handle(state: CountState, scan: Scan, port: CountPort, not_counted: str | None) -> tuple[CountState, Outcome]:
    command = scan.value if scan.kind is ScanKind.COMMAND else None
    if state.error:
        if command == "CONFIRM":
            state = state.put(not_counted=state.error.scan).put(error=None)
            state, lines = _lines(state)
            return state, Outcome.ok("error_acknowledged", _("Error acknowledged: carry on"), *lines)
        return state, Outcome.error("acknowledge_first", _("Scan CONFIRM first to acknowledge: {message}",
                                                           message=state.error.message))
    if state.awaiting == "approve":
        if scan.kind is ScanKind.BADGE:
            return _approve(state, scan, port)
        state = state.put(awaiting=None)
        if command == "CANCEL":
            return state, Outcome.warn("approval_cancelled", _("Approval cancelled"))
    if command:
        return _command(state, command, port, not_counted)
    if scan.kind is ScanKind.UNKNOWN:
        return state, unreadable(scan)
    if scan.kind is ScanKind.LOCATION:
        return _bin(state, scan.value, port)
    if scan.kind in ITEM_KINDS:
        return _item(state, scan, port)
    return state, Outcome.error("wrong_bench", _("{code} is not a bin or an item: scan a bin, then its items",
                                                 code=scan.raw))


# --- counts and bins --------------------------------------------------------------------------------------------
def _open_count(state: CountState, count: CountFacts, port: CountPort) -> tuple[CountState, Outcome]:
    state = _leave_bin(state).put(count=count.count_no, recount_bin=None)
    return state, Outcome.ok("count_opened", _("Count {count} ({scope}): scan a bin", count=count.count_no,
                                               scope=count.scope), *_progress(count, port))


def _bin(state: CountState, code: str, port: CountPort) -> tuple[CountState, Outcome]:
    kind = port.location_kind(code)
    if kind is None:
        return state, Outcome.error("unknown_location", _("{code} is not a location", code=code))
    if kind != "stock":
        return state, Outcome.error("not_a_bin", _("{code} is not a stock bin", code=code))
    closed: tuple[str, ...] = ()
    if state.bin == code:
        state, lines = _lines(state)
        return state, Outcome.warn("bin_already_open", _("Bin {bin} is open: scan its items", bin=code), *lines)
    items: dict[str, int] = {}
    if state.bin:
        state, items = _items(state)
    if state.bin and items:
        state, (done, units) = _close(state, port)
        closed = (_("Bin {bin} counted: {units} units", bin=done, units=units),)
    elif state.bin:
        closed = (_("Bin {bin} left uncounted", bin=state.bin),)
        state = _leave_bin(state)
    count_no = port.count_for_bin(state.count, code)
    if count_no is None:
        return state, Outcome.error("no_open_count", _("No open count holds bin {bin}", bin=code), *closed)
    state = state.put(count=count_no)
    status = port.bin_status(count_no, code)
    if status == "counted" and state.recount_bin != code:
        return state.put(recount_bin=code), Outcome.warn(
            "already_counted", _("Bin {bin} is already counted: scan RECOUNT to count it again", bin=code), *closed)
    if status == "recount":
        port.check_recounter(count_no, code)
    return _start_bin(state, code, status == "recount", port, closed)


def _start_bin(state: CountState, code: str, recount: bool, port: CountPort,
               closed: tuple[str, ...] = ()) -> tuple[CountState, Outcome]:
    state = _leave_bin(state).put(bin=code, mark=port.movement_mark(), recount_bin=None)
    if recount:
        return state, Outcome.ok("bin_opened", _("Recount bin {bin}: scan every item in it", bin=code), *closed)
    return state, Outcome.ok("bin_opened", _("Bin {bin}: scan every item in it", bin=code), *closed)


def _close(state: CountState, port: CountPort) -> tuple[CountState, tuple[str, int]]:
    count = _count(state, port)
    if count is None:
        raise Refused("count_closed", _("Count {count} is closed", count=state.count))
    state, items = _items(state)
    result = port.record_bin(count.count_no, state.bin, items, state.mark)
    return _leave_bin(state), result


# --- items ------------------------------------------------------------------------------------------------------
def _item(state: CountState, scan: Scan, port: CountPort) -> tuple[CountState, Outcome]:
    found = port.product(scan)
    if found is None and scan.kind is ScanKind.SKU:
        count = port.count(scan.value)
        if count is not None:
            if count.status != "open":
                return state, Outcome.error("count_closed", _("Count {count} is closed", count=count.count_no))
            if state.bin:
                state, items = _items(state)
                if items:
                    return state, Outcome.error("finish_first", _("Finish bin {bin} first: DONE or CANCEL",
                                                                  bin=state.bin))
            return _open_count(state, count, port)
        digits = scan.value[4:] if scan.value[:4].upper() == "QTY:" else scan.value  # QTY:N as at receiving
        if digits.isdigit() and len(digits) <= len(str(MAX_KEYED)):
            return _keyed(state, int(digits))
    if found is None:
        return state, Outcome.error("unknown_barcode", _("Barcode {code} is not in the catalog", code=scan.value))
    if not state.bin:
        return state, Outcome.error("scan_bin_first", _("Scan the bin first, then its items"))
    count = _count(state, port)
    sku = found.sku
    if count is not None and count.skus and sku not in count.skus:
        return state, Outcome.warn("not_in_count", _("{sku} is not part of this count: not counted", sku=sku))
    units = found.pack_qty * (scan.count or 1)
    state, items = _items(state)
    items[sku] = items.get(sku, 0) + units
    state = state.put(items=tuple(items.items()))
    state = state.put(history=(*state.history, (sku, units)))
    state = state.put(last_sku=sku)
    state = state.put(names=tuple({**dict(state.names), sku: found.description}.items()))  # the screen's lines
    state, lines = _lines(state)
    return state, Outcome.ok("item_counted", _("{sku} {name}: {qty}", sku=sku, name=found.description,
                                               qty=items[sku]), *lines)


def _keyed(state: CountState, qty: int) -> tuple[CountState, Outcome]:
    sku = state.last_sku
    if not state.bin or not sku:
        return state, Outcome.error("scan_item_first", _("Scan an item first, then key its quantity"))
    state, items = _items(state)
    before = items.get(sku, 0)
    items[sku] = qty
    state = state.put(items=tuple(items.items()))
    state = state.put(history=(*state.history, (sku, qty - before)))
    if qty == 0:
        items.pop(sku)
        state = state.put(items=tuple(items.items()))
    state, lines = _lines(state)
    return state, Outcome.ok("quantity_keyed", _("{sku}: {qty}", sku=sku, qty=qty), *lines)


# --- commands ---------------------------------------------------------------------------------------------------
def _command(state: CountState, command: str, port: CountPort, not_counted: str | None) -> tuple[CountState, Outcome]:
    if command == "DONE":
        items: dict[str, int] = {}
        if state.bin:
            state, items = _items(state)
        if state.bin and items:
            state, (done, units) = _close(state, port)
            count = _count(state, port)
            return state, Outcome.ok("bin_counted", _("Bin {bin} counted: {units} units", bin=done, units=units),
                                     *(_progress(count, port) if count else ()))
        if state.bin:
            return state, Outcome.error("bin_not_counted", _(
                "Nothing counted in bin {bin}: scan its items, or EMPTY if it is empty", bin=state.bin))
        count = _count(state, port)
        if count is None:
            return state, Outcome.warn("no_count", _("Scan a count sheet or a bin to start"))
        return state, Outcome.ok("count_progress", _("Count {count}", count=count.count_no), *_progress(count, port))
    if command == "EMPTY":
        if not state.bin:
            return state, Outcome.error("scan_bin_first", _("Scan the bin first, then its items"))
        state, items = _items(state)
        if items:
            return state, Outcome.error("bin_not_empty", _("Bin {bin} is not empty: you counted {units} units",
                                                           bin=state.bin, units=sum(items.values())))
        state, (done, _units) = _close(state, port)
        count = _count(state, port)
        return state, Outcome.ok("bin_empty", _("Bin {bin} confirmed empty", bin=done),
                                 *(_progress(count, port) if count else ()))
    if command == "UNDO":
        if state.bin and not_counted:  # the last scan was refused and confirmed: nothing of it to take back
            state, lines = _lines(state)
            return state, Outcome.warn("nothing_to_undo", _("Nothing to undo: {scan} was not counted",
                                                            scan=not_counted.replace("\x1d", "<GS>")), *lines)
        if not state.bin or not state.history:
            return state, Outcome.warn("nothing_to_undo", _("Nothing to undo"))
        sku, units = state.history[-1]
        state = state.put(history=state.history[:-1])
        state, items = _items(state)
        items[sku] = items.get(sku, 0) - units
        if items[sku] <= 0:
            items.pop(sku)
        state = state.put(items=tuple(items.items()))
        state, lines = _lines(state)
        return state, Outcome.warn("undone", _("Taken back: {sku} {units}", sku=sku, units=units), *lines)
    if command == "RECOUNT":
        if state.bin:
            state, outcome = _start_bin(state, state.bin, True, port)
            return state, replace_level(outcome, "recount_started")
        if state.recount_bin:
            if _count(state, port) is None:
                return state, Outcome.warn("no_count", _("Scan a count sheet or a bin to start"))
            return _start_bin(state, state.recount_bin, True, port)
        return state, Outcome.warn("nothing_to_recount", _("Scan the bin to recount first"))
    if command == "CANCEL":
        if not state.bin:
            return state, Outcome.warn("nothing_to_cancel", _("No bin is open"))
        return _leave_bin(state), Outcome.warn("bin_left", _("Bin {bin} left without saving", bin=state.bin))
    if command == "APPROVE":
        count = _count(state, port)
        if count is None:
            return state, Outcome.error("nothing_to_approve", _("Scan a count sheet or a bin to start"))
        if state.bin:
            state, items = _items(state)
            if items:
                return state, Outcome.error("finish_first", _("Finish bin {bin} first: DONE or CANCEL", bin=state.bin))
        state = _leave_bin(state).put(awaiting="approve")
        return state, Outcome.warn("scan_supervisor_badge", _("Approve count {count}: supervisor, scan your badge",
                                                              count=count.count_no), *_progress(count, port))
    if command == "CONFIRM":
        return state, Outcome.ok("nothing_to_confirm", _("Nothing to confirm"))
    return state, Outcome.warn("command_not_used", _("{command} is not used at the count bench", command=command))


def _approve(state: CountState, scan: Scan, port: CountPort) -> tuple[CountState, Outcome]:
    state = state.put(awaiting=None)
    decision = port.approve(state.count, scan.value)
    if not decision.ok:
        return state, Outcome(Level.ERROR, decision.code, decision.message, decision.problems[1:], kind="badge")
    count_no = state.count
    if decision.closed:
        state = state.put(count=None)
    return state, Outcome(Level.OK, decision.code, decision.message,
                          (_("Variance report and write-off: station print variance-report {count}", count=count_no),),
                          kind="badge")


def replace_level(outcome: Outcome, code: str) -> Outcome:
    return Outcome(Level.WARN, code, outcome.message, outcome.details, outcome.state, outcome.changes, outcome.kind)


class CountBench(MachineBench):
    name = "count"
    title = N_("Count")
    roles = frozenset({"counter", "supervisor"})
    commands = {
        "DONE": N_("Save the open bin's count (no bin open: show the progress)"),
        "EMPTY": N_("The open bin is empty: save it as empty"),
        "UNDO": N_("Take back the last item scan or keyed number"),
        "RECOUNT": N_("Count the bin again from zero"),
        "CANCEL": N_("Leave the open bin without saving"),
        "APPROVE": N_("Approve the count: a supervisor then scans their badge"),
    }
    State = CountState
    step = staticmethod(step)
    typed: CountState

    @property
    def count_no(self) -> str | None:
        return self.typed.count

    @property
    def bin(self) -> str | None:
        return self.typed.bin

    def items(self) -> dict[str, int]:
        return dict(self.typed.items)

    def lines(self) -> list[str]:
        return _lines(self.typed)[1]

    def takes_badge(self) -> bool:
        return self.typed.awaiting == "approve"
