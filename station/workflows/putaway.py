"""The put-away bench: scan an item, Station suggests a bin, scan the bin, the units move.

Items come from the receiving location (``QTY:N`` keys a quantity; a case or GS1 carton counts
its units); several scans of the same SKU are carried together. A bin other than the suggested
one is ``other_bin``: scan it again to confirm, or scan the suggested bin. Scanning the
quarantine location starts a quarantine release, which only a supervisor may do (logged in, or
their badge scanned now): items then come out of quarantine into the bin. CANCEL drops what is
carried (nothing moved) or ends the release; DONE ends the release. An error stays until CONFIRM
(every other scan is ``acknowledge_first``).

A pure state machine (issue 14): ``step(state, scan, port)``; the stock and the people are
reached through a ``PutawayPort`` (the runner's: ``station.workflows.ports.putaway``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from station.i18n import N_, _
from station.scanning import Scan, ScanKind
from station.workflows.base import KeyedState, MachineBench, Outcome, Step
from station.workflows.messages import WaitingError, unreadable
from station.workflows.outcomes import Level

QTY_RE = re.compile(r"(?i)QTY:(\d{1,6})")


@dataclass(frozen=True)
class Item:
    sku: str
    description: str
    pack_qty: int = 1


class PutawayPort(Protocol):
    user: str  # who is logged in
    roles: frozenset[str]

    def product(self, scan: Scan) -> Item | None: ...

    def waiting(self, sku: str, kind: str) -> tuple[str, int] | None:
        """The location of `kind` (receiving, quarantine) holding most of `sku`, and how many it holds."""

    def suggest_bin(self, sku: str) -> str | None: ...

    def location_kind(self, code: str) -> str | None:
        """stock, receiving, quarantine…; None if there is no such location."""

    def badge(self, badge: str) -> tuple[str, frozenset[str]] | None:
        """The name and roles of the person whose badge this is."""

    def put_away(self, sku: str, qty: int, source: str, bin_code: str, released_by: str | None) -> None: ...


@dataclass(frozen=True)
class Carrying:
    sku: str
    name: str
    qty: int
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"sku": self.sku, "name": self.name, "qty": self.qty, "source": self.source}


@dataclass(frozen=True)
class PutawayState(KeyedState):
    error: WaitingError | None = None
    qty: int | None = None  # keyed with QTY:N, for the next item
    carrying: Carrying | None = None
    suggested: str | None = None
    other_bin: str | None = None  # scanned once instead of the suggested bin: again to confirm
    last: tuple[str, int, str] | None = None  # (sku, qty, bin) last put away
    release_by: str | None = None  # the supervisor of a quarantine release
    awaiting_supervisor: bool = False

    @property
    def source_kind(self) -> str:
        return "quarantine" if self.release_by else "receiving"

    @classmethod
    def read(cls, key: str, value: Any) -> Any:
        if key == "carrying":
            return Carrying(value["sku"], value.get("name", value["sku"]), int(value["qty"]), value["source"]) \
                if value else None
        if key == "error":
            return WaitingError.from_dict(value)
        return super().read(key, value)


def step(state: PutawayState, scan: Scan, port: PutawayPort) -> Step[PutawayState]:
    command = scan.value if scan.kind is ScanKind.COMMAND else None
    if state.error:
        if command == "CONFIRM":
            return Step(state.put(error=None), Outcome.ok("error_acknowledged", _("Error acknowledged: carry on")))
        return Step(state, Outcome.error("acknowledge_first", _("Scan CONFIRM first to acknowledge: {message}",
                                                                message=state.error.message)))
    state, outcome = _handle(state, scan, command, port)
    if outcome.level is Level.ERROR and outcome.code not in ("acknowledge_first", "supervisor_required"):
        state = state.put(error=WaitingError(outcome.code, outcome.message))  # stays until CONFIRM
    return Step(state, outcome)


def _handle(state: PutawayState, scan: Scan, command: str | None, port: PutawayPort) -> tuple[PutawayState, Outcome]:
    if state.awaiting_supervisor:
        return _supervisor(state, scan, command, port)
    if command:
        return _command(state, command)
    if scan.kind is ScanKind.UNKNOWN:
        return state, unreadable(scan)
    keyed = QTY_RE.fullmatch(scan.value) if scan.kind is ScanKind.SKU else None
    if keyed:
        state = state.put(qty=int(keyed.group(1)) or None)
        if not state.qty:
            return state, Outcome.error("bad_quantity", _("A quantity must be at least 1"))
        return state, Outcome.ok("quantity_keyed", _("Quantity {qty}: now scan the item", qty=state.qty))
    if scan.kind is ScanKind.LOCATION:
        return _location(state, scan.value, port)
    if scan.kind in (ScanKind.PRODUCT, ScanKind.SKU, ScanKind.GS1):
        found = port.product(scan)
        if found is None:
            return state, Outcome.error("unknown_barcode", _("Barcode {code} is not in the catalog", code=scan.value))
        keyed_qty, state = state.qty, state.drop("qty")
        qty = keyed_qty or ((scan.count or 1) * found.pack_qty if scan.kind is ScanKind.GS1 else found.pack_qty)
        return _item(state, found.sku, found.description, qty, port)
    return state, Outcome.error("wrong_bench", _("{kind} scans are not used at the put-away bench", kind=str(scan.kind)))


# --- items and bins ---------------------------------------------------------------------------------------------
def _item(state: PutawayState, sku: str, name: str, qty: int, port: PutawayPort) -> tuple[PutawayState, Outcome]:
    carrying = state.carrying
    if carrying and carrying.sku != sku:
        return state, Outcome.error("finish_first", _("Put the {sku} away first: scan its bin {bin}, or CANCEL",
                                                      sku=carrying.sku, bin=state.suggested or "?"))
    total = qty + (carrying.qty if carrying else 0)
    waiting = port.waiting(sku, state.source_kind)
    if waiting is None or waiting[1] < total:
        have = waiting[1] if waiting else 0
        if state.source_kind == "quarantine":
            return state, Outcome.error("not_in_quarantine", _("Only {n} {sku} in quarantine", n=have, sku=sku))
        return state, Outcome.error("not_in_receiving", _("Only {n} {sku} waiting to be put away", n=have, sku=sku))
    suggested = port.suggest_bin(sku)
    state = state.put(carrying=Carrying(sku, name, total, waiting[0]), suggested=suggested, other_bin=None)
    if suggested is None:
        return state, Outcome.warn("no_bin_suggested", _("{sku} ×{qty}: no empty bin; scan any bin", sku=sku, qty=total))
    return state, Outcome.ok("put_in_bin", _("{sku} ×{qty}: put it in {bin}", sku=sku, qty=total, bin=suggested), name)


def _location(state: PutawayState, code: str, port: PutawayPort) -> tuple[PutawayState, Outcome]:
    kind = port.location_kind(code)
    if kind is None:
        return state, Outcome.error("unknown_location", _("No location {code}", code=code))
    carrying = state.carrying
    if carrying is None:
        if kind == "quarantine":
            if state.release_by:
                return state, Outcome.ok("release_started", _("Quarantine release by {name}: scan the items to release, "
                                                              "then their bin; DONE to finish", name=state.release_by))
            if "supervisor" in port.roles:
                return _release(state, port.user)
            return state.put(awaiting_supervisor=True), Outcome.error(
                "supervisor_required", _("A quarantine release needs a supervisor: scan a supervisor's badge, "
                                         "or CONFIRM to go on without"))
        return state, Outcome.error("scan_item_first", _("Scan the item first, then its bin"))
    if kind != "stock":
        return state, Outcome.error("not_a_bin", _("{code} is not a stock bin", code=code))
    suggested = state.suggested
    if suggested is not None and code != suggested and code != state.other_bin:
        return state.put(other_bin=code), Outcome.warn(
            "other_bin", _("{code} is not the suggested bin {bin}: scan {code} again to put it there, or scan {bin}",
                           code=code, bin=suggested))
    port.put_away(carrying.sku, carrying.qty, carrying.source, code, state.release_by)
    state = state.put(carrying=None, suggested=None, other_bin=None, last=(carrying.sku, carrying.qty, code))
    return state, Outcome.ok("put_away", _("{sku} ×{qty} put away in {bin}", sku=carrying.sku, qty=carrying.qty,
                                           bin=code))


# --- release and commands ---------------------------------------------------------------------------------------
def _release(state: PutawayState, supervisor: str) -> tuple[PutawayState, Outcome]:
    return state.put(release_by=supervisor, awaiting_supervisor=False, carrying=None), Outcome.ok(
        "release_started", _("Quarantine release by {name}: scan the items to release, then their bin; DONE to finish",
                             name=supervisor))


def _supervisor(state: PutawayState, scan: Scan, command: str | None,
                port: PutawayPort) -> tuple[PutawayState, Outcome]:
    if command in ("CONFIRM", "CANCEL"):
        return state.put(awaiting_supervisor=False), Outcome.warn("release_cancelled", _("No quarantine release"))
    if scan.kind is ScanKind.BADGE:
        person = port.badge(scan.value)
        if person is not None and "supervisor" in person[1]:
            return _release(state, person[0])
        return state, Outcome.error("supervisor_required", _("{name} is not a supervisor: a supervisor's badge is "
                                                             "needed", name=person[0] if person else "?"))
    return state, Outcome.error("acknowledge_first", _("Scan a supervisor's badge, or CONFIRM to go on without"))


def _command(state: PutawayState, command: str) -> tuple[PutawayState, Outcome]:
    if command == "CANCEL" and state.carrying:
        carrying = state.carrying
        return state.put(carrying=None, suggested=None, other_bin=None), Outcome.warn(
            "putaway_cancelled", _("{sku} ×{qty} not put away: nothing was moved", sku=carrying.sku, qty=carrying.qty))
    if command in ("CANCEL", "DONE") and state.release_by:
        return (state.put(release_by=None, carrying=None, suggested=None, other_bin=None),
                Outcome.ok("release_finished", _("Quarantine release finished")))
    if command == "CONFIRM":
        return state, Outcome.ok("nothing_to_confirm", _("Nothing to confirm"))
    return state, Outcome.warn("command_not_used", _("Command {command} does nothing here", command=command))


class PutawayBench(MachineBench):
    name = "putaway"
    title = N_("Put away")
    roles = frozenset({"receiver", "supervisor"})
    commands = {
        "CANCEL": N_("Drop what you carry (nothing is moved), or end a quarantine release"),
        "DONE": N_("End a quarantine release"),
    }
    State = PutawayState
    step = staticmethod(step)
    typed: PutawayState

    def takes_badge(self) -> bool:
        return self.typed.awaiting_supervisor

    @property
    def source_kind(self) -> str:
        return self.typed.source_kind
