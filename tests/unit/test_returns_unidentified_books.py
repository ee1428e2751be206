"""Unidentified returns on the books (issue 17), through the returns bench on SQLite and PostgreSQL: the items
of a parcel nobody can match go onto its shelf through the ledger when it is shelved, come back to the bench
with it, and leave the shelf's books when it is matched; every unit then goes where the clerk puts it."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from station.db import open_database, unit_of_work
from station.demo import ean13
from station.fulfilment.orders import import_orders
from station.inventory import ledger
from station.inventory.models import Movement
from station.returns.receipt_models import ReturnItem, ReturnReceipt
from station.workflows.runner import BenchRunner
from tests.support import factories as f

CODE = {"TS01-RD-M": ean13(1), "NB-001": ean13(3)}


@pytest.fixture
def shop(any_url, tmp_path):
    """A returns clerk; a bin, quarantine and the returns shelf RET-01; order S1 (two red T-shirts M and a
    notebook) shipped three days ago."""
    engine, sessions = open_database(any_url)
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        f.user(s, "王芳", "U-1003", "returns")
        for code, kind in (("A-01-01-01", "stock"), ("QC-01", "quarantine"), ("RET-01", "returns")):
            f.location(s, code, kind)
        for sku, code in CODE.items():
            f.product(s, sku, code, style=sku[:4])
        s.commit()
    shipped = (datetime.now(timezone.utc) - timedelta(days=3)).isoformat(timespec="seconds")
    path = tmp_path / "orders.csv"
    rows = [f"S1,店,tb_zhoujie,周杰,13600003333,上海市,上海市,浦东新区,世纪大道8号,SF,{sku},{qty},49.50,shipped,"
            f"SF9200000000001,{shipped}" for sku, qty in (("TS01-RD-M", 2), ("NB-001", 1))]
    path.write_text("order_no,shop,buyer_account,recipient,phone,province,city,district,address,courier,sku,qty,"
                    "unit_price,status,tracking_no,shipped_at\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert import_orders(sessions, path, "generic").ok
    yield sessions
    engine.dispose()


def run(sessions, *raws: str, station: str = "returns-1") -> list[str]:
    runner = BenchRunner(sessions, "returns", station)
    runner.login("王芳")
    return [runner.process(raw)[1].code for raw in raws]


def books(sessions) -> dict[tuple[str, str], int]:
    with unit_of_work(sessions) as s:
        assert ledger.verify(s) == []
        return {(sku, where): ledger.on_hand(s, sku, where) for sku in CODE for where in ("RET-01", "QC-01",
                                                                                          "A-01-01-01")
                if ledger.on_hand(s, sku, where)}


def shelf_moves(sessions) -> int:
    with unit_of_work(sessions) as s:
        return len(s.scalars(select(Movement).where(Movement.reason == "return_unidentified")).all())


def test_an_unidentified_parcels_items_are_on_its_shelf_until_it_is_matched_then_where_the_clerk_puts_them(shop):
    assert run(shop, "YT7200000000009", CODE["TS01-RD-M"], CODE["TS01-RD-M"], CODE["NB-001"],
               'NOTE:{"name": "唐僧"}', "CMD-DONE") == [
        "parcel_opened", "item_noted", "item_noted", "item_noted", "no_candidate", "parcel_unidentified"]
    assert books(shop) == {("TS01-RD-M", "RET-01"): 2, ("NB-001", "RET-01"): 1}
    with unit_of_work(shop) as s:
        tag = s.scalar(select(ReturnReceipt.receipt_no))
    # back on the bench with its items (another station), matched by its slip: they leave the shelf's books
    assert run(shop, tag, "RS:S1", station="returns-2") == ["parcel_opened", "return_matched"]
    assert books(shop) == {}
    with unit_of_work(shop) as s:
        assert sorted(s.scalars(select(ReturnItem.sku))) == ["NB-001", "TS01-RD-M", "TS01-RD-M"]
    assert run(shop, "A-01-01-01", "A-01-01-01", "QC-01", "CMD-DONE", station="returns-2") == [
        "item_restocked", "item_restocked", "item_quarantined", "return_received"]
    assert books(shop) == {("TS01-RD-M", "A-01-01-01"): 2, ("NB-001", "QC-01"): 1}  # the last item waiting first
    assert shelf_moves(shop) == 4  # two SKUs onto the shelf, the same two off it


def test_shelved_again_after_a_second_look_only_the_difference_moves(shop):
    assert run(shop, "YT7200000000010", CODE["TS01-RD-M"], 'NOTE:{"name": "唐僧"}', "CMD-DONE")[-1] == \
        "parcel_unidentified"
    with unit_of_work(shop) as s:
        tag = s.scalar(select(ReturnReceipt.receipt_no))
    assert run(shop, tag, CODE["NB-001"], "CMD-DONE") == ["parcel_opened", "item_noted", "parcel_unidentified"]
    assert books(shop) == {("TS01-RD-M", "RET-01"): 1, ("NB-001", "RET-01"): 1}
    assert shelf_moves(shop) == 2
    with unit_of_work(shop) as s:
        assert sorted(s.scalar(select(ReturnReceipt.shelved_items))) == ["NB-001", "TS01-RD-M"]


def test_a_parcel_shelved_with_no_item_scanned_moves_nothing(shop):
    assert run(shop, "YT7200000000011", 'NOTE:{"name": "唐僧"}', "CMD-DONE")[-1] == "parcel_unidentified"
    assert books(shop) == {} and shelf_moves(shop) == 0
