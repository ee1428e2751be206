"""``station bench``: the figures the issues ask for, one JSON object each.

Targets (issue 3): scan classification >= 200,000 scans/s; stock on hand for one SKU
<= 2 ms median with 1,000,000 ledger rows on SQLite; GUI cold start <= 2 s.
"""
from __future__ import annotations

import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sqlalchemy import insert, select

from station.catalog.models import Product
from station.db import open_database, unit_of_work
from station.inventory import ledger
from station.inventory.models import Location, Movement


def machine() -> str:
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def classify_figure() -> dict:
    from station.perf.scanning import classify_rate

    rate = max(classify_rate() for _ in range(3))
    return {"figure": "scan_classification", "value": round(rate), "unit": "scans/s", "target": ">= 200000"}


def _load_ledger(url: str, rows: int, products: int = 2000, bins: int = 200) -> None:
    engine, sessions = open_database(url)
    with unit_of_work(sessions) as s:
        s.execute(insert(Product), [{"sku": f"B-{i:05d}", "name": f"基准商品 {i}", "flags": "", "unit": "pcs"}
                                    for i in range(products)])
        s.execute(insert(Location), [{"code": f"Z-{i // 100:02d}-{i % 100:02d}-01", "kind": "stock"}
                                     for i in range(bins)])
        s.flush()
        pids = list(s.scalars(select(Product.id)))
        lids = list(s.scalars(select(Location.id).where(Location.kind == "stock")))
        adj = s.scalar(select(Location.id).where(Location.code == "ADJUSTMENT"))
        rng = random.Random(7)
        now = datetime.now(timezone.utc)
        batch = []
        for n in range(rows):
            # Stock flows in from ADJUSTMENT and between bins; the balance rebuild below keeps books consistent.
            batch.append({"at": now, "product_id": rng.choice(pids), "qty": rng.randint(1, 5),
                          "from_location_id": adj, "to_location_id": rng.choice(lids), "reason": "opening"})
            if len(batch) == 50_000:
                s.execute(insert(Movement), batch)
                batch = []
        if batch:
            s.execute(insert(Movement), batch)
        ledger.rebuild_balances(s)
        s.commit()
    engine.dispose()


def on_hand_figure(rows: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="station-bench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    t0 = time.perf_counter()
    _load_ledger(url, rows)
    load_s = time.perf_counter() - t0
    engine, sessions = open_database(url)
    rng = random.Random(11)
    timings = []
    with unit_of_work(sessions) as s:
        for _ in range(2000):
            sku = f"B-{rng.randrange(2000):05d}"
            t = time.perf_counter()
            ledger.on_hand(s, sku)
            timings.append(time.perf_counter() - t)
    engine.dispose()
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()
    return {"figure": "stock_on_hand_one_sku_median", "value": round(statistics.median(timings) * 1000, 3),
            "unit": "ms", "target": "<= 2", "ledger_rows": rows, "p95_ms": round(
                sorted(timings)[int(len(timings) * 0.95)] * 1000, 3), "load_s": round(load_s, 1)}


def startup_figure(runs: int = 3) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="station-start-"))
    url = f"sqlite:///{folder / 'start.db'}"
    engine, _ = open_database(url)
    engine.dispose()
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_CONFIG_HOME"] = str(folder / "config")
    times = []
    for _ in range(runs):
        env["STATION_T0"] = repr(time.time())
        out = subprocess.run([sys.executable, "-m", "station.ui.startup_probe", "--db", url], env=env,
                             capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            return {"figure": "gui_cold_start", "error": out.stderr.strip()[-500:]}
        times.append(json.loads(out.stdout.strip().splitlines()[-1])["startup_s"])
    return {"figure": "gui_cold_start", "value": round(statistics.median(times), 3), "unit": "s",
            "target": "<= 2", "runs": [round(t, 3) for t in times],
            "platform": env.get("QT_QPA_PLATFORM", "xcb")}


def waybill_figure() -> dict:
    from station.perf.waybills import measure_waybills

    result = measure_waybills(1000)
    figure = {"figure": "waybills_100x180_one_pdf", "value": result["seconds"], "unit": "s", "target": "<= 1.5",
              "count": result["waybills"], "peak_mb": result["peak_mb"], "memory": result["memory_method"],
              "rl_accel": result["rl_accel"]}
    # The same 1,000 waybills as HTML through WeasyPrint, in its own process (its own peak memory).
    out = subprocess.run([sys.executable, "-m", "station.perf.waybills_html", "1000"],
                         capture_output=True, text=True, timeout=900)
    if out.returncode == 0:
        html = json.loads(out.stdout.strip().splitlines()[-1])
        figure.update(weasyprint_s=html["seconds"], weasyprint_peak_rss_mb=html["peak_rss_mb"],
                      ratio=round(html["seconds"] / result["seconds"], 1), ratio_target=">= 40")
    else:
        figure["weasyprint"] = "not measured: " + (out.stderr.strip().splitlines() or ["?"])[-1][:200]
    return figure


def run_all(quick: bool = False, only: str | None = None, pg_url: str | None = None) -> Iterator[dict]:
    yield {"figure": "machine", "value": machine()}
    if only in (None, "foundation"):
        yield classify_figure()
        yield on_hand_figure(100_000 if quick else 1_000_000)
        yield startup_figure(1 if quick else 3)
    if only in (None, "printing"):
        yield waybill_figure()
    if only in (None, "pack"):
        from station.perf.pack import run as pack_run

        yield from pack_run(quick=quick, pg_url=pg_url)
    if only in (None, "inbound"):
        from station.perf.inbound import run as inbound_run

        yield from inbound_run(quick=quick)
    if only in (None, "returns"):
        from station.perf.returns import run as returns_run

        yield from returns_run(quick=quick)
    if only in (None, "counts"):
        from station.perf.counts import run as counts_run

        yield from counts_run(quick=quick)
