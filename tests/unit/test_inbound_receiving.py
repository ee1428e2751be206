"""Receiving services: units booked through the ledger, the quality check, quarantine, blind receipts."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from station.db import unit_of_work
from station.inbound import putaway, receiving
from station.inbound.models import PurchaseOrder, PurchaseOrderLine
from station.inbound.receiving import InboundError
from station.inventory import ledger
from station.inventory.models import Movement
from tests.support import factories as f


@pytest.fixture
def dock(sessions):
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        shirt = f.product(s, "TS01-RD-S", "6912345000017", style="TS01", category="clothing")
        f.product(s, "TS01-RD-M", "6912345000024", style="TS01", category="clothing")
        f.product(s, "NB-001", "6912345001137", style="NB", category="stationery")
        f.location(s, "RECV-01", "receiving")
        f.location(s, "QC-01", "quarantine")
        for code, zone in (("A-01-01-01", "A"), ("A-01-01-02", "A"), ("B-01-01-01", "B"), ("B-01-01-02", "B")):
            f.location(s, code, "stock", zone)
        po = PurchaseOrder(po_no="PO-1", supplier="杭州织造有限公司", status="open",
                           created_at=datetime.now(timezone.utc))
        s.add(po)
        s.flush()
        s.add(PurchaseOrderLine(po_id=po.id, product_id=shirt.id, qty=10))
        s.commit()
    return sessions


def _receipt(s):
    return receiving.open_receipt(s, receiving.find_po(s, "PO-1"), user="李娜", station="dock")


def test_received_units_are_receipt_movements_into_the_receiving_location(dock):
    with unit_of_work(dock) as s:
        receipt = _receipt(s)
        receiving.receive(s, receipt, "TS01-RD-S", 4, user="李娜", station="dock")
        receiving.receive(s, receipt, "TS01-RD-M", 1, user="李娜", station="dock", approved_by="刘洋")
        s.commit()
    with unit_of_work(dock) as s:
        assert ledger.on_hand(s, "TS01-RD-S", "RECV-01") == 4
        moves = s.scalars(select(Movement).order_by(Movement.id)).all()
        assert [(m.qty, m.reason, m.document) for m in moves] == [(4, "receipt", "RCV-000001"),
                                                                  (1, "receipt", "RCV-000001")]
        lines = {l.sku: (l.expected, l.received, l.on_po) for l in receiving.summary(s, _receipt(s))}
        assert lines == {"TS01-RD-S": (10, 4, True), "TS01-RD-M": (0, 1, False)}


def test_a_closed_receipt_takes_no_more_units_and_the_next_receipt_expects_what_is_outstanding(dock):
    with unit_of_work(dock) as s:
        receipt = _receipt(s)
        receiving.receive(s, receipt, "TS01-RD-S", 7, user="李娜", station="dock")
        lines = receiving.close_receipt(s, receipt, user="李娜")
        assert [(l.sku, l.short, l.over) for l in lines] == [("TS01-RD-S", 3, 0)]
        with pytest.raises(InboundError) as refused:
            receiving.receive(s, receipt, "TS01-RD-S", 1, user="李娜", station="dock")
        assert refused.value.code == "receipt_already_closed"
        assert receiving.find_po(s, "PO-1").status == "open"
        second = _receipt(s)
        assert second.receipt_no == "RCV-000002"
        receiving.receive(s, second, "TS01-RD-S", 3, user="李娜", station="dock")
        receiving.close_receipt(s, second, user="李娜")
        assert receiving.find_po(s, "PO-1").status == "received"
        assert [l.expected for l in second.lines] == [3]
        with pytest.raises(InboundError, match="already received in full"):
            _receipt(s)


def test_the_quality_check_sends_failed_units_to_quarantine_and_says_pass_fail_or_partial(dock):
    with unit_of_work(dock) as s:
        receipt = _receipt(s)
        receiving.receive(s, receipt, "TS01-RD-S", 10, user="李娜", station="dock")
        with pytest.raises(InboundError, match="Say why"):
            receiving.quality_check(s, receipt, "TS01-RD-S", 2, " ", user="李娜", station="dock")
        with pytest.raises(InboundError, match="11 failed but 10 received"):
            receiving.quality_check(s, receipt, "TS01-RD-S", 11, "破损", user="李娜", station="dock")
        with pytest.raises(InboundError, match="not on receipt"):
            receiving.quality_check(s, receipt, "NB-001", 1, "破损", user="李娜", station="dock")
        line = receiving.quality_check(s, receipt, "TS01-RD-S", 3, "线头 loose threads", user="李娜", station="dock")
        assert (line.qc_result, line.quarantined, line.accepted) == ("partial", 3, 7)
        assert (ledger.on_hand(s, "TS01-RD-S", "RECV-01"), ledger.on_hand(s, "TS01-RD-S", "QC-01")) == (7, 3)
        with pytest.raises(InboundError) as lower:
            receiving.quality_check(s, receipt, "TS01-RD-S", 1, "ok", user="李娜", station="dock")
        assert lower.value.code == "already_quarantined"
        assert receiving.quality_check(s, receipt, "TS01-RD-S", 10, "霉变 mould", user="李娜",
                                       station="dock").qc_result == "fail"
        assert ledger.on_hand(s, "TS01-RD-S", "QC-01") == 10
        assert ledger.verify(s) == []


def test_a_blind_receipt_needs_a_supplier_and_a_reason(dock):
    with unit_of_work(dock) as s:
        with pytest.raises(InboundError) as no_reason:
            receiving.open_blind_receipt(s, "宁波文具厂", "  ", user="李娜", station="dock")
        assert no_reason.value.code == "reason_required"
        receipt = receiving.open_blind_receipt(s, "宁波文具厂", "供应商补发 replacement", user="李娜", station="dock")
        assert (receipt.po_id, receipt.blind_reason, receipt.location) == (None, "供应商补发 replacement", "RECV-01")


def test_a_bin_is_suggested_where_the_sku_lives_else_an_empty_bin_of_its_styles_zone(dock):
    with unit_of_work(dock) as s:
        ledger.move(s, ledger.Move("TS01-RD-M", 5, "ADJUSTMENT", "B-01-01-01", "opening"))
        ledger.move(s, ledger.Move("NB-001", 5, "ADJUSTMENT", "A-01-01-01", "opening"))
        assert putaway.suggest_bin(s, "TS01-RD-M") == "B-01-01-01"
        assert putaway.suggest_bin(s, "TS01-RD-S") == "B-01-01-02"  # its style lives in zone B
        ledger.move(s, ledger.Move("NB-001", 1, "ADJUSTMENT", "B-01-01-02", "opening"))
        assert putaway.suggest_bin(s, "TS01-RD-S") == "A-01-01-02"  # zone B is full: any empty bin
        with pytest.raises(InboundError) as not_bin:
            putaway.put_away(s, "NB-001", 1, "A-01-01-01", "QC-01", user="李娜", station="dock")
        assert not_bin.value.code == "not_a_bin"


def test_receiving_quality_check_putaway_and_the_month_work_the_same_on_postgresql(any_url):
    """The whole inbound path through the real benches, on SQLite and on a real PostgreSQL server."""
    from station.db import open_database
    from station.inbound.monthly import monthly_summary
    from station.inbound.reorder import requisition
    from station.workflows.runner import BenchRunner

    engine, sessions = open_database(any_url)
    try:
        with unit_of_work(sessions) as s:
            ledger.ensure_virtual_locations(s)
            shirt = f.product(s, "TS01-RD-S", "6912345000017", reorder_point=50, supplier="杭州织造有限公司")
            f.location(s, "RECV-01", "receiving")
            f.location(s, "QC-01", "quarantine")
            f.location(s, "A-01-01-01", "stock", "A")
            f.user(s, "李娜", "U-1002", "receiver")
            f.user(s, "刘洋", "U-1004", "supervisor")
            po = PurchaseOrder(po_no="PO-1", supplier="杭州织造有限公司", status="open",
                               created_at=datetime.now(timezone.utc))
            s.add(po)
            s.flush()
            s.add(PurchaseOrderLine(po_id=po.id, product_id=shirt.id, qty=20))
            s.commit()
        receive = BenchRunner(sessions, "receive", "dock-1")
        receive.login("李娜")
        carton = "0206912345000017" + "3724\x1d10LOT7\x1d17280630"  # 24 of 20: over the 5 % tolerance
        codes = [receive.process(raw)[1].code for raw in ("PO-1", carton, "U-1004", "CMD-DONE")]
        assert codes == ["receipt_opened", "over_tolerance", "supervisor_approved", "receipt_closed_variance"]
        receiving.record_quality_check(sessions, "RCV-000001", "TS01-RD-S", 4, "破损", user="李娜", station="dock-1")
        putaway_runner = BenchRunner(sessions, "putaway", "dock-1")
        putaway_runner.login("李娜")
        codes = [putaway_runner.process(raw)[1].code for raw in ("QTY:20", "TS01-RD-S", "A-01-01-01")]
        assert codes == ["quantity_keyed", "put_in_bin", "put_away"]
        with unit_of_work(sessions) as s:
            assert ledger.verify(s) == []
            assert [ledger.on_hand(s, "TS01-RD-S", loc) for loc in ("RECV-01", "QC-01", "A-01-01-01")] == [0, 4, 20]
            month = monthly_summary(s, datetime.now().astimezone().strftime("%Y-%m"))
            assert [(r.sku, r.inflow, r.closing) for r in month.rows] == [("TS01-RD-S", {"receipt": 24}, 24)]
            assert [(g.supplier, [(l.sku, l.on_hand, l.suggested) for l in g.lines]) for g in requisition(s)] == [
                ("杭州织造有限公司", [("TS01-RD-S", 20, 80)])]
    finally:
        engine.dispose()


def test_two_stations_on_one_po_can_never_pass_the_tolerance_together(dock):
    with unit_of_work(dock) as s:
        receipt = _receipt(s)
        receiving.receive(s, receipt, "TS01-RD-S", 9, user="李娜", station="dock-1", limit=10)
        line_id, now = receiving.receive(s, receipt, "TS01-RD-S", 1, user="Tom", station="dock-2", limit=10)
        assert now == 10 == receiving.line_received(s, line_id)
        with pytest.raises(InboundError) as refused:
            receiving.receive(s, receipt, "TS01-RD-S", 1, user="李娜", station="dock-1", limit=10)
        assert refused.value.code == "over_tolerance"
        assert ledger.on_hand(s, "TS01-RD-S", "RECV-01") == 10
        assert receiving.receive(s, receipt, "TS01-RD-S", 1, user="李娜", station="dock-1", approved_by="刘洋")[1] == 11
