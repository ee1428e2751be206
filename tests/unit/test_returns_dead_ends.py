"""The returns bench's dead end of issue 17, through the runner on SQLite and PostgreSQL: a refused item
refused by a bin, the clerk moves on; scanning it again brings it back to be placed, and DONE says which
item still needs a place and takes the next location scan for it."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from station.db import open_database, unit_of_work
from station.demo import ean13
from station.fulfilment.orders import import_orders
from station.inventory import ledger
from station.returns.receipt_models import ReturnItem
from station.workflows.runner import BenchRunner
from tests.support import factories as f

CODE = {"TS01-RD-M": ean13(1), "NB-001": ean13(3)}


@pytest.fixture
def shop(any_url, tmp_path):
    """A returns clerk; a bin, quarantine, scrap and returns locations; order S1 (a red T-shirt M and a
    notebook) shipped three days ago."""
    engine, sessions = open_database(any_url)
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        f.user(s, "王芳", "U-1003", "returns")
        for code, kind in (("A-01-01-01", "stock"), ("QC-01", "quarantine"), ("SCRAP-01", "scrap"),
                           ("RET-01", "returns")):
            f.location(s, code, kind)
        for sku, code in CODE.items():
            f.product(s, sku, code, style=sku[:4])
        s.commit()
    shipped = (datetime.now(timezone.utc) - timedelta(days=3)).isoformat(timespec="seconds")
    path = tmp_path / "orders.csv"
    rows = [f"S1,店,tb_zhoujie,周杰,13600003333,上海市,上海市,浦东新区,世纪大道8号,SF,{sku},1,49.50,shipped,"
            f"SF9200000000001,{shipped}" for sku in CODE]
    path.write_text("order_no,shop,buyer_account,recipient,phone,province,city,district,address,courier,sku,qty,"
                    "unit_price,status,tracking_no,shipped_at\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert import_orders(sessions, path, "generic").ok
    yield sessions
    engine.dispose()


def run(sessions, *raws: str) -> list:
    runner = BenchRunner(sessions, "returns", "returns-1")
    runner.login("王芳")
    return [runner.process(raw)[1] for raw in raws]


def placed(sessions) -> list[tuple[str, str | None, str | None]]:
    with unit_of_work(sessions) as s:
        return [(i.sku, i.disposition, i.location) for i in s.scalars(select(ReturnItem).order_by(ReturnItem.id))]


def test_a_refused_item_left_without_a_place_is_placed_after_scanning_it_again(shop):
    outcomes = run(shop, "RS:S1", CODE["NB-001"], "COND:worn", "A-01-01-01", "CMD-CONFIRM",
                   CODE["TS01-RD-M"], "A-01-01-01", CODE["NB-001"], "QC-01", "CMD-DONE")
    assert [o.code for o in outcomes] == [
        "return_matched", "item_accepted", "item_refused", "policy_refused", "error_acknowledged",
        "item_accepted", "item_restocked", "item_waiting_place", "item_quarantined", "return_received"]
    assert "quarantine or scrap" in outcomes[7].details[0]
    assert placed(shop) == [("NB-001", "quarantine", "QC-01"), ("TS01-RD-M", "restock", "A-01-01-01")]
    with unit_of_work(shop) as s:
        assert ledger.on_hand(s, "NB-001", "QC-01") == 1 and ledger.on_hand(s, "NB-001", "A-01-01-01") == 0


def test_done_names_the_item_without_a_place_and_the_next_location_places_it(shop):
    outcomes = run(shop, "RS:S1", CODE["NB-001"], "COND:worn", "A-01-01-01", "CMD-CONFIRM",
                   CODE["TS01-RD-M"], "A-01-01-01", "CMD-DONE", "CMD-CONFIRM", "SCRAP-01", "CMD-DONE")
    assert [o.code for o in outcomes][7:] == ["not_disposed", "error_acknowledged", "item_scrapped",
                                              "return_received"]
    assert "NB-001" in outcomes[7].message and any("quarantine or scrap" in d for d in outcomes[7].details)
    assert placed(shop) == [("NB-001", "scrap", "SCRAP-01"), ("TS01-RD-M", "restock", "A-01-01-01")]
