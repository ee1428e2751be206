"""One open receipt per PO: the schema refuses a second, opening joins the open one, the tolerance spans receipts.

On SQLite and on the real PostgreSQL server. The race itself (two stations at once) is in
tests/e2e/test_receive_race.py.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from station.db import Base, _alembic_config, make_engine, open_database, unit_of_work
from station.inbound import receiving
from station.inbound.models import PurchaseOrder, PurchaseOrderLine, Receipt, ReceiptLine
from station.inbound.receiving import InboundError
from station.inventory import ledger
from tests.support import factories as f


@pytest.fixture
def dock(any_url):
    engine, sessions = open_database(any_url)
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        shirt = f.product(s, "TS01-RD-S", "6912345000017")
        f.location(s, "RECV-01", "receiving")
        po = PurchaseOrder(po_no="PO-1", supplier="杭州织造有限公司", status="open",
                           created_at=datetime.now(timezone.utc))
        s.add(po)
        s.flush()
        s.add(PurchaseOrderLine(po_id=po.id, product_id=shirt.id, qty=50))
        s.commit()
    yield engine, sessions
    engine.dispose()


def _raw_receipt(s, po_id, no: str, status: str = "open") -> Receipt:
    r = Receipt(receipt_no=no, po_id=po_id, supplier="x", status=status, location="RECV-01",
                opened_at=datetime.now(timezone.utc))
    s.add(r)
    s.flush()
    return r


def test_the_schema_refuses_a_second_open_receipt_for_a_po_but_not_closed_or_blind_ones(dock):
    _engine, sessions = dock
    with unit_of_work(sessions) as s:
        po = receiving.find_po(s, "PO-1")
        _raw_receipt(s, po.id, "R-1")
        _raw_receipt(s, po.id, "R-0", status="closed")
        _raw_receipt(s, None, "B-1")
        _raw_receipt(s, None, "B-2")  # blind receipts: as many open as there are deliveries
        s.commit()
    with unit_of_work(sessions) as s:
        with pytest.raises(IntegrityError, match="uq_receipt_one_open_per_po|UNIQUE constraint failed"):
            _raw_receipt(s, receiving.find_po(s, "PO-1").id, "R-2")


def test_opening_a_po_joins_its_open_receipt_even_when_another_station_opened_it_unseen(dock, monkeypatch):
    _engine, sessions = dock
    with unit_of_work(sessions) as s:
        first = receiving.open_receipt(s, receiving.find_po(s, "PO-1"), user="李娜", station="dock-1")
        s.commit()
    real, missed = receiving._open_receipt_of, []

    def blind_once(session, po_id):  # as if the other station committed just after we looked
        if not missed:
            missed.append(po_id)
            return None
        return real(session, po_id)

    monkeypatch.setattr(receiving, "_open_receipt_of", blind_once)
    with unit_of_work(sessions) as s:
        joined = receiving.open_receipt(s, receiving.find_po(s, "PO-1"), user="Tom", station="dock-2")
        assert missed and joined.id == first.id  # the unique index refused ours; we joined theirs
        receiving.receive(s, joined, "TS01-RD-S", 5, user="Tom", station="dock-2", limit=52)  # still usable
        s.commit()
    with unit_of_work(sessions) as s:
        assert [(r.receipt_no, r.status) for r in s.scalars(select(Receipt))] == [(first.receipt_no, "open")]
        assert ledger.on_hand(s, "TS01-RD-S", "RECV-01") == 5


def test_the_tolerance_counts_what_the_pos_other_receipts_booked(dock):
    """A receipt that expects the whole PO (e.g. one of two opened before migration 0009) cannot let in
    what another receipt of the PO already booked."""
    _engine, sessions = dock
    with unit_of_work(sessions) as s:
        po = receiving.find_po(s, "PO-1")
        older = receiving.open_receipt(s, po, user="李娜", station="dock-1")
        receiving.receive(s, older, "TS01-RD-S", 30, user="李娜", station="dock-1", limit=52)
        older.status = "closed"  # as migration 0009 closes the newer of two open receipts
        newer = _raw_receipt(s, po.id, "R-LEGACY")
        s.add(ReceiptLine(receipt_id=newer.id, product_id=older.lines[0].product_id, expected=50, received=0,
                          quarantined=0, on_po=True))
        s.flush()
        receiving.receive(s, newer, "TS01-RD-S", 22, user="Tom", station="dock-2", limit=52)  # 52 on the PO
        with pytest.raises(InboundError) as refused:
            receiving.receive(s, newer, "TS01-RD-S", 1, user="Tom", station="dock-2", limit=52)
        assert refused.value.code == "over_tolerance"
        assert receiving.receive(s, newer, "TS01-RD-S", 1, user="Tom", station="dock-2",
                                 approved_by="刘洋")[1] == 23  # a supervisor still lets them in
        s.commit()
    with unit_of_work(sessions) as s:
        assert ledger.on_hand(s, "TS01-RD-S", "RECV-01") == 53


def test_closing_then_scanning_the_po_again_opens_the_next_receipt_for_what_is_outstanding(dock):
    _engine, sessions = dock
    with unit_of_work(sessions) as s:
        first = receiving.open_receipt(s, receiving.find_po(s, "PO-1"), user="李娜", station="dock-1")
        receiving.receive(s, first, "TS01-RD-S", 20, user="李娜", station="dock-1", limit=52)
        receiving.close_receipt(s, first, user="李娜")
        s.commit()
    with unit_of_work(sessions) as s:
        second = receiving.open_receipt(s, receiving.find_po(s, "PO-1"), user="Tom", station="dock-2")
        assert second.id != first.id and [l.expected for l in second.lines] == [30]
        with pytest.raises(InboundError) as refused:
            receiving.close_receipt(s, receiving.find_receipt(s, first.receipt_no), user="Tom")
        assert refused.value.code == "receipt_already_closed"


def test_migration_0009_keeps_the_oldest_open_receipt_of_a_po_and_closes_the_others_losing_nothing(any_url):
    engine = make_engine(any_url)
    try:
        command.upgrade(_alembic_config(engine), "0008")
        with engine.begin() as conn:
            conn.execute(text("insert into purchase_order (po_no, supplier, status, created_at) "
                              "values ('PO-1', 's', 'open', CURRENT_TIMESTAMP)"))
            po_id = conn.execute(text("select id from purchase_order")).scalar()
            for no in ("RCV-000001", "RCV-000002", "RCV-000003"):  # three stations each opened one
                conn.execute(text("insert into receipt (receipt_no, po_id, supplier, status, location, opened_at) "
                                  "values (:no, :po, 's', 'open', 'RECV-01', CURRENT_TIMESTAMP)"),
                             {"no": no, "po": po_id})
            conn.execute(text("insert into receipt (receipt_no, po_id, supplier, status, location, opened_at) "
                              "values ('RCV-000004', NULL, 's', 'open', 'RECV-01', CURRENT_TIMESTAMP)"))
        command.upgrade(_alembic_config(engine), "0009")
        with engine.connect() as conn:
            rows = conn.execute(text("select receipt_no, status, closed_by, closed_at is not null from receipt "
                                     "order by receipt_no")).all()
        assert [tuple(r) for r in rows] == [("RCV-000001", "open", None, False),
                                            ("RCV-000002", "closed", "migration 0009", True),
                                            ("RCV-000003", "closed", "migration 0009", True),
                                            ("RCV-000004", "open", None, False)]
        _engine, sessions = open_database(any_url)  # and the rest of the way up; the dates read back
        with unit_of_work(sessions) as s:
            assert all(r.closed_at.tzinfo for r in s.scalars(select(Receipt).where(Receipt.status == "closed")))
        _engine.dispose()
        command.downgrade(_alembic_config(engine), "0008")
        assert "uq_receipt_one_open_per_po" not in {i["name"] for i in inspect(engine).get_indexes("receipt")}
    finally:
        engine.dispose()


def test_the_models_declare_the_same_schema_the_migrations_build(any_url):
    engine, _sessions = open_database(any_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
        index = {i["name"]: i for i in inspect(engine).get_indexes("receipt")}["uq_receipt_one_open_per_po"]
        assert index["column_names"] == ["po_id"] and index["unique"]
        where = str(index["dialect_options"][f"{engine.dialect.name}_where"])  # partial: open receipts only
        assert "status" in where and "'open'" in where, where
    finally:
        engine.dispose()
