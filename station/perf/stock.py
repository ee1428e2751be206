"""The stock figure, and the ledger every database benchmark starts from.

`load_ledger` fills a database with products, bins and a ledger of `rows` movements (balances
rebuilt from it): the stock figure measures `on_hand` on it, and the pack and inbound figures
run their benches on top of the same 1,000,000 rows.
"""
from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import insert, select

from station.catalog.models import Product
from station.db import open_database, unit_of_work
from station.inventory import ledger
from station.inventory.models import Location, Movement


def load_ledger(url: str, rows: int, products: int = 2000, bins: int = 200) -> None:
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
    load_ledger(url, rows)
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
