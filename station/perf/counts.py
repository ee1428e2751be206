"""Benchmarks of stock counts (issue 6), for ``station bench --only counts``.

* posting a full count of 10,000 bins (two SKUs each, one bin in ten off by a unit or two):
  the counts of every bin set through ``record_bins`` (the path of ``station import counts``),
  then the supervisor's approval posting every variance through the ledger, each committed;
* the variance report of a count with 50,000 variance lines: loading its data and drawing the
  A4 PDF (about 1,000 pages).
"""
from __future__ import annotations

import random
import shutil
import tempfile
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

from station.catalog.models import Product, User
from station.db import open_database, unit_of_work
from station.inventory import count_review, counts, ledger
from station.inventory.count_models import CountBin, CountLine, StockCount
from station.inventory.models import Balance, Location, Movement


def _warehouse(url: str, bins: int, skus_per_bin: int, products: int) -> None:
    """Bins, products with costs, opening stock as ledger lines, balances rebuilt from them."""
    engine, sessions = open_database(url)
    with unit_of_work(sessions) as s:
        s.execute(insert(Product), [{"sku": f"C-{i:06d}", "name": f"盘点基准商品 {i}", "flags": "", "unit": "pcs",
                                     "unit_cost": Decimal("12.50")} for i in range(products)])
        s.execute(insert(Location), [{"code": f"Z{i // 10000}-{i // 100 % 100:02d}-{i % 100:02d}", "kind": "stock",
                                      "zone": f"Z{i // 10000}"} for i in range(bins)])
        s.add_all([User(name="counter", badge="U-C1", roles="counter"),
                   User(name="supervisor", badge="U-S1", roles="supervisor")])
        s.flush()
        pids = list(s.scalars(select(Product.id).order_by(Product.id)))
        lids = list(s.scalars(select(Location.id).where(Location.kind == "stock").order_by(Location.id)))
        adj = s.scalar(select(Location.id).where(Location.code == "ADJUSTMENT"))
        now = datetime.now(timezone.utc)
        rows = [{"at": now, "product_id": pids[(n * skus_per_bin + k) % len(pids)], "qty": 10 + (n + k) % 40,
                 "from_location_id": adj, "to_location_id": lid, "reason": "opening"}
                for n, lid in enumerate(lids) for k in range(skus_per_bin)]
        for start in range(0, len(rows), 50_000):
            s.execute(insert(Movement), rows[start:start + 50_000])
        ledger.rebuild_balances(s)
        s.commit()
    engine.dispose()


def post_full_count_figure(bins: int = 10_000) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="station-bench-counts-"))
    url = f"sqlite:///{folder / 'counts.db'}"
    try:
        _warehouse(url, bins, 2, bins)
        engine, sessions = open_database(url)
        with unit_of_work(sessions) as s:
            count_no = counts.create_count(s, "full", user="supervisor", tolerance_qty=5,
                                           tolerance_value=Decimal("1000")).count_no
            s.commit()
        with unit_of_work(sessions) as s:  # what the counters found: one bin in ten off by a unit or two
            found: dict[int, dict[str, int]] = {}
            rng = random.Random(6)
            for lid, sku, qty in s.execute(
                    select(Balance.location_id, Product.sku, Balance.qty)
                    .join(Product, Product.id == Balance.product_id)
                    .join(Location, Location.id == Balance.location_id).where(Location.kind == "stock")):
                off = rng.choice((-2, -1, 1)) if rng.random() < 0.1 else 0
                found.setdefault(lid, {})[sku] = qty + off
        t0, c0 = time.perf_counter(), time.process_time()
        with unit_of_work(sessions) as s:
            count = counts.find_count(s, count_no)
            counts.record_bins(s, count, found, user="counter")
            s.commit()
        t1 = time.perf_counter()
        with unit_of_work(sessions) as s:
            decision = count_review.approve(s, count_no, "supervisor")
            s.commit()
        t2, c2 = time.perf_counter(), time.process_time()
        with unit_of_work(sessions) as s:
            problems = ledger.verify(s)
        engine.dispose()
        if not decision.ok:
            return {"figure": "count_post_full", "error": decision.message}
        return {"figure": "count_post_full", "value": round(t2 - t0, 2), "unit": "s", "target": "<= 10",
                "bins": bins, "lines": decision.lines, "adjustments": decision.adjustments,
                "record_counts_s": round(t1 - t0, 2), "approve_and_post_s": round(t2 - t1, 2),
                "cpu_s": round(c2 - c0, 2),
                "ledger_verified": not problems}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def variance_report_figure(lines: int = 50_000) -> dict:
    """A count whose every line has a variance, written straight into its tables (the count itself is
    not what is measured), then ``station print variance-report``'s work: load the data, draw the PDF."""
    from station.inventory.count_documents import variance_report_data
    from station.printing.documents.stock_count import render_variance_report

    folder = Path(tempfile.mkdtemp(prefix="station-bench-variance-"))
    url = f"sqlite:///{folder / 'variance.db'}"
    try:
        bins = lines // 2
        _warehouse(url, bins, 2, bins)
        engine, sessions = open_database(url)
        now = datetime.now(timezone.utc)
        with unit_of_work(sessions) as s:
            count = StockCount(count_no="CNT-BENCH", kind="full", scope="full count", status="open", tolerance_qty=5,
                               tolerance_value=Decimal("1000"), created_at=now, created_by="supervisor")
            s.add(count)
            s.flush()
            balances = s.execute(select(Balance.location_id, Balance.product_id, Balance.qty)
                                 .join(Location, Location.id == Balance.location_id)
                                 .where(Location.kind == "stock")).all()
            s.execute(insert(CountBin), [{"count_id": count.id, "location_id": lid, "status": "counted", "rounds": 1,
                                          "counted_at": now, "counted_by": "counter"}
                                         for lid in {b[0] for b in balances}])
            s.execute(insert(CountLine), [
                {"count_id": count.id, "location_id": lid, "product_id": pid, "counted_qty": qty + (1 if n % 3 else -2),
                 "book_qty": qty, "unit_cost": Decimal("12.50"), "round": 1, "counted_at": now,
                 "counted_by": "counter", "first_qty": qty, "first_counted_by": "counter", "status": "open"}
                for n, (lid, pid, qty) in enumerate(balances)])
            s.commit()
        t0, c0 = time.perf_counter(), time.process_time()
        with unit_of_work(sessions) as s:
            data = variance_report_data(s, "CNT-BENCH")
        t1 = time.perf_counter()
        pdf = render_variance_report(data)
        t2, c2 = time.perf_counter(), time.process_time()
        engine.dispose()
        return {"figure": "variance_report", "value": round(t2 - t0, 2), "unit": "s", "target": "<= 5",
                "lines": len(data.lines), "load_s": round(t1 - t0, 2), "pdf_s": round(t2 - t1, 2),
                "cpu_s": round(c2 - c0, 2),
                "pdf_mb": round(len(pdf) / 1e6, 1)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(quick: bool = False):
    yield post_full_count_figure(1_000 if quick else 10_000)
    yield variance_report_figure(5_000 if quick else 50_000)
