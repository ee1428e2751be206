"""The handover bench: scan each parcel onto its courier's handover list; DONE closes and prints it.

The first parcel scanned opens (or continues) the open list of its courier; after that a
parcel of another courier is ``wrong_courier``. UNDO takes the last parcel off the list.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.fulfilment import handovers
from station.fulfilment.models import Handover
from station.i18n import N_, _, message_of
from station.scanning import Scan, ScanKind
from station.workflows.base import Bench, BenchContext, Outcome
from station.workflows.messages import held_error, hold, unreadable


class HandoverBench(Bench):
    name = "handover"
    title = N_("Handover")
    roles = frozenset({"packer", "supervisor"})
    commands = {
        "DONE": N_("Close the list: the parcels are shipped and the handover list prints"),
        "UNDO": N_("Take the last parcel off the list"),
        "CANCEL": N_("Step away: the list stays open"),
    }

    def _current(self, session: Session) -> Handover | None:
        number = self.state.get("handover")
        return session.scalar(select(Handover).where(Handover.handover_no == number)) if number else None

    def handle(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        """An unreadable scan (bytes that are no text) waits for CMD-CONFIRM: the scanner needs looking at."""
        waiting = held_error(self.state, scan)
        if waiting is not None:
            return waiting
        outcome = self._handle(scan, session, ctx)  # may give the bench a new state
        return hold(self.state, outcome, frozenset({"unreadable_scan"}))

    def _handle(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        current = self._current(session)
        if current is not None and current.status != "open":
            current, self.state = None, {}
        if scan.kind is ScanKind.COMMAND:
            return self._command(scan.value, session, ctx, current)
        if scan.kind in (ScanKind.TRACKING, ScanKind.SKU, ScanKind.PRODUCT):
            try:
                parcel, handover = handovers.add_parcel(session, scan.value, current=current, user=ctx.user)
            except handovers.HandoverError as exc:
                return Outcome.error(exc.code, message_of(exc))
            count = len(handovers.parcels_on(session, handover))
            self.state = {"handover": handover.handover_no, "courier": handover.courier, "count": count,
                          "last": parcel.tracking_no}
            return Outcome.ok("parcel_added", _("{number} on the {courier} list: {count} parcels",
                                                number=parcel.tracking_no, courier=handover.courier, count=count))
        if scan.kind is ScanKind.UNKNOWN:
            return unreadable(scan)
        return Outcome.error("wrong_bench", _("Scan the waybill on the parcel"))

    def _command(self, command: str, session: Session, ctx: BenchContext, current: Handover | None) -> Outcome:
        if current is None:
            return Outcome.warn("no_handover", _("Scan the first parcel to start a handover list"))
        if command == "DONE":
            try:
                handovers.close_handover(session, current, user=ctx.user, station=ctx.station)
            except handovers.HandoverError as exc:
                return Outcome.error(exc.code, message_of(exc))
            count = self.state.get("count", 0)
            self.state = {}
            return Outcome.ok("handover_closed", _("Handover {number} closed: {count} parcels shipped, list printed",
                                                   number=current.handover_no, count=count))
        if command == "UNDO" and self.state.get("last"):
            handovers.remove_parcel(session, self.state["last"], current)
            last = self.state.pop("last")
            self.state["count"] = len(handovers.parcels_on(session, current))
            return Outcome.warn("parcel_removed", _("{number} taken off the list", number=last))
        if command == "CANCEL":
            self.state = {}
            return Outcome.warn("handover_left_open", _("The {courier} list stays open: scan a parcel to go on",
                                                        courier=current.courier))
        return Outcome.warn("command_not_used", _("Command {command} does nothing here", command=command))
