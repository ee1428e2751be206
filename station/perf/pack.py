"""Benchmarks of the order-to-parcel path (issue 4), for ``station bench``.

* import of 100,000 generic order lines (parse + holds + write) into a database that
  already has the catalog and a 1,000,000-row ledger;
* pack scan → outcome latency (p50, p99) through ``BenchRunner.process`` — the same path as
  the GUI and replay — with 100,000 orders in the database; every order's last scan closes it
  (ledger moves, waybill allocation, the waybill queued); the waybill PDF is then rendered to
  the outbox folder outside the timed part, as the bench does after showing the outcome;
* the same with a scale at the bench (issue 18): each order's last item asks for the scale and
  the reading (the products' weights plus 50 g, within tolerance) is the next input, timed like a
  scan; it closes the order. The device itself is not in the figure (the GUI reads it on a worker
  thread);
* a batch of 500 orders from selection to printed PDFs (pick list, slips, waybills).
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sqlalchemy import func, insert, select

from station.catalog.couriers import seed_couriers
from station.catalog.models import Barcode, Product, User
from station.db import open_database, unit_of_work
from station.fulfilment.batches import BatchCriteria, create_batch
from station.fulfilment.models import Order
from station.fulfilment.orders import import_orders
from station.fulfilment.waybills import add_numbers, number_range
from station.inventory.models import Location
from station.perf.latency import latency_figure, timed_scans
from station.perf.orders import SKUS, write_sample
from station.perf.stock import load_ledger
from station.settings import WEIGHING_PACKAGING_G, Setting
from station.workflows.runner import BenchRunner


def prepare(url: str, ledger_rows: int) -> None:
    """Catalog with the SKUs the sample orders use, bins, a packing location, a ledger of ``ledger_rows``."""
    load_ledger(url, ledger_rows)  # the 1,000,000-row ledger of the stock figure
    engine, sessions = open_database(url)
    seed_couriers(sessions)
    with unit_of_work(sessions) as s:
        s.execute(insert(Product), [{"sku": sku, "name": f"基准 {sku}", "flags": "", "unit": "pcs",
                                     "style": sku.rsplit("-", 1)[0]} for sku in SKUS])
        s.flush()
        ids = dict(s.execute(select(Product.sku, Product.id).where(Product.sku.in_(SKUS))).all())
        s.execute(insert(Barcode), [{"code": f"BC-{sku}", "product_id": ids[sku], "pack_qty": 1} for sku in SKUS])
        s.add(Location(code="PACK-01", kind="packing"))
        s.add(User(name="bench", badge="U-BENCH", roles="packer"))
        outbox = (Path(url.removeprefix("sqlite:///")).parent if url.startswith("sqlite:///")
                  else Path(tempfile.mkdtemp(prefix="station-bench-outbox-"))) / "outbox"
        s.add(Setting(key="printer.default", value=f"pdf:{outbox}"))
        s.commit()
    from station.inventory import ledger

    with unit_of_work(sessions) as s:  # plenty of stock of the order SKUs, through the ledger
        bins = list(s.scalars(select(Location.code).where(Location.kind == "stock").limit(len(SKUS))))
        for sku, code in zip(SKUS, bins):
            ledger.move(s, ledger.Move(sku, 1_000_000, "ADJUSTMENT", code, "opening"))
        add_numbers(s, "SF", number_range("SF", 500000000000, 5000, 13))
        s.commit()
    engine.dispose()


def import_figure(url: str, folder: Path, lines: int) -> dict:
    path = folder / "orders.csv"
    write_sample(path, lines, seed=11)
    engine, sessions = open_database(url)
    t = time.perf_counter()
    report = import_orders(sessions, path, "generic")
    seconds = time.perf_counter() - t
    engine.dispose()
    assert report.ok, report.as_dict()["rejected"][:3]
    return {"figure": "import_order_lines", "value": round(seconds, 2), "unit": "s", "target": "<= 20",
            "lines": lines, "orders": report.created}


def ready_orders(s, orders: int) -> list[Order]:
    """The newest ``orders`` ready orders in no batch, given to SF: the parcels a benchmark packs."""
    picked = list(s.execute(select(Order).where(Order.status == "ready", Order.batch_id.is_(None))
                            .order_by(Order.id.desc()).limit(orders)).scalars())
    for o in picked:
        o.courier = "SF"
    return picked


def pack_scans(order: Order) -> list[str]:
    """What the packer scans for ``order``: its pick slip, then every unit by barcode."""
    return [f"PS:{order.order_no}"] + [f"BC-{line.sku}" for line in order.lines for _ in range(line.qty)]


def pack_figure(url: str, orders: int, name: str, target: str, scale: bool = False) -> dict:
    engine, sessions = open_database(url)
    with unit_of_work(sessions) as s:
        scripts = []
        for o in ready_orders(s, orders):
            scans = pack_scans(o)
            if scale:  # what the scale reads: the products' weights and the packaging
                scans.append(f"WEIGHT {sum(100 * line.qty for line in o.lines) + 50} g")
            scripts.append(scans)
        if scale:
            s.execute(Product.__table__.update().values(weight_g=100))
            s.add(Setting(key=WEIGHING_PACKAGING_G.key, value="50"))
        s.commit()
    from station.fulfilment.recipient_keys import warm_up

    warm_up()  # as the app does once its window is up (closing a parcel indexes it for returns)
    runner = BenchRunner(sessions, "pack", "bench-station")
    runner.login("bench")
    runner.attach_scale(scale)
    timings = []
    for scans in scripts:  # the waybill PDF untimed after each outcome, as the bench does once it is shown
        if scale:
            timings += _timed_with_scale(runner, scans)
        else:
            timings += timed_scans(runner, scans, after_each=runner.finish_printing)
    engine.dispose()
    return latency_figure(name, timings, target, orders_packed=len(scripts))


def _timed_with_scale(runner: BenchRunner, lines: list[str]) -> list[float]:
    """Scans and the scale's reading (a ``WEIGHT`` line: ``BenchRunner.weigh``), each timed alone."""
    timings = []
    for line in lines:
        t = time.perf_counter()
        _scan, outcome, _source = runner.process_line(line)
        timings.append(time.perf_counter() - t)
        if outcome.level == "error" or (line.startswith("WEIGHT") and outcome.code != "order_packed"):
            raise RuntimeError(f"{line!r}: {outcome.code} {outcome.message}")
        runner.finish_printing()
    return timings


def batch_figure(url: str, size: int = 500) -> dict:
    engine, sessions = open_database(url)
    with unit_of_work(sessions) as s:
        s.execute(Order.__table__.update().where(Order.status == "ready").values(courier="SF"))
        s.commit()
    t = time.perf_counter()
    result = create_batch(sessions, BatchCriteria(limit=size), user="bench", station="bench")
    seconds = time.perf_counter() - t
    engine.dispose()
    return {"figure": "batch_to_printed_pdfs", "value": round(seconds, 2), "unit": "s", "target": "<= 10",
            "orders": len(result.orders), "waybills": result.waybills}


def run(quick: bool = False, pg_url: str | None = None):
    rows = 100_000 if quick else 1_000_000
    lines = 20_000 if quick else 100_000
    with tempfile.TemporaryDirectory(prefix="station-pack-bench-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'pack.db'}"
        prepare(url, rows)
        yield import_figure(url, folder, lines)
        if not quick:
            _fill_orders(url, folder)
        fig = pack_figure(url, 50 if quick else 300, "pack_scan_sqlite", "p50 <= 3 ms, p99 <= 15 ms")
        fig["orders_in_db"], fig["ledger_rows"] = _order_count(url), rows
        yield fig
        fig = pack_figure(url, 50 if quick else 300, "pack_scan_sqlite_scale", "p50 <= 3 ms, p99 <= 15 ms",
                          scale=True)
        fig["orders_in_db"], fig["ledger_rows"] = _order_count(url), rows
        yield fig
        yield batch_figure(url, 100 if quick else 500)
    if pg_url:
        prepare(pg_url, rows)
        with tempfile.TemporaryDirectory(prefix="station-pack-bench-") as tmp:
            if quick:
                import_figure(pg_url, Path(tmp), lines)
            else:
                _fill_orders(pg_url, Path(tmp))
        _analyze(pg_url)
        fig = pack_figure(pg_url, 50 if quick else 300, "pack_scan_postgresql", "p99 <= 25 ms")
        fig["orders_in_db"], fig["ledger_rows"] = _order_count(pg_url), rows
        yield fig


ORDERS_FOR_PACK = 100_000


def _analyze(url: str) -> None:
    """VACUUM ANALYZE after the bulk load, as a running server has done it long before a shift
    (autovacuum vacuums and analyses a table once enough of it changed): the figure is the
    scanning, not autovacuum working through a million fresh ledger rows beside it."""
    engine, _sessions = open_database(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()


def _order_count(url: str) -> int:
    engine, sessions = open_database(url)
    with unit_of_work(sessions) as s:
        count = s.scalar(select(func.count()).select_from(Order))
    engine.dispose()
    return count


def _fill_orders(url: str, folder: Path) -> None:
    """Orders up to ORDERS_FOR_PACK (the sample numbers its orders from 1, so a longer file adds the rest)."""
    lines = int(ORDERS_FOR_PACK * 2.52)  # 1-4 lines an order, 2.5 on average
    while _order_count(url) < ORDERS_FOR_PACK:
        import_figure(url, folder, lines)
        lines += ORDERS_FOR_PACK // 20
