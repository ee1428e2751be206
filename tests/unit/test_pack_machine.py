"""The pack bench as a pure state machine, driven without a database through a fake port
(as Cosmic Python tests its handlers with a fake unit of work). The database tests
(tests/e2e/test_pack_replay.py, tests/e2e/test_bench_outcomes.py) stay as they are."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from station.i18n import restored, stored
from station.scanning import ScanKind
from station.workflows.pack import (Closed, CloseRefused, ItemToPack, OrderFacts, PackState, ProductFacts, step)
from tests.support.machines import driver, scanner

RED_M, RED_L, GIFT_PEN = "6900000000011", "6900000000028", "6900000000035"
NOTEBOOK_CASE = "16900000000042"


@dataclass
class FakePackPort:
    """The warehouse as the pack bench sees it, in memory; every change asked of it is recorded."""
    orders: dict[str, OrderFacts] = field(default_factory=dict)
    items_of: dict[str, list[ItemToPack]] = field(default_factory=dict)
    products: dict[str, ProductFacts] = field(default_factory=dict)
    pool: set[str] = field(default_factory=lambda: {"SF"})
    printed: dict[str, str] = field(default_factory=dict)  # order -> the batch's pre-printed waybill
    refuse_close: CloseRefused | None = None
    asked: list[tuple] = field(default_factory=list)
    scale: bool = False  # the bench's scale (issue 18; tests/unit/test_pack_weighing.py)
    product_weights: dict[str, int | None] = field(default_factory=dict)
    packaging_g: int = 0
    learned: dict[str, list[int]] = field(default_factory=dict)  # contents key -> earlier parcels' weights
    badges: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)

    def order(self, key):
        return self.orders.get(key)

    def items(self, order_no):
        return self.items_of[order_no]

    def product(self, scan):
        return self.products.get(scan.value)

    def needs_manual_waybill(self, order_no):
        return order_no in self.printed or self.orders[order_no].courier not in self.pool

    def printed_waybill(self, order_no):
        return self.printed.get(order_no)

    def uses_pool(self, courier):
        return courier in self.pool

    def check_waybill(self, courier, number):
        return None if number.startswith("YT") and len(number) == 15 else f"{number} is no {courier} waybill"

    def close(self, order_no, parcels, scanned_waybills, weights=None):
        self.asked.append(("close", order_no, parcels, scanned_waybills) + ((weights,) if weights else ()))
        if self.refuse_close is not None:
            return self.refuse_close
        pre = [self.printed[order_no]] if order_no in self.printed else []
        numbers = pre + list(scanned_waybills)
        from_pool = len(numbers) < len(parcels)
        numbers += [f"SF{n:013d}" for n in range(len(parcels) - len(numbers))]
        return Closed(tuple(numbers), from_pool)

    def print_waybills(self, order_no, reprint=False):
        self.asked.append(("print_waybills", order_no, reprint))

    def reprint_packing_slip(self, order_no):
        self.asked.append(("reprint_packing_slip", order_no))

    def put_on_hold(self, order_no, code, detail):
        self.asked.append(("put_on_hold", order_no, code, detail))

    def has_parcels(self, order_no):
        return any(a[0] == "close" and a[1] == order_no for a in self.asked)

    def scale_attached(self):
        return self.scale

    def expected_weight(self, order_no, contents):
        from station.weighing import contents_key, expected_weight

        return expected_weight([(sku, qty, self.product_weights.get(sku)) for sku, qty in contents.items()],
                               self.packaging_g, self.learned.get(contents_key(contents.items()), []))

    def badge(self, badge):
        return self.badges.get(badge)

    def record_weight_release(self, order_no, supervisor, roles, detail):
        self.asked.append(("weight_release", order_no, supervisor, detail))


scan = scanner(("PS:", ScanKind.ORDER, True), (("SF", "YT"), ScanKind.TRACKING))


@pytest.fixture
def port() -> FakePackPort:
    return FakePackPort(
        orders={"P1": OrderFacts("P1", "ready", "SF", buyer_message="请放两个衣架"),
                "P6": OrderFacts("P6", "ready", "YTO"),
                "P7": OrderFacts("P7", "on_hold", "SF", holds=("Address incomplete",)),
                "P8": OrderFacts("P8", "packed", "SF")},
        items_of={"P1": [ItemToPack("TS01-RD-M", 2, "圆领T恤", "红", "M", style="TS01", bins=("A-01-01-01", "B-02-01-01")),
                         ItemToPack("SP-01", 1, "贴纸", gift=True)],
                  "P6": [ItemToPack("TS01-RD-M", 1, "圆领T恤", "红", "M", style="TS01"),
                         ItemToPack("NB-001", 24, "笔记本")]},
        products={RED_M: ProductFacts("TS01-RD-M", "圆领T恤 红 M", "TS01"),
                  RED_L: ProductFacts("TS01-RD-L", "圆领T恤 红 L", "TS01"),
                  GIFT_PEN: ProductFacts("SP-01", "贴纸"),
                  NOTEBOOK_CASE: ProductFacts("NB-001", "笔记本", pack_qty=24)})


run = driver(step, lambda: PackState(blank=True), scan)


def test_a_whole_order_scanned_closes_with_a_waybill_from_the_pool_and_asks_for_it_to_be_printed(port):
    state, codes = run(port, "PS:P1", RED_M, RED_M, GIFT_PEN)
    assert codes == ["order_opened", "item_ok", "item_ok", "order_packed"]
    assert state == PackState(last_order="P1")
    assert port.asked == [("close", "P1", [{"TS01-RD-M": 2, "SP-01": 1}], []), ("print_waybills", "P1", False)]


def test_the_opened_order_shows_the_buyers_message_the_gift_and_every_line(port):
    done = step(PackState(blank=True), scan("PS:P1"), port)
    assert done.outcome.message == "Order P1: scan 3 items"
    assert list(done.outcome.details) == ["Buyer message: 请放两个衣架", "Gift: 贴纸 ×1",
                                          "□ TS01-RD-M 圆领T恤 红 M 0/2", "□ SP-01 贴纸  0/1"]  # (sic: two blanks)
    assert done.state.expected == (("TS01-RD-M", 2), ("SP-01", 1)) and done.state.gifts == ("SP-01",)
    assert port.asked == []  # opening an order changes nothing in the warehouse


def test_the_same_shirt_in_another_size_is_a_wrong_variant_held_until_confirm_and_counts_nothing(port):
    state, codes = run(port, "PS:P1", RED_L, RED_M, "CMD-CONFIRM")
    assert codes == ["order_opened", "wrong_variant", "acknowledge_first", "error_acknowledged"]
    assert state.counted() == {} and state.error is None
    held, _ = run(port, "PS:P1", RED_L, RED_M)
    assert held.error.code == "wrong_variant" and held.error.scan == RED_L and held.error.refused == (RED_M,)


def test_undo_right_after_a_confirmed_refusal_takes_back_nothing_and_the_next_undo_the_last_item(port):
    state, codes = run(port, "PS:P1", RED_M, RED_M, RED_M, "CMD-CONFIRM", "CMD-UNDO", "CMD-UNDO")
    assert codes == ["order_opened", "item_ok", "item_ok", "over_scan", "error_acknowledged", "nothing_to_undo",
                     "undone"]
    assert state.counted() == {"TS01-RD-M": 1} and state.history == (("TS01-RD-M", 1),)


def test_an_item_scanned_after_another_counts_only_itself_and_undo_takes_back_only_it(port):
    state, codes = run(port, "PS:P1", RED_M, GIFT_PEN, "CMD-UNDO")
    assert codes == ["order_opened", "item_ok", "item_ok", "undone"]
    assert state.parcels == ((("TS01-RD-M", 1),),) and state.remaining() == {"TS01-RD-M": 1, "SP-01": 1}
    state, codes = run(port, GIFT_PEN, RED_M, state=state)
    assert codes == ["item_ok", "order_packed"]
    assert port.asked[0] == ("close", "P1", [{"TS01-RD-M": 2, "SP-01": 1}], [])


def test_a_case_barcode_counts_its_units_and_too_many_is_refused(port):
    state, codes = run(port, "PS:P6", NOTEBOOK_CASE)
    assert codes == ["order_opened", "item_ok"]
    assert state.counted() == {"NB-001": 24} and state.remaining() == {"TS01-RD-M": 1}
    _, again = run(port, NOTEBOOK_CASE, state=state)
    assert again == ["over_scan"]


def test_a_courier_without_a_pool_takes_one_scanned_waybill_per_parcel_never_the_same_twice(port):
    state, codes = run(port, "PS:P6", RED_M, "CMD-NEW_PARCEL", NOTEBOOK_CASE, "SF0000000001", "CMD-CONFIRM",
                       "YT1000000000001", "YT1000000000001", "CMD-CONFIRM", "YT1000000000002")
    assert codes == ["order_opened", "item_ok", "new_parcel", "scan_waybill", "waybill_mismatch",
                     "error_acknowledged", "scan_waybill", "waybill_mismatch", "error_acknowledged", "order_packed"]
    assert port.asked == [("close", "P6", [{"TS01-RD-M": 1}, {"NB-001": 24}], ["YT1000000000001", "YT1000000000002"])]


def test_a_refused_close_of_the_waybills_asks_for_them_again_from_the_first_parcel(port):
    port.refuse_close = CloseRefused("waybill_error", "YT1000000000001 is on another parcel", waybill=True)
    state, codes = run(port, "PS:P6", RED_M, NOTEBOOK_CASE, "YT1000000000001")
    assert codes == ["order_opened", "item_ok", "scan_waybill", "waybill_error"]
    assert state.waybills == () and state.awaiting_waybill and state.error.code == "waybill_error"


def test_a_pre_printed_batch_waybill_must_be_the_one_scanned(port):
    port.printed["P1"] = "SF2000000000001"
    state, codes = run(port, "PS:P1", RED_M, RED_M, GIFT_PEN, "SF2000000000009", "CMD-CONFIRM", "SF2000000000001")
    assert codes == ["order_opened", "item_ok", "item_ok", "scan_waybill", "waybill_mismatch", "error_acknowledged",
                     "order_packed"]
    assert port.asked == [("close", "P1", [{"TS01-RD-M": 2, "SP-01": 1}], [])]  # nothing from the pool: no print


def test_short_puts_the_order_on_hold_with_what_is_missing(port):
    state, codes = run(port, "PS:P1", RED_M, "CMD-SHORT")
    assert codes == ["order_opened", "item_ok", "short_pick"]
    assert port.asked == [("put_on_hold", "P1", "short_pick", "TS01-RD-M ×1, SP-01 ×1")]
    assert state.order is None and state.last_order is None  # a short order is no "last order" to reprint


def test_short_says_what_to_do_with_what_is_already_in_the_box(port):
    short = step(run(port, "PS:P1", RED_M)[0], scan("CMD-SHORT"), port).outcome
    assert short.details == ("In the box: TS01-RD-M ×1. Nothing was taken off the books: put them back in their bins",)
    empty = step(run(port, "PS:P1")[0], scan("CMD-SHORT"), port).outcome
    assert empty.details == ("The box is empty: nothing to put back",)


@pytest.mark.parametrize("raw, code", [("PS:P7", "order_on_hold"), ("PS:P8", "already_packed"),
                                       ("PS:P9", "unknown_order"), (RED_M, "scan_order_first"),
                                       ("CMD-DONE", "scan_order_first"), ("CMD-CONFIRM", "nothing_to_confirm"),
                                       ("CMD-REPRINT", "nothing_to_reprint")])
def test_with_no_order_open_the_bench_refuses_what_cannot_start_one(port, raw, code):
    done = step(PackState(blank=True), scan(raw), port)
    assert done.outcome.code == code
    assert done.state == PackState(blank=True) and port.asked == []


def test_reprint_gives_the_open_orders_slip_then_the_last_orders_waybills(port):
    state, codes = run(port, "PS:P1", "CMD-REPRINT", RED_M, RED_M, GIFT_PEN, "CMD-REPRINT")
    assert codes == ["order_opened", "reprinted", "item_ok", "item_ok", "order_packed", "reprinted"]
    assert [a for a in port.asked if a[0] != "close"] == [("reprint_packing_slip", "P1"), ("print_waybills", "P1", False),
                                                        ("print_waybills", "P1", True)]


def test_the_saved_form_is_the_dict_the_untyped_bench_saved_and_reads_back_to_the_same_state(port):
    state, _ = run(port, "PS:P1", RED_M, RED_L, "CMD-CONFIRM")
    saved = state.to_dict()
    assert list(saved) == ["order", "last_order", "lines", "notes", "expected", "gifts", "styles", "parcels",
                           "history", "awaiting_waybill", "error", "not_counted", "courier"]
    assert saved["courier"] == "SF"  # the packer sees whose parcel it is
    assert saved["parcels"] == [{"TS01-RD-M": 1}] and saved["notes"] == [["buyer_message", "请放两个衣架"]]
    assert saved["not_counted"] == RED_L and saved["error"] is None
    assert PackState.from_dict(restored(stored(saved))) == state
    assert PackState.from_dict({}).to_dict() == {}


def test_the_open_order_carries_each_lines_bins_and_its_courier_for_the_screen(port):
    state, _ = run(port, "PS:P1")
    assert [(line.sku, line.bins) for line in state.lines] == [("TS01-RD-M", ("A-01-01-01", "B-02-01-01")),
                                                               ("SP-01", ())]
    assert state.courier == "SF"
    saved = state.to_dict()
    assert saved["lines"][0]["bins"] == ["A-01-01-01", "B-02-01-01"] and "bins" not in saved["lines"][1]
    assert PackState.from_dict(restored(stored(saved))).lines == state.lines


def test_a_state_saved_by_the_untyped_bench_restores_and_resumes(port):
    # As the untyped bench saved it (tests/golden/replay/pack_day.jsonl): an over-scan waiting for CONFIRM,
    # with the message in its stored form (station.i18n.stored) and a refused scan.
    saved = {"order": "P1", "last_order": None,
             "lines": [{"sku": "TS01-RD-M", "name": "圆领T恤", "colour": "红", "size": "M", "qty": 2, "gift": False},
                       {"sku": "SP-01", "name": "贴纸", "colour": None, "size": None, "qty": 1, "gift": True}],
             "notes": [], "expected": {"TS01-RD-M": 2, "SP-01": 1}, "gifts": ["SP-01"], "styles": {"TS01-RD-M": "TS01"},
             "parcels": [{"TS01-RD-M": 2}], "history": [["TS01-RD-M", 1], ["TS01-RD-M", 1]],
             "awaiting_waybill": False,
             "error": {"code": "over_scan", "message": {"msgid": "Too many {sku}: {qty} ordered, all already scanned",
                                                        "params": {"sku": "TS01-RD-M", "qty": 2},
                                                        "text": "Too many TS01-RD-M: 2 ordered, all already scanned"},
                       "scan": RED_M, "refused": [GIFT_PEN]}}
    state = PackState.from_dict(restored(saved))
    assert state.to_dict()["error"]["refused"] == [GIFT_PEN] and state.counted() == {"TS01-RD-M": 2}
    assert stored(state.to_dict()) == {**saved, "error": {**saved["error"], "message": stored(state.error.message)}}
    state, codes = run(port, "CMD-CONFIRM", "CMD-UNDO", GIFT_PEN, state=state)
    assert codes == ["error_acknowledged", "nothing_to_undo", "order_packed"]
    assert port.asked[0] == ("close", "P1", [{"TS01-RD-M": 2, "SP-01": 1}], [])


def test_an_older_saved_state_without_the_later_keys_still_restores():
    old = {"order": "P1", "last_order": "P0", "expected": {"TS01-RD-M": 2}, "parcels": [{"TS01-RD-M": 1}],
           "history": [["TS01-RD-M", 1]], "error": {"code": "wrong_item", "message": "Wrong item"}}
    state = PackState.from_dict(old)
    assert state.remaining() == {"TS01-RD-M": 1} and state.error.scan is None and state.waybills is None
