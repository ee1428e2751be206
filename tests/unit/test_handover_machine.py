"""The handover bench as a pure state machine, driven through a fake port (no database)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from station.scanning import ScanKind
from station.workflows.handover import Added, HandoverState, ListFacts, Refused, step
from tests.support.machines import driver, scanner


@dataclass
class FakeHandoverPort:
    """Two couriers' parcels; lists are numbered as they are opened; every change is recorded."""
    parcels: dict[str, str] = field(default_factory=lambda: {"SF1001": "SF", "SF1002": "SF", "YT2001": "YTO"})
    lists: dict[str, ListFacts] = field(default_factory=dict)
    on: dict[str, list[str]] = field(default_factory=dict)
    asked: list[tuple] = field(default_factory=list)

    def handover(self, handover_no):
        return self.lists.get(handover_no)

    def add_parcel(self, number, current):
        courier = self.parcels.get(number)
        if courier is None:
            return Refused("unknown_parcel", f"No parcel with waybill {number}")
        if any(number in parcels for parcels in self.on.values()):
            return Refused("already_scanned", f"Parcel {number} is already on this list")
        if current is not None and self.lists[current].courier != courier:
            return Refused("wrong_courier", f"Parcel {number} goes with {courier}")
        if current is None:
            current = f"H-{courier}-{len(self.lists) + 1}"
            self.lists[current] = ListFacts(current, courier, "open")
        self.on.setdefault(current, []).append(number)
        return Added(number, current, courier, len(self.on[current]))

    def remove_parcel(self, tracking_no, handover_no):
        self.on[handover_no].remove(tracking_no)
        return len(self.on[handover_no])

    def close(self, handover_no):
        if not self.on.get(handover_no):
            return Refused("handover_empty", "The list is empty")
        self.lists[handover_no] = ListFacts(handover_no, self.lists[handover_no].courier, "closed")
        self.asked.append(("close", handover_no, tuple(self.on[handover_no])))
        return None


scan = scanner(product=lambda raw: False, other=ScanKind.TRACKING)
run = driver(step, HandoverState, scan)


def test_two_parcels_of_one_courier_go_on_one_list_that_done_closes():
    port = FakeHandoverPort()
    state, codes = run(port, "SF1001", "SF1001", "YT2001", "SF1002", "CMD-DONE")
    assert codes == ["parcel_added", "already_scanned", "wrong_courier", "parcel_added", "handover_closed"]
    assert port.asked == [("close", "H-SF-1", ("SF1001", "SF1002"))] and state == HandoverState()


def test_undo_takes_the_last_parcel_off_and_the_saved_form_keeps_its_keys():
    port = FakeHandoverPort()
    state, codes = run(port, "SF1001", "SF1002", "CMD-UNDO", "CMD-UNDO")
    assert codes == ["parcel_added", "parcel_added", "parcel_removed", "command_not_used"]
    assert state.to_dict() == {"handover": "H-SF-1", "courier": "SF", "count": 1}
    assert HandoverState.from_dict(state.to_dict()) == state


def test_an_unreadable_scan_waits_for_confirm_and_the_acknowledged_error_stays_saved_as_null():
    port = FakeHandoverPort()
    state, codes = run(port, "SF1001", "ab\\xffcd", "SF1002", "CMD-CONFIRM")
    assert codes == ["parcel_added", "unreadable_scan", "acknowledge_first", "error_acknowledged"]
    assert list(state.to_dict()) == ["handover", "courier", "count", "last", "error"]
    assert state.to_dict()["error"] is None and port.on == {"H-SF-1": ["SF1001"]}


def test_a_list_closed_at_another_station_is_left_and_the_next_parcel_opens_a_new_one():
    port = FakeHandoverPort()
    state, _ = run(port, "SF1001")
    port.lists["H-SF-1"] = ListFacts("H-SF-1", "SF", "closed")
    state, codes = run(port, "CMD-DONE", "SF1002", state=state)
    assert codes == ["no_handover", "parcel_added"] and state.handover == "H-SF-2"


@pytest.mark.parametrize("command", ["CMD-DONE", "CMD-UNDO", "CMD-CANCEL"])
def test_with_no_list_a_command_asks_for_the_first_parcel(command):
    assert run(FakeHandoverPort(), command)[1] == ["no_handover"]
