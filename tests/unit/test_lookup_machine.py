"""The lookup bench as a pure state machine, driven through a fake port (no database)."""
from __future__ import annotations

from station.scanning import Scan, ScanKind
from station.workflows.lookup import FoundItem, LookupState, step


class FakeLookupPort:
    products = {"6900000000011": FoundItem("TS01-RD-M", "圆领T恤 红 M"), "16900000000042": FoundItem("NB-001", "笔记本", 24)}
    stocked = {"TS01-RD-M": [("A-01-01-01", 5), ("B-02-01-01", 2)]}
    bins = {"A-01-01-01": [("TS01-RD-M", 5)], "Z-09-09-09": []}

    def product(self, scan):
        return self.products.get(scan.value)

    def stock(self, sku):
        return self.stocked.get(sku, [])

    def courier_name(self, courier):
        return {"SF": "SF Express"}.get(courier, courier or "?")

    def location_contents(self, code):
        return self.bins.get(code)


def test_a_product_shows_where_it_is_stocked_and_is_remembered():
    done = step(LookupState(), Scan("6900000000011", ScanKind.PRODUCT, "6900000000011"), FakeLookupPort())
    assert (done.outcome.code, done.outcome.message) == ("product_found", "TS01-RD-M 圆领T恤 红 M: 7 on hand")
    assert list(done.outcome.details) == ["A-01-01-01: 5", "B-02-01-01: 2"]
    assert done.state.to_dict() == {"last_sku": "TS01-RD-M"}


def test_a_case_barcode_not_stocked_says_both():
    done = step(LookupState(), Scan("16900000000042", ScanKind.PRODUCT, "16900000000042"), FakeLookupPort())
    assert list(done.outcome.details) == ["Case barcode: one scan counts 24 units", "Not stocked anywhere"]


def test_a_location_that_does_not_exist_is_an_error_that_waits_for_nothing():
    port = FakeLookupPort()
    done = step(LookupState(last_sku="X"), Scan("Q-01", ScanKind.LOCATION, "Q-01"), port)
    assert done.outcome.code == "unknown_location" and done.state == LookupState(last_sku="X")
    assert step(done.state, Scan("Z-09-09-09", ScanKind.LOCATION, "Z-09-09-09"), port).state.to_dict() == {
        "last_location": "Z-09-09-09"}


def test_an_unreadable_scan_waits_for_confirm():
    port = FakeLookupPort()
    state = step(LookupState(), Scan("a\\x00", ScanKind.UNKNOWN, "a\\x00", error="invalid_characters"), port).state
    refused = step(state, Scan("A-01-01-01", ScanKind.LOCATION, "A-01-01-01"), port)
    assert refused.outcome.code == "acknowledge_first" and refused.state == state
    done = step(state, Scan("CMD-CONFIRM", ScanKind.COMMAND, "CONFIRM"), port)
    assert done.outcome.code == "error_acknowledged" and done.state.to_dict() == {"error": None}
    assert LookupState.from_dict({"error": None}) == done.state
