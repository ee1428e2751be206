"""Orders shipped before Station or through another channel, imported from Taobao and Shopify
exports already shipped, are return candidates with what they really hold."""
from __future__ import annotations

from pathlib import Path

from station.db import unit_of_work
from station.fulfilment.orders import import_orders
from station.returns.matching import match_note
from station.returns.note import ReturnNote

DATA = Path(__file__).resolve().parents[1] / "data" / "orders"


def match(sessions, note: dict):
    with unit_of_work(sessions) as s:
        return match_note(s, ReturnNote.from_dict(note), days=30)


def evidence(candidate) -> dict:
    return {e.clue: e for e in candidate.evidence}


def test_a_taobao_order_with_a_virtual_number_is_found_by_account_and_name_and_says_the_phone_was_unchecked(sessions):
    assert import_orders(sessions, DATA / "taobao" / "ExportOrderList202105131200.csv", "taobao").ok
    found = match(sessions, {"account": "海边的风", "name": "陈海风", "phone": "139 1234 5678",
                             "received_at": "2021-05-20T10:00"})
    assert found.top.order_no == "35153131473293581" and found.confident
    phone = evidence(found.top)["phone"]
    assert (phone.matched, phone.how) == (None, "virtual_phone") and found.top.unchecked == ["phone"]


def test_a_delivered_taobao_order_with_a_landline_matches_the_number_written_another_way(sessions):
    assert import_orders(sessions, DATA / "taobao" / "ExportOrderList202105131200.csv", "taobao").ok
    found = match(sessions, {"name": "Wang Beijing", "phone": "010 5550 1234", "received_at": "2021-05-10T10:00"})
    top = evidence(found.top)
    assert found.top.order_no == "35153131473293582"
    assert (top["phone"].how, top["name"].how) == ("exact", "pinyin") and found.confident


def test_a_fulfilled_shopify_order_is_a_candidate_and_an_unshipped_one_is_not(sessions):
    assert import_orders(sessions, DATA / "shopify_orders_export.csv", "shopify").ok
    found = match(sessions, {"name": "Claire Martin", "order_no": "#1003", "received_at": "2021-05-25T10:00"})
    assert found.top.order_no == "#1003" and found.confident
    unshipped = match(sessions, {"name": "Anna Keller", "order_no": "#1001", "received_at": "2021-05-25T10:00"})
    assert unshipped.candidates == [] and unshipped.reason == "no_candidate"
