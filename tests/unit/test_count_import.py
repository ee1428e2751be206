"""`station import counts`: a counted quantity sets the count, never adds; every bad row at once."""
from __future__ import annotations

from decimal import Decimal

import pytest

from station.db import unit_of_work
from station.imports.counts import import_counts
from station.inventory import count_review, counts, ledger
from station.inventory.ledger import Move
from tests.support import factories as f


@pytest.fixture
def shop(sessions):
    with unit_of_work(sessions) as s:
        f.product(s, "TS-RD-M", "6901234567892", unit_cost=Decimal("40.00"))
        f.product(s, "SOCK-01", "6901234567908", unit_cost=Decimal("3.00"))
        for code in ("A-01-01-01", "A-01-01-02", "A-01-01-03"):
            f.location(s, code, zone="A")
        f.location(s, "PACK-01", "packing")
        f.user(s, "李娜", "U-1002", "counter")
        f.user(s, "刘洋", "U-1004", "supervisor")
        ledger.move(s, Move("TS-RD-M", 10, "ADJUSTMENT", "A-01-01-01", "opening"))
        ledger.move(s, Move("SOCK-01", 30, "ADJUSTMENT", "A-01-01-02", "opening"))
        s.commit()
    return sessions


def write(tmp_path, text: str, name: str = "counts.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_an_imported_count_sets_the_stock_it_never_adds_to_the_book(shop, tmp_path):
    path = write(tmp_path, "location,sku,qty\nA-01-01-01,TS-RD-M,9\nA-01-01-02,SOCK-01,29\n")
    report = import_counts(shop, path, user="李娜")
    assert report.ok and (report.created, report.bins) == (2, 2)
    again = import_counts(shop, path, count_no=report.count_no, user="李娜")  # the same file twice
    assert again.ok and again.count_no == report.count_no
    with unit_of_work(shop) as s:
        decision = count_review.approve(s, report.count_no, "刘洋")
        s.commit()
        assert decision.ok and decision.closed
        assert ledger.on_hand(s, "TS-RD-M", "A-01-01-01") == 9
        assert ledger.on_hand(s, "SOCK-01", "A-01-01-02") == 29
        assert ledger.verify(s) == []


def test_a_file_bin_is_counted_whole_a_missing_sku_counts_zero(shop, tmp_path):
    with unit_of_work(shop) as s:
        ledger.move(s, Move("SOCK-01", 4, "ADJUSTMENT", "A-01-01-01", "opening"))
        s.commit()
    report = import_counts(shop, write(tmp_path, "sku,qty,location\nTS-RD-M,10,A-01-01-01\n"), user="李娜")
    with unit_of_work(shop) as s:
        rows = count_review.variance_rows(s, counts.find_count(s, report.count_no))
    assert [(r.location, r.sku, r.book, r.counted) for r in rows] == [("A-01-01-01", "SOCK-01", 4, 0)]


def test_every_bad_row_is_reported_at_once_and_nothing_is_counted(shop, tmp_path):
    text = ("location,sku,qty\n"
            "A-01-01-01,TS-RD-M,9\n"       # 2 fine
            "A-01-01-09,TS-RD-M,1\n"       # 3 unknown bin
            "PACK-01,TS-RD-M,1\n"          # 4 not a stock bin
            "A-01-01-02,NOPE,1\n"          # 5 unknown SKU
            "A-01-01-02,SOCK-01,-2\n"      # 6 negative
            "A-01-01-03,SOCK-01,lots\n"    # 7 not a number
            "A-01-01-01,TS-RD-M,8\n"       # 8 same bin and SKU again
            ",SOCK-01,1\n"                 # 9 no bin
            "A-01-01-03,SOCK-01\n")        # 10 too few fields
    report = import_counts(shop, write(tmp_path, text), user="李娜")
    assert not report.ok and report.count_no is None
    assert [e.line for e in report.rejected] == [3, 4, 5, 6, 7, 8, 9, 10]
    reasons = {e.line: e.reason for e in report.rejected}
    assert "A-01-01-09" in reasons[3] and "PACK-01" in reasons[4] and "NOPE" in reasons[5]
    assert "line 2" in reasons[8]
    with unit_of_work(shop) as s:
        assert counts.list_counts(s) == []


def test_a_file_for_a_planned_count_must_stay_inside_its_bins(shop, tmp_path):
    with unit_of_work(shop) as s:
        count_no = counts.create_count(s, "range", first="A-01-01-01", last="A-01-01-01").count_no
        s.commit()
    report = import_counts(shop, write(tmp_path, "location,sku,qty\nA-01-01-02,SOCK-01,30\n"), count_no=count_no)
    assert [e.line for e in report.rejected] == [2] and count_no in report.rejected[0].reason


def test_a_gb18030_file_with_an_unknown_column_is_refused_with_the_header_line(shop, tmp_path):
    path = write(tmp_path, "location,sku,qty,备注\nA-01-01-01,TS-RD-M,9,好\n", encoding="gb18030")
    report = import_counts(shop, path)
    assert [e.line for e in report.rejected] == [1] and "备注" in report.rejected[0].reason
