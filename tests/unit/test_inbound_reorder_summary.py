"""Reorder requisition (进货单) and the monthly in/out/stock summary (进销存): figures, CSV, PDF read back."""
from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest

from station.db import unit_of_work
from station.inbound.models import PurchaseOrder, PurchaseOrderLine
from station.inbound.monthly import monthly_summary, render_summary, summary_csv
from station.inbound.reorder import render_requisition, requisition, requisition_csv
from station.inventory import ledger
from station.inventory.ledger import Move
from tests.support import factories as f
from tests.support.pdfcheck import decode_barcodes, pdf_text


def local(*args) -> datetime:
    return datetime(*args).astimezone()


@pytest.fixture
def shop(sessions):
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        for code, kind in (("A-01-01-01", "stock"), ("RECV-01", "receiving"), ("QC-01", "quarantine"),
                           ("PACK-01", "packing"), ("RET-01", "returns")):
            f.location(s, code, kind)
        f.product(s, "TS01-RD-S", "6912345000017", name="纯棉圆领T恤", colour="红色", size="S", reorder_point=5,
                  supplier="杭州织造有限公司", category="clothing")
        f.product(s, "TS01-RD-M", "6912345000024", name="纯棉圆领T恤", colour="红色", size="M", reorder_point=5,
                  supplier="杭州织造有限公司", category="clothing")
        f.product(s, "BAG-L", "6912345009997", name="快递袋 大号", reorder_point=200, supplier="=HYPERLINK(\"x\")",
                  category="packaging")
        f.product(s, "TAG-01", "6912345009980", name="吊牌", reorder_point=500, category="accessory")
        f.product(s, "GIFT-01", "6912345009973", name="赠品小样", reorder_point=20, supplier="上海美妆供应链",
                  category="cosmetics", flags="gift")
        f.product(s, "NB-001", "6912345001137", name="笔记本")  # no reorder point: never on the requisition
        s.commit()
    return sessions


def test_everything_at_or_below_its_reorder_point_is_requisitioned_by_supplier_packaging_and_gifts_too(shop):
    with unit_of_work(shop) as s:
        ledger.move(s, Move("TS01-RD-S", 5, "ADJUSTMENT", "A-01-01-01", "opening"))   # at the point
        ledger.move(s, Move("TS01-RD-M", 6, "ADJUSTMENT", "A-01-01-01", "opening"))   # above it
        ledger.move(s, Move("BAG-L", 50, "ADJUSTMENT", "RECV-01", "opening"))         # receiving counts
        ledger.move(s, Move("GIFT-01", 30, "ADJUSTMENT", "QC-01", "opening"))         # quarantine does not
        po = PurchaseOrder(po_no="PO-9", supplier="杭州织造有限公司", status="open", created_at=local(2026, 11, 1))
        s.add(po)
        s.flush()
        s.add(PurchaseOrderLine(po_id=po.id, product_id=ledger._product(s, "TS01-RD-S").id, qty=3))
        s.flush()
        groups = requisition(s)
    got = {g.supplier: [(l.sku, l.on_hand, l.reorder_point, l.on_order, l.suggested) for l in g.lines]
           for g in groups}
    assert got == {
        '=HYPERLINK("x")': [("BAG-L", 50, 200, 0, 350)],
        "上海美妆供应链": [("GIFT-01", 0, 20, 0, 40)],
        "未指定供应商 No supplier": [("TAG-01", 0, 500, 0, 1000)],
        "杭州织造有限公司": [("TS01-RD-S", 5, 5, 3, 2)],
    }
    rows = list(csv.reader(io.StringIO(requisition_csv(groups).lstrip("\ufeff"))))
    assert rows[0] == ["supplier", "sku", "name", "category", "on_hand", "reorder_point", "on_order", "suggested_qty"]
    assert rows[1] == ["'=HYPERLINK(\"x\")", "BAG-L", "快递袋 大号", "packaging", "50", "200", "0", "350"]
    pdf = render_requisition(groups, local(2026, 11, 23, 9, 30), "刘洋")
    text = "".join("".join(pdf_text(pdf)).split())
    for supplier in ("上海美妆供应链", "杭州织造有限公司", "未指定供应商Nosupplier"):
        assert f"供应商Supplier:{supplier}" in text
    assert "共4项，建议采购1392件" in text and "主管审批Approvedby(supervisor)" in text
    assert decode_barcodes(pdf, dpi=203) == [["REQ-20261123-0930"]]


def test_the_monthly_summary_reconciles_with_the_ledger_exactly(shop):
    with unit_of_work(shop) as s:
        def mv(sku, qty, src, dst, reason, when):
            ledger.move(s, Move(sku, qty, src, dst, reason), at=when)

        mv("TS01-RD-S", 40, "ADJUSTMENT", "A-01-01-01", "opening", local(2026, 10, 2, 9))
        mv("TS01-RD-S", 2, "A-01-01-01", "CUSTOMER", "ship", local(2026, 10, 31, 23, 59))     # still October
        mv("TS01-RD-S", 24, "SUPPLIER", "RECV-01", "receipt", local(2026, 11, 1, 0, 1))
        mv("TS01-RD-S", 3, "RECV-01", "QC-01", "transfer", local(2026, 11, 2))               # inside: nothing
        mv("TS01-RD-S", 21, "RECV-01", "A-01-01-01", "putaway", local(2026, 11, 2))
        mv("TS01-RD-S", 10, "A-01-01-01", "PACK-01", "pick", local(2026, 11, 5))
        mv("TS01-RD-S", 10, "PACK-01", "CUSTOMER", "ship", local(2026, 11, 5))
        mv("TS01-RD-S", 1, "CUSTOMER", "RET-01", "return_restock", local(2026, 11, 20))
        mv("TS01-RD-S", 2, "A-01-01-01", "ADJUSTMENT", "count_adjustment", local(2026, 11, 28))
        mv("TS01-RD-S", 1, "ADJUSTMENT", "A-01-01-01", "count_adjustment", local(2026, 11, 29))
        mv("TS01-RD-S", 5, "A-01-01-01", "CUSTOMER", "ship", local(2026, 12, 1, 0, 0))       # December
        mv("BAG-L", 100, "ADJUSTMENT", "A-01-01-01", "opening", local(2026, 11, 3))
        s.commit()
        october, november, december = (monthly_summary(s, m) for m in ("2026-10", "2026-11", "2026-12"))
        on_hand_now = ledger.on_hand(s, "TS01-RD-S")
    shirt = {r.sku: r for r in november.rows}["TS01-RD-S"]
    assert (shirt.opening, shirt.inflow, shirt.outflow) == (
        38, {"receipt": 24, "return_restock": 1, "count_adjustment": 1}, {"ship": 10, "count_adjustment": 2})
    assert shirt.closing == 38 + 26 - 12 == 52
    assert {r.sku: r.closing for r in october.rows} == {"TS01-RD-S": 38}
    assert {r.sku: r.opening for r in december.rows} == {"TS01-RD-S": 52, "BAG-L": 100}
    assert {r.sku: r.closing for r in december.rows}["TS01-RD-S"] == on_hand_now == 47
    assert november.in_reasons == ("count_adjustment", "opening", "receipt", "return_restock")
    rows = list(csv.DictReader(io.StringIO(summary_csv(november).lstrip("\ufeff"))))
    row = next(r for r in rows if r["sku"] == "TS01-RD-S")
    assert (row["opening"], row["in_receipt"], row["in_total"], row["out_ship"], row["out_total"], row["closing"]) == (
        "38", "24", "26", "10", "12", "52")
    pdf = render_summary(november, "李娜")
    text = "".join("".join(pdf_text(pdf)).split())
    assert "期初38+入库126−出库12=期末152" in text
    assert "采购入库receipt24" in text and "发货ship10" in text
    assert decode_barcodes(pdf, dpi=203) == [["SUM-2026-11"]]


def test_a_month_that_is_no_month_is_refused():
    with pytest.raises(ValueError, match="not a month"):
        from station.inbound.monthly import month_bounds

        month_bounds("2026-13")
