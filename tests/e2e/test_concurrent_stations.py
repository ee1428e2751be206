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
