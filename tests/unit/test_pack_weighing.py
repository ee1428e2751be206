"""The pack bench's scale (issue 18) on the pure state machine with a fake port: every weight outcome."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from station.i18n import render
from station.scanning import Scan, ScanKind
from station.workflows.pack import PackState, Weighed, step
from tests.unit.test_pack_machine import GIFT_PEN, RED_M, port as _port  # noqa: F401  (the fixture)
from tests.unit.test_pack_machine import scan as _scan

SUPERVISOR = ("刘洋", frozenset({"supervisor"}))
PACKER = ("王芳", frozenset({"packer"}))


@pytest.fixture
def port(_port):
    _port.scale = True
    _port.product_weights = {"TS01-RD-M": 200, "SP-01": 10, "NB-001": 100}
    _port.packaging_g = 90  # P1: 2 × 200 + 10 + 90 = 500 g, within 25 g (5 %)
    _port.badges = {"B-SUP": SUPERVISOR, "B-PACK": PACKER}
    return _port


def scan(raw: str) -> Scan:
    return Scan(raw, ScanKind.BADGE, raw) if raw.startswith("B-") else _scan(raw)


def go(port, state, *events):
    codes, outcome = [], None
    for event in events:
        done = step(state, Weighed(Decimal(event), "") if isinstance(event, (int, Decimal)) else
                    event if isinstance(event, Weighed) else scan(event), port)
        state, outcome = done.state, done.outcome
        codes.append(outcome.code)
    return state, codes, outcome


def packed(port, *tail):
    return go(port, PackState(blank=True), "PS:P1", RED_M, RED_M, GIFT_PEN, *tail)


def closes(port):
    return [a for a in port.asked if a[0] == "close"]


def test_the_last_item_asks_for_the_scale_and_a_fitting_weight_closes_the_order_with_it(port):
    state, codes, outcome = packed(port)
    assert codes[-1] == "weigh_parcel" and state.weighing == "close" and not closes(port)
    state, codes, outcome = go(port, state, 512)
    assert codes == ["order_packed"] and state.order is None
    assert "0.512 kg" in render(outcome.details[0]) and "0.500 kg" in render(outcome.details[0])
    (close,) = closes(port)
    assert close[4][0].grams == 512 and close[4][0].expected == 500 and close[4][0].basis == "products"


def test_a_weight_outside_the_band_is_held_until_weighed_again_and_confirm_does_not_release_it(port):
    state, _codes, _ = packed(port)
    state, codes, outcome = go(port, state, 700)
    assert codes == ["weight_mismatch"] and outcome.level == "error" and state.weight_hold.weight.grams == 700
    assert state.error is None  # not the CONFIRM kind of error
    state, codes, _ = go(port, state, "CMD-CONFIRM", RED_M)
    assert codes == ["weight_held", "weight_held"] and not closes(port)
    state, codes, _ = go(port, state, "CMD-WEIGH", 505)  # re-checked: a sock was in the box
    assert codes == ["weigh_parcel", "order_packed"] and closes(port)[0][4][0].grams == 505


def test_a_supervisors_badge_releases_a_mismatch_and_is_recorded_a_packers_badge_does_not(port):
    state, _codes, _ = packed(port, 700)
    state, codes, outcome = go(port, state, "B-PACK")
    assert codes == ["supervisor_required"] and state.weight_hold is not None
    state, codes, outcome = go(port, state, "B-SUP")
    assert codes == ["order_packed"] and "刘洋" in render(outcome.details[0])
    release = [a for a in port.asked if a[0] == "weight_release"]
    assert release == [("weight_release", "P1", "刘洋", release[0][3])] and "700" in release[0][3]
    assert closes(port)[0][4][0].released_by == "刘洋" and closes(port)[0][4][0].grams == 700


def test_unstable_and_offline_readings_keep_the_bench_waiting_and_weigh_tries_again(port):
    state, _codes, _ = packed(port)
    state, codes, _ = go(port, state, Weighed(None, "unstable"), Weighed(None, "offline"), Weighed(None, "overload"))
    assert codes == ["weight_unstable", "scale_offline", "weight_unstable"] and state.weighing == "close"
    assert not closes(port)
    state, codes, _ = go(port, state, "CMD-WEIGH", 498)
    assert codes == ["weigh_parcel", "order_packed"]


def test_an_offline_scale_can_be_let_go_by_a_supervisor_without_a_weight(port):
    state, _codes, _ = packed(port, Weighed(None, "offline"))
    state, codes, _ = go(port, state, "B-SUP")
    assert codes == ["order_packed"] and closes(port)[0][4][0].grams is None
    assert closes(port)[0][4][0].released_by == "刘洋"


def test_undo_during_a_hold_takes_back_the_item_and_the_box_is_weighed_again_when_complete(port):
    state, _codes, _ = packed(port, 700)
    state, codes, _ = go(port, state, "CMD-UNDO")
    assert codes == ["undone"] and state.weight_hold is None and state.weighing is None
    state, codes, _ = go(port, state, GIFT_PEN, 500)
    assert codes == ["weigh_parcel", "order_packed"]


def test_a_reading_nobody_waits_for_is_not_used(port):
    state, codes, _ = go(port, PackState(blank=True), 500, "PS:P1", 500)
    assert codes == ["weight_not_expected", "order_opened", "weight_not_expected"] and state.weights == ()


def test_learned_weight_of_the_same_contents_replaces_the_products_sum(port):
    from station.weighing import contents_key

    key = contents_key([("TS01-RD-M", 2), ("SP-01", 1)])
    port.learned[key] = [600, 604, 598]  # this box really weighs ~600 g: the products say 500
    state, _codes, _ = packed(port)
    state, codes, outcome = go(port, state, 601)
    assert codes == ["order_packed"] and closes(port)[0][4][0].basis == "learned"
    port.asked.clear()
    state, _codes, _ = packed(port)
    state, codes, _ = go(port, state, 500)  # the products' sum, but not what these contents weigh
    assert codes == ["weight_mismatch"]


def test_a_product_without_weight_leaves_the_parcel_unjudged_and_says_so(port):
    port.product_weights["SP-01"] = None
    state, _codes, _ = packed(port)
    state, codes, outcome = go(port, state, 9999)
    assert codes == ["order_packed"] and "SP-01" in render(outcome.details[0])
    assert closes(port)[0][4][0].expected is None


def test_new_parcel_weighs_the_full_box_first_and_each_parcel_keeps_its_weight(port):
    state, codes, _ = go(port, PackState(blank=True), "PS:P1", RED_M, "CMD-NEW_PARCEL", 290)
    assert codes[-2:] == ["weigh_parcel", "weight_ok"] and len(state.parcels) == 2  # 200 + 90
    state, codes, _ = go(port, state, RED_M, GIFT_PEN, 300)
    assert codes[-1] == "order_packed"
    assert [w.grams for w in closes(port)[0][4]] == [290, 300]


def test_weigh_before_the_last_item_checks_the_box_so_far_and_packing_goes_on(port):
    state, codes, outcome = go(port, PackState(blank=True), "PS:P1", RED_M, "CMD-WEIGH", 290)
    assert codes[-2:] == ["weigh_parcel", "weight_ok"] and state.weighing is None and state.order == "P1"


def test_without_a_scale_the_bench_closes_as_before_and_saves_no_weighing_keys(port):
    port.scale = False
    state, codes, _ = packed(port)
    assert codes[-1] == "order_packed" and len(closes(port)[0]) == 4
    state, codes, _ = go(port, PackState(blank=True), "PS:P1", "CMD-WEIGH")
    assert codes[-1] == "command_not_used"
    assert not {"weighing", "weights", "weight_hold"} & set(state.to_dict())


def test_the_weighing_state_is_saved_and_read_back(port):
    state, _codes, _ = packed(port, 700)
    saved = state.to_dict()
    assert saved["weighing"] == "close" and saved["weight_hold"]["grams"] == 700
    again = PackState.from_dict(saved)
    assert again.weight_hold == state.weight_hold and again.weighing == "close"
    _state, codes, _ = go(port, again, "B-SUP")
    assert codes == ["order_packed"]
