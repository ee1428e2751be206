"""Closing parcels on SQLite and on the real PostgreSQL server: the same outcomes and the same
rows, whether the close's writes run one by one (SQLite) or go to the server together with
the COMMIT (PostgreSQL, db.write_later)."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select

from station.audit.models import ScanEvent
from station.catalog.couriers import seed_couriers
from station.db import open_database, unit_of_work
from station.fulfilment.batches import BatchCriteria, create_batch
from station.fulfilment.models import MatchKey, Order, Parcel, WaybillNumber
from station.fulfilment.orders import import_orders
from station.fulfilment.waybills import add_numbers, number_range
from station.inventory import ledger
from station.outbox.models import PrintJob
from station.catalog.couriers import seed_couriers
from station.workflows.runner import BenchRunner
from tests.support import factories as f

ORDERS = """order_no,shop,recipient,phone,province,city,address,courier,sku,qty
Q1,甲店,王小明,13812345678,广东省,广州市,中山五路33号,SF,A,1
Q1,甲店,王小明,13812345678,广东省,广州市,中山五路33号,SF,B,2
Q2,乙店,李雷,13900001111,浙江省,杭州市,文三路1号,SF,A,2
"""


def test_a_two_parcel_order_and_a_printed_batchs_order_close_the_same_on_both_databases(any_url, tmp_path):
    engine, sessions = open_database(any_url)
    seed_couriers(sessions)
    with unit_of_work(sessions) as s:
        f.location(s, "A-01-01-01")
        f.location(s, "A-01-01-02")
        f.location(s, "PACK-01", "packing")
        f.user(s, "ann", "U-ANN")
        for sku in "AB":
            f.product(s, sku, f"BC-{sku}", name=sku)
        ledger.move(s, ledger.Move("A", 2, "ADJUSTMENT", "A-01-01-01", "opening"))
        ledger.move(s, ledger.Move("A", 5, "ADJUSTMENT", "A-01-01-02", "opening"))
        ledger.move(s, ledger.Move("B", 5, "ADJUSTMENT", "A-01-01-01", "opening"))
        add_numbers(s, "SF", number_range("SF", 500000000000, 10, 13))
        s.commit()
    (tmp_path / "o.csv").write_text(ORDERS, encoding="utf-8")
    assert import_orders(sessions, tmp_path / "o.csv", "generic").created == 2
    batch = create_batch(sessions, BatchCriteria(shop="乙店"), user="ann", station="office")
    assert batch.orders == ("Q2",)
    with unit_of_work(sessions) as s:
        printed = s.scalar(select(Parcel.tracking_no).join(Order).where(Order.order_no == "Q2"))

    runner = BenchRunner(sessions, "pack", "S1")
    runner.login("ann")
    scans = ["PS:Q1", "BC-A", "CMD-NEW_PARCEL", "BC-B", "BC-B",  # verify first, two boxes
             "PS:Q2", "BC-A", "BC-A", printed]                    # print first: the batch's waybill
    codes = []
    for raw in scans:
        codes.append(runner.process(raw)[1].code)
        runner.finish_printing()
    assert codes[-1] == "order_packed" and codes[4] == "order_packed", codes
    assert codes.count("order_packed") == 2

    with unit_of_work(sessions) as s:
        parcels = {(p.order.order_no, p.seq): p for p in s.scalars(select(Parcel))}
        assert sorted(parcels) == [("Q1", 1), ("Q1", 2), ("Q2", 1)]
        assert {k: sorted((i.sku, i.qty) for i in p.items) for k, p in parcels.items()} == {
            ("Q1", 1): [("A", 1)], ("Q1", 2): [("B", 2)], ("Q2", 1): [("A", 2)]}
        assert all(p.status == "closed" and p.packed_by == "ann" for p in parcels.values())
        assert parcels[("Q2", 1)].tracking_no == printed
        # Every parcel's number is a pool number allocated to exactly that parcel.
        pool = dict(s.execute(select(WaybillNumber.parcel_id, WaybillNumber.tracking_no)
                              .where(WaybillNumber.parcel_id.is_not(None))).all())
        assert {p.id: p.tracking_no for p in parcels.values()} == pool
        # The stock went from the bins in walk order to the packing location, through the ledger.
        assert ledger.on_hand(s, "A", "A-01-01-01") == 0  # Q1's A and one of Q2's came from here
        assert ledger.on_hand(s, "A", "A-01-01-02") == 4
        assert ledger.on_hand(s, "B", "A-01-01-01") == 3
        assert ledger.on_hand(s, "A", "PACK-01") == 3 and ledger.on_hand(s, "B", "PACK-01") == 2
        assert ledger.verify(s) == []
        assert {o.order_no: o.status for o in s.scalars(select(Order))} == {"Q1": "packed", "Q2": "packed"}
        # The rest of what a close writes: the return keys, the waybill jobs, the scan log.
        keyed = set(s.scalars(select(Order.order_no).join(MatchKey, MatchKey.order_id == Order.id)))
        assert keyed == {"Q1", "Q2"}
        jobs = s.execute(select(PrintJob.document, PrintJob.reference, PrintJob.status)
                         .where(PrintJob.document == "waybill", PrintJob.created_by == "ann")).all()
        # Q1's two pool waybills at its close; Q2's waybill is the batch's, not printed again.
        assert sorted(r for _, r, _ in jobs if not r.startswith("B")) == ["Q1"]
        assert all(status != "rendering" for _, _, status in jobs)  # rendered after the scan
        assert s.scalar(select(func.count()).select_from(ScanEvent).where(ScanEvent.station == "S1")) \
            == len(scans)
    engine.dispose()


def test_a_batch_draws_its_documents_with_no_transaction_open_and_a_bench_writes_meanwhile(any_url, tmp_path,
                                                                                        monkeypatch):
    """500 orders take many seconds to draw: every bench on the database must go on writing (issue 13 soak)."""
    from station.documents import orders as order_documents
    from station.printing.documents import pick_list

    engine, sessions = open_database(any_url)
    seed_couriers(sessions)
    with unit_of_work(sessions) as s:
        f.location(s, "A-01-01-01")
        f.user(s, "ann", "U-ANN")
        for sku in "AB":
            f.product(s, sku, f"BC-{sku}", name=sku)
        ledger.move(s, ledger.Move("A", 5, "ADJUSTMENT", "A-01-01-01", "opening"))
        ledger.move(s, ledger.Move("B", 5, "ADJUSTMENT", "A-01-01-01", "opening"))
        add_numbers(s, "SF", number_range("SF", 500000000000, 10, 13))
        s.commit()
    (tmp_path / "o.csv").write_text(ORDERS, encoding="utf-8")
    import_orders(sessions, tmp_path / "o.csv", "generic")
    other_engine, other = open_database(any_url)
    written = []
    real = pick_list.render_pick_list

    def drawing_while_a_bench_writes(*args, **kwargs):
        with unit_of_work(other) as s:  # another station's scan: waits for no lock, fails on none
            s.execute(ScanEvent.__table__.insert().values(
                at=datetime.now(timezone.utc), raw="BC-A", kind="product", value="A", bench="lookup", level="ok",
                code="product_found", station="S2", user="ann"))
            s.commit()
        written.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(order_documents, "render_pick_list", drawing_while_a_bench_writes)
    monkeypatch.setattr(pick_list, "render_pick_list", drawing_while_a_bench_writes)
    batch = create_batch(sessions, BatchCriteria(), user="ann", station="office")
    assert written == [True]
    with unit_of_work(sessions) as s:
        jobs = s.execute(select(PrintJob.document, PrintJob.reference, PrintJob.status, func.length(PrintJob.pdf))
                         .where(PrintJob.id.in_(batch.jobs)).order_by(PrintJob.id)).all()
    assert [(d, r) for d, r, _status, _size in jobs] == [("pick-list", batch.batch_no), ("packing-slip", batch.batch_no),
                                                         ("waybill", batch.batch_no)]
    assert all(size > 1000 for *_rest, size in jobs)
    assert all(status != "rendering" for _d, _r, status, _size in jobs)
    other_engine.dispose()
    engine.dispose()
