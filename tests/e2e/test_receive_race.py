"""Two receive stations on one PO at the same moment: one open receipt, the tolerance holds across both.

Each station is its own engine and ``BenchRunner`` in its own thread (the same code path as the
GUI and ``station replay``). Both scan the PO at once, then keep scanning the item; together they
try to book more than the PO quantity plus the tolerance. Whatever the interleaving: exactly one
receipt is opened, the PO never takes more than its quantity plus the tolerance without a
supervisor, and every booked unit is in the ledger.
"""
from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from station.db import open_database, unit_of_work
from station.inbound.models import PurchaseOrder, PurchaseOrderLine, Receipt, ReceiptLine
from station.inbound.receiving import allowed_over
from station.inventory import ledger
from station.workflows.runner import BenchRunner
from tests.support import factories as f

ORDERED = 50
TRIALS = 6
SCANS_EACH = 30  # 2 x 30 = 60 units tried against 50 + 2 allowed
EAN = "6912345000017"


@pytest.fixture
def dock(any_url):
    engine, sessions = open_database(any_url)
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        shirt = f.product(s, "TS01-RD-S", EAN, style="TS01")
        f.location(s, "RECV-01", "receiving")
        f.user(s, "李娜", "U-1", "receiver")
        f.user(s, "Tom", "U-2", "receiver")
        for trial in range(TRIALS):
            po = PurchaseOrder(po_no=f"PO-RACE-{trial}", supplier="杭州织造有限公司", status="open",
                               created_at=datetime.now(timezone.utc))
            s.add(po)
            s.flush()
            s.add(PurchaseOrderLine(po_id=po.id, product_id=shirt.id, qty=ORDERED))
        s.commit()
    yield any_url, sessions
    engine.dispose()


def _station(url: str, name: str, user: str, po_no: str, start: threading.Barrier, codes: list, errors: list) -> None:
    engine, sessions = open_database(url)
    try:
        runner = BenchRunner(sessions, "receive", name)
        assert runner.login(user).code == "logged_in"
        start.wait()
        codes.append(runner.process(po_no)[1].code)
        for _ in range(SCANS_EACH):
            outcome = runner.process(EAN)[1]
            codes.append(outcome.code)
            if outcome.code == "over_tolerance":  # set the unit aside and go on scanning
                codes.append(runner.process("CMD-CONFIRM")[1].code)
    except Exception as exc:  # noqa: BLE001 - any failure fails the test
        errors.append(repr(exc))
    finally:
        engine.dispose()


def test_two_receive_stations_on_one_po_share_one_receipt_and_never_pass_the_tolerance(dock):
    url, sessions = dock
    limit = ORDERED + allowed_over(ORDERED, 5)
    for trial in range(TRIALS):
        po_no = f"PO-RACE-{trial}"
        start = threading.Barrier(2)
        codes: list[list[str]] = [[], []]
        errors: list[str] = []
        threads = [threading.Thread(target=_station, args=(url, f"dock-{trial}-{n}", user, po_no, start, codes[n], errors))
                   for n, user in enumerate(("李娜", "Tom"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert errors == [], (trial, errors)
        for station_codes in codes:
            assert station_codes[0] == "receipt_opened", (trial, station_codes)
            assert not {"station_error", "database_unavailable"} & set(station_codes), (trial, station_codes)
        with unit_of_work(sessions) as s:
            po_id = s.scalar(select(PurchaseOrder.id).where(PurchaseOrder.po_no == po_no))
            receipts = s.scalars(select(Receipt).where(Receipt.po_id == po_id)).all()
            assert [r.status for r in receipts] == ["open"], (trial, [r.receipt_no for r in receipts])
            booked = s.scalar(select(func.sum(ReceiptLine.received)).join(Receipt)
                              .where(Receipt.po_id == po_id))
            in_ledger = ledger.on_hand(s, "TS01-RD-S", "RECV-01")
        counted = sum(c.count("item_received") + c.count("over_within_tolerance") for c in codes)
        refused = sum(c.count("over_tolerance") for c in codes)
        assert booked == limit == counted, (trial, booked, codes)  # 60 tried: exactly the limit gets in
        assert refused == 2 * SCANS_EACH - limit
        assert in_ledger == limit * (trial + 1)  # every booked unit is a movement, nothing more
    with unit_of_work(sessions) as s:
        assert ledger.verify(s) == []
