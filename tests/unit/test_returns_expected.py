"""Expected returns: `import returns` is all or nothing with every bad row listed; one return by hand."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from station.db import unit_of_work
from station.fulfilment.models import MatchKey
from station.fulfilment.orders import import_orders
from station.returns.expected import ReturnError, ReturnRequest, import_returns, register_return
from station.returns.models import ExpectedReturn

ORDERS = """order_no,buyer_account,recipient,phone,address,sku,qty,status,courier,tracking_no,shipped_at
S1,tb_wang,王小明,13812345678,中山路1号,TS-01,1,shipped,SF,SF100000000001,2026-11-01T10:00:00+08:00
S2,,李娜,138****5678,人民路2号,TS-02,1,delivered,YTO,YT100000000002,2026-11-02T10:00:00+08:00
R1,tb_zhao,赵六,13900001111,解放路3号,TS-03,1,,,,
"""


@pytest.fixture
def shop(sessions, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    report = import_orders(sessions, path)
    assert report.ok, report.rejected
    return sessions


def write(tmp_path, text: str, name="returns.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def count(sessions) -> int:
    with unit_of_work(sessions) as s:
        return s.scalar(select(func.count()).select_from(ExpectedReturn))


def test_orders_imported_already_shipped_get_their_match_keys_and_a_ready_order_none(shop):
    with unit_of_work(shop) as s:
        keys = set(s.execute(select(MatchKey.kind, MatchKey.key)))
    assert {("phone", "13812345678"), ("last4", "5678"), ("account", "tbwang"), ("pinyin", "lina"),
            ("name", "王小明")} <= keys
    assert not any(key in ("赵六", "13900001111") for _kind, key in keys)


def test_a_file_with_bad_rows_is_refused_whole_and_every_bad_row_is_listed(shop, tmp_path):
    path = write(tmp_path, "order_no,return_tracking,type,reason\n"
                           "S1,YT900000000001,refund,七天无理由\n"      # good
                           "NOPE,YT900000000002,refund,\n"             # no such order
                           "R1,YT900000000003,refund,\n"               # not shipped
                           "S2,YT900000000004,swap,\n"                 # unknown type
                           "S2,YT900000000001,exchange,尺码不合适\n"     # tracking already on line 2
                           ",YT900000000005,refund,\n")                # no order number
    report = import_returns(shop, path)
    assert not report.ok and report.as_dict()["created"] == 0
    lines = {e.line: e.reason for e in report.rejected}
    assert sorted(lines) == [3, 4, 5, 6, 7]
    assert "NOPE" in lines[3] and "not shipped" in lines[4] and "swap" in lines[5]
    assert "line 2" in lines[6] and "order_no" in lines[7]
    assert count(shop) == 0


def test_an_unknown_column_refuses_the_file(shop, tmp_path):
    report = import_returns(shop, write(tmp_path, "order_no,refund_amount\nS1,10\n"))
    assert not report.ok and "refund_amount" in report.rejected[0].reason and report.rejected[0].line == 1


def test_a_good_file_registers_every_return_and_importing_it_again_changes_nothing(shop, tmp_path):
    text = "\ufefforder_no,return_tracking,type,reason\nS1,YT900000000001,refund,七天无理由\nS2,,exchange,尺码不合适\n"
    first = import_returns(shop, write(tmp_path, text))
    assert first.ok and (first.created, first.unchanged) == (2, 0)
    again = import_returns(shop, write(tmp_path, text, "again.csv"))
    assert again.ok and (again.created, again.unchanged) == (0, 2)
    assert count(shop) == 2


def test_a_return_tracking_number_belongs_to_one_order_only(shop):
    with unit_of_work(shop) as s:
        register_return(s, ReturnRequest("S1", "YT900000000009"), user="客服小王")
        with pytest.raises(ReturnError) as refused:
            register_return(s, ReturnRequest("S2", "YT900000000009"))
        assert refused.value.code == "tracking_taken" and "S1" in str(refused.value)
        with pytest.raises(ReturnError) as refused:
            register_return(s, ReturnRequest("R1"))
        assert refused.value.code == "order_not_shipped"
