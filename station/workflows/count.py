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
"""
from __future__ import annotations

import copy

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.catalog import lookup as catalog
from station.catalog.models import User
from station.i18n import N_, _, message_of
from station.inventory import count_review, counts
from station.inventory.count_models import StockCount
from station.inventory.lookup import find_location
from station.scanning import Scan, ScanKind
from station.workflows.base import Bench, BenchContext, Outcome
from station.workflows.outcomes import Level
from station.workflows.messages import item_scan, unreadable

ITEM_KINDS = (ScanKind.PRODUCT, ScanKind.SKU, ScanKind.GS1)
MAX_KEYED = 99999


class CountBench(Bench):
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
    _not_counted: str | None = None  # set by handle(): the scan a confirmed error refused

    # --- state -------------------------------------------------------------------
    @property
    def count_no(self) -> str | None:
        return self.state.get("count")

    @property
    def bin(self) -> str | None:
        return self.state.get("bin")

    def items(self) -> dict[str, int]:
        return self.state.setdefault("items", {})

    def takes_badge(self) -> bool:
        return self.state.get("awaiting") == "approve"

    def _leave_bin(self) -> None:
        self.state.update(bin=None, items={}, history=[], mark=None, last_sku=None, names={})

    def lines(self) -> list[str]:
        """What the counter has counted in the open bin (their own numbers only)."""
        return [f"{sku}  {qty}" for sku, qty in sorted(self.items().items())]

    # --- one scan ----------------------------------------------------------------
    def handle(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        # The refused scan a held error was confirmed for, kept for the one scan after the CONFIRM:
        # an UNDO then takes back nothing (that scan counted nothing), not the item counted before it.
        self._not_counted = self.state.pop("not_counted", None)
        before = copy.deepcopy(self.state)
        try:
            with session.begin_nested():  # a refused count action writes nothing and changes no state
                outcome = self._handle(scan, session, ctx)
        except counts.CountError as exc:
            self.state = before
            outcome = Outcome.error(exc.code, message_of(exc))
        if outcome.level is Level.ERROR and outcome.code != "acknowledge_first":
            self.state["error"] = {"code": outcome.code, "message": outcome.message, "scan": item_scan(scan)}
        return outcome

    def _handle(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        command = scan.value if scan.kind is ScanKind.COMMAND else None
        if self.state.get("error"):
            if command == "CONFIRM":
                self.state["not_counted"] = self.state["error"].get("scan")
                self.state["error"] = None
                return Outcome.ok("error_acknowledged", _("Error acknowledged: carry on"), *self.lines())
            return Outcome.error("acknowledge_first", _("Scan CONFIRM first to acknowledge: {message}",
                                                        message=self.state["error"]["message"]))
        if self.takes_badge():
            if scan.kind is ScanKind.BADGE:
                return self._approve(scan, session)
            self.state["awaiting"] = None
            if command == "CANCEL":
                return Outcome.warn("approval_cancelled", _("Approval cancelled"))
        if command:
            return self._command(command, session, ctx)
        if scan.kind is ScanKind.UNKNOWN:
            return unreadable(scan)
        if scan.kind is ScanKind.LOCATION:
            return self._bin(scan.value, session, ctx)
        if scan.kind in ITEM_KINDS:
            return self._item(scan, session, ctx)
        return Outcome.error("wrong_bench", _("{code} is not a bin or an item: scan a bin, then its items",
                                                   code=scan.raw))

    # --- counts and bins ---------------------------------------------------------
    def _count(self, session: Session) -> StockCount | None:
        if not self.count_no:
            return None
        count = session.scalar(select(StockCount).where(StockCount.count_no == self.count_no))
        return count if count is not None and count.status == "open" else None

    def _progress(self, session: Session, count: StockCount) -> tuple[str, ...]:
        p = counts.progress(session, count)
        first = _("{count}: {counted} of {bins} bins counted, {recount} to recount",
                  count=count.count_no, counted=p.counted, bins=p.bins, recount=p.recount)
        upcoming = counts.bins_to_count(session, count)
        rest = (_("Next bins: {bins}", bins=", ".join(upcoming)),) if upcoming else ()
        return (first, *rest)

    def _open_count(self, count: StockCount, session: Session) -> Outcome:
        self._leave_bin()
        self.state.update(count=count.count_no, recount_bin=None)
        return Outcome.ok("count_opened", _("Count {count} ({scope}): scan a bin", count=count.count_no,
                                            scope=count.scope), *self._progress(session, count))

    def _bin(self, code: str, session: Session, ctx: BenchContext) -> Outcome:
        location = find_location(session, code)
        if location is None:
            return Outcome.error("unknown_location", _("{code} is not a location", code=code))
        if location.kind != "stock":
            return Outcome.error("not_a_bin", _("{code} is not a stock bin", code=code))
        closed: tuple[str, ...] = ()
        if self.bin == code:
            return Outcome.warn("bin_already_open", _("Bin {bin} is open: scan its items", bin=code), *self.lines())
        if self.bin and self.items():
            result = self._close(session, ctx)
            closed = (_("Bin {bin} counted: {units} units", bin=result.code, units=result.units),)
        elif self.bin:
            closed = (_("Bin {bin} left uncounted", bin=self.bin),)
            self._leave_bin()
        count = self._count(session)
        if count is None or session.scalar(select(counts.CountBin.id).where(
                counts.CountBin.count_id == count.id, counts.CountBin.location_id == location.id)) is None:
            count = counts.open_count_for_bin(session, location.id) or count
        if count is None:
            return Outcome.error("no_open_count", _("No open count holds bin {bin}", bin=code), *closed)
        self.state["count"] = count.count_no
        _loc, cbin = counts.bin_of(session, count, code)
        if cbin.status == "counted" and self.state.get("recount_bin") != code:
            self.state["recount_bin"] = code
            return Outcome.warn("already_counted", _("Bin {bin} is already counted: scan RECOUNT to count it again",
                                                     bin=code), *closed)
        if cbin.status == "recount":
            counts._refuse_recount_by_first_counter(session, count, cbin, ctx.user)
        return self._start_bin(code, cbin.status == "recount", session, closed)

    def _start_bin(self, code: str, recount: bool, session: Session, closed: tuple[str, ...] = ()) -> Outcome:
        self._leave_bin()
        self.state.update(bin=code, mark=counts.movement_mark(session), recount_bin=None)
        if recount:
            return Outcome.ok("bin_opened", _("Recount bin {bin}: scan every item in it", bin=code), *closed)
        return Outcome.ok("bin_opened", _("Bin {bin}: scan every item in it", bin=code), *closed)

    def _close(self, session: Session, ctx: BenchContext) -> counts.BinResult:
        count = self._count(session)
        if count is None:
            raise counts.CountError("count_closed", _("Count {count} is closed", count=self.count_no))
        result = counts.record_bin(session, count, self.bin, dict(self.items()), user=ctx.user,
                                   mark=self.state.get("mark"))
        self._leave_bin()
        return result

    # --- items ---------------------------------------------------------------------
    def _item(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        found = catalog.find_product(session, scan)
        if found is None and scan.kind is ScanKind.SKU:
            count = session.scalar(select(StockCount).where(StockCount.count_no == scan.value))
            if count is not None:
                if count.status != "open":
                    return Outcome.error("count_closed", _("Count {count} is closed", count=count.count_no))
                if self.bin and self.items():
                    return Outcome.error("finish_first", _("Finish bin {bin} first: DONE or CANCEL", bin=self.bin))
                return self._open_count(count, session)
            digits = scan.value[4:] if scan.value[:4].upper() == "QTY:" else scan.value  # QTY:N as at receiving
            if digits.isdigit() and len(digits) <= len(str(MAX_KEYED)):
                return self._keyed(int(digits))
        if found is None:
            return Outcome.error("unknown_barcode", _("Barcode {code} is not in the catalog", code=scan.value))
        if not self.bin:
            return Outcome.error("scan_bin_first", _("Scan the bin first, then its items"))
        count = self._count(session)
        sku = found.product.sku
        if count is not None and count.sku_set and sku not in count.sku_set:
            return Outcome.warn("not_in_count", _("{sku} is not part of this count: not counted", sku=sku))
        units = found.pack_qty * (scan.count or 1)
        items = self.items()
        items[sku] = items.get(sku, 0) + units
        self.state.setdefault("history", []).append([sku, units])
        self.state["last_sku"] = sku
        self.state.setdefault("names", {})[sku] = catalog.describe(found.product)  # the screen's lines show it
        return Outcome.ok("item_counted", _("{sku} {name}: {qty}", sku=sku, name=catalog.describe(found.product),
                                            qty=items[sku]), *self.lines())

    def _keyed(self, qty: int) -> Outcome:
        sku = self.state.get("last_sku")
        if not self.bin or not sku:
            return Outcome.error("scan_item_first", _("Scan an item first, then key its quantity"))
        items = self.items()
        before = items.get(sku, 0)
        items[sku] = qty
        self.state.setdefault("history", []).append([sku, qty - before])
        if qty == 0:
            items.pop(sku)
        return Outcome.ok("quantity_keyed", _("{sku}: {qty}", sku=sku, qty=qty), *self.lines())

    # --- commands --------------------------------------------------------------------
    def _command(self, command: str, session: Session, ctx: BenchContext) -> Outcome:
        if command == "DONE":
            if self.bin and self.items():
                result = self._close(session, ctx)
                count = self._count(session)
                return Outcome.ok("bin_counted", _("Bin {bin} counted: {units} units", bin=result.code,
                                                   units=result.units), *(self._progress(session, count) if count else ()))
            if self.bin:
                return Outcome.error("bin_not_counted", _(
                    "Nothing counted in bin {bin}: scan its items, or EMPTY if it is empty", bin=self.bin))
            count = self._count(session)
            if count is None:
                return Outcome.warn("no_count", _("Scan a count sheet or a bin to start"))
            return Outcome.ok("count_progress", _("Count {count}", count=count.count_no),
                              *self._progress(session, count))
        if command == "EMPTY":
            if not self.bin:
                return Outcome.error("scan_bin_first", _("Scan the bin first, then its items"))
            if self.items():
                return Outcome.error("bin_not_empty", _("Bin {bin} is not empty: you counted {units} units",
                                                        bin=self.bin, units=sum(self.items().values())))
            result = self._close(session, ctx)
            count = self._count(session)
            return Outcome.ok("bin_empty", _("Bin {bin} confirmed empty", bin=result.code),
                              *(self._progress(session, count) if count else ()))
        if command == "UNDO":
            history = self.state.get("history") or []
            if self.bin and self._not_counted:  # the last scan was refused and confirmed: nothing of it to take back
                return Outcome.warn("nothing_to_undo",
                                    _("Nothing to undo: {scan} was not counted",
                                      scan=self._not_counted.replace("\x1d", "<GS>")), *self.lines())
            if not self.bin or not history:
                return Outcome.warn("nothing_to_undo", _("Nothing to undo"))
            sku, units = history.pop()
            items = self.items()
            items[sku] = items.get(sku, 0) - units
            if items[sku] <= 0:
                items.pop(sku)
            return Outcome.warn("undone", _("Taken back: {sku} {units}", sku=sku, units=units), *self.lines())
        if command == "RECOUNT":
            if self.bin:
                code = self.bin
                return replace_level(self._start_bin(code, True, session), "recount_started")
            if self.state.get("recount_bin"):
                code = self.state["recount_bin"]
                count = self._count(session)
                if count is None:
                    return Outcome.warn("no_count", _("Scan a count sheet or a bin to start"))
                return self._start_bin(code, True, session)
            return Outcome.warn("nothing_to_recount", _("Scan the bin to recount first"))
        if command == "CANCEL":
            if not self.bin:
                return Outcome.warn("nothing_to_cancel", _("No bin is open"))
            code = self.bin
            self._leave_bin()
            return Outcome.warn("bin_left", _("Bin {bin} left without saving", bin=code))
        if command == "APPROVE":
            count = self._count(session)
            if count is None:
                return Outcome.error("nothing_to_approve", _("Scan a count sheet or a bin to start"))
            if self.bin and self.items():
                return Outcome.error("finish_first", _("Finish bin {bin} first: DONE or CANCEL", bin=self.bin))
            self._leave_bin()
            self.state["awaiting"] = "approve"
            return Outcome.warn("scan_supervisor_badge", _("Approve count {count}: supervisor, scan your badge",
                                                           count=count.count_no), *self._progress(session, count))
        if command == "CONFIRM":
            return Outcome.ok("nothing_to_confirm", _("Nothing to confirm"))
        return Outcome.warn("command_not_used", _("{command} is not used at the count bench", command=command))

    def _approve(self, scan: Scan, session: Session) -> Outcome:
        self.state["awaiting"] = None
        person = session.scalar(select(User).where(User.badge == scan.value))
        decision = count_review.approve(session, self.count_no, person.name)
        if not decision.ok:
            return Outcome(Level.ERROR, decision.code, decision.message, tuple(decision.problems[1:]), kind="badge")
        count_no = self.count_no
        if decision.closed:
            self.state.update(count=None)
        return Outcome(Level.OK, decision.code, decision.message,
                       (_("Variance report and write-off: station print variance-report {count}", count=count_no),),
                       kind="badge")


def replace_level(outcome: Outcome, code: str) -> Outcome:
    return Outcome(Level.WARN, code, outcome.message, outcome.details, outcome.state, outcome.changes, outcome.kind)
