"""Tracking numbers back to the shop: ``station export shipments --format PLATFORM`` writes the
file that platform's bulk-shipping upload takes, long numbers kept as text, formula-safe."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from station.cli import main
from station.db import open_database, unit_of_work
from station.fulfilment.models import Order, Parcel
from station.fulfilment.shipment_files import LAYOUTS, PLATFORMS, ShipmentRow, file_kind, shipment_file

SHIPPED = datetime(2024, 11, 11, 9, 30, tzinfo=timezone.utc)
ROWS = [ShipmentRow("35153131473293579", "ZTO", "780012345678", SHIPPED),
        ShipmentRow("#1001", "SF", "SF1234567890123", SHIPPED),
        ShipmentRow("=HYPERLINK(\"x\")", "EMS", "1012345678901", SHIPPED)]


def xlsx_rows(data: bytes):
    ws = load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in ws.iter_rows()], ws


def test_the_taobao_file_is_xlsx_with_order_numbers_and_waybills_stored_as_text_and_chinese_courier_names():
    rows, ws = xlsx_rows(shipment_file("taobao", ROWS, "xlsx"))
    assert rows[0] == ["订单编号", "物流公司", "运单号"]
    assert rows[1] == ["35153131473293579", "中通快递", "780012345678"]  # text, not 3.51531E+16
    assert ws.cell(2, 1).data_type == "s" and ws.cell(2, 1).number_format == "@"
    assert rows[3][0] == "'=HYPERLINK(\"x\")"  # formula-safe
    assert rows[2][1] == "顺丰速运" and rows[3][1] == "中国邮政"


@pytest.mark.parametrize("platform, header", [
    ("jd", ["订单号", "物流公司", "运单号"]), ("pdd", ["订单号", "快递公司", "快递单号"]),
    ("douyin", ["订单号", "物流公司", "物流单号"])])
def test_the_chinese_platforms_get_their_own_headers(platform, header):
    rows, _ws = xlsx_rows(shipment_file(platform, ROWS, file_kind(platform, "out")))
    assert rows[0] == header and rows[1][0] == "35153131473293579"


def test_as_csv_long_digit_numbers_are_written_as_excel_text_and_the_rest_formula_safe():
    text = shipment_file("taobao", ROWS, "csv").decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1] == ['="35153131473293579"', "中通快递", '="780012345678"']
    assert rows[2] == ["#1001", "顺丰速运", "SF1234567890123"]
    assert rows[3][0] == "'=HYPERLINK(\"x\")"


def test_the_amazon_file_is_the_tab_separated_shipping_confirmation_with_carrier_codes_or_other():
    text = shipment_file("amazon", ROWS, file_kind("amazon", "confirm"))
    rows = [line.split("\t") for line in text.decode("utf-8").splitlines()]
    assert rows[0] == ["order-id", "order-item-id", "quantity", "ship-date", "carrier-code", "carrier-name",
                       "tracking-number", "ship-method"]
    assert rows[1][3:7] == ["2024-11-11", "Other", "ZTO Express", "780012345678"]
    assert rows[2][4:7] == ["SF Express", "", "SF1234567890123"]


def test_shopify_and_woocommerce_get_english_courier_names_or_provider_slugs():
    shopify = list(csv.reader(io.StringIO(shipment_file("shopify", ROWS, "csv").decode("utf-8-sig"))))
    assert shopify[0][0] == "Name" and shopify[2][:1] + shopify[2][4:6] == ["#1001", "SF Express", "SF1234567890123"]
    woo = list(csv.reader(io.StringIO(shipment_file("woocommerce", ROWS, "csv").decode("utf-8-sig"))))
    assert woo[2][:4] == ["1001", "sf-express", "SF1234567890123", "2024-11-11"]


def test_every_platform_has_a_layout_and_the_file_kind_follows_the_name():
    assert set(PLATFORMS) == {"generic", "taobao", "jd", "pdd", "douyin", "shopify", "woocommerce", "amazon"}
    assert all(len(l.header) == len(l.row(ROWS[0])) for l in LAYOUTS.values())
    assert (file_kind("taobao", "a.csv"), file_kind("generic", "a.xlsx"), file_kind("amazon", "a.txt")) == (
        "csv", "xlsx", "tsv")


def test_station_export_shipments_writes_the_platforms_file_on_both_databases(any_url, tmp_path):
    engine, sessions = open_database(any_url)
    with unit_of_work(sessions) as s:
        for n, (order_no, shop, courier, tracking) in enumerate((
                ("35153131473293579", "淘宝旗舰店", "ZTO", "780012345678"),
                ("#1001", "shopify", "SF", "SF1234567890123")), start=1):
            order = Order(order_no=order_no, shop=shop, recipient="王小明", phone="13812345678", address="中山五路33号",
                          status="shipped", fingerprint="x", imported_at=SHIPPED, shipped_at=SHIPPED)
            s.add(order)
            s.flush()
            s.add(Parcel(order_id=order.id, seq=1, courier=courier, tracking_no=tracking, status="shipped"))
        s.commit()
    engine.dispose()
    out = tmp_path / "发货.xlsx"
    result = CliRunner().invoke(main, ["--db", any_url, "export", "shipments", "--format", "taobao",
                                       "--shop", "淘宝旗舰店", "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"file": str(out), "format": "taobao", "kind": "xlsx", "shipments": 1}
    rows, _ws = xlsx_rows(out.read_bytes())
    assert rows == [["订单编号", "物流公司", "运单号"], ["35153131473293579", "中通快递", "780012345678"]]
