"""Generic imports: encodings, spreadsheets, line numbers, and all-or-nothing."""
from __future__ import annotations

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from station.catalog.models import Barcode, Product, User
from station.db import unit_of_work
from station.imports.service import import_file


def count(sessions, model) -> int:
    with unit_of_work(sessions) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_an_xlsx_sheet_with_the_same_columns_imports(sessions, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["SKU", "Name", "Barcodes", "Weight_g"])
    ws.append(["XL-1", "保温杯", "6901234567892", 350])
    ws.append(["XL-2", "保温杯 大号", "6901234567908;CASE-XL2*6", 500.0])
    wb.save(tmp_path / "products.xlsx")
    report = import_file(sessions, "products", tmp_path / "products.xlsx")
    assert report.ok, report.as_dict()
    assert report.created == 2
    with unit_of_work(sessions) as s:
        case = s.get(Barcode, "CASE-XL2")
        assert (case.product.sku, case.pack_qty) == ("XL-2", 6)
        assert s.scalar(select(Product.weight_g).where(Product.sku == "XL-1")) == 350


def test_line_numbers_count_physical_lines_when_a_field_spans_lines(sessions, tmp_path):
    (tmp_path / "p.csv").write_text(
        'sku,name,barcodes\nA-1,"两行\n名称",6901234567892\nA-2,坏条码,123456789013\n', encoding="utf-8")
    report = import_file(sessions, "products", tmp_path / "p.csv")
    assert [(e.line, "check digit" in e.reason) for e in report.rejected] == [(4, True)]
    assert count(sessions, Product) == 0


def test_a_trailing_empty_field_is_tolerated_but_extra_data_is_not(sessions, tmp_path):
    (tmp_path / "u.csv").write_text("name,badge,roles\n张伟,U-1,packer,\n李娜,U-2,packer,oops\n", encoding="utf-8")
    report = import_file(sessions, "users", tmp_path / "u.csv")
    assert [(e.line, e.reason) for e in report.rejected] == [(3, "4 fields where the header has 3")]
    assert count(sessions, User) == 0


@pytest.mark.parametrize("content, line, reason", [
    ("name,badge,roles\n张伟,U-1,packer;driver\n", 2, "Unknown role driver"),
    ("name,badge,roles\n张伟,U-1,packer\n李娜,U-1,packer\n", 3, "Badge U-1 already on line 2"),
    ("name,badge,roles\n张伟,U 1,packer\n", 2, "without spaces"),
    ("name,badge\n张伟,U-1\n", 1, "Required column roles is missing"),
])
def test_bad_user_rows_are_named(sessions, tmp_path, content, line, reason):
    (tmp_path / "u.csv").write_text(content, encoding="utf-8")
    report = import_file(sessions, "users", tmp_path / "u.csv")
    assert [e.line for e in report.rejected] == [line]
    assert reason in report.rejected[0].reason
    assert count(sessions, User) == 0


def test_reimporting_products_updates_them_without_duplicates(sessions, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("sku,name,barcodes\nA-1,旧名,6901234567892\n", encoding="utf-8")
    assert import_file(sessions, "products", path).created == 1
    path.write_text("sku,name,barcodes\nA-1,新名,6901234567892;A1-LABEL\n", encoding="utf-8")
    report = import_file(sessions, "products", path)
    assert (report.created, report.updated) == (0, 1)
    with unit_of_work(sessions) as s:
        assert s.scalar(select(Product.name)) == "新名"
    assert count(sessions, Product) == 1 and count(sessions, Barcode) == 2


def test_a_location_kind_outside_the_list_is_refused(sessions, tmp_path):
    (tmp_path / "l.csv").write_text("code,kind\nA-01-01-01,stock\nX,warp\nCUSTOMER,stock\n", encoding="utf-8")
    report = import_file(sessions, "locations", tmp_path / "l.csv")
    assert [e.line for e in report.rejected] == [3, 4]
