"""What real shop exports go through before they reach Station: Windows-1252 text, Excel's
scientific notation and day numbers, dropped leading zeros, XLSX instead of CSV. Each is read
right or refused with its line and a reason the person can act on."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from station.db import open_database, unit_of_work
from station.fulfilment.models import Order
from station.fulfilment.orders import import_orders
from station.fulfilment.parsers import parse_orders
from station.fulfilment.parsers.common import colour_and_size
from station.imports.service import import_file
from tests.support import factories as f

DATA = Path(__file__).resolve().parents[1] / "data" / "orders"
SHOPIFY = DATA / "shopify_orders_export.csv"
TAOBAO = DATA / "taobao" / "ExportOrderList202105131200.csv"
TAOBAO_ITEMS = DATA / "taobao" / "ExportOrderDetailList202105131200.csv"


def errors(result) -> list[str]:
    return [str(e) for e in result.errors]


def to_xlsx(csv_text: str, path: Path, numbers: dict[str, type] | None = None) -> Path:
    """The rows of a CSV as an XLSX sheet, as a seller tool writes it; ``numbers``: columns whose cells
    are stored as numbers (what Excel does to a column of digits)."""
    rows = list(csv.reader(io.StringIO(csv_text, newline="")))
    wb = Workbook()
    ws = wb.active
    for i, row in enumerate(rows):
        out = []
        for name, value in zip(rows[0], row):
            kind = (numbers or {}).get(name.strip())
            out.append(kind(value) if i and kind and value else value)
        ws.append(out)
    wb.save(path)
    return path


def test_a_shopify_export_saved_in_windows_1252_keeps_the_buyers_accents(any_url, tmp_path):
    text = SHOPIFY.read_text(encoding="utf-8").replace("Anna Keller", "Luisa Vásquez").replace("Musterstraße", "Müllerstraße")
    (tmp_path / "orders_export.csv").write_bytes(text.encode("cp1252"))
    engine, sessions = open_database(any_url)
    with unit_of_work(sessions) as s:
        for sku in ("TEE-RED-M", "TEE-BLU-L", "TOTE-NAT", "SOCK-GRY-3942", "TEE-BLK-XL"):
            f.product(s, sku, name=sku)
        s.commit()
    report = import_orders(sessions, tmp_path / "orders_export.csv", "shopify")
    assert report.ok, report.as_dict()
    assert report.encoding == "cp1252"
    with unit_of_work(sessions) as s:
        assert s.scalar(select(Order.recipient).where(Order.order_no == "#1001")) == "Luisa Vásquez"
    engine.dispose()


def test_a_shopify_export_that_could_be_two_encodings_is_refused_with_give_encoding_then_read_as_told(tmp_path):
    text = (SHOPIFY.read_text(encoding="utf-8")  # a buyer's name in half-width kana
            .encode("ascii", "replace").decode("ascii").replace("?", "")  # the rest plain ASCII
            .replace("Keller", "ﾃｨｰｼｬﾂ Keller"))
    (tmp_path / "orders_export.csv").write_bytes(text.encode("shift_jis"))
    refused = parse_orders(tmp_path / "orders_export.csv", "shopify")
    assert not refused.ok and refused.errors[0].reason.endswith("give --encoding")
    told = parse_orders(tmp_path / "orders_export.csv", "shopify", encoding="shift_jis")
    assert told.ok and told.orders[0].recipient == "Anna ﾃｨｰｼｬﾂ Keller"


def test_an_order_number_excel_shortened_to_scientific_notation_is_refused_with_its_line(tmp_path):
    text = TAOBAO.read_bytes().decode("gb18030").replace('="35153131473293579"', "3.51531E+16", 1)
    (tmp_path / TAOBAO.name).write_bytes(text.encode("gb18030"))
    (tmp_path / TAOBAO_ITEMS.name).write_bytes(TAOBAO_ITEMS.read_bytes())
    result = parse_orders(tmp_path / TAOBAO.name, "taobao")
    assert errors(result)[0].startswith(
        "ExportOrderList202105131200.csv line 2: 订单编号: '3.51531E+16' is a long number a spreadsheet shortened "
        "to scientific notation")


def test_a_date_saved_as_a_spreadsheet_day_number_is_refused_with_its_line(tmp_path):
    (tmp_path / "o.csv").write_text("order_no,recipient,phone,address,sku,qty,paid_at\n"
                                    "A1,王小明,13812345678,中山五路33号,TS-RED-M,1,45384.34789351852\n", encoding="utf-8")
    result = parse_orders(tmp_path / "o.csv", "generic")
    assert errors(result) == ["o.csv line 2: paid_at: '45384.34789351852' is a spreadsheet's day number, not a "
                              "date: export the file again with the dates as text"]


def test_a_waybill_number_in_scientific_notation_is_refused_with_its_line(tmp_path):
    (tmp_path / "o.csv").write_text("order_no,recipient,phone,address,sku,qty,status,courier,tracking_no\n"
                                    "A1,王小明,13812345678,中山五路33号,TS-RED-M,1,shipped,ZTO,7.80012E+11\n",
                                    encoding="utf-8")
    result = parse_orders(tmp_path / "o.csv", "generic")
    assert [e.line for e in result.errors] == [2] and "scientific notation" in result.errors[0].reason


def test_barcodes_in_scientific_notation_or_without_their_leading_zero_are_refused(sessions, tmp_path):
    (tmp_path / "p.csv").write_text("sku,name,barcodes\nA-1,保温杯,6.90123E+12\nA-2,可乐,36000291452\n"
                                    "A-3,茶,6901234567892\n", encoding="utf-8")
    report = import_file(sessions, "products", tmp_path / "p.csv")
    assert [(e.line, e.reason.split(":")[0]) for e in report.rejected] == [
        (2, "barcodes"), (3, "Barcode 36000291452 looks like 036000291452 without its leading zero (a spreadsheet drops it)")]
    assert "scientific notation" in report.rejected[0].reason


def test_a_shopify_export_as_xlsx_parses_exactly_like_the_csv(tmp_path):
    xlsx = to_xlsx(SHOPIFY.read_text(encoding="utf-8"), tmp_path / "orders_export.xlsx")
    from_csv, from_xlsx = parse_orders(SHOPIFY, "shopify"), parse_orders(xlsx, "shopify")
    assert from_xlsx.ok and from_xlsx.encoding == "xlsx"
    assert [o.order_no for o in from_xlsx.orders] == [o.order_no for o in from_csv.orders]
    def lines(result):  # physical lines differ: the CSV's notes hold line breaks
        return [[(l.sku, l.qty, l.unit_price, l.colour, l.size) for l in o.lines] for o in result.orders]

    assert lines(from_xlsx) == lines(from_csv)
    assert [o.recipient for o in from_xlsx.orders] == [o.recipient for o in from_csv.orders]


def test_a_taobao_pair_as_xlsx_parses_like_the_csv_pair(tmp_path):
    for src in (TAOBAO, TAOBAO_ITEMS):  # a workbook keeps the order numbers as text, without the ="..." guard
        to_xlsx(src.read_bytes().decode("gb18030").replace('="', '"'), tmp_path / (src.stem + ".xlsx"))
    result = parse_orders(tmp_path / (TAOBAO.stem + ".xlsx"), "taobao")
    assert result.ok, errors(result)
    assert [o.order_no for o in result.orders] == [o.order_no for o in parse_orders(TAOBAO, "taobao").orders]


def test_an_xlsx_whose_order_numbers_excel_stored_as_numbers_is_refused_not_imported_with_lost_digits(tmp_path):
    text = TAOBAO.read_bytes().decode("gb18030").replace('="', '"')  # no =".." guard: Excel makes them numbers
    to_xlsx(text, tmp_path / (TAOBAO.stem + ".xlsx"), numbers={"订单编号": float})
    to_xlsx(TAOBAO_ITEMS.read_bytes().decode("gb18030").replace('="', '"'), tmp_path / (TAOBAO_ITEMS.stem + ".xlsx"))
    result = parse_orders(tmp_path / (TAOBAO.stem + ".xlsx"), "taobao")
    assert not result.ok
    assert "scientific notation" in errors(result)[0] and "line 2" in errors(result)[0]


@pytest.mark.parametrize("name, colour, size", [
    ("Bibs Danish Pacifier - Smoke / Size 2 (from 6mnths - 18mnths)", "Smoke", "2 (from 6mnths - 18mnths)"),
    ("Classic Tee - Red / M", "Red", "M"),
    ("Trail Shoe - Size: 42 / Colour: Navy", "Navy", "42"),
    ("Mug - Default Title", None, None),
    ("Canvas Tote", None, None),
])
def test_colour_and_size_come_from_the_variant_part_of_a_shopify_line_name(name, colour, size):
    assert colour_and_size(name) == (colour, size)


def test_a_shopify_export_saved_by_excel_as_unicode_text_utf16_tab_separated_parses_the_same(tmp_path):
    rows = list(csv.reader(io.StringIO(SHOPIFY.read_text(encoding="utf-8"), newline="")))
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(rows)
    (tmp_path / "orders_export.txt").write_bytes(b"\xff\xfe" + out.getvalue().encode("utf-16-le"))
    result = parse_orders(tmp_path / "orders_export.txt", "shopify")
    assert result.ok and result.encoding == "utf-16"
    assert [(o.order_no, o.recipient) for o in result.orders] == [
        (o.order_no, o.recipient) for o in parse_orders(SHOPIFY, "shopify").orders]


def test_a_newer_shopify_header_with_lineitem_sku_in_capitals_and_compare_at_with_a_dash_parses_the_same(tmp_path):
    """Newer admin exports spell ``Lineitem SKU`` and ``Lineitem compare-at price`` (seen in public code
    that reads them); columns are found by name, case ignored."""
    text = SHOPIFY.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    header = header.replace("Lineitem sku", "Lineitem SKU").replace("Lineitem compare at price",
                                                                    "Lineitem compare-at price")
    (tmp_path / "orders_export_1.csv").write_text(header + "\n" + rest, encoding="utf-8")
    newer, older = parse_orders(tmp_path / "orders_export_1.csv", "shopify"), parse_orders(SHOPIFY, "shopify")
    assert newer.ok and newer.orders == older.orders
