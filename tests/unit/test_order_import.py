"""Orders in: shop exports imported whole or not at all, holds for a person, re-imports that update."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station.db import unit_of_work
from station.fulfilment.models import Order, OrderHold, Parcel
from station.fulfilment.orders import (OrderError, cancel_order, import_orders, list_orders,
                                       release_order)
from station.inventory import ledger
from station.inventory.models import Location
from tests.support import factories as f

DATA = Path(__file__).resolve().parents[1] / "data" / "orders"


def stock(sessions, *skus_qty, bin_code="A-01-01-01"):
    with unit_of_work(sessions) as s:
        if s.scalar(select(Location).where(Location.code == bin_code)) is None:
            f.location(s, bin_code)
        for sku, qty in skus_qty:
            f.product(s, sku, name=sku)
            if qty:
                ledger.move(s, ledger.Move(sku, qty, "ADJUSTMENT", bin_code, "opening"))
        s.commit()


def holds(sessions) -> dict[str, list[str]]:
    return {o.order_no: sorted(code for code, _d in o.holds) for o in list_orders(sessions)}


def statuses(sessions) -> dict[str, str]:
    return {o.order_no: o.status for o in list_orders(sessions)}


def test_a_shopify_export_imports_multi_line_orders_with_holds_for_notes_and_cancellations(sessions):
    stock(sessions, ("TEE-RED-M", 5), ("TEE-BLU-L", 5), ("TOTE-NAT", 5), ("SOCK-GRY-3942", 5), ("TEE-BLK-XL", 5))
    report = import_orders(sessions, DATA / "shopify_orders_export.csv", "shopify")
    assert report.ok, report.as_dict()
    assert (report.created, report.cancelled) == (4, 2)
    assert statuses(sessions) == {"#1001": "on_hold", "#1002": "cancelled", "#1003": "shipped", "#1004": "cancelled"}
    assert holds(sessions)["#1001"] == ["buyer_message"]
    with unit_of_work(sessions) as s:
        order = s.scalar(select(Order).where(Order.order_no == "#1001"))
        assert [(l.sku, l.qty, l.colour, l.size) for l in order.lines] == [
            ("TEE-RED-M", 2, "Red", "M"), ("TEE-BLU-L", 1, "Blue", "L")]
        assert order.postcode == "4001" and order.buyer_message.endswith("\nRing twice.")


def test_a_taobao_export_in_gb18030_imports_with_masked_phones_kept_as_they_came(sessions):
    stock(sessions, ("TS-RED-XL", 10), ("TS-WHT-M", 10), ("CUP-WHT-500", 1), ("HAT-BLU-F", 1), ("BAG-CNV", 1),
          ("SOCK-GRY", 1), ("TOWEL-BEI", 1))
    report = import_orders(sessions, DATA / "taobao" / "ExportOrderList202105131200.csv", "taobao")
    assert report.ok, report.as_dict()
    assert report.encoding == "gb18030" and report.created == 5
    with unit_of_work(sessions) as s:
        orders = {o.order_no: o for o in s.scalars(select(Order))}
        first = orders["35153131473293579"]
        assert (first.recipient, first.province, first.city) == ("张小红", "广东省", "广州市")
        assert (first.buyer_message, first.seller_memo) == ("请尽快发货，谢谢", "送小样")
        assert orders["35153131473293580"].phone == "138****5678"
        assert orders["35153131473293580"].status == "cancelled"
    assert statuses(sessions)["35153131473293583"] == "on_hold"  # SOCK-GRY: 2 ordered, 1 in stock
    assert holds(sessions)["35153131473293583"][0] == "not_enough_stock"
    assert holds(sessions)["35153131473293579"] == ["buyer_message", "seller_memo"]


@pytest.mark.parametrize("name, fmt", [("generic_bad.csv", "generic"), ("shopify_bad.csv", "shopify"),
                                       ("taobao_bad/ExportOrderList202105140900.csv", "taobao")])
def test_a_file_with_bad_rows_imports_nothing_and_names_every_bad_row(sessions, name, fmt):
    report = import_orders(sessions, DATA / name, fmt)
    assert not report.ok
    assert all(e.line >= 1 and e.reason for e in report.rejected)
    assert len(report.rejected) >= 2
    with unit_of_work(sessions) as s:
        assert s.scalar(select(func.count()).select_from(Order)) == 0


HEADER = "order_no,recipient,phone,province,city,address,courier,sku,qty,buyer_message,status\n"


def write(tmp_path, *rows) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_orders_without_address_phone_known_sku_or_stock_are_held_with_reasons(sessions, tmp_path):
    stock(sessions, ("TS-RED-M", 3))
    import_orders(sessions, write(tmp_path,
                                  "A1,王小明,13812345678,广东省,广州市,中山五路33号,SF,TS-RED-M,1,,",
                                  "A2,李雷,1234,浙江省,杭州市,文三路1号,SF,TS-RED-M,1,,",
                                  "A3,韩梅梅,13700002222,,,建国路,SF,TS-RED-M,1,,",
                                  "A4,周杰,13600003333,上海市,上海市,世纪大道8号,SF,NOPE-1,1,,",
                                  "A5,吴芳,13500004444,四川省,成都市,人民南路4号,SF,TS-RED-M,5,,"), "generic")
    assert holds(sessions) == {"A1": [], "A2": ["incomplete_phone"], "A3": ["incomplete_address"],
                               "A4": ["unknown_sku"], "A5": ["not_enough_stock"]}


def test_reimporting_updates_a_changed_address_and_leaves_the_rest_alone(sessions, tmp_path):
    stock(sessions, ("TS-RED-M", 9))
    path = write(tmp_path, "B1,王小明,13812345678,广东省,广州市,中山五路33号,SF,TS-RED-M,1,,",
                 "B2,李雷,13900001111,浙江省,杭州市,文三路1号,SF,TS-RED-M,1,,")
    import_orders(sessions, path, "generic")
    path = write(tmp_path, "B1,王小明,13812345678,广东省,广州市,环市东路9号,SF,TS-RED-M,1,,",
                 "B2,李雷,13900001111,浙江省,杭州市,文三路1号,SF,TS-RED-M,1,,")
    report = import_orders(sessions, path, "generic")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    with unit_of_work(sessions) as s:
        assert s.scalar(select(Order.address).where(Order.order_no == "B1")) == "环市东路9号"
        assert s.scalar(select(func.count()).select_from(Order)) == 2


def test_an_order_changed_after_its_waybill_was_printed_goes_on_hold_and_its_waybill_is_void(sessions, tmp_path):
    stock(sessions, ("TS-RED-M", 9))
    import_orders(sessions, write(tmp_path, "C1,王小明,13812345678,广东省,广州市,中山五路33号,SF,TS-RED-M,1,,"),
                  "generic")
    with unit_of_work(sessions) as s:  # the batch printed its waybill
        order = s.scalar(select(Order))
        order.printed_at = datetime.now(timezone.utc)
        s.add(Parcel(order_id=order.id, seq=1, courier="SF", tracking_no="SF0200000000000", status="printed"))
        s.commit()
    report = import_orders(sessions, write(tmp_path, "C1,王小明,13999999999,广东省,广州市,中山五路33号,SF,TS-RED-M,1,,"),
                           "generic")
    assert report.on_hold == 1
    assert holds(sessions) == {"C1": ["changed_after_print"]}
    with unit_of_work(sessions) as s:
        assert s.scalar(select(Parcel.status)) == "void"
        assert s.scalar(select(Order.phone)) == "13999999999"


def test_a_refund_in_the_shop_cancels_the_order_on_reimport(sessions, tmp_path):
    stock(sessions, ("TS-RED-M", 9))
    import_orders(sessions, write(tmp_path, "D1,王小明,13812345678,广东省,广州市,中山五路33号,SF,TS-RED-M,1,,"),
                  "generic")
    report = import_orders(sessions, write(
        tmp_path, "D1,王小明,13812345678,广东省,广州市,中山五路33号,SF,TS-RED-M,1,,refunded"), "generic")
    assert report.cancelled == 1
    assert statuses(sessions) == {"D1": "cancelled"}


def test_a_person_releases_a_hold_and_who_and_when_are_recorded(sessions, tmp_path):
    stock(sessions, ("TS-RED-M", 9))
    import_orders(sessions, write(tmp_path, "E1,王小明,13812345678,广东省,广州市,中山五路33号,SF,TS-RED-M,1,要发票,"),
                  "generic")
    assert statuses(sessions) == {"E1": "on_hold"}
    release_order(sessions, "E1", user="客服小美")
    assert statuses(sessions) == {"E1": "ready"}
    with unit_of_work(sessions) as s:
        hold = s.scalar(select(OrderHold))
        assert (hold.code, hold.resolution, hold.resolved_by) == ("buyer_message", "released", "客服小美")
        assert hold.resolved_at is not None
    with pytest.raises(OrderError, match="not on hold"):
        release_order(sessions, "E1", user="客服小美")
    cancel_order(sessions, "E1", user="客服小美")
    assert statuses(sessions) == {"E1": "cancelled"}
