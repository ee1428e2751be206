"""Benchmarks of the inbound path (issue 5), for ``station bench --only inbound``.

* receive scan → outcome latency (p50, p99) through ``BenchRunner.process`` — the same path
  as the GUI and replay — on SQLite with a 1,000,000-row ledger: a PO of 200 lines received
  by unit barcodes, keyed quantities and GS1-128 carton labels (batch and expiry recorded),
  every counted unit a ledger movement;
* put-away scan → outcome latency (item scan with a bin suggestion, then the bin scan that
  moves the units) on the same database.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import insert, select

from station.catalog.models import Barcode, Product, User
from station.db import open_database, unit_of_work
from station.inbound.models import PurchaseOrder, PurchaseOrderLine
from station.inventory.models import Location
from station.perf.latency import latency_figure, timed_scans
from station.perf.stock import load_ledger
from station.scanning import gtin_check_digit_ok
from station.workflows.runner import BenchRunner

LINES = 200
PER_LINE = 60


def _gtin13(n: int) -> str:
    body = f"69{54321:05d}{n:05d}"
    return next(body + d for d in "0123456789" if gtin_check_digit_ok(body + d))


def prepare(url: str, ledger_rows: int) -> list[tuple[str, str]]:
    """The 1,000,000-row ledger, receiving and quarantine locations, a receiver, a PO of LINES lines."""
    load_ledger(url, ledger_rows)
    engine, sessions = open_database(url)
    with unit_of_work(sessions) as s:
        products = list(s.execute(select(Product.id, Product.sku).order_by(Product.id).limit(LINES)))
        codes = [(sku, _gtin13(i)) for i, (_pid, sku) in enumerate(products)]
        s.execute(insert(Barcode), [{"code": code, "product_id": pid, "pack_qty": 1}
                                    for (pid, _sku), (_s, code) in zip(products, codes)])
        s.add_all([Location(code="RECV-01", kind="receiving"), Location(code="QC-01", kind="quarantine"),
                   User(name="bench", badge="U-BENCH", roles="receiver")])
        from datetime import datetime, timezone

        po = PurchaseOrder(po_no="PO-BENCH", supplier="基准供应商", status="open", created_at=datetime.now(timezone.utc))
        s.add(po)
        s.flush()
        s.execute(insert(PurchaseOrderLine), [{"po_id": po.id, "product_id": pid, "qty": PER_LINE}
                                              for pid, _sku in products])
        s.commit()
    engine.dispose()
    return codes


def receive_scripts(codes: list[tuple[str, str]]) -> list[str]:
    """Per line: 10 unit scans, a keyed 20, a GS1 carton of 30 with batch and expiry (60 in all)."""
    scans = ["PO-BENCH"]
    for n, (sku, code) in enumerate(codes):
        scans += [code] * 10
        scans += ["QTY:20", sku]
        scans.append(f"020{code}3730\x1d10LOT{n:04d}\x1d17281231")
    scans.append("CMD-DONE")
    return scans


def run(quick: bool = False):
    rows = 100_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory(prefix="station-inbound-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'inbound.db'}"
        codes = prepare(url, rows)
        if quick:
            codes = codes[:40]
        engine, sessions = open_database(url)
        runner = BenchRunner(sessions, "receive", "bench-dock")
        runner.login("bench")
        timings = timed_scans(runner, receive_scripts(codes))
        yield latency_figure("receive_scan_sqlite", timings, "p99 <= 15 ms", ledger_rows=rows, po_lines=len(codes))
        runner = BenchRunner(sessions, "putaway", "bench-dock")
        runner.login("bench")
        scans = []
        for sku, _code in codes:
            scans += [f"QTY:{PER_LINE}", sku]
            scans.append(None)  # the bin the bench suggests, read from its state
        timings = []
        for raw in scans:
            if raw is None:
                raw = runner.bench.state["suggested"]
            timings += timed_scans(runner, [raw])
        engine.dispose()
        yield latency_figure("putaway_scan_sqlite", timings, "p99 <= 15 ms", ledger_rows=rows)
