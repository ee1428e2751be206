"""The count bench as a pure state machine, driven through a fake port (no database)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from station.scanning import ScanKind
from station.workflows.count import Approval, CountFacts, CountProgress, CountState, Item, Refused, step
from tests.support.machines import driver, scanner

SHIRT, MARKER = "6900000000011", "6900000000059"


@dataclass
class FakeCountPort:
    """Count C-1 over bins E-1..E-3 (E-3 waits for a recount by someone else than 李娜)."""
    user: str = "李娜"
    counts: dict = field(default_factory=lambda: {"C-1": CountFacts("C-1", "open", "zone E"),
                                                  "C-0": CountFacts("C-0", "closed", "zone D")})
    bins: dict = field(default_factory=lambda: {"E-1": "pending", "E-2": "pending", "E-3": "recount"})
    first_counter: dict = field(default_factory=lambda: {"E-3": "李娜"})
    recorded: list = field(default_factory=list)
    savepoints: list = field(default_factory=list)

    def all_or_nothing(self, work):
        kept = (list(self.recorded), dict(self.bins))
        try:
            return work()
        except Refused:
            self.recorded[:], self.bins = kept[0], kept[1]
            self.savepoints.append("rolled back")
            raise

    def count(self, count_no):
        return self.counts.get(count_no)

    def progress(self, count_no):
        counted = [b for b, s in self.bins.items() if s == "counted"]
        return CountProgress(len(counted), len(self.bins), list(self.bins.values()).count("recount"),
                             tuple(b for b, s in self.bins.items() if s == "pending"))

    def location_kind(self, code):
        return "stock" if code.startswith("E-") else ("receiving" if code == "RECV-01" else None)

    def count_for_bin(self, count_no, code):
        return "C-1" if code in self.bins else None

    def bin_status(self, count_no, code):
        return self.bins[code]

    def check_recounter(self, count_no, code):
        if self.first_counter.get(code) == self.user:
            raise Refused("recount_same_counter", f"{self.user} counted {code} first: someone else recounts it")

    def movement_mark(self):
        return 41

    def record_bin(self, count_no, code, counted, mark):
        if self.counts[count_no].status != "open":
            raise Refused("count_closed", "closed")
        self.recorded.append((code, counted, mark))
        self.bins[code] = "counted"
        return code, sum(counted.values())

    def product(self, scan):
        return {SHIRT: Item("TS01-RD-M", "T恤 红 M"), MARKER: Item("HL-003", "荧光笔")}.get(scan.value)

    def approve(self, count_no, badge):
        if badge != "U-1004":
            return Approval(False, "not_permitted", "李娜 may not approve counts", ("李娜 may not approve counts",))
        return Approval(True, "count_approved", "Count C-1 approved", closed=True)


scan = scanner((("E-", "Q-", "RECV"), ScanKind.LOCATION), product=lambda raw: raw.isdigit() and len(raw) == 13)
run = driver(step, CountState, scan)


def test_a_bin_counted_by_scans_and_a_keyed_number_is_saved_when_the_next_bin_is_scanned():
    port = FakeCountPort()
    state, codes = run(port, "C-1", "E-1", SHIRT, SHIRT, MARKER, "6", "E-2", "CMD-EMPTY")
    assert codes == ["count_opened", "bin_opened", "item_counted", "item_counted", "item_counted", "quantity_keyed",
                     "bin_opened", "bin_empty"]
    assert port.recorded == [("E-1", {"TS01-RD-M": 2, "HL-003": 6}, 41), ("E-2", {}, 41)]
    assert state.bin is None and state.count == "C-1"


def test_undo_takes_back_the_last_scan_or_keyed_number():
    state, codes = run(FakeCountPort(), "E-1", SHIRT, "5", "CMD-UNDO", "CMD-UNDO", "CMD-UNDO")
    assert codes == ["bin_opened", "item_counted", "quantity_keyed", "undone", "undone", "nothing_to_undo"]
    assert state.items == ()


def test_a_recount_by_the_first_counter_is_refused_changes_nothing_and_waits_for_confirm():
    port = FakeCountPort()
    state, codes = run(port, "E-1", SHIRT)
    refused, codes = run(port, "E-3", "E-2", "CMD-CONFIRM", state=state)
    assert codes == ["recount_same_counter", "acknowledge_first", "error_acknowledged"]
    assert port.savepoints == ["rolled back"] and port.recorded == []  # E-1 was not saved either
    assert refused.bin == "E-1" and dict(refused.items) == {"TS01-RD-M": 1}
    assert step(refused, scan("CMD-UNDO"), port).outcome.code == "undone"  # the refused scan was no item


def test_a_refused_item_scan_confirmed_is_not_taken_back_by_the_next_undo():
    port = FakeCountPort()
    state, codes = run(port, "E-1", SHIRT, "0000000000000", "CMD-CONFIRM", "CMD-UNDO")
    assert codes == ["bin_opened", "item_counted", "unknown_barcode", "error_acknowledged", "nothing_to_undo"]
    assert dict(state.items) == {"TS01-RD-M": 1}


def test_approval_takes_a_supervisors_badge_and_a_refused_badge_is_an_error():
    port = FakeCountPort()
    state, codes = run(port, "C-1", "CMD-APPROVE", "U-1002", "CMD-CONFIRM", "CMD-APPROVE", "U-1004")
    assert codes == ["count_opened", "scan_supervisor_badge", "not_permitted", "error_acknowledged",
                     "scan_supervisor_badge", "count_approved"]
    assert state.count is None and state.awaiting is None


@pytest.mark.parametrize("raw, code", [("RECV-01", "not_a_bin"), ("Q-1", "unknown_location"), (SHIRT, "scan_bin_first"),
                                       ("C-0", "count_closed"), ("CMD-DONE", "no_count"), ("6", "scan_item_first")])
def test_what_cannot_be_counted_is_refused(raw, code):
    assert run(FakeCountPort(), raw)[1] == [code]


def test_the_saved_form_keeps_the_keys_in_the_order_the_untyped_bench_wrote_them():
    saved = {"error": None, "not_counted": "x\\x00y", "items": {}}  # as tests/golden/replay/count.jsonl shows it
    state = CountState.from_dict(saved)
    assert state.to_dict() == saved and list(state.to_dict()) == list(saved)
    after = step(state, scan("CMD-DONE"), FakeCountPort()).state
    assert after.to_dict() == {"error": None, "items": {}}
    opened, _ = run(FakeCountPort(), "E-1", SHIRT)
    assert list(opened.to_dict()) == ["count", "bin", "items", "history", "mark", "last_sku", "names", "recount_bin"]
    assert CountState.from_dict(opened.to_dict()) == opened
