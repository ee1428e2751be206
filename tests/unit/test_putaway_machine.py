"""The put-away bench as a pure state machine, driven through a fake port (no database)."""
from __future__ import annotations

from dataclasses import dataclass, field

from station.scanning import ScanKind
from station.workflows.putaway import Item, PutawayState, step
from tests.support.machines import Badges, driver, scanner

NOTEBOOK = "6900000000042"


@dataclass
class FakePutawayPort(Badges):
    user: str = "李娜"
    roles: frozenset = frozenset({"receiver"})
    waiting_in: dict = field(default_factory=lambda: {("NB-001", "receiving"): ("RECV-01", 42),
                                                      ("NB-001", "quarantine"): ("QC-01", 6)})
    kinds: dict = field(default_factory=lambda: {"C-04-05-02": "stock", "C-04-05-03": "stock", "QC-01": "quarantine",
                                                 "RECV-01": "receiving"})
    moved: list = field(default_factory=list)

    def product(self, scan):
        return Item("NB-001", "笔记本") if scan.value in (NOTEBOOK, "NB-001") else None

    def waiting(self, sku, kind):
        return self.waiting_in.get((sku, kind))

    def suggest_bin(self, sku):
        return "C-04-05-02"

    def location_kind(self, code):
        return self.kinds.get(code)

    def put_away(self, sku, qty, source, bin_code, released_by):
        self.moved.append((sku, qty, source, bin_code, released_by))


scan = scanner((("C-", "QC", "RE"), ScanKind.LOCATION))
run = driver(step, PutawayState, scan)


def test_keyed_units_are_carried_to_the_suggested_bin_and_moved_there():
    port = FakePutawayPort()
    state, codes = run(port, "QTY:18", NOTEBOOK, NOTEBOOK, "C-04-05-02")
    assert codes == ["quantity_keyed", "put_in_bin", "put_in_bin", "put_away"]
    assert port.moved == [("NB-001", 19, "RECV-01", "C-04-05-02", None)]
    assert state.to_dict() == {"carrying": None, "suggested": None, "other_bin": None, "last": ["NB-001", 19, "C-04-05-02"]}


def test_another_bin_is_taken_only_when_scanned_twice():
    port = FakePutawayPort()
    state, codes = run(port, NOTEBOOK, "C-04-05-03", "C-04-05-03")
    assert codes == ["put_in_bin", "other_bin", "put_away"] and port.moved[0][3] == "C-04-05-03"


def test_more_than_is_waiting_is_an_error_that_waits_for_confirm_and_moves_nothing():
    port = FakePutawayPort()
    state, codes = run(port, "QTY:43", NOTEBOOK, "C-04-05-02", "CMD-CONFIRM")
    assert codes == ["quantity_keyed", "not_in_receiving", "acknowledge_first", "error_acknowledged"]
    assert port.moved == [] and state.to_dict() == {"error": None}


def test_a_quarantine_release_needs_a_supervisors_badge_and_releases_into_the_bin():
    port = FakePutawayPort()
    state, codes = run(port, "QC-01", "U-1005", "U-1004", "QTY:6", NOTEBOOK, "C-04-05-02", "CMD-DONE")
    assert codes == ["supervisor_required", "supervisor_required", "release_started", "quantity_keyed", "put_in_bin",
                     "put_away", "release_finished"]
    assert port.moved == [("NB-001", 6, "QC-01", "C-04-05-02", "刘洋")]
    assert state.release_by is None and not state.awaiting_supervisor


def test_the_saved_keys_keep_the_order_the_untyped_bench_wrote_them_in():
    saved = {"qty": 3, "error": {"code": "not_a_bin", "message": "B-9 is not a bin"}, "release_by": "刘洋",
             "carrying": {"sku": "NB-001", "name": "笔记本", "qty": 2, "source": "QC-01"}, "last": ["NB-001", 1, "C-1"]}
    state = PutawayState.from_dict(saved)
    assert state.to_dict() == saved and list(state.to_dict()) == list(saved)
    assert state.source_kind == "quarantine" and state.carrying.qty == 2
    confirmed = step(state, scan("CMD-CONFIRM"), FakePutawayPort()).state
    assert list(confirmed.to_dict()) == list(saved) and confirmed.to_dict()["error"] is None
    assert list(confirmed.drop("qty").put(qty=5).to_dict())[-1] == "qty"  # popped and set again: last, as in a dict
