"""The returns bench through the runner (the path the GUI and `station replay` share): the cases the
day-long replay test does not walk through."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from station.db import unit_of_work
from station.demo import ean13
from station.fulfilment.models import Order
from station.fulfilment.orders import import_orders
from station.inventory import ledger
from station.returns.receipt_models import ReturnItem, ReturnReceipt
from station.workflows.runner import BenchRunner
from tests.support import factories as f

CODE = {"TS01-RD-M": ean13(1), "TS01-RD-L": ean13(2), "NB-001": ean13(3)}


@pytest.fixture
def shop(sessions, tmp_path):
    """A returns clerk, a bin with 5 red T-shirts L, the usual return locations; order S1 (two red T-shirts M,
    one notebook) shipped three days ago to 周杰."""
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        f.user(s, "王芳", "U-1003", "returns")
        for code, kind in (("A-01-01-01", "stock"), ("QC-01", "quarantine"), ("SCRAP-01", "scrap"),
                           ("RET-01", "returns")):
            f.location(s, code, kind)
        for sku, code in CODE.items():
            f.product(s, sku, code, style=sku[:4])
        ledger.move(s, ledger.Move("TS01-RD-L", 5, "ADJUSTMENT", "A-01-01-01", "opening"))
        s.commit()
    shipped = (datetime.now(timezone.utc) - timedelta(days=3)).isoformat(timespec="seconds")
    path = tmp_path / "orders.csv"
    rows = [f"S1,店,tb_zhoujie,周杰,13600003333,上海市,上海市,浦东新区,世纪大道8号,SF,{sku},{qty},49.50,shipped,"
            f"SF9200000000001,{shipped}" for sku, qty in (("TS01-RD-M", 2), ("NB-001", 1))]
    path.write_text("order_no,shop,buyer_account,recipient,phone,province,city,district,address,courier,sku,qty,"
                    "unit_price,status,tracking_no,shipped_at\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert import_orders(sessions, path, "generic").ok
    return sessions


def run(sessions, *raws: str, station: str = "returns-1") -> list[str]:
    runner = BenchRunner(sessions, "returns", station)
    runner.login("王芳")
    return [runner.process(raw)[1].code for raw in raws]


def test_items_scanned_before_the_note_help_find_the_order_and_are_received_once_it_is_confirmed(shop):
    codes = run(shop, "YT7200000000001", CODE["TS01-RD-M"], CODE["NB-001"], 'NOTE:{"name": "Zhou Jie"}',
                "S1", "QC-01", "QC-01", "CMD-DONE")
    assert codes == ["parcel_opened", "item_noted", "item_noted", "candidates_found", "return_matched",
                     "item_quarantined", "item_quarantined", "return_received"]
    with unit_of_work(shop) as s:
        assert sorted(s.scalars(select(ReturnItem.sku))) == ["NB-001", "TS01-RD-M"]
        assert ledger.on_hand(s, "NB-001", "QC-01") == 1 and ledger.on_hand(s, "TS01-RD-M", "QC-01") == 1


def test_an_item_that_is_not_in_the_order_is_refused_and_nothing_moves(shop):
    assert run(shop, "RS:S1", CODE["TS01-RD-L"], "CMD-CONFIRM", "A-01-01-01") == [
        "return_matched", "not_in_order", "error_acknowledged", "scan_item_first"]
    with unit_of_work(shop) as s:
        assert ledger.on_hand(s, "TS01-RD-L", "A-01-01-01") == 5


def test_undo_takes_back_an_item_not_yet_placed_and_done_waits_for_every_item(shop):
    assert run(shop, "RS:S1", CODE["TS01-RD-M"], CODE["TS01-RD-M"], "CMD-UNDO", "CMD-DONE", "CMD-CONFIRM",
               "SCRAP-01", "CMD-DONE") == [
        "return_matched", "item_accepted", "item_accepted", "undone", "not_disposed", "error_acknowledged",
        "item_scrapped", "return_received"]
    with unit_of_work(shop) as s:
        assert [(i.sku, i.unit_no, i.disposition) for i in s.scalars(select(ReturnItem))] == [
            ("TS01-RD-M", 1, "scrap")]


def test_an_unidentified_parcel_comes_back_to_the_bench_by_its_tag_and_is_matched_later(shop):
    assert run(shop, "YT7200000000002", 'NOTE:{"name": "唐僧", "text": "取经路上"}', "CMD-DONE") == [
        "parcel_opened", "no_candidate", "parcel_unidentified"]
    with unit_of_work(shop) as s:
        shelved = s.scalar(select(ReturnReceipt))
        assert (shelved.status, shelved.location, shelved.note["text"]) == ("unidentified", "RET-01", "取经路上")
        tag = shelved.receipt_no
    # customer service found the buyer: the parcel is taken off the shelf and matched by its slip
    assert run(shop, tag, "RS:S1", CODE["TS01-RD-M"], "A-01-01-01", "CMD-DONE", station="returns-2") == [
        "parcel_opened", "return_matched", "item_accepted", "item_restocked", "return_received"]
    with unit_of_work(shop) as s:
        assert s.scalar(select(ReturnReceipt.status)) == "received"


def test_a_bad_note_lists_every_problem_and_opens_nothing(shop):
    runner = BenchRunner(shop, "returns", "returns-1")
    runner.login("王芳")
    _scan, outcome = runner.process('NOTE:{"name": 12, "colour": "red", "reason_code": "bored"}')
    assert outcome.code == "bad_note"
    _scan, outcome = runner.process('NOTE:{"name": ["x"], "colour": "red"}')
    assert outcome.code == "bad_note" and len(outcome.details) == 2
    with unit_of_work(shop) as s:
        assert s.scalar(select(ReturnReceipt.id)) is None


def test_a_parcel_left_open_goes_on_where_it_was_after_cancel(shop):
    assert run(shop, "YT7200000000003", "RS:S1", CODE["TS01-RD-M"], "CMD-CANCEL", "YT7200000000003", "QC-01",
               "CMD-DONE") == ["parcel_opened", "return_matched", "item_accepted", "receipt_parked", "return_matched",
                               "item_quarantined", "return_received"]
    with unit_of_work(shop) as s:
        assert s.scalar(select(Order.status).where(Order.order_no == "S1")) == "shipped"


def test_the_packing_slip_in_the_parcel_names_the_order_as_the_return_slip_does(shop):
    assert run(shop, "YT7200000000004", "PS:S1", CODE["NB-001"], "QC-01", "CMD-DONE") == [
        "parcel_opened", "return_matched", "item_accepted", "item_quarantined", "return_received"]
    assert run(shop, "PS:S1", CODE["NB-001"], station="returns-2") == ["return_matched", "already_returned"]


def test_an_exchange_for_another_size_sends_it_out_in_a_new_ready_order(shop):
    assert run(shop, "RS:S1", CODE["TS01-RD-M"], "A-01-01-01", "EXCHANGE:TS01-RD-L", "EXCHANGE:XX-404",
               "CMD-CONFIRM", "CMD-DONE") == [
        "return_matched", "item_accepted", "item_restocked", "exchange_noted", "unknown_sku", "error_acknowledged",
        "return_received"]
    with unit_of_work(shop) as s:
        receipt = s.scalar(select(ReturnReceipt))
        new = s.scalar(select(Order).where(Order.order_no == receipt.exchange_order_no))
        assert (receipt.type, new.status, new.recipient) == ("exchange", "ready", "周杰")
        assert [(l.sku, l.qty) for l in new.lines] == [("TS01-RD-L", 1)]


def test_undo_right_after_a_refused_item_was_confirmed_takes_back_nothing_then_the_item_before(shop):
    assert run(shop, "RS:S1", CODE["TS01-RD-M"], CODE["TS01-RD-L"], "CMD-CONFIRM", "CMD-UNDO", "CMD-UNDO") == [
        "return_matched", "item_accepted", "not_in_order", "error_acknowledged", "nothing_to_undo", "undone"]


def test_undo_after_a_refused_command_was_confirmed_takes_back_the_last_item(shop):
    assert run(shop, "RS:S1", CODE["TS01-RD-M"], "CMD-DONE", "CMD-CONFIRM", "CMD-UNDO") == [
        "return_matched", "item_accepted", "not_disposed", "error_acknowledged", "undone"]
