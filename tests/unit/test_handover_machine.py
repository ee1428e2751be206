"""The handover bench as a pure state machine, driven through a fake port (no database)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from station.scanning import Scan, ScanKind
from station.workflows.handover import (Added, Board, CourierLine, HandoverState, ListedParcel, ListFacts, Refused,
                                        step)
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
        if current is None:  # the courier's open list, or a new one
            current = next((n for n, f in self.lists.items() if f.courier == courier and f.status == "open"), None)
        if current is None:
            current = f"H-{courier}-{len(self.lists) + 1}"
            self.lists[current] = ListFacts(current, courier, "open")
        self.on.setdefault(current, []).append(number)
        return Added(number, current, courier, len(self.on[current]))

    def remove_parcel(self, tracking_no, handover_no):
        self.on[handover_no].remove(tracking_no)
        return len(self.on[handover_no])

    def reprint(self, handover_no):
        self.asked.append(("reprint", handover_no))

    def board(self, handover_no, courier):
        """Every courier's line; the open list newest first; the courier's parcels on no list, oldest first."""
        listed = {p for parcels in self.on.values() for p in parcels}
        shipped = {p for number, parcels in self.on.items() if self.lists[number].status == "closed" for p in parcels}
        waiting = lambda c: [p for p, pc in self.parcels.items() if pc == c and p not in listed]  # noqa: E731
        lines = []
        for c in sorted(set(self.parcels.values())):
            number = next((n for n, f in self.lists.items() if f.courier == c and f.status == "open"), None)
            lines.append(CourierLine(c, number, len(self.on.get(number, [])) if number else 0, len(waiting(c))))
        lines = tuple(line for line in lines if line.handover_no or line.waiting)
        if handover_no is None:
            return Board(couriers=lines)
        on = tuple(ListedParcel(p, "O-" + p) for p in reversed(self.on.get(handover_no, [])) if p not in shipped)
        first = tuple(ListedParcel(p, "O-" + p) for p in waiting(courier))
        return Board(on, len(first), first, lines)

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
    state, codes = run(port, "SF1001", "SF1001", "CMD-CONFIRM", "YT2001", "CMD-CONFIRM", "SF1002", "CMD-DONE")
    assert codes == ["parcel_added", "already_scanned", "error_acknowledged", "wrong_courier", "error_acknowledged",
                     "parcel_added", "handover_closed"]
    assert port.asked == [("close", "H-SF-1", ("SF1001", "SF1002"))]
    assert (state.handover, state.count, state.closed, state.error) == (None, None, "H-SF-1", None)


def test_undo_takes_the_last_parcel_off_and_the_saved_form_keeps_its_keys():
    port = FakeHandoverPort()
    state, codes = run(port, "SF1001", "SF1002", "CMD-UNDO", "CMD-UNDO")
    assert codes == ["parcel_added", "parcel_added", "parcel_removed", "nothing_to_undo"]
    saved = state.to_dict()
    assert list(saved) == ["handover", "courier", "count", "on_list", "waiting", "waiting_first", "couriers", "recent"]
    assert (saved["count"], saved["on_list"], saved["waiting"]) == (1, [["SF1001", "O-SF1001"]], 1)
    assert HandoverState.from_dict(saved) == state


def test_an_unreadable_scan_waits_for_confirm_and_the_acknowledged_error_stays_saved_as_null():
    port = FakeHandoverPort()
    state, codes = run(port, "SF1001", "ab\\xffcd", "SF1002", "CMD-CONFIRM")
    assert codes == ["parcel_added", "unreadable_scan", "acknowledge_first", "error_acknowledged"]
    assert list(state.to_dict()) == ["handover", "courier", "count", "last", "on_list", "waiting", "waiting_first",
                                     "couriers", "recent", "error"]
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


def test_a_refused_parcel_stays_on_screen_until_confirm_and_the_next_parcel_is_not_added_meanwhile():
    port = FakeHandoverPort()
    state, codes = run(port, "SF1001", "SF9999", "SF1002", "CMD-DONE", "CMD-CONFIRM", "SF1002")
    assert codes == ["parcel_added", "unknown_parcel", "acknowledge_first", "acknowledge_first",
                     "error_acknowledged", "parcel_added"]
    assert port.on == {"H-SF-1": ["SF1001", "SF1002"]} and port.asked == []


def test_confirm_with_nothing_waiting_says_so_instead_of_command_not_used():
    assert run(FakeHandoverPort(), "SF1001", "CMD-CONFIRM")[1] == ["parcel_added", "nothing_to_confirm"]


def test_undo_right_after_a_confirmed_refusal_takes_back_nothing():
    port = FakeHandoverPort()
    _state, codes = run(port, "SF1001", "YT2001", "CMD-CONFIRM", "CMD-UNDO")
    assert codes[-1] == "nothing_to_undo" and port.on == {"H-SF-1": ["SF1001"]}


def test_the_board_shows_the_list_newest_first_what_is_still_waiting_and_every_courier():
    port = FakeHandoverPort(parcels={"SF1001": "SF", "SF1002": "SF", "SF1003": "SF", "YT2001": "YTO"})
    state, _codes = run(port, "SF1001", "SF1002")
    assert state.board.on_list == (ListedParcel("SF1002", "O-SF1002"), ListedParcel("SF1001", "O-SF1001"))
    assert (state.board.waiting, state.board.waiting_first) == (1, (ListedParcel("SF1003", "O-SF1003"),))
    assert state.board.couriers == (CourierLine("SF", "H-SF-1", 2, 1), CourierLine("YTO", None, 0, 1))
    assert [(r.scan, r.level) for r in state.recent] == [("SF1002", "ok"), ("SF1001", "ok")]


def test_the_last_scans_keep_the_refusals_too_newest_first_and_only_the_last_six():
    port = FakeHandoverPort()
    raws = ["SF1001"] + [x for n in range(6) for x in (f"SF9{n}", "CMD-CONFIRM")]
    state, _codes = run(port, *raws)
    assert [r.scan for r in state.recent] == ["SF95", "SF94", "SF93", "SF92", "SF91", "SF90"]
    assert {r.level for r in state.recent} == {"error"}


def test_done_then_reprint_prints_the_closed_list_again_and_a_new_parcel_opens_a_new_list():
    port = FakeHandoverPort()
    state, codes = run(port, "SF1001", "CMD-DONE", "CMD-REPRINT", "SF1002")
    assert codes == ["parcel_added", "handover_closed", "handover_reprinted", "parcel_added"]
    assert port.asked[-1] == ("reprint", "H-SF-1") and state.handover == "H-SF-2"
    assert HandoverState.from_dict(state.to_dict()) == state


def test_reprint_before_any_list_was_closed_has_nothing_to_print():
    assert run(FakeHandoverPort(), "CMD-REPRINT")[1] == ["nothing_to_reprint"]


def test_cancel_leaves_the_list_open_and_keeps_the_board_of_every_courier():
    port = FakeHandoverPort()
    state, codes = run(port, "SF1001", "CMD-CANCEL")
    assert codes == ["parcel_added", "handover_left_open"] and state.handover is None
    assert state.board.couriers[0] == CourierLine("SF", "H-SF-1", 1, 1)
    state, codes = run(port, "SF1002", state=state)
    assert state.handover == "H-SF-1" and state.count == 2
