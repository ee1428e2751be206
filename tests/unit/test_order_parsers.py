"""Order exports (generic, Shopify, Taobao/Tmall) parsed into plain data, bad rows named by line."""
from __future__ import annotations

import csv
import io
import shutil
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from station.fulfilment.parsers import OrderLine, OrderRowError, ParsedOrder, parse_orders
from station.fulfilment.parsers.common import colour_and_size, when
from station.fulfilment.parsers.taobao import map_status, properties, split_address
from station.perf.orders import parse_rate

DATA = Path(__file__).resolve().parents[1] / "data" / "orders"
SHOPIFY = DATA / "shopify_orders_export.csv"
TAOBAO = DATA / "taobao" / "ExportOrderList202105131200.csv"
TAOBAO_ITEMS = DATA / "taobao" / "ExportOrderDetailList202105131200.csv"
CEST, CST = timezone(timedelta(hours=2)), timezone(timedelta(hours=8))


def by_no(result):
    return {o.order_no: o for o in result.orders}


def errors(result):
    return [str(e) for e in result.errors]


# ---- Shopify ---------------------------------------------------------------------------------

def test_a_shopify_export_gives_one_order_per_name_with_all_its_line_items():
    result = parse_orders(SHOPIFY, "shopify")
    assert result.ok and result.errors == ()
    assert (result.encoding, result.rows) == ("utf-8", 6)
    assert [o.order_no for o in result.orders] == ["#1001", "#1002", "#1003", "#1004"]
    assert by_no(result)["#1001"] == ParsedOrder(
        order_no="#1001", shop="shopify", buyer_account="anna.keller@example.com", recipient="Anna Keller",
        phone="+41 61 555 01 23", province="Basel-Stadt", city="Basel", district=None,
        address="Rheinweg 12, 3. Stock", postcode="4001", courier=None,
        paid_at=datetime(2021, 5, 13, 11, 1, 13, tzinfo=CEST),
        buyer_message="Please leave the parcel at the door.\nRing twice.", seller_memo=None, status="ready",
        tracking_no=None, shipped_at=None, delivered_at=None,
        lines=(OrderLine("TEE-RED-M", 2, Decimal("19.90"), "Classic Tee - Red / M", "Red", "M", False, 2,
                         listing="Classic Tee", variant="Red / M"),
               OrderLine("TEE-BLU-L", 1, Decimal("19.90"), "Classic Tee - Blue / L", "Blue", "L", False, 4,
                         listing="Classic Tee", variant="Blue / L")),
        line=2, source_status="paid / unfulfilled", country="CH")


def test_two_variants_of_one_shopify_product_keep_their_own_sku_colour_and_size():
    lines = by_no(parse_orders(SHOPIFY, "shopify"))["#1001"].lines
    assert [(li.sku, li.colour, li.size, li.qty) for li in lines] == [("TEE-RED-M", "Red", "M", 2),
                                                                       ("TEE-BLU-L", "Blue", "L", 1)]


def test_a_note_spanning_two_lines_pushes_the_next_row_to_a_later_physical_line():
    orders = by_no(parse_orders(SHOPIFY, "shopify"))
    assert orders["#1001"].buyer_message == "Please leave the parcel at the door.\nRing twice."
    assert [li.line for li in orders["#1001"].lines] == [2, 4]
    assert [orders[n].line for n in ("#1002", "#1003", "#1004")] == [5, 6, 8]


def test_shopify_refunded_voided_cancelled_and_fulfilled_orders_get_their_status():
    orders = by_no(parse_orders(SHOPIFY, "shopify"))
    assert [(n, o.status, o.source_status) for n, o in orders.items()] == [
        ("#1001", "ready", "paid / unfulfilled"),
        ("#1002", "refunded", "refunded / unfulfilled"),
        ("#1003", "shipped", "paid / fulfilled"),
        ("#1004", "cancelled", "voided / unfulfilled / cancelled")]
    assert orders["#1003"].shipped_at == datetime(2021, 5, 15, 9, 30, tzinfo=CEST)


def test_shopify_zip_codes_lose_the_apostrophe_and_phones_fall_back_to_phone_then_billing_phone():
    orders = by_no(parse_orders(SHOPIFY, "shopify"))
    assert [o.postcode for o in orders.values()] == ["4001", "10115", "75001", "M5V 2T6"]
    assert orders["#1002"].phone == "+49 30 5550 1234"  # Shipping Phone empty: Phone
    assert orders["#1003"].phone == "+33 1 55 50 12 34"  # only Billing Phone
    assert (orders["#1004"].province, orders["#1002"].province) == ("Ontario", None)
    assert [o.country for o in orders.values()] == ["CH", "DE", "FR", "CA"]


def test_a_shopify_order_without_paid_at_uses_created_at_and_every_time_is_timezone_aware():
    orders = by_no(parse_orders(SHOPIFY, "shopify"))
    assert orders["#1004"].paid_at == datetime(2021, 5, 14, 2, 5, 30, tzinfo=CEST)
    assert all(o.paid_at.utcoffset() == timedelta(hours=2) for o in orders.values())


def test_shopify_lines_that_need_no_shipping_such_as_gift_cards_are_left_out():
    order = by_no(parse_orders(SHOPIFY, "shopify"))["#1003"]
    assert order.lines == (OrderLine("SOCK-GRY-3942", 3, Decimal("4.00"), "Wool Socks - 39-42", None, "39-42",
                                     False, 6, listing="Wool Socks", variant="39-42"),)


def test_the_shop_name_can_be_given_for_a_shopify_export():
    assert {o.shop for o in parse_orders(SHOPIFY, "shopify", shop="EU store").orders} == {"EU store"}


def _rewrite_shopify(tmp_path: Path, edit) -> Path:
    rows = list(csv.reader(io.StringIO(SHOPIFY.read_text(encoding="utf-8"), newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(edit(rows))
    path = tmp_path / "orders_export.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


def test_an_older_shopify_export_that_stops_after_shipping_province_name_parses_the_same(tmp_path):
    def cut(rows):
        end = rows[0].index("Shipping Province Name") + 1
        return [r[:end] for r in rows]

    path = _rewrite_shopify(tmp_path, cut)
    assert len(next(csv.reader(path.open(encoding="utf-8")))) == 75
    assert parse_orders(path, "shopify").orders == parse_orders(SHOPIFY, "shopify").orders


def test_columns_shopify_adds_later_are_tolerated_but_a_missing_required_one_rejects_the_file(tmp_path):
    extra = _rewrite_shopify(tmp_path, lambda rows: [r + (["Lineitem tax lines"] if i == 0 else [""])
                                                     for i, r in enumerate(rows)])
    assert len(parse_orders(extra, "shopify").orders) == 4

    def drop_sku(rows):
        i = rows[0].index("Lineitem sku")
        return [r[:i] + r[i + 1:] for r in rows]

    result = parse_orders(_rewrite_shopify(tmp_path, drop_sku), "shopify")
    assert errors(result) == ["orders_export.csv line 1: Required column Lineitem sku is missing"]
    assert result.orders == ()


def test_a_shopify_quantity_in_words_is_named_by_line_and_a_line_without_sku_is_left_to_the_listing_map():
    result = parse_orders(DATA / "shopify_bad.csv", "shopify")
    assert not result.ok
    assert errors(result) == ["shopify_bad.csv line 4: Lineitem quantity: 'two' is not a whole number"]
    [order] = result.orders  # #2002 has a bad line; #2001's SKU-less tee is matched on import
    assert [(l.sku, l.listing, l.variant) for l in order.lines] == [
        ("TOTE-NAT", "Canvas Tote", None), ("", "Classic Tee", "Red / S")]


@pytest.mark.parametrize("title, expected", [
    ("T-Shirt - Red / M", ("Red", "M")),
    ("T-Shirt - M / Red", ("Red", "M")),
    ("Hoodie - Navy / XXL / Organic", ("Navy", "XXL")),
    ("Sneaker - White / 42", ("White", "42")),
    ("Cap - Black", ("Black", None)),
    ("Sweater - S", (None, "S")),
    ("Canvas Tote", (None, None)),
    ("Mug - Default Title", (None, None)),
])
def test_colour_and_size_come_from_the_variant_part_of_a_shopify_line_item_name(title, expected):
    assert colour_and_size(title) == expected


# ---- Taobao / Tmall --------------------------------------------------------------------------

def test_taobao_order_and_item_reports_are_joined_on_the_order_number():
    result = parse_orders(TAOBAO, "taobao", item_report=TAOBAO_ITEMS)
    assert result.ok, errors(result)
    assert (result.encoding, result.rows) == ("gb18030", 13)
    assert [o.order_no for o in result.orders] == ["35153131473293579", "35153131473293580", "35153131473293581",
                                                  "35153131473293582", "35153131473293583"]
    assert result.orders[0] == ParsedOrder(
        order_no="35153131473293579", shop="小鹿家居旗舰店", buyer_account="晴天小鱼2020", recipient="张小红",
        phone="13800001234", province="广东省", city="广州市", district="越秀区", address="中山五路33号",
        postcode="510180", courier=None, paid_at=datetime(2021, 5, 13, 11, 1, 13, tzinfo=CST),
        buyer_message="请尽快发货，谢谢", seller_memo="送小样", status="ready", tracking_no=None, shipped_at=None,
        delivered_at=None,
        lines=(OrderLine("TS-RED-XL", 2, Decimal("59.00"), "纯棉短袖T恤 男女同款", "红色", "XL", False, 2,
                         listing="纯棉短袖T恤 男女同款", variant="颜色分类：红色;尺码：XL"),
               OrderLine("TS-WHT-M", 1, Decimal("50.00"), "纯棉短袖T恤 男女同款", "白色", "M", False, 4,
                         listing="纯棉短袖T恤 男女同款", variant="颜色分类：白色;尺码：M")),
        line=2, source_status="买家已付款，等待卖家发货")


def test_the_item_report_beside_the_order_report_is_found_without_being_named():
    assert parse_orders(TAOBAO, "taobao") == parse_orders(TAOBAO, "taobao", item_report=TAOBAO_ITEMS)


def test_taobao_statuses_map_to_ours_and_keep_the_shop_words():
    orders = parse_orders(TAOBAO, "taobao").orders
    assert [(o.status, o.source_status) for o in orders] == [
        ("ready", "买家已付款，等待卖家发货"), ("cancelled", "交易关闭"), ("shipped", "卖家已发货，等待买家确认"),
        ("delivered", "交易成功"), ("ready", "买家已付款，等待卖家发货")]


def test_masked_and_virtual_phones_are_kept_as_they_come_and_a_landline_is_the_fallback():
    assert [o.phone for o in parse_orders(TAOBAO, "taobao").orders] == [
        "13800001234", "138****5678", "13800001234-5678", "010-55501234", "13900009876"]


def test_a_closed_unpaid_taobao_order_has_no_payment_time():
    closed = parse_orders(TAOBAO, "taobao").orders[1]
    assert (closed.status, closed.paid_at, closed.lines[0].sku) == ("cancelled", None, "CUP-WHT-500")


def test_taobao_addresses_split_into_province_city_district_street_and_postcode():
    orders = parse_orders(TAOBAO, "taobao").orders
    assert [(o.province, o.city, o.district, o.address, o.postcode) for o in orders] == [
        ("广东省", "广州市", "越秀区", "中山五路33号", "510180"),
        ("浙江省", "杭州市", "西湖区", "文三路100号", "310000"),
        ("上海", "上海市", "浦东新区", "张江镇 祖冲之路887弄", "201203"),
        ("北京", "北京市", "朝阳区", "建国路88号 SOHO现代城2号楼", None),
        ("四川省", "成都市", "武侯区", "人民南路四段1号", "610041")]


def test_a_shipped_taobao_order_keeps_its_courier_tracking_number_and_two_line_message():
    order = parse_orders(TAOBAO, "taobao").orders[2]
    assert (order.courier, order.tracking_no, order.buyer_message) == ("顺丰速运", "SF1234567890123",
                                                                       "周末不在家\n请放快递柜")
    assert (order.line, order.lines[0].line) == (4, 5)
    assert parse_orders(TAOBAO, "taobao").orders[3].line == 6  # after the message's second line


def test_taobao_item_properties_give_colour_and_size_and_empty_ones_give_none():
    orders = parse_orders(TAOBAO, "taobao").orders
    assert [(li.sku, li.colour, li.size) for o in orders for li in o.lines] == [
        ("TS-RED-XL", "红色", "XL"), ("TS-WHT-M", "白色", "M"), ("CUP-WHT-500", "白色", None),
        ("HAT-BLU-F", "蓝色", "均码"), ("BAG-CNV", None, None), ("SOCK-GRY", "灰色", "39-42"),
        ("TOWEL-BEI", "米白", None)]


def test_an_item_refunded_before_shipping_is_left_out_of_an_order_still_to_ship():
    order = parse_orders(TAOBAO, "taobao").orders[4]
    assert [(li.sku, li.qty, li.unit_price, li.line) for li in order.lines] == [
        ("SOCK-GRY", 2, Decimal("29.90"), 7), ("TOWEL-BEI", 1, Decimal("19.90"), 9)]


def test_bad_taobao_rows_are_named_with_their_file_and_line():
    folder = DATA / "taobao_bad"
    result = parse_orders(folder / "ExportOrderList202105140900.csv", "taobao")
    assert errors(result) == [
        "ExportOrderList202105140900.csv line 3: Order 35153131473294002 has no items in "
        "ExportOrderDetailList202105140900.csv",
        "ExportOrderDetailList202105140900.csv line 4: Order 35153131473299999 is not in "
        "ExportOrderList202105140900.csv"]
    assert result.errors[1] == OrderRowError(4, "Order 35153131473299999 is not in ExportOrderList202105140900.csv",
                                             "ExportOrderDetailList202105140900.csv")
    assert result.errors[1].as_dict()["file"] == "ExportOrderDetailList202105140900.csv"
    # the clean one, and the one whose item has no 商家编码 (left to the listing map on import)
    assert [o.order_no for o in result.orders] == ["35153131473294001", "35153131473294003"]


def _taobao_copy(tmp_path: Path, edit_orders=None, edit_items=None, items_name=TAOBAO_ITEMS.name) -> Path:
    for src, edit, name in ((TAOBAO, edit_orders, TAOBAO.name), (TAOBAO_ITEMS, edit_items, items_name)):
        if name is None:
            continue
        text = src.read_bytes().decode("gb18030")
        (tmp_path / name).write_bytes((edit(text) if edit else text).encode("gb18030"))
    return tmp_path / TAOBAO.name


def test_a_taobao_order_report_without_an_item_report_is_rejected(tmp_path):
    result = parse_orders(_taobao_copy(tmp_path, items_name=None), "taobao")
    assert errors(result) == ["ExportOrderList202105131200.csv line 0: No item report (ExportOrderDetailList*.csv) "
                              "beside ExportOrderList202105131200.csv"]


def test_the_only_item_report_beside_is_used_and_two_unrelated_ones_are_ambiguous(tmp_path):
    order_report = _taobao_copy(tmp_path, items_name="ExportOrderDetailList(1).csv")
    assert len(parse_orders(order_report, "taobao").orders) == 5
    shutil.copy(tmp_path / "ExportOrderDetailList(1).csv", tmp_path / "ExportOrderDetailList(2).csv")
    assert errors(parse_orders(order_report, "taobao")) == [
        "ExportOrderList202105131200.csv line 0: Several item reports beside ExportOrderList202105131200.csv: "
        "ExportOrderDetailList(1).csv, ExportOrderDetailList(2).csv; choose one"]


def test_an_unpaid_taobao_order_is_held_unpaid_like_shopify_and_an_unknown_status_is_an_error(tmp_path):
    def edit(text):
        return (text.replace('"交易关闭"', '"等待买家付款"', 1).replace('"交易成功"', '"卖家部分发货"', 1)
                .replace('"卖家已发货，等待买家确认"', '"火星状态"', 1))

    result = parse_orders(_taobao_copy(tmp_path, edit_orders=edit), "taobao")
    assert errors(result) == ["ExportOrderList202105131200.csv line 4: Unknown order status '火星状态'"]
    holds = {o.order_no: (o.status, o.holds) for o in result.orders}
    assert ("ready", (("unpaid", "等待买家付款"),)) in holds.values()
    assert ("ready", (("partly_fulfilled", "卖家部分发货"),)) in holds.values()


def test_a_duplicate_taobao_order_number_is_named_with_the_first_line(tmp_path):
    def edit(text):
        lines = text.split("\r\n")
        return "\r\n".join(lines + [lines[1], ""])

    result = parse_orders(_taobao_copy(tmp_path, edit_orders=edit), "taobao")
    assert errors(result) == ["ExportOrderList202105131200.csv line 9: Order 35153131473293579 already on line 2"]


def test_the_taobao_item_report_needs_its_columns(tmp_path):
    result = parse_orders(_taobao_copy(tmp_path, edit_items=lambda t: t.replace('"商家编码"', '"外部编码"', 1)), "taobao")
    assert errors(result) == ["ExportOrderDetailList202105131200.csv line 1: Required column 商家编码 is missing"]


@pytest.mark.parametrize("raw, status", [
    ("买家已付款，等待卖家发货", "ready"), ("买家已付款,等待卖家发货", "ready"), ("等待卖家发货,即:买家已付款", "ready"),
    ("卖家已发货，等待买家确认", "shipped"), ("交易成功", "delivered"), ("交易关闭", "cancelled"),
    ("付款以后用户退款成功，交易自动关闭", "refunded"), ("等待买家付款", None), ("卖家部分发货", None), ("", None),
])
def test_taobao_status_words_map_to_station_statuses(raw, status):
    assert map_status(raw) == status


@pytest.mark.parametrize("raw, parts", [
    ("广东省 广州市 越秀区 中山五路33号(510180)", ("广东省", "广州市", "越秀区", "中山五路33号", "510180")),
    ("广东省 广州市 越秀区 北京街道 中山五路33号 2栋301(510180)",
     ("广东省", "广州市", "越秀区", "北京街道 中山五路33号 2栋301", "510180")),
    ("四川省　成都市　武侯区　人民南路四段1号（610041）", ("四川省", "成都市", "武侯区", "人民南路四段1号", "610041")),
    ("北京 北京市 朝阳区 建国路88号(000000)", ("北京", "北京市", "朝阳区", "建国路88号", None)),
    ("广东省 东莞市 长安镇振安路1号", ("广东省", "东莞市", None, "长安镇振安路1号", None)),
    ("香港特别行政区九龙弥敦道1号", (None, None, None, "香港特别行政区九龙弥敦道1号", None)),
])
def test_a_taobao_address_splits_at_spaces_and_loses_its_postcode(raw, parts):
    assert split_address(raw) == parts


@pytest.mark.parametrize("raw, expected", [
    ("颜色分类：红色;尺码：XL", ("红色", "XL")), ("颜色：蓝色;尺寸：均码", ("蓝色", "均码")),
    ("尺码:M;颜色分类:黑色", ("黑色", "M")), ("颜色分类：红色；尺码：L", ("红色", "L")),
    ("套餐类型：官方标配", (None, None)), ("", (None, None)),
])
def test_taobao_item_properties_give_colour_and_size(raw, expected):
    assert properties(raw) == expected


# ---- Generic ---------------------------------------------------------------------------------

def test_the_generic_csv_gives_orders_with_their_lines_and_shipping_details():
    result = parse_orders(DATA / "generic_orders.csv", "generic", tz=CST)
    assert result.ok, errors(result)
    assert (result.encoding, result.rows) == ("utf-8", 5)
    orders = by_no(result)
    assert orders["GEN-1001"] == ParsedOrder(
        order_no="GEN-1001", shop="小鹿家居", buyer_account="wxm_2024", recipient="王小明", phone="13800001111",
        province="江苏省", city="南京市", district="玄武区", address="中山路1号 3栋502", postcode=None, courier=None,
        paid_at=datetime(2024, 5, 1, 10, 15, tzinfo=CST), buyer_message="周末送达\n谢谢", seller_memo=None,
        status="ready", tracking_no=None, shipped_at=None, delivered_at=None,
        lines=(OrderLine("TS-RED-XL", 2, Decimal("59.00"), None, None, None, False, 2),
               OrderLine("GIFT-KEYRING", 1, Decimal("0"), None, None, None, True, 4)),
        line=2, source_status=None)
    shipped, delivered = orders["GEN-1002"], orders["GEN-1003"]
    assert (shipped.status, shipped.courier, shipped.tracking_no, shipped.phone, shipped.seller_memo) == (
        "shipped", "ZTO", "78123456789012", "13900002222", "加急")
    assert shipped.shipped_at == datetime(2024, 5, 2, 9, tzinfo=CST)
    assert (delivered.status, delivered.paid_at, delivered.shipped_at, delivered.delivered_at) == (
        "delivered", datetime(2024, 5, 1, 9, 5, tzinfo=CST), datetime(2024, 5, 2, 10, tzinfo=CST),
        datetime(2024, 5, 3, 18, 20, tzinfo=CST))
    assert [(li.sku, li.line) for li in delivered.lines] == [("HAT-BLU-F", 6), ("TS-RED-XL", 7)]


def test_generic_times_without_an_offset_are_in_this_computers_zone_by_default():
    order = by_no(parse_orders(DATA / "generic_orders.csv", "generic"))["GEN-1001"]
    assert order.paid_at.tzinfo is not None
    assert order.paid_at.replace(tzinfo=None) == datetime(2024, 5, 1, 10, 15)


def test_a_gb18030_generic_csv_is_read_and_said_to_be(tmp_path):
    text = (DATA / "generic_orders.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "orders.csv").write_bytes(text.encode("gb18030"))
    result = parse_orders(tmp_path / "orders.csv", "generic", tz=CST)
    assert result.encoding == "gb18030"
    assert result.orders == parse_orders(DATA / "generic_orders.csv", "generic", tz=CST).orders


def test_a_generic_xlsx_sheet_with_the_same_columns_parses(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Order_No", "Recipient", "Phone", "Address", "SKU", "Qty", "Unit_Price", "Paid_At"])
    ws.append(["X-1", "王小明", 13800001111, "中山路1号", "TS-RED-XL", 2, 59.5, datetime(2024, 5, 1, 10, 15)])
    ws.append(["X-1", "王小明", 13800001111, "中山路1号", "CUP-WHT-500", 1.0, None, datetime(2024, 5, 1, 10, 15)])
    wb.save(tmp_path / "orders.xlsx")
    result = parse_orders(tmp_path / "orders.xlsx", "generic", tz=CST)
    assert result.ok, errors(result)
    (order,) = result.orders
    assert (order.phone, order.paid_at, result.encoding) == ("13800001111", datetime(2024, 5, 1, 10, 15, tzinfo=CST),
                                                              "xlsx")
    assert order.lines == (OrderLine("TS-RED-XL", 2, Decimal("59.5"), None, None, None, False, 2),
                           OrderLine("CUP-WHT-500", 1, None, None, None, None, False, 3))


def test_bad_generic_rows_are_each_named_and_only_clean_orders_are_kept():
    result = parse_orders(DATA / "generic_bad.csv", "generic")
    assert errors(result) == [
        "generic_bad.csv line 2: Missing sku",
        "generic_bad.csv line 3: qty: '两' is not a whole number",
        "generic_bad.csv line 5: phone is '13900006666' here but '13800005555' on line 4",
        "generic_bad.csv line 6: A shipped order needs tracking_no",
        "generic_bad.csv line 7: unit_price: '-45' is not a price",
        "generic_bad.csv line 7: Unknown status lost; allowed: ready, cancelled, refunded, shipped, delivered"]
    assert [o.order_no for o in result.orders] == ["GOOD-6"]


def test_an_unknown_generic_column_rejects_the_file_at_the_header(tmp_path):
    (tmp_path / "o.csv").write_text("order_no,recipient,phone,address,sku,qty,colour\n", encoding="utf-8")
    result = parse_orders(tmp_path / "o.csv", "generic")
    assert [(e.line, e.reason.split(";")[0]) for e in result.errors] == [(1, "Unknown column colour")]


def test_rows_of_one_generic_order_may_be_apart_and_still_make_one_order(tmp_path):
    (tmp_path / "o.csv").write_text(
        "order_no,recipient,phone,address,sku,qty\n"
        "A,张三,13800000001,路1号,S-1,1\nB,李四,13800000002,路2号,S-2,1\nA,张三,13800000001,路1号,S-3,2\n",
        encoding="utf-8")
    orders = by_no(parse_orders(tmp_path / "o.csv", "generic"))
    assert [(li.sku, li.qty, li.line) for li in orders["A"].lines] == [("S-1", 1, 2), ("S-3", 2, 4)]


def test_a_generic_order_with_no_recipient_on_any_row_is_named_at_its_first_line(tmp_path):
    (tmp_path / "o.csv").write_text("order_no,recipient,phone,address,sku,qty,gift\nA,,13800000001,路1号,S-1,1,\n"
                                    "A,,,,S-2,1,yes\n", encoding="utf-8")
    assert errors(parse_orders(tmp_path / "o.csv", "generic")) == [
        "o.csv line 2: Missing recipient", "o.csv line 3: gift must be 1 or empty, not 'yes'"]


# ---- All formats -----------------------------------------------------------------------------

def test_progress_is_reported_up_to_the_number_of_rows():
    seen = []
    parse_orders(SHOPIFY, "shopify", progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (6, 6)


def test_a_missing_file_is_an_error_not_an_exception(tmp_path):
    for fmt in ("generic", "shopify", "taobao"):
        result = parse_orders(tmp_path / "nope.csv", fmt)
        assert [(e.line, e.reason) for e in result.errors] == [(0, f"No such file: {tmp_path / 'nope.csv'}")]
        assert (result.orders, result.ok) == ((), False)


def test_an_unknown_format_is_a_programming_error():
    with pytest.raises(ValueError, match="ebay"):
        parse_orders(SHOPIFY, "ebay")


@pytest.mark.parametrize("raw, expected", [
    ("2021-05-13 11:01:13 +0200", datetime(2021, 5, 13, 11, 1, 13, tzinfo=CEST)),
    ("2021-05-13T09:01:13Z", datetime(2021, 5, 13, 9, 1, 13, tzinfo=timezone.utc)),
    ("2021/5/13 9:01", datetime(2021, 5, 13, 9, 1, tzinfo=CST)),
    ("2021-05-13", datetime(2021, 5, 13, tzinfo=CST)),
    ("2021-05-13 17:01:13+08:00", datetime(2021, 5, 13, 17, 1, 13, tzinfo=CST)),
])
def test_dates_as_shops_write_them_become_timezone_aware(raw, expected):
    at = when(raw, "paid_at", CST)
    assert at == expected and at.utcoffset() == expected.utcoffset()


def test_a_date_that_is_not_one_says_so():
    with pytest.raises(ValueError, match="paid_at: '13/05/2021' is not a date and time"):
        when("13/05/2021", "paid_at", CST)


def test_the_parse_benchmark_reports_its_rate():
    figures = parse_rate(2_000)
    assert figures["lines"] == 2_000 and figures["orders"] > 500 and figures["seconds"] > 0


def test_a_shopify_row_with_a_field_too_many_is_named_once_and_spoils_only_its_order(tmp_path):
    def widen(rows):
        rows[1] = rows[1] + ["stray"]  # the first row of #1001
        return rows

    result = parse_orders(_rewrite_shopify(tmp_path, widen), "shopify")
    assert errors(result) == ["orders_export.csv line 2: 80 fields where the header has 79"]
    assert [o.order_no for o in result.orders] == ["#1002", "#1003", "#1004"]


def test_taobao_item_rows_with_a_field_too_many_are_named_once(tmp_path):
    def edit(text):
        return text.replace('"TS-WHT-M",', '"TS-WHT-M","oops",', 1)

    result = parse_orders(_taobao_copy(tmp_path, edit_items=edit), "taobao")
    assert errors(result) == ["ExportOrderDetailList202105131200.csv line 4: 12 fields where the header has 10"]
    assert "35153131473293579" not in by_no(result) and len(result.orders) == 4


def test_choosing_the_taobao_item_report_instead_of_the_order_report_says_so():
    assert errors(parse_orders(TAOBAO_ITEMS, "taobao")) == [
        "ExportOrderDetailList202105131200.csv line 0: ExportOrderDetailList202105131200.csv is the item report: "
        "choose the order report (ExportOrderList*.csv)"]


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# A line ends with LF or CRLF (a lone CR also ends one for the reader, as in old Mac files; not tested).
_messages = st.lists(st.sampled_from(["a", " ", "中文", ",", '"', "\n", "\r\n"]), max_size=8).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(messages=st.lists(_messages, min_size=1, max_size=6))
def test_line_numbers_stay_physical_whatever_the_messages_hold(tmp_path, messages):
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["order_no", "recipient", "phone", "address", "sku", "qty", "buyer_message"])
    starts = []
    for i, message in enumerate(messages):
        starts.append(out.getvalue().count("\n") + 1)
        w.writerow([f"H-{i}", "张三", "13800000001", "路1号", "S-1", "1", message])
    path = tmp_path / "h.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    result = parse_orders(path, "generic")
    assert result.ok, errors(result)
    assert [o.line for o in result.orders] == starts
    expected = [m.replace("\r\n", "\n").replace("\r", "\n").strip() or None for m in messages]
    assert [o.buyer_message for o in result.orders] == expected
