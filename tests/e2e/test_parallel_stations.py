"""Several stations on one real PostgreSQL server, as separate processes, racing for the same work."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from station.catalog.couriers import seed_couriers
from station.catalog.models import Barcode
from station.db import open_database, unit_of_work
from station.fulfilment.models import Order, Parcel
from station.fulfilment.orders import import_orders
from station.fulfilment.waybills import add_numbers, number_range
from station.inventory import ledger
from tests.support import factories as f

pytestmark = pytest.mark.postgres
ORDERS = 12
STATIONS = 3


def start(url: str, *args: str, stdin: str | None = None) -> subprocess.Popen:
    exe = Path(sys.executable).parent / "station"
    proc = subprocess.Popen([str(exe), "--db", url, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "STATION_LANG": "en"})
    proc.stdin.write(stdin or "")
    proc.stdin.close()
    return proc


def finish(proc: subprocess.Popen) -> str:
    out = proc.stdout.read()
    err = proc.stderr.read()
    assert proc.wait(timeout=300) == 0, err
    return out


@pytest.fixture
def warehouse(pg_url, tmp_path):
    engine, sessions = open_database(pg_url)
    seed_couriers(sessions)
    with unit_of_work(sessions) as s:
        f.location(s, "A-01-01-01")
        f.location(s, "PACK-01", "packing")
        for n in range(ORDERS):
            f.product(s, f"SKU-{n:02d}", f"LBL-{n:02d}", name=f"商品{n}")
        s.flush()
        for n in range(ORDERS):
            ledger.move(s, ledger.Move(f"SKU-{n:02d}", 5, "ADJUSTMENT", "A-01-01-01", "opening"))
        for i in range(STATIONS):
            f.user(s, f"packer{i}", f"U-{i}", "packer")
            f.user(s, f"printer{i}", f"U-P{i}", "office")
        add_numbers(s, "SF", number_range("SF", 300000000000, 60, 13))
        s.commit()
        codes = {b.product.sku: b.code for b in s.scalars(select(Barcode))}
    path = tmp_path / "orders.csv"
    path.write_text("order_no,recipient,phone,province,city,address,courier,sku,qty\n" + "".join(
        f"R{n:02d},收件人{n},1380000{n:04d},浙江省,杭州市,文三路{n}号,SF,SKU-{n:02d},2\n" for n in range(ORDERS)),
        encoding="utf-8")
    assert import_orders(sessions, path, "generic").created == ORDERS
    yield pg_url, sessions, codes
    engine.dispose()


def test_stations_packing_the_same_orders_pack_each_exactly_once(warehouse):
    url, sessions, codes = warehouse
    scripts = []
    for i in range(STATIONS):
        order = list(range(ORDERS))[i:] + list(range(ORDERS))[:i]  # each starts elsewhere, then collides
        lines = []
        for n in order:
            lines += [f"PS:R{n:02d}", codes[f"SKU-{n:02d}"], codes[f"SKU-{n:02d}"], "CMD-CONFIRM", "CMD-CANCEL"]
        scripts.append("\n".join(lines) + "\n")
    procs = [start(url, "replay", "pack", "--user", f"packer{i}", "--station", f"S{i}", stdin=scripts[i])
             for i in range(STATIONS)]
    outcomes = [[json.loads(l) for l in finish(p).splitlines()] for p in procs]
    packed = Counter(o["message"].split()[1] for out in outcomes for o in out if o["code"] == "order_packed")
    assert packed == Counter({f"R{n:02d}": 1 for n in range(ORDERS)})
    losers = [o for out in outcomes for o in out if o["code"] == "already_packed"]
    assert len(losers) == ORDERS * (STATIONS - 1)
    assert not [o for out in outcomes for o in out if o["code"] in ("station_error", "database_unavailable")]
    with unit_of_work(sessions) as s:
        assert ledger.verify(s) == []
        for n in range(ORDERS):
            assert ledger.on_hand(s, f"SKU-{n:02d}", "A-01-01-01") == 3
            assert ledger.on_hand(s, f"SKU-{n:02d}", "PACK-01") == 2
        numbers = list(s.scalars(select(Parcel.tracking_no)))
    assert len(numbers) == ORDERS and len(set(numbers)) == ORDERS


def test_parallel_batches_never_give_one_waybill_number_twice(warehouse):
    url, sessions, _codes = warehouse
    procs = [start(url, "batch", "--limit", "4", "--user", f"printer{i}") for i in range(STATIONS)]
    results = [json.loads(finish(p)) for p in procs]
    assert sum(r["orders"] for r in results) == ORDERS
    with unit_of_work(sessions) as s:
        numbers = list(s.scalars(select(Parcel.tracking_no)))
        batches = list(s.scalars(select(Order.batch_id)))
    assert len(numbers) == ORDERS == len(set(numbers))
    assert len(set(batches)) == STATIONS and None not in batches
