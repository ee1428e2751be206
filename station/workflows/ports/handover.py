"""The handover bench's port (``station.workflows.handover.HandoverPort``) over the scan's unit of work."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from station import outbox
from station.fulfilment import handovers
from station.fulfilment.models import Handover
from station.i18n import message_of
from station.workflows.base import BenchContext
from station.workflows.handover import SHOWN, Added, Board, CourierLine, ListedParcel, ListFacts, Refused


class DatabaseHandoverPort:
    def __init__(self, session: Session, ctx: BenchContext, memory: dict | None = None) -> None:
        self.session = session
        self.ctx = ctx

    def _list(self, handover_no: str) -> Handover | None:
        return self.session.scalar(select(Handover).where(Handover.handover_no == handover_no))

    def handover(self, handover_no: str) -> ListFacts | None:
        found = self._list(handover_no)
        return ListFacts(found.handover_no, found.courier, found.status) if found else None

    def add_parcel(self, number: str, current: str | None) -> Added | Refused:
        try:
            parcel, handover = handovers.add_parcel(self.session, number, current=self._list(current) if current else None,
                                                    user=self.ctx.user)
        except handovers.HandoverError as exc:
            return Refused(exc.code, message_of(exc))
        count = len(handovers.parcels_on(self.session, handover))
        return Added(parcel.tracking_no, handover.handover_no, handover.courier, count)

    def remove_parcel(self, tracking_no: str, handover_no: str) -> int:
        handover = self._list(handover_no)
        handovers.remove_parcel(self.session, tracking_no, handover)
        return len(handovers.parcels_on(self.session, handover))

    def close(self, handover_no: str) -> Refused | None:
        try:
            handovers.close_handover(self.session, self._list(handover_no), user=self.ctx.user, station=self.ctx.station)
        except handovers.HandoverError as exc:
            return Refused(exc.code, message_of(exc))
        return None

    def reprint(self, handover_no: str) -> None:
        outbox.defer(self.session, "handover", handover_no, user=self.ctx.user, station=self.ctx.station, reprint=True)

    def board(self, handover_no: str | None, courier: str | None) -> Board:
        lines = tuple(CourierLine(*line) for line in handovers.couriers(self.session))
        handover = self._list(handover_no) if handover_no else None
        if handover is None or courier is None:
            return Board(couriers=lines)
        on_list = tuple(ListedParcel(*p) for p in handovers.listed(self.session, handover, SHOWN))
        count, first = handovers.waiting(self.session, courier, SHOWN)
        return Board(on_list, count, tuple(ListedParcel(*p) for p in first), lines)
