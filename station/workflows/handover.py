"""The handover bench: scan each parcel onto its courier's handover list; DONE closes and prints it.

The first parcel scanned opens (or continues) the open list of its courier; after that a
parcel of another courier is ``wrong_courier``. UNDO takes the last parcel off the list.

A pure state machine (issue 14): ``step(state, scan, port)``; the list and its parcels are
reached through a ``HandoverPort`` (the runner's: ``station.workflows.ports.handover``).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Protocol

from station.i18n import N_, _
from station.scanning import Scan, ScanKind
from station.workflows.base import MachineBench, Outcome, Step
from station.workflows.messages import WaitingError, hold_unreadable, unreadable


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


class HandoverPort(Protocol):
    def handover(self, handover_no: str) -> ListFacts | None: ...

    def add_parcel(self, number: str, current: str | None) -> Added | Refused:
        """Put the parcel on the open list `current` (None: its courier's open list, or a new one)."""

    def remove_parcel(self, tracking_no: str, handover_no: str) -> int:
        """Take it off the list; returns how many parcels are left on it."""

    def close(self, handover_no: str) -> Refused | None:
        """Close the list: its parcels are shipped, the list is queued for printing."""


@dataclass(frozen=True)
class HandoverState:
    handover: str | None = None
    courier: str | None = None
    count: int | None = None
    last: str | None = None  # the last parcel scanned, for UNDO
    error: WaitingError | None = None
    error_saved: bool = False  # the saved form has an "error" key (null once acknowledged)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.handover is not None:
            out.update(handover=self.handover, courier=self.courier, count=self.count)
            if self.last is not None:
                out["last"] = self.last
        if self.error_saved:
            out["error"] = self.error.to_dict() if self.error else None
        return out

    @classmethod
    def from_dict(cls, saved: dict[str, Any]) -> "HandoverState":
        return cls(saved.get("handover"), saved.get("courier"), saved.get("count"), saved.get("last"),
                   WaitingError.from_dict(saved.get("error")), "error" in saved)


def step(state: HandoverState, scan: Scan, port: HandoverPort) -> Step[HandoverState]:
    """An unreadable scan (bytes that are no text) waits for CMD-CONFIRM: the scanner needs looking at."""
    return hold_unreadable(state, scan, port, _handle)


def _handle(state: HandoverState, scan: Scan, port: HandoverPort) -> tuple[HandoverState, Outcome]:
    current = port.handover(state.handover) if state.handover else None
    if current is not None and current.status != "open":  # closed at another station
        current, state = None, HandoverState()
    if scan.kind is ScanKind.COMMAND:
        return _command(state, scan.value, port, current)
    if scan.kind in (ScanKind.TRACKING, ScanKind.SKU, ScanKind.PRODUCT):
        added = port.add_parcel(scan.value, current.handover_no if current else None)
        if isinstance(added, Refused):
            return state, Outcome.error(added.code, added.message)
        return (HandoverState(added.handover_no, added.courier, added.count, added.tracking_no),
                Outcome.ok("parcel_added", _("{number} on the {courier} list: {count} parcels",
                                             number=added.tracking_no, courier=added.courier, count=added.count)))
    if scan.kind is ScanKind.UNKNOWN:
        return state, unreadable(scan)
    return state, Outcome.error("wrong_bench", _("Scan the waybill on the parcel"))


def _command(state: HandoverState, command: str, port: HandoverPort,
             current: ListFacts | None) -> tuple[HandoverState, Outcome]:
    if current is None:
        return state, Outcome.warn("no_handover", _("Scan the first parcel to start a handover list"))
    if command == "DONE":
        refused = port.close(current.handover_no)
        if refused is not None:
            return state, Outcome.error(refused.code, refused.message)
        return HandoverState(), Outcome.ok("handover_closed",
                                           _("Handover {number} closed: {count} parcels shipped, list printed",
                                             number=current.handover_no, count=state.count or 0))
    if command == "UNDO" and state.last:
        count = port.remove_parcel(state.last, current.handover_no)
        return replace(state, last=None, count=count), Outcome.warn("parcel_removed", _("{number} taken off the list",
                                                                                        number=state.last))
    if command == "CANCEL":
        return HandoverState(), Outcome.warn("handover_left_open", _("The {courier} list stays open: scan a parcel to go on",
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
    }
    State = HandoverState
    step = staticmethod(step)
