"""Choosing ready orders for a batch: by courier, shop, one item or several, and paid time."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from station.db import unit_of_work
from station.fulfilment.batches import BatchCriteria, select_ready
from station.fulfilment.orders import import_orders
from station.inventory import ledger
from tests.support import factories as f

ORDERS = """order_no,shop,recipient,phone,province,city,address,courier,sku,qty,paid_at
S1,甲店,王小明,13812345678,广东省,广州市,中山五路33号,SF,A,1,2026-11-11T00:10:00+08:00
S2,甲店,李雷,13900001111,浙江省,杭州市,文三路1号,ZTO,A,2,2026-11-11T01:00:00+08:00
S3,乙店,韩梅梅,13700002222,北京市,北京市,建国路1号,SF,A,1,2026-11-10T23:00:00+08:00
S3,乙店,韩梅梅,13700002222,北京市,北京市,建国路1号,SF,B,1,2026-11-10T23:00:00+08:00
"""


@pytest.fixture
def ready(sessions, tmp_path):
    with unit_of_work(sessions) as s:
        f.location(s, "A-01-01-01")
        for sku in "AB":
            f.product(s, sku, name=sku)
            ledger.move(s, ledger.Move(sku, 10, "ADJUSTMENT", "A-01-01-01", "opening"))
        s.commit()
    (tmp_path / "o.csv").write_text(ORDERS, encoding="utf-8")
    assert import_orders(sessions, tmp_path / "o.csv", "generic").created == 3
    return sessions


@pytest.mark.parametrize("criteria, expected", [
    (BatchCriteria(), ["S3", "S1", "S2"]),  # first paid first
    (BatchCriteria(courier="SF"), ["S3", "S1"]),
    (BatchCriteria(shop="甲店"), ["S1", "S2"]),
    (BatchCriteria(items="single"), ["S1"]),
    (BatchCriteria(items="multi"), ["S3", "S2"]),
    (BatchCriteria(paid_from=datetime(2026, 11, 10, 16, 0, tzinfo=timezone.utc)), ["S1", "S2"]),
    (BatchCriteria(paid_to=datetime(2026, 11, 10, 16, 30, tzinfo=timezone.utc)), ["S3", "S1"]),
    (BatchCriteria(limit=1), ["S3"]),
])
def test_ready_orders_are_chosen_by_what_the_printer_asks_for(ready, criteria, expected):
    with unit_of_work(ready) as s:
        assert [o.order_no for o in select_ready(s, criteria)] == expected


def test_batch_numbers_come_from_a_sequence_that_never_goes_back(any_url):
    from sqlalchemy import delete

    from station.db import open_database
    from station.fulfilment.batches import BatchError, create_batch, next_number
    from station.fulfilment.models import PickBatch

    engine, sessions = open_database(any_url)
    try:
        with unit_of_work(sessions) as s:
            first = next_number(s, "pick_batch")
            s.add(PickBatch(batch_no=f"B-{first}", created_at=datetime.now(timezone.utc)))
            s.commit()
        with unit_of_work(sessions) as s:
            second = next_number(s, "pick_batch")
            s.commit()
        assert second == first + 1
        with unit_of_work(sessions) as s:  # the newest batch deleted: its number stays given
            s.execute(delete(PickBatch))
            s.commit()
        with unit_of_work(sessions) as s:
            assert next_number(s, "pick_batch") == second + 1
            s.commit()
        with pytest.raises(BatchError):  # nothing ready: no number taken
            create_batch(sessions, BatchCriteria(), user="刘洋", station="t")
        with unit_of_work(sessions) as s:
            assert next_number(s, "pick_batch") == second + 2
    finally:
        engine.dispose()


def test_a_waybill_whose_recipient_no_font_can_print_is_refused_before_it_is_drawn():
    from station.documents.orders import _printable
    from station.documents.registry import DocumentError
    from station.fulfilment.models import Order

    fine = Order(order_no="OK", recipient="王𠈌", phone="13812345678", province="广东省", city="广州市",
                 district="越秀区", address="中山五路33号 😀")
    assert _printable(fine) is fine  # Extension B and emoji have fonts
    bad = Order(order_no="BAD", recipient="李\U000F0001", phone="13812345678", address="中山五路33号")
    with pytest.raises(DocumentError, match="BAD.*recipient: U\\+F0001"):
        _printable(bad)
