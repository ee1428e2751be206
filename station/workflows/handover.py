"""The handover bench: scan each parcel onto its courier's handover list; DONE closes and prints it.

The first parcel scanned opens (or continues) the open list of its courier; after that a
parcel of another courier is ``wrong_courier``. UNDO takes the last parcel off the list;
REPRINT prints the list closed last again.

What the person checks against is in the state, refreshed after every scan (the screen draws it
and asks the database nothing): the parcels on the list (newest first), the parcels packed for
that courier and on no list yet (oldest first: the ones to go and find), every courier's open
list and waiting parcels, and the last scans. Every error stays until CONFIRM, as at every bench:
a refused parcel is set aside, not lost in the next scan.

A pure state machine (issue 14): ``step(state, scan, port)``; the list and its parcels are
reached through a ``HandoverPort`` (the runner's: ``station.workflows.ports.handover``).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Protocol

from station.i18n import N_, _
from station.scanning import Scan, ScanKind
from station.workflows.base import MachineBench, Outcome, Step
from station.workflows.messages import WaitingError, answer_waiting, to_keep, unreadable

SHOWN = 10  # parcels listed on screen (on the list, and waiting); the counts count them all
RECENT = 6  # the last scans shown


@dataclass(frozen=True)
class ListFacts:
    handover_no: str
    courier: str
    status: str  # open, closed


@dataclass(frozen=True)
class Added:
    tracking_no: str
    handover_no: str
    courier: str
    count: int  # parcels on the list now


@dataclass(frozen=True)
class Refused:
    code: str
    message: str


@dataclass(frozen=True)
class ListedParcel:
    tracking_no: str
    order_no: str


@dataclass(frozen=True)
class CourierLine:
    """One courier on the board: its open list (None: none open), parcels on it, parcels waiting."""
    courier: str
    handover_no: str | None
    on_list: int
    waiting: int


@dataclass(frozen=True)
class Board:
    """What the screen shows beside the banner."""
    on_list: tuple[ListedParcel, ...] = ()  # the open list's parcels, newest first, at most SHOWN
    waiting: int = 0  # the list's courier's parcels packed and on no list
    waiting_first: tuple[ListedParcel, ...] = ()  # the oldest of them, at most SHOWN
    couriers: tuple[CourierLine, ...] = ()


@dataclass(frozen=True)
class RecentScan:
    scan: str
    level: str  # ok, warn, error
    message: str


class HandoverPort(Protocol):
    def handover(self, handover_no: str) -> ListFacts | None: ...

    def add_parcel(self, number: str, current: str | None) -> Added | Refused:
        """Put the parcel on the open list `current` (None: its courier's open list, or a new one)."""

    def remove_parcel(self, tracking_no: str, handover_no: str) -> int:
        """Take it off the list; returns how many parcels are left on it."""

    def close(self, handover_no: str) -> Refused | None:
        """Close the list: its parcels are shipped, the list is queued for printing."""

    def reprint(self, handover_no: str) -> None:
        """Queue the closed list's print again (a reprint)."""

    def board(self, handover_no: str | None, courier: str | None) -> Board:
        """The open list's parcels, its courier's waiting parcels, and every courier's line."""


def _parcels(saved: list | None) -> tuple[ListedParcel, ...]:
    return tuple(ListedParcel(t, o) for t, o in saved or ())


@dataclass(frozen=True)
class HandoverState:
    handover: str | None = None
    courier: str | None = None
    count: int | None = None
    last: str | None = None  # the last parcel scanned, for UNDO
    error: WaitingError | None = None
    error_saved: bool = False  # the saved form has an "error" key (null once acknowledged)
    board: Board = Board()
    recent: tuple[RecentScan, ...] = ()  # newest first
    closed: str | None = None  # the list closed last at this bench, for REPRINT

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.handover is not None:
            out.update(handover=self.handover, courier=self.courier, count=self.count)
            if self.last is not None:
                out["last"] = self.last
            out["on_list"] = [[p.tracking_no, p.order_no] for p in self.board.on_list]
            out["waiting"] = self.board.waiting
            out["waiting_first"] = [[p.tracking_no, p.order_no] for p in self.board.waiting_first]
        if self.board.couriers:
            out["couriers"] = [[c.courier, c.handover_no, c.on_list, c.waiting] for c in self.board.couriers]
        if self.recent:
            out["recent"] = [{"scan": r.scan, "level": r.level, "message": r.message} for r in self.recent]
        if self.closed is not None:
            out["closed"] = self.closed
        if self.error_saved:
            out["error"] = self.error.to_dict() if self.error else None
        return out

    @classmethod
    def from_dict(cls, saved: dict[str, Any]) -> "HandoverState":
        board = Board(_parcels(saved.get("on_list")), saved.get("waiting") or 0, _parcels(saved.get("waiting_first")),
                      tuple(CourierLine(*c) for c in saved.get("couriers") or ()))
        recent = tuple(RecentScan(r["scan"], r["level"], r["message"]) for r in saved.get("recent") or ())
        return cls(saved.get("handover"), saved.get("courier"), saved.get("count"), saved.get("last"),
                   WaitingError.from_dict(saved.get("error")), "error" in saved, board, recent, saved.get("closed"))


def step(state: HandoverState, scan: Scan, port: HandoverPort) -> Step[HandoverState]:
    """Every error waits for CMD-CONFIRM; until then any other scan is refused (``acknowledge_first``)
    and changes nothing."""
    waiting = answer_waiting(state.error, scan)
    if waiting is not None:
        if waiting.code == "error_acknowledged":
            return Step(replace(state, error=None), waiting)
        return Step(state, waiting)
    state, outcome = _handle(state, scan, port)
    keep = to_keep(outcome)
    if keep is not None:
        state = replace(state, error=keep, error_saved=True)
    if not (scan.kind is ScanKind.COMMAND and scan.value == "CONFIRM"):
        shown = RecentScan(scan.raw, str(outcome.level), outcome.message)
        state = replace(state, recent=(shown, *state.recent)[:RECENT])
    return Step(replace(state, board=port.board(state.handover, state.courier)), outcome)


def _handle(state: HandoverState, scan: Scan, port: HandoverPort) -> tuple[HandoverState, Outcome]:
    current = port.handover(state.handover) if state.handover else None
    if current is not None and current.status != "open":  # closed at another station
        current, state = None, _left(state)
    if scan.kind is ScanKind.COMMAND:
        return _command(state, scan.value, port, current)
    if scan.kind in (ScanKind.TRACKING, ScanKind.SKU, ScanKind.PRODUCT):
        added = port.add_parcel(scan.value, current.handover_no if current else None)
        if isinstance(added, Refused):  # an UNDO after it takes back nothing: the refused parcel was not added
            return replace(state, last=None), Outcome.error(added.code, added.message)
        return (replace(state, handover=added.handover_no, courier=added.courier, count=added.count,
                        last=added.tracking_no),
                Outcome.ok("parcel_added", _("{number} on the {courier} list: {count} parcels",
                                             number=added.tracking_no, courier=added.courier, count=added.count)))
    if scan.kind is ScanKind.UNKNOWN:
        return state, unreadable(scan)
    return state, Outcome.error("wrong_bench", _("Scan the waybill on the parcel"))


def _left(state: HandoverState) -> HandoverState:
    """No list open at this bench any more (what is kept: the error flag, the last scans, the list to reprint)."""
    return replace(state, handover=None, courier=None, count=None, last=None)


def _command(state: HandoverState, command: str, port: HandoverPort,
             current: ListFacts | None) -> tuple[HandoverState, Outcome]:
    if command == "CONFIRM":
        return state, Outcome.ok("nothing_to_confirm", _("Nothing to confirm"))
    if command == "REPRINT":
        if state.closed is None:
            return state, Outcome.warn("nothing_to_reprint", _("No list closed here yet: nothing to reprint"))
        port.reprint(state.closed)
        return state, Outcome.ok("handover_reprinted", _("Handover list {number} printed again", number=state.closed))
    if current is None:
        return state, Outcome.warn("no_handover", _("Scan the first parcel to start a handover list"))
    if command == "DONE":
        refused = port.close(current.handover_no)
        if refused is not None:
            return state, Outcome.error(refused.code, refused.message)
        return replace(_left(state), closed=current.handover_no), Outcome.ok(
            "handover_closed", _("Handover {number} closed: {count} parcels shipped, list printed",
                                 number=current.handover_no, count=state.count or 0))
    if command == "UNDO":
        if not state.last:
            return state, Outcome.warn("nothing_to_undo", _("Nothing to undo: scan a parcel"))
        count = port.remove_parcel(state.last, current.handover_no)
        return replace(state, last=None, count=count), Outcome.warn("parcel_removed", _("{number} taken off the list",
                                                                                        number=state.last))
    if command == "CANCEL":
        return _left(state), Outcome.warn("handover_left_open",
                                          _("The {courier} list stays open: scan a parcel to go on",
                                            courier=current.courier))
    return state, Outcome.warn("command_not_used", _("Command {command} does nothing here", command=command))


class HandoverBench(MachineBench):
    name = "handover"
    title = N_("Handover")
    roles = frozenset({"packer", "supervisor"})
    commands = {
        "DONE": N_("Close the list: the parcels are shipped and the handover list prints"),
        "UNDO": N_("Take the last parcel off the list"),
        "CANCEL": N_("Step away: the list stays open"),
        "REPRINT": N_("Print the list closed last again"),
    }
    State = HandoverState
    step = staticmethod(step)
