"""Stock counts: plans, counting while stock moves, tolerances, recounts, approval and posting."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from station.db import unit_of_work
from station.inventory import count_review, counts, ledger
from station.inventory.count_documents import count_sheet_data
from station.inventory.count_models import CountEvent
from station.inventory.counts import CountError
from station.inventory.ledger import Move
from station.inventory.models import Movement
from station.printing.documents.stock_count import render_count_sheet
from tests.support import factories as f
from tests.support.pdfcheck import pdf_text


@pytest.fixture
def shop(sessions):
    """Three zone-A bins and a zone-B bin; T-shirts, socks and a lipstick; a counter and a supervisor."""
    with unit_of_work(sessions) as s:
        f.product(s, "TS-RD-M", "6901234567892", name="纯棉T恤", unit_cost=Decimal("40.00"))
        f.product(s, "SOCK-01", "6901234567908", name="棉袜", unit_cost=Decimal("3.00"))
        f.product(s, "LS-01", "6901234567915", name="口红", unit_cost=Decimal("120.00"))
        for code, zone in (("A-01-01-01", "A"), ("A-01-01-02", "A"), ("A-01-01-03", "A"), ("B-01-01-01", "B")):
            f.location(s, code, zone=zone)
        f.location(s, "PACK-01", "packing")
        f.location(s, "RECV-01", "receiving")
        f.user(s, "李娜", "U-1002", "counter")
        f.user(s, "Tom", "U-1005", "counter")
        f.user(s, "刘洋", "U-1004", "supervisor;counter")
        for sku, qty, code in (("TS-RD-M", 10, "A-01-01-01"), ("SOCK-01", 50, "A-01-01-01"),
                               ("LS-01", 4, "A-01-01-02"), ("SOCK-01", 20, "B-01-01-01")):
            ledger.move(s, Move(sku, qty, "ADJUSTMENT", code, "opening"))
        s.commit()
    return sessions


def _count(sessions, kind="full", **kw):
    with unit_of_work(sessions) as s:
        count = counts.create_count(s, kind, user="刘洋", **kw)
        s.commit()
        return count.count_no


def _record(sessions, count_no, code, found, user="李娜", mark=None):
    with unit_of_work(sessions) as s:
        result = counts.record_bin(s, counts.find_count(s, count_no), code, found, user=user, mark=mark)
        s.commit()
        return result


def _lines(sessions, count_no, only_variances=True):
    with unit_of_work(sessions) as s:
        return {(r.location, r.sku): r for r in count_review.variance_rows(
            s, counts.find_count(s, count_no), only_variances=only_variances)}


def _move(sessions, *moves):
    with unit_of_work(sessions) as s:
        for mv in moves:
            ledger.move(s, mv)
        s.commit()


def _on_hand(sessions, sku, code):
    with unit_of_work(sessions) as s:
        return ledger.on_hand(s, sku, code)


# --- plans ---------------------------------------------------------------------

@pytest.mark.parametrize("kind, kw, bins", [
    ("full", {}, 4),
    ("zone", {"zone": "B"}, 1),
    ("range", {"first": "A-01-01-02", "last": "A-01-01-03"}, 2),
    ("skus", {"skus": ("SOCK-01",)}, 2),
    ("stale", {"days": 30}, 4),
])
def test_a_plan_lists_the_bins_its_kind_selects(shop, kind, kw, bins):
    count_no = _count(shop, kind, **kw)
    with unit_of_work(shop) as s:
        p = counts.progress(s, counts.find_count(s, count_no))
    assert (p.bins, p.pending, p.counted) == (bins, bins, 0)


def test_a_sku_count_counts_only_its_skus_and_refuses_others(shop):
    count_no = _count(shop, "skus", skus=("SOCK-01",))
    with pytest.raises(CountError) as refused:
        _record(shop, count_no, "A-01-01-01", {"SOCK-01": 50, "TS-RD-M": 10})
    assert refused.value.code == "not_in_count"
    _record(shop, count_no, "A-01-01-01", {"SOCK-01": 50})
    assert set(_lines(shop, count_no, only_variances=False)) == {("A-01-01-01", "SOCK-01")}


def test_a_plan_that_finds_no_bin_or_names_an_unknown_sku_is_refused(shop):
    with pytest.raises(CountError, match="no bin"):
        _count(shop, "zone", zone="Z")
    with pytest.raises(CountError, match="NOPE"):
        _count(shop, "skus", skus=("NOPE",))


def test_stale_bins_are_those_not_counted_for_n_days(shop):
    count_no = _count(shop, "range", first="A-01-01-01", last="A-01-01-01")
    _record(shop, count_no, "A-01-01-01", {"TS-RD-M": 10, "SOCK-01": 50})
    with unit_of_work(shop) as s:
        recent = [b.code for b in counts.plan_bins(s, "stale", days=7)]
        later = [b.code for b in counts.plan_bins(s, "stale", days=7,
                                                  at=datetime.now(timezone.utc) + timedelta(days=8))]
    assert "A-01-01-01" not in recent and len(recent) == 3
    assert "A-01-01-01" in later


def test_cycle_counts_take_bins_of_fast_movers_as_class_a(shop):
    _move(shop, *[Move("TS-RD-M", 1, "A-01-01-01", "PACK-01", "pick") for _ in range(8)],
          Move("SOCK-01", 1, "B-01-01-01", "PACK-01", "pick"))
    with unit_of_work(shop) as s:
        classes = counts.movement_classes(s)
        a_bins = [b.code for b in counts.plan_bins(s, "cycle", movement_class="A")]
        c_bins = [b.code for b in counts.plan_bins(s, "cycle", movement_class="C")]
    assert sorted(classes.values()) == ["A", "B", "C"]
    assert a_bins == ["A-01-01-01"]  # the T-shirts' bin: 8 of 9 units picked
    assert c_bins == ["A-01-01-02"]  # lipstick never picked


# --- counting while the warehouse moves ---------------------------------------------------

def test_a_pick_before_a_bins_count_and_a_receipt_after_it_make_no_variance(shop):
    count_no = _count(shop)
    _move(shop, Move("TS-RD-M", 3, "A-01-01-01", "PACK-01", "pick"))  # after the count started
    _record(shop, count_no, "A-01-01-01", {"TS-RD-M": 7, "SOCK-01": 50})
    _move(shop, Move("TS-RD-M", 5, "ADJUSTMENT", "RECV-01", "receipt"),
          Move("TS-RD-M", 5, "RECV-01", "A-01-01-01", "putaway"))  # after the bin was counted
    _record(shop, count_no, "A-01-01-02", {"LS-01": 4})
    _record(shop, count_no, "A-01-01-03", {})
    _record(shop, count_no, "B-01-01-01", {"SOCK-01": 20})
    assert _lines(shop, count_no) == {}
    with unit_of_work(shop) as s:
        decision = count_review.approve(s, count_no, "刘洋")
        s.commit()
    assert (decision.ok, decision.adjustments, decision.closed) == (True, 0, True)
    assert _on_hand(shop, "TS-RD-M", "A-01-01-01") == 12


def test_an_approved_loss_is_posted_against_stock_that_moved_since_the_count(shop):
    count_no = _count(shop, tolerance_qty=5, tolerance_value=Decimal("1000"))
    _record(shop, count_no, "A-01-01-01", {"TS-RD-M": 8, "SOCK-01": 50})  # two T-shirts missing
    _move(shop, Move("TS-RD-M", 1, "A-01-01-01", "PACK-01", "pick"))  # picked after the count
    for code, found in (("A-01-01-02", {"LS-01": 5}), ("A-01-01-03", {}), ("B-01-01-01", {"SOCK-01": 20})):
        _record(shop, count_no, code, found)
    with unit_of_work(shop) as s:
        decision = count_review.approve(s, count_no, "刘洋")
        s.commit()
    assert decision.ok and decision.adjustments == 2
    assert _on_hand(shop, "TS-RD-M", "A-01-01-01") == 7  # 10 - 1 picked - 2 lost, not the 8 counted
    assert _on_hand(shop, "LS-01", "A-01-01-02") == 5
    with unit_of_work(shop) as s:
        posted = s.execute(select(Movement.qty, Movement.user, Movement.document).where(
            Movement.reason == "count_adjustment").order_by(Movement.id)).all()
        assert ledger.verify(s) == []
    assert posted == [(2, "刘洋", count_no), (1, "刘洋", count_no)]


def test_stock_moved_while_the_bin_was_being_counted_asks_for_a_recount(shop):
    count_no = _count(shop)
    with unit_of_work(shop) as s:
        mark = counts.movement_mark(s)
    _move(shop, Move("TS-RD-M", 1, "A-01-01-01", "PACK-01", "pick"))  # while the counter is in the bin
    result = _record(shop, count_no, "A-01-01-01", {"TS-RD-M": 10, "SOCK-01": 50}, mark=mark)
    assert result.recount
    line = _lines(shop, count_no)[("A-01-01-01", "TS-RD-M")]
    assert (line.status, line.recount_reason) == ("recount", "moved")
    _record(shop, count_no, "A-01-01-01", {"TS-RD-M": 9, "SOCK-01": 50}, user="李娜")  # anyone may recount
    assert ("A-01-01-01", "TS-RD-M") not in _lines(shop, count_no)


def test_counting_a_bin_again_sets_its_count_it_never_adds(shop):
    count_no = _count(shop, tolerance_qty=100)
    _record(shop, count_no, "A-01-01-01", {"TS-RD-M": 9, "SOCK-01": 50})
    _record(shop, count_no, "A-01-01-01", {"TS-RD-M": 9, "SOCK-01": 50})
    line = _lines(shop, count_no)[("A-01-01-01", "TS-RD-M")]
    assert (line.counted, line.book, line.round) == (9, 10, 2)


def test_an_item_the_books_hold_but_nobody_found_is_counted_zero(shop):
    count_no = _count(shop, tolerance_qty=100, tolerance_value=Decimal("10000"))
    _record(shop, count_no, "A-01-01-01", {"TS-RD-M": 10})
    line = _lines(shop, count_no)[("A-01-01-01", "SOCK-01")]
    assert (line.book, line.counted, line.value) == (50, 0, Decimal("-150.00"))


# --- tolerances, recounts, roles ------------------------------------------------------

@pytest.mark.parametrize("variance, cost, beyond", [
    (2, None, False), (3, None, True), (-3, None, True), (1, Decimal("120"), True), (1, Decimal("99"), False),
])
def test_tolerance_is_by_quantity_and_by_value(variance, cost, beyond):
    assert counts.beyond_tolerance(variance, cost, 2, Decimal("100")) is beyond


def test_a_variance_beyond_tolerance_waits_for_another_counter_before_approval(shop):
    count_no = _count(shop, "range", first="A-01-01-02", last="A-01-01-02")
    _record(shop, count_no, "A-01-01-02", {"LS-01": 3})  # one lipstick missing: 120.00, beyond 100.00
    with unit_of_work(shop) as s:
        refused = count_review.approve(s, count_no, "刘洋")
        s.commit()
    assert (refused.ok, refused.code) == (False, "recount_pending")
    with pytest.raises(CountError) as same:
        _record(shop, count_no, "A-01-01-02", {"LS-01": 3}, user="李娜")
    assert same.value.code == "recount_same_counter"
    _record(shop, count_no, "A-01-01-02", {"LS-01": 3}, user="Tom")
    line = _lines(shop, count_no)[("A-01-01-02", "LS-01")]
    assert (line.status, line.first_counted_by, line.counted_by) == ("open", "李娜", "Tom")
    with unit_of_work(shop) as s:
        assert count_review.approve(s, count_no, "刘洋").ok
        s.commit()
    assert _on_hand(shop, "LS-01", "A-01-01-02") == 3


def test_a_counters_attempt_to_approve_is_refused_and_recorded(shop):
    count_no = _count(shop, "zone", zone="B")
    _record(shop, count_no, "B-01-01-01", {"SOCK-01": 19})
    with unit_of_work(shop) as s:
        decision = count_review.approve(s, count_no, "李娜")
        s.commit()
    assert (decision.ok, decision.code) == (False, "not_permitted")
    with unit_of_work(shop) as s:
        events = s.execute(select(CountEvent.user, CountEvent.action, CountEvent.outcome)).all()
        assert ledger.on_hand(s, "SOCK-01", "B-01-01-01") == 20
    assert events == [("李娜", "approve", "refused")]


def test_the_whole_count_waits_for_every_bin_but_single_lines_may_be_approved(shop):
    count_no = _count(shop, "zone", zone="A", tolerance_qty=100, tolerance_value=Decimal("10000"))
    _record(shop, count_no, "A-01-01-01", {"TS-RD-M": 10, "SOCK-01": 48})
    with unit_of_work(shop) as s:
        whole = count_review.approve(s, count_no, "刘洋")
        one = count_review.approve(s, count_no, "刘洋", lines=[("A-01-01-01", "SOCK-01")])
        s.commit()
    assert (whole.ok, whole.code) == (False, "bins_not_counted")
    assert (one.ok, one.adjustments, one.closed) == (True, 1, False)
    assert _on_hand(shop, "SOCK-01", "A-01-01-01") == 48


def test_a_rejected_line_posts_nothing_and_a_rejected_count_closes(shop):
    count_no = _count(shop, "zone", zone="B", tolerance_qty=100, tolerance_value=Decimal("10000"))
    _record(shop, count_no, "B-01-01-01", {"SOCK-01": 5})
    with unit_of_work(shop) as s:
        counter = count_review.reject(s, count_no, "Tom")
        decision = count_review.reject(s, count_no, "刘洋", reason="counted the wrong shelf")
        s.commit()
    assert counter.code == "not_permitted" and decision.closed
    assert _on_hand(shop, "SOCK-01", "B-01-01-01") == 20
    with pytest.raises(CountError, match="closed"):
        _record(shop, count_no, "B-01-01-01", {"SOCK-01": 5})


def test_a_supervisor_may_send_a_doubtful_bin_back_for_a_recount(shop):
    count_no = _count(shop, "zone", zone="B", tolerance_qty=100, tolerance_value=Decimal("10000"))
    _record(shop, count_no, "B-01-01-01", {"SOCK-01": 18})
    with unit_of_work(shop) as s:
        assert counts.request_recount(s, counts.find_count(s, count_no), "B-01-01-01", user="刘洋") == 1
        assert count_review.approve(s, count_no, "刘洋").code == "recount_pending"
        s.commit()
    _record(shop, count_no, "B-01-01-01", {"SOCK-01": 20}, user="李娜")
    assert _lines(shop, count_no) == {}


def test_products_counted_to_zero_are_listed_for_delisting(shop):
    count_no = _count(shop, "range", first="A-01-01-02", last="A-01-01-02", tolerance_qty=10,
                      tolerance_value=Decimal("10000"))
    _record(shop, count_no, "A-01-01-02", {})
    with unit_of_work(shop) as s:
        count_review.approve(s, count_no, "刘洋")
        s.commit()
        assert count_review.delisting(s, counts.find_count(s, count_no)) == ["LS-01"]


def test_the_count_sheet_never_shows_a_book_quantity(shop):
    _move(shop, Move("SOCK-01", 9876, "ADJUSTMENT", "A-01-01-03", "opening"))
    count_no = _count(shop)
    with unit_of_work(shop) as s:
        text = "\n".join(pdf_text(render_count_sheet(count_sheet_data(s, count_no))))
    assert all(code in text for code in ("A-01-01-01", "A-01-01-03", "B-01-01-01"))
    assert "9876" not in text


def test_a_loss_that_stock_moved_since_can_no_longer_cover_is_refused_whole(shop):
    count_no = _count(shop, "zone", zone="B", tolerance_qty=100, tolerance_value=Decimal("10000"))
    _record(shop, count_no, "B-01-01-01", {"SOCK-01": 12})  # eight missing
    _move(shop, Move("SOCK-01", 15, "B-01-01-01", "PACK-01", "pick"))  # five left, fewer than the loss
    with unit_of_work(shop) as s, pytest.raises(CountError) as refused:
        count_review.approve(s, count_no, "刘洋")
    assert refused.value.code == "stock_moved" and "SOCK-01" in str(refused.value)
    assert _on_hand(shop, "SOCK-01", "B-01-01-01") == 5
    assert _lines(shop, count_no)[("B-01-01-01", "SOCK-01")].status == "open"


def test_counting_while_picking_and_approving_work_the_same_on_postgresql(any_url):
    from station.db import open_database

    engine, sessions = open_database(any_url)
    with unit_of_work(sessions) as s:
        f.product(s, "TS-RD-M", "6901234567892", unit_cost=Decimal("40.00"))
        f.location(s, "A-01-01-01", zone="A")
        f.location(s, "PACK-01", "packing")
        f.user(s, "李娜", "U-1002", "counter")
        f.user(s, "刘洋", "U-1004", "supervisor")
        ledger.move(s, Move("TS-RD-M", 10, "ADJUSTMENT", "A-01-01-01", "opening"))
        s.commit()
    count_no = _count(sessions, "zone", zone="A")
    _move(sessions, Move("TS-RD-M", 4, "A-01-01-01", "PACK-01", "pick"))
    _record(sessions, count_no, "A-01-01-01", {"TS-RD-M": 5})
    with unit_of_work(sessions) as s:
        decision = count_review.approve(s, count_no, "刘洋")
        s.commit()
        assert (decision.ok, decision.adjustments, decision.closed) == (True, 1, True)
        assert ledger.on_hand(s, "TS-RD-M", "A-01-01-01") == 5
        assert ledger.verify(s) == []
    engine.dispose()
