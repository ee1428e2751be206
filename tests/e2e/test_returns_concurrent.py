"""Stations receiving returns of the same order at the same moment: each unit comes back once, never twice."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from station.db import open_database, unit_of_work
from station.fulfilment.orders import import_orders
from station.inventory import ledger
from station.returns.receipt_models import ReturnItem
from station.workflows.runner import BenchRunner
from tests.support import factories as f

EAN = "6912345000024"


def test_four_stations_receiving_one_order_restock_each_unit_once(any_url, tmp_path):
    engine, sessions = open_database(any_url)
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        for n in range(4):
            f.user(s, f"clerk{n}", f"U-20{n:02d}", "returns")
        f.location(s, "A-01-01-01")
        f.product(s, "TS01-RD-M", EAN, style="TS01")
        s.commit()
    shipped = (datetime.now(timezone.utc) - timedelta(days=2)).isoformat(timespec="seconds")
    path = tmp_path / "orders.csv"
    path.write_text("order_no,recipient,phone,address,courier,sku,qty,status,tracking_no,shipped_at\n"
                    f"C1,周杰,13600003333,世纪大道8号,SF,TS01-RD-M,2,shipped,SF9300000000001,{shipped}\n",
                    encoding="utf-8")
    assert import_orders(sessions, path, "generic").ok
    outcomes: list[str] = []
    errors: list[str] = []
    start = threading.Barrier(4)

    def station(n: int) -> None:
        own_engine, own = open_database(any_url)
        try:
            runner = BenchRunner(own, "returns", f"returns-{n}")
            runner.login(f"clerk{n}")
            assert [runner.process(raw)[1].code for raw in (f"YT73000000000{n:02d}", "RS:C1")] == [
                "parcel_opened", "return_matched"]
            start.wait(timeout=60)
            code = runner.process(EAN)[1].code
            if code == "item_accepted":
                code = runner.process("A-01-01-01")[1].code
            outcomes.append(code)
        except Exception as exc:  # noqa: BLE001 - any failure fails the test
            errors.append(repr(exc))
        finally:
            own_engine.dispose()

    threads = [threading.Thread(target=station, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(outcomes) == ["already_returned", "already_returned", "item_restocked", "item_restocked"]
    with unit_of_work(sessions) as s:
        assert ledger.on_hand(s, "TS01-RD-M", "A-01-01-01") == 2
        assert sorted(s.scalars(select(ReturnItem.unit_no))) == [1, 2]
        assert ledger.verify(s) == []
    engine.dispose()
