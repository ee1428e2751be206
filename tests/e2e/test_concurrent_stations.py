"""Several stations moving the same stock at once: no lost update, never below zero."""
from __future__ import annotations

import threading

import pytest

from station.db import open_database, unit_of_work
from station.inventory import ledger
from station.inventory.ledger import InsufficientStock, Move
from tests.support import factories as f


@pytest.mark.parametrize("stations, tries_each, stock", [(4, 8, 20)])
def test_parallel_stations_never_take_more_than_the_bin_holds(any_url, stations, tries_each, stock):
    engine, sessions = open_database(any_url)
    with unit_of_work(sessions) as s:
        f.product(s, "PN-001", name="中性笔")
        f.location(s, "A-01-01-01")
        f.location(s, "PACK-01", "packing")
        ledger.move(s, Move("PN-001", stock, "ADJUSTMENT", "A-01-01-01", "opening"))
        s.commit()
    taken, refused, errors = [], [], []
    start = threading.Barrier(stations)

    def station(n: int) -> None:
        _engine, own = open_database(any_url)
        start.wait()
        for _ in range(tries_each):
            try:
                with unit_of_work(own) as s:
                    ledger.move(s, Move("PN-001", 1, "A-01-01-01", "PACK-01", "pick", station=f"S{n}"))
                    s.commit()
                taken.append(n)
            except InsufficientStock:
                refused.append(n)
            except Exception as exc:  # noqa: BLE001 - any other failure fails the test
                errors.append(repr(exc))
        _engine.dispose()

    threads = [threading.Thread(target=station, args=(n,)) for n in range(stations)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(taken) == stock
    assert len(refused) == stations * tries_each - stock
    with unit_of_work(sessions) as s:
        assert ledger.on_hand(s, "PN-001", "A-01-01-01") == 0
        assert ledger.on_hand(s, "PN-001", "PACK-01") == stock
        assert ledger.verify(s) == []
    engine.dispose()


def test_two_desks_adding_overlapping_courier_ranges_at_once_add_each_number_once(any_url):
    """Two office clerks type in the same courier range at the same moment: one adds it, the other
    is told which numbers are already in the pool; nothing fails and nothing is added twice."""
    from station.catalog.couriers import seed_couriers
    from station.fulfilment.models import WaybillNumber
    from station.fulfilment.waybills import add_numbers, number_range
    from sqlalchemy import func, select

    engine, sessions = open_database(any_url)
    seed_couriers(sessions)
    desks = 2
    ranges = [number_range("SF", 100000000000 + n * 5000, 20000, 13) for n in range(desks)]  # 15,000 in common
    start = threading.Barrier(desks)
    reports, errors = {}, []

    def desk(n: int) -> None:
        _engine, own = open_database(any_url)
        try:
            with unit_of_work(own) as s:
                start.wait()
                reports[n] = add_numbers(s, "SF", ranges[n])
                s.commit()
        except Exception as exc:  # noqa: BLE001 - any failure fails the test
            errors.append(repr(exc)[:300])
        _engine.dispose()

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(desks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    added = [n for n, r in reports.items() if r.added]
    assert len(added) == 1
    [other] = [n for n in reports if n not in added]
    assert reports[other].added == 0 and len(reports[other].duplicates) == 15000
    with unit_of_work(sessions) as s:
        assert s.scalar(select(func.count()).select_from(WaybillNumber)) == 20000
    engine.dispose()


def test_two_desks_importing_the_same_opening_stock_at_once_book_it_once(any_url, tmp_path):
    """The same opening-stock file imported at two desks at the same moment: one imports it, the
    other is refused row by row ('already has an opening balance'); the stock is there once."""
    from station.imports.service import import_file

    engine, sessions = open_database(any_url)
    with unit_of_work(sessions) as s:
        for n in range(300):
            f.product(s, f"OP-{n:03d}", name="开账商品")
        f.location(s, "A-01-01-01")
        ledger.ensure_virtual_locations(s)
        s.commit()
    file = tmp_path / "stock.csv"
    file.write_text("sku,location,qty\n" + "".join(f"OP-{n:03d},A-01-01-01,5\n" for n in range(300)), encoding="utf-8")
    desks = 2
    start = threading.Barrier(desks)
    reports, errors = {}, []

    def desk(n: int) -> None:
        _engine, own = open_database(any_url)
        start.wait()
        try:
            reports[n] = import_file(own, "stock", file, user="刘洋", station=f"desk-{n}")
        except Exception as exc:  # noqa: BLE001 - any failure fails the test
            errors.append(repr(exc)[:300])
        _engine.dispose()

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(desks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r.ok for r in reports.values()) == [False, True]
    [refused] = [r for r in reports.values() if not r.ok]
    assert len(refused.rejected) == 300 and "already has an opening balance" in refused.rejected[0].reason
    with unit_of_work(sessions) as s:
        assert ledger.on_hand(s, "OP-000", "A-01-01-01") == 5
        assert sum(ledger.on_hand(s, f"OP-{n:03d}", "A-01-01-01") for n in range(300)) == 1500
        assert ledger.verify(s) == []
    engine.dispose()


def test_two_desks_importing_the_same_new_orders_at_once_create_each_order_once(any_url, tmp_path):
    """The shop's order file imported at two desks at the same moment: each order is created once, the
    second import finds them there (unchanged); no unique-key failure."""
    from station.fulfilment.models import Order
    from station.fulfilment.orders import import_orders
    from sqlalchemy import func, select

    engine, sessions = open_database(any_url)
    with unit_of_work(sessions) as s:
        f.product(s, "TS01-RD-M", name="纯棉圆领T恤")
        f.location(s, "A-01-01-01")
        ledger.ensure_virtual_locations(s)
        ledger.move(s, Move("TS01-RD-M", 1000, "ADJUSTMENT", "A-01-01-01", "opening"))
        s.commit()
    file = tmp_path / "orders.csv"
    file.write_text("order_no,recipient,phone,province,city,address,courier,sku,qty\n" + "".join(
        f"W{n:04d},王小明,13812345678,广东省,广州市,中山五路{n}号,SF,TS01-RD-M,1\n" for n in range(300)), encoding="utf-8")
    start = threading.Barrier(2)
    reports, errors = {}, []

    def desk(n: int) -> None:
        _engine, own = open_database(any_url)
        start.wait()
        try:
            reports[n] = import_orders(own, file, "generic", user="刘洋")
        except Exception as exc:  # noqa: BLE001 - any failure fails the test
            errors.append(repr(exc)[:300])
        _engine.dispose()

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted((r.created, r.unchanged) for r in reports.values()) == [(0, 300), (300, 0)]
    with unit_of_work(sessions) as s:
        assert s.scalar(select(func.count()).select_from(Order)) == 300
    engine.dispose()


def test_two_desks_importing_the_same_purchase_orders_at_once_create_each_po_once(any_url, tmp_path):
    """The supplier's PO file imported at two desks at the same moment: each PO is created once."""
    from station.inbound.models import PurchaseOrder
    from station.inbound.purchasing import import_po
    from sqlalchemy import func, select

    engine, sessions = open_database(any_url)
    with unit_of_work(sessions) as s:
        f.product(s, "TS01-RD-M", name="纯棉圆领T恤")
        s.commit()
    file = tmp_path / "po.csv"
    file.write_text("po_no,supplier,sku,qty\n" + "".join(f"PO-{n:04d},杭州织造,TS01-RD-M,10\n" for n in range(300)),
                    encoding="utf-8")
    start = threading.Barrier(2)
    reports, errors = {}, []

    def desk(n: int) -> None:
        _engine, own = open_database(any_url)
        start.wait()
        try:
            reports[n] = import_po(own, file, user="李娜")
        except Exception as exc:  # noqa: BLE001 - any failure fails the test
            errors.append(repr(exc)[:300])
        _engine.dispose()

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(r.ok for r in reports.values()), [r.as_dict() for r in reports.values()]
    with unit_of_work(sessions) as s:
        assert s.scalar(select(func.count()).select_from(PurchaseOrder)) == 300
    engine.dispose()
