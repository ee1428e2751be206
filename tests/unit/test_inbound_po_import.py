"""PO files: all or nothing, every bad row listed with its line number; XLSX too."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from station.db import unit_of_work
from station.inbound.models import PurchaseOrder, PurchaseOrderLine, Receipt
from station.inbound.purchasing import import_po
from station.inbound.receiving import open_receipt
from tests.support import factories as f

HEADER = "po_no,supplier,sku,qty,unit_cost,expected_date\n"


@pytest.fixture
def catalog(sessions):
    with unit_of_work(sessions) as s:
        f.product(s, "TS01-RD-S", "6912345000017")
        f.product(s, "NB-001", "6912345001137")
        f.location(s, "RECV-01", "receiving")
        s.commit()
    return sessions


def write(tmp_path, text: str, name: str = "po.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def count(sessions, model) -> int:
    with unit_of_work(sessions) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_good_file_creates_each_po_with_its_lines_costs_and_dates(catalog, tmp_path):
    path = write(tmp_path, HEADER + "PO-1,杭州织造有限公司,TS01-RD-S,10,¥18.50,2026/11/30\n"
                                    "PO-1,杭州织造有限公司,NB-001,48,,\n"
                                    "PO-2,宁波文具厂,NB-001,24,3.2,2026-12-01\n", encoding="gb18030")
    report = import_po(catalog, path, user="李娜")
    assert report.as_dict()["ok"] and (report.created, report.rows, report.encoding) == (2, 3, "gb18030")
    with unit_of_work(catalog) as s:
        po = s.scalar(select(PurchaseOrder).where(PurchaseOrder.po_no == "PO-1"))
        assert (po.supplier, po.status, po.created_by) == ("杭州织造有限公司", "open", "李娜")
        lines = [(l.product.sku, l.qty, l.unit_cost, str(l.expected_date) if l.expected_date else None)
                 for l in po.lines]
        assert lines == [("TS01-RD-S", 10, Decimal("18.5000"), "2026-11-30"), ("NB-001", 48, None, None)]


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(catalog, tmp_path):
    path = write(tmp_path, HEADER + "PO-1,杭州织造有限公司,TS01-RD-S,10,,\n"       # 2: good
                                    "PO-1,宁波文具厂,NB-001,5,,\n"                  # 3: another supplier
                                    "PO-2,宁波文具厂,NOPE,3,,\n"                    # 4: unknown SKU
                                    "PO-3,宁波文具厂,NB-001,0,-1,2026-13-01\n"      # 5: qty, cost, date
                                    "PO-1,杭州织造有限公司,TS01-RD-S,1,,\n"        # 6: SKU twice in PO-1
                                    "PO-4,,NB-001,3,,\n"                            # 7: no supplier
                                    "PO-5,宁波文具厂,NB-001,3\n")                  # 8: fields missing
    report = import_po(catalog, path)
    rejected = [(e.line, e.reason) for e in report.rejected]
    assert [line for line, _ in rejected] == [3, 4, 5, 5, 5, 6, 7, 8]
    reasons = dict(rejected)
    assert "PO PO-1 has supplier 杭州织造有限公司 on line 2" == reasons[3]
    assert reasons[4] == "Unknown SKU NOPE"
    assert [r for l, r in rejected if l == 5] == ["qty: 0 is below 1", "unit_cost: '-1' is not an amount like 12.50",
                                                  "expected_date: '2026-13-01' is not a date like 2026-11-11"]
    assert reasons[6] == "TS01-RD-S already on line 2 of PO PO-1"
    assert reasons[7] == "Missing supplier"
    assert reasons[8] == "4 fields where the header has 6"
    assert report.as_dict()["created"] == 0
    assert count(catalog, PurchaseOrder) == 0 and count(catalog, PurchaseOrderLine) == 0


def test_an_unknown_or_missing_column_rejects_the_file_at_its_header(catalog, tmp_path):
    report = import_po(catalog, write(tmp_path, "po_no,supplier,sku,quantity\nPO-1,x,NB-001,3\n"))
    assert [(e.line, e.reason) for e in report.rejected] == [
        (1, "Unknown column quantity; allowed: po_no, supplier, sku, qty, unit_cost, expected_date"),
        (1, "Required column qty is missing")]
    assert count(catalog, PurchaseOrder) == 0


def test_a_po_not_yet_received_is_replaced_but_one_being_received_cannot_change(catalog, tmp_path):
    assert import_po(catalog, write(tmp_path, HEADER + "PO-1,杭州织造有限公司,TS01-RD-S,10,,\n")).ok
    again = import_po(catalog, write(tmp_path, HEADER + "PO-1,杭州织造有限公司,NB-001,7,,\n"))
    assert again.ok and again.updated == 1
    with unit_of_work(catalog) as s:
        po = s.scalar(select(PurchaseOrder))
        assert [(l.product.sku, l.qty) for l in po.lines] == [("NB-001", 7)]
        open_receipt(s, po, user="李娜", station="dock")
        s.commit()
    third = import_po(catalog, write(tmp_path, HEADER + "PO-1,杭州织造有限公司,NB-001,9,,\n"))
    assert [(e.line, e.reason) for e in third.rejected] == [(2, "PO PO-1 is already being received: it cannot be changed")]
    assert count(catalog, Receipt) == 1


def test_an_xlsx_po_with_the_same_columns_is_read_too(catalog, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["po_no", "supplier", "sku", "qty", "unit_cost", "expected_date"])
    sheet.append(["PO-X", "宁波文具厂", "NB-001", 24, 3.2, "2026-12-01"])
    sheet.append(["PO-X", "宁波文具厂", "TS01-RD-S", "many", None, None])
    path = tmp_path / "po.xlsx"
    book.save(path)
    report = import_po(catalog, path)
    assert [(e.line, e.reason) for e in report.rejected] == [(3, "qty: 'many' is not a whole number")]
    sheet.delete_rows(3)
    book.save(path)
    assert import_po(catalog, path).ok and count(catalog, PurchaseOrderLine) == 1
