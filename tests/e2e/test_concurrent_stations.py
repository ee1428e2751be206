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
