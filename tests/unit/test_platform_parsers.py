"""JD, 拼多多, 抖店, WooCommerce and Amazon exports, shaped like the real ones (invented buyers):
one parser each over one engine, statuses mapped to ours and to holds, combined addresses split,
masked and virtual phones kept, CSV or XLSX."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from pathlib import Path

import pytest
from openpyxl import Workbook

from station.db import open_database, unit_of_work
from station.fulfilment.orders import import_orders, list_orders
from station.fulfilment.parsers import CHINA, parse_orders
from station.fulfilment.parsers.flat import split_cn_address
from station.imports.mappings import import_mappings
from station.inventory import ledger
from tests.support import factories as f

PLATFORMS = Path(__file__).resolve().parents[1] / "data" / "orders" / "platforms"
FILES = {"jd": "jd_orders.csv", "pdd": "pdd_orders.csv", "douyin": "douyin_orders.csv",
         "woocommerce": "woocommerce_orders.csv", "amazon": "amazon_unshipped.txt"}


def parsed(fmt: str, path: Path | None = None):
    result = parse_orders(path or PLATFORMS / FILES[fmt], fmt)
    assert result.ok, [str(e) for e in result.errors]
    return {o.order_no: o for o in result.orders}


def test_jd_statuses_become_ours_and_holds_and_its_one_cell_address_is_split():
    orders = parsed("jd")
    assert {n: (o.status, o.holds) for n, o in orders.items()} == {
        "290012345678": ("ready", ()), "290012345679": ("ready", (("refund", "锁定"),)),
        "290012345680": ("ready", (("unpaid", "等待付款"),)), "290012345681": ("cancelled", ())}
    first = orders["290012345678"]
    assert (first.province, first.city, first.district, first.address) == ("广东", "广州市", "越秀区", "中山五路33号")
    assert first.phone == "138****5678" and first.paid_at == datetime(2024, 11, 11, 0, 1, 10, tzinfo=CHINA)
    assert [(l.sku, l.qty, l.listing_id) for l in first.lines] == [("TS-RED-XL", 2, "100012345678"),
                                                                  ("CUP-WHT-500", 1, "100012345699")]
    assert orders["290012345679"].phone == "13900001111-1234"  # a virtual number with its extension
    assert orders["290012345680"].paid_at is None


def test_pdd_after_sale_states_hold_or_cancel_and_a_line_without_merchant_code_waits_for_the_listing_map():
    orders = parsed("pdd")
    assert {n[-3:]: (o.status, o.holds) for n, o in orders.items()} == {
        "345": ("ready", ()), "346": ("ready", (("refund", "退款中"),)), "347": ("shipped", ()),
        "348": ("cancelled", ())}
    refunding = orders["241111-123456789012346"]
    assert [(l.sku, l.listing, l.variant, l.listing_id) for l in refunding.lines] == [
        ("", "保温杯500ml", "白色", "412345679")]
    assert orders["241111-123456789012345"].recipient == "王**"


def test_douyin_leaves_out_a_refunded_sub_order_and_holds_an_open_refund():
    orders = parsed("douyin")
    first = orders["6921234567890123456"]
    assert [(l.sku, l.qty, l.colour, l.size) for l in first.lines] == [("TS-RED-XL", 2, "红色", "XL")]
    assert (first.district, first.address) == ("越秀区", "北京街道 中山五路33号")
    assert orders["6921234567890123459"].holds == (("refund", "退款中"),)
    assert orders["6921234567890123461"].status == "shipped"


def test_douyin_reads_the_header_of_exports_seen_in_public_code(tmp_path):
    """Public scripts that read real 抖店 exports name the merchant code 货号 and the unit price 商品金额
    (docs/formats.md): the same file with those headers reads the same."""
    text = (PLATFORMS / FILES["douyin"]).read_text(encoding="utf-8-sig")
    header, rest = text.split("\n", 1)
    header = header.replace("商家编码", "货号").replace("商品单价", "商品金额")
    (tmp_path / "douyin.csv").write_text(header + "\n" + rest, encoding="utf-8-sig")
    assert parsed("douyin", tmp_path / "douyin.csv").keys() == parsed("douyin").keys()
    first = parsed("douyin", tmp_path / "douyin.csv")["6921234567890123456"]
    assert [(l.sku, l.qty) for l in first.lines] == [("TS-RED-XL", 2)]


def test_woocommerce_on_hold_is_unpaid_completed_is_shipped_and_names_are_joined():
    orders = parsed("woocommerce")
    assert {n: (o.status, o.holds) for n, o in orders.items()} == {
        "1042": ("ready", ()), "1043": ("ready", (("unpaid", "on-hold"),)), "1044": ("shipped", ()),
        "1045": ("cancelled", ())}
    assert orders["1042"].recipient == "Luisa Vásquez" and orders["1042"].country == "ES"
    assert orders["1043"].paid_at is None


def test_amazon_unshipped_report_is_tab_separated_and_only_quantity_to_ship_is_packed():
    orders = parsed("amazon")
    assert [(l.sku, l.qty) for l in orders["302-7654321-7654321"].lines] == [("TEE-RED-M", 1)]  # 3 bought, 2 sent
    assert orders["302-1234567-1234567"].paid_at == datetime(2024, 11, 11, 8, 1, 30, tzinfo=timezone.utc)


def test_an_amazon_item_with_nothing_left_to_ship_is_not_packed(tmp_path):
    text = (PLATFORMS / FILES["amazon"]).read_text(encoding="utf-8")
    rows = text.splitlines()
    cells = rows[2].split("\t")
    cells[13], cells[14] = "1", "0"  # quantity-shipped 1, quantity-to-ship 0: the tote went already
    (tmp_path / "unshipped.txt").write_text("\n".join([rows[0], rows[1], "\t".join(cells), rows[3]]) + "\n",
                                            encoding="utf-8")
    orders = parsed("amazon", tmp_path / "unshipped.txt")
    assert [(l.sku, l.qty) for l in orders["302-1234567-1234567"].lines] == [("TEE-RED-M", 2)]


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_every_platform_reads_the_same_from_xlsx(fmt, tmp_path):
    source = PLATFORMS / FILES[fmt]
    raw = source.read_bytes()
    text = raw.decode("gb18030") if fmt == "jd" else raw.decode("utf-8-sig")
    wb = Workbook()
    for row in csv.reader(io.StringIO(text, newline=""), delimiter="\t" if fmt == "amazon" else ","):
        wb.active.append(row)
    wb.save(tmp_path / "export.xlsx")
    from_xlsx = parsed(fmt, tmp_path / "export.xlsx")
    assert {n: ([(l.sku, l.qty) for l in o.lines], o.status, o.holds) for n, o in from_xlsx.items()} == {
        n: ([(l.sku, l.qty) for l in o.lines], o.status, o.holds) for n, o in parsed(fmt).items()}


def test_a_row_with_a_bad_quantity_or_an_unknown_status_is_named_by_its_line(tmp_path):
    text = (PLATFORMS / FILES["douyin"]).read_text(encoding="utf-8-sig")
    text = text.replace(",2,3601234567890,", ",两,3601234567890,", 1).replace("已发货", "火星", 1)
    (tmp_path / "douyin.csv").write_text(text, encoding="utf-8")
    result = parse_orders(tmp_path / "douyin.csv", "douyin")
    assert [str(e) for e in result.errors] == ["douyin.csv line 2: 商品数量: '两' is not a whole number",
                                               "douyin.csv line 5: Unknown order status '火星'"]


def test_a_missing_required_column_refuses_the_file_on_the_header_line(tmp_path):
    (tmp_path / "jd.csv").write_text("订单号,商品名称\n1,T恤\n", encoding="utf-8")
    result = parse_orders(tmp_path / "jd.csv", "jd")
    assert [e.line for e in result.errors] and all(e.line == 1 for e in result.errors)
    assert "Required column 订购数量 is missing" in [e.reason for e in result.errors]


@pytest.mark.parametrize("cell, parts", [
    ("广东广州市越秀区中山五路33号", ("广东", "广州市", "越秀区", "中山五路33号", None)),
    ("北京北京市朝阳区建国路88号", ("北京", "北京市", "朝阳区", "建国路88号", None)),
    ("上海市浦东新区世纪大道8号(200120)", ("上海市", "上海市", "浦东新区", "世纪大道8号", "200120")),
    ("新疆维吾尔自治区乌鲁木齐市天山区人民路1号", ("新疆维吾尔自治区", "乌鲁木齐市", "天山区", "人民路1号", None)),
    ("浙江 杭州市 西湖区 文三路1号", ("浙江", "杭州市", "西湖区", "文三路1号", None)),
    ("某某路1号", (None, None, None, "某某路1号", None)),
])
def test_a_combined_address_cell_is_split_without_losing_any_of_it(cell, parts):
    assert split_cn_address(cell) == parts


def test_platform_exports_import_on_both_databases_with_holds_and_the_listing_map(any_url, tmp_path):
    engine, sessions = open_database(any_url)
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        f.location(s, "A-01-01-01")
        f.user(s, "lin", "U-LIN", "office")
        for sku in ("TS-RED-XL", "CUP-WHT-500", "HAT-BLU-F", "TEE-RED-M", "TOTE-NAT"):
            f.product(s, sku, name=sku)
            ledger.move(s, ledger.Move(sku, 20, "ADJUSTMENT", "A-01-01-01", "opening"))
        s.commit()
    refused = import_orders(sessions, PLATFORMS / FILES["pdd"], "pdd")
    assert refused.as_dict()["unmapped"] == [{"shop": "pdd", "listing": "保温杯500ml", "variant": "白色",
                                              "shop_sku": None, "lines": 1, "first_line": 3}]
    (tmp_path / "map.csv").write_text("shop,listing,variant,sku\npdd,保温杯500ml,白色,CUP-WHT-500\n", encoding="utf-8")
    assert import_mappings(sessions, tmp_path / "map.csv", user="lin").ok
    for fmt in ("pdd", "jd", "douyin", "woocommerce", "amazon"):
        if fmt == "woocommerce":
            (tmp_path / "map.csv").write_text("shop,listing,sku\nwoocommerce,Canvas Tote,TOTE-NAT\n", encoding="utf-8")
            assert import_mappings(sessions, tmp_path / "map.csv", user="lin").ok
        report = import_orders(sessions, PLATFORMS / FILES[fmt], fmt)
        assert report.ok, report.as_dict()
    orders = {o.order_no: (o.status, [c for c, _d in o.holds]) for o in list_orders(sessions)}
    assert orders["241111-123456789012346"] == ("on_hold", ["refund"])
    assert orders["290012345680"] == ("on_hold", ["unpaid", "buyer_message"])  # 周末送
    assert orders["6921234567890123456"][0] == "ready"
    assert orders["1043"] == ("on_hold", ["unpaid", "buyer_message"]) and orders["1044"][0] == "shipped"
    assert orders["302-1234567-1234567"][0] == "ready"
    engine.dispose()
