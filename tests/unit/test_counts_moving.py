"""Property: whatever picks, receipts, losses and finds happen around the counts, approving the count
makes the books equal the shelves, except for what went missing after a bin's last count."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.db import open_database, unit_of_work
from station.inventory import count_review, counts, ledger
from station.inventory.ledger import Move
from tests.support import factories as f

SKUS = ["TS-RD-M", "SOCK-01"]
BINS = ["A-01-01-01", "A-01-01-02", "A-01-01-03"]
OPENING = 20

events = st.lists(st.one_of(
    st.tuples(st.just("pick"), st.sampled_from(SKUS), st.sampled_from(BINS), st.integers(1, 8)),
    st.tuples(st.just("receive"), st.sampled_from(SKUS), st.sampled_from(BINS), st.integers(1, 8)),
    st.tuples(st.just("lose"), st.sampled_from(SKUS), st.sampled_from(BINS), st.integers(1, 5)),
    st.tuples(st.just("find"), st.sampled_from(SKUS), st.sampled_from(BINS), st.integers(1, 5)),
    st.tuples(st.just("count"), st.just(""), st.sampled_from(BINS), st.just(0)),
), max_size=30)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=events)
def test_an_approved_count_makes_the_books_match_the_shelves_as_they_were_at_each_bins_count(
        tmp_path_factory, history):
    engine, sessions = open_database(f"sqlite:///{tmp_path_factory.mktemp('moving') / 'm.db'}")
    with unit_of_work(sessions) as s:
        for sku in SKUS:
            f.product(s, sku, name=sku, unit_cost=Decimal("1.00"))
        for code in BINS:
            f.location(s, code, zone="A")
        f.location(s, "PACK-01", "packing")
        f.location(s, "RECV-01", "receiving")
        f.user(s, "刘洋", "U-1004", "supervisor;counter")
        for sku in SKUS:
            for code in BINS:
                ledger.move(s, Move(sku, OPENING, "ADJUSTMENT", code, "opening"))
        count_no = counts.create_count(s, "full", tolerance_qty=1000, tolerance_value=Decimal("100000")).count_no
        s.commit()
    shelf = {(sku, code): OPENING for sku in SKUS for code in BINS}  # what is physically there
    book = dict(shelf)
    unseen = {key: 0 for key in shelf}  # lost since the bin's last count: no count has seen it
    counted: set[str] = set()

    def count(code: str) -> None:
        with unit_of_work(sessions) as s:
            counts.record_bin(s, counts.find_count(s, count_no), code,
                              {sku: shelf[(sku, code)] for sku in SKUS if shelf[(sku, code)]}, user="刘洋")
            s.commit()
        counted.add(code)
        for sku in SKUS:
            unseen[(sku, code)] = 0

    for kind, sku, code, qty in history:
        key = (sku, code)
        if kind == "count":
            count(code)
        elif kind == "pick":
            qty = min(qty, shelf[key], book[key])
            if qty:
                with unit_of_work(sessions) as s:
                    ledger.move(s, Move(sku, qty, code, "PACK-01", "pick"))
                    s.commit()
                shelf[key] -= qty
                book[key] -= qty
        elif kind == "receive":
            with unit_of_work(sessions) as s:
                ledger.move(s, Move(sku, qty, "ADJUSTMENT", "RECV-01", "receipt"))
                ledger.move(s, Move(sku, qty, "RECV-01", code, "putaway"))
                s.commit()
            shelf[key] += qty
            book[key] += qty
        elif kind == "lose":
            qty = min(qty, shelf[key])
            shelf[key] -= qty
            unseen[key] += qty
        else:  # found: more on the shelf than the books know
            shelf[key] += qty
            unseen[key] -= qty
    for code in BINS:
        if code not in counted:
            count(code)
    with unit_of_work(sessions) as s:
        decision = count_review.approve(s, count_no, "刘洋")
        s.commit()
        assert decision.ok, decision.message
        for (sku, code), qty in shelf.items():
            assert ledger.on_hand(s, sku, code) == qty + unseen[(sku, code)], (sku, code)
        assert ledger.verify(s) == []
    if not any(kind in ("lose", "find") for kind, *_rest in history):
        assert decision.adjustments == 0  # picks and receipts alone never make a variance
    engine.dispose()
