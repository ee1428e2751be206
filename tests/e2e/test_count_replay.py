"""`station replay count`: a count while the warehouse keeps moving, a recount, a refused and a real approval."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from station.db import open_database, unit_of_work
from station.inventory import ledger
from tests.support.sql import connect
from tests.e2e.test_cli import station
from tests.support.pdfcheck import decode_barcodes, pdf_text

LOCATIONS = "code,kind,zone\nE-01-01-01,stock,E\nE-01-01-02,stock,E\nE-01-01-03,stock,E\nE-01-01-04,stock,E\n"
STOCK = "sku,location,qty\nTS01-RD-M,E-01-01-01,5\nNB-001,E-01-01-01,3\nHL-003,E-01-01-03,10\nTS01-RD-S,E-01-01-04,8\n"


@pytest.fixture
def zone_e(demo_any_url, tmp_path):
    """Four new bins in zone E with known stock, and a count over them."""
    for kind, text in (("locations", LOCATIONS), ("stock", STOCK)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        done = station("--db", demo_any_url, "import", kind, str(path), "--user", "刘洋")
        assert done.returncode == 0, done.stdout + done.stderr
    plan = station("--db", demo_any_url, "counts", "plan", "zone", "--zone", "E", "--tolerance-qty", "2",
                   "--user", "刘洋")
    assert plan.returncode == 0, plan.stderr
    count = json.loads(plan.stdout)
    assert count["bins"] == 4
    con = connect(demo_any_url)
    codes = {sku: code for sku, code in con.execute(
        "select p.sku, b.code from barcode b join product p on p.id = b.product_id where b.pack_qty = 1")}
    con.close()
    return demo_any_url, count["count_no"], codes


class Replay:
    """One `station replay count` process fed a scan at a time, so the test can move stock in between."""

    def __init__(self, url: str, user: str):
        exe = Path(sys.executable).parent / "station"
        self.proc = subprocess.Popen([str(exe), "--db", url, "replay", "count", "--user", user, "--station", "count-1"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env={**os.environ, "STATION_LANG": "en"})

    def __call__(self, *scans: str) -> list[str]:
        codes = []
        for raw in scans:
            self.proc.stdin.write(raw + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
            assert line, self.proc.stderr.read()
            codes.append(json.loads(line)["code"])
        return codes

    def close(self) -> None:
        self.proc.stdin.close()
        assert self.proc.wait(timeout=60) == 0


def move(url: str, sku: str, qty: int, src: str, dst: str, reason: str) -> None:
    _engine, sessions = open_database(url)
    with unit_of_work(sessions) as s:
        ledger.move(s, ledger.Move(sku, qty, src, dst, reason, user="picker"))
        s.commit()
    _engine.dispose()


def stock(url: str) -> dict[tuple[str, str], int]:
    out = station("--db", url, "stock", "--json")
    return {(r["sku"], r["location"]): r["qty"] for r in map(json.loads, out.stdout.splitlines())}


def test_a_count_while_picks_and_receipts_go_on_posts_only_the_real_loss_after_a_supervisors_badge(zone_e):
    url, count_no, code = zone_e
    scan = Replay(url, "李娜")
    assert scan(count_no) == ["count_opened"]
    # A full bin: five T-shirts scanned one by one, three notebooks keyed.
    assert scan("E-01-01-01", *[code["TS01-RD-M"]] * 5, code["NB-001"], "3") == \
        ["bin_opened"] + ["item_counted"] * 6 + ["quantity_keyed"]
    # The next bin closes the first; it is empty.
    assert scan("E-01-01-02", "CMD-EMPTY") == ["bin_opened", "bin_empty"]
    # Goods put away into the first bin after its count: not part of the count.
    move(url, "TS01-RD-M", 4, "SUPPLIER", "RECV-01", "receipt")
    move(url, "TS01-RD-M", 4, "RECV-01", "E-01-01-01", "putaway")
    # Six highlighters where the books say ten: beyond tolerance, so another counter must recount.
    assert scan("E-01-01-03", code["HL-003"], "6", "CMD-DONE") == ["bin_opened", "item_counted", "quantity_keyed",
                                                                  "bin_counted"]
    # Two T-shirts picked from the last bin after the count started, before that bin is counted.
    move(url, "TS01-RD-S", 2, "E-01-01-04", "PACK-01", "pick")
    assert scan("E-01-01-04", code["TS01-RD-S"], "6", "CMD-DONE") == ["bin_opened", "item_counted", "quantity_keyed",
                                                                     "bin_counted"]
    # The counter tries to approve with her own badge: refused, and recorded.
    assert scan("CMD-APPROVE", "U-1002", "CMD-CONFIRM") == ["scan_supervisor_badge", "not_permitted",
                                                           "error_acknowledged"]
    # She may not recount her own doubtful bin.
    assert scan("E-01-01-03", "CMD-CONFIRM") == ["recount_same_counter", "error_acknowledged"]
    # 刘洋 (supervisor and counter) recounts it: seven.
    assert scan("U-1004", "E-01-01-03", code["HL-003"], "7", "CMD-DONE") == \
        ["logged_in", "bin_opened", "item_counted", "quantity_keyed", "bin_counted"]
    # A bin already counted asks for RECOUNT before it is opened again.
    assert scan("E-01-01-02", "CMD-CANCEL") == ["already_counted", "nothing_to_cancel"]
    assert scan("CMD-APPROVE", "U-1004") == ["scan_supervisor_badge", "count_approved"]
    scan.close()

    assert station("--db", url, "verify").returncode == 0
    books = stock(url)
    assert books[("TS01-RD-M", "E-01-01-01")] == 9  # counted 5, then 4 put away: the receipt stands
    assert books[("NB-001", "E-01-01-01")] == 3
    assert books[("HL-003", "E-01-01-03")] == 7  # the only real loss: three
    assert books[("TS01-RD-S", "E-01-01-04")] == 6  # the pick was no loss
    shown = json.loads(station("--db", url, "counts", "show", count_no).stdout)
    assert shown["status"] == "closed"
    assert [(l["location"], l["sku"], l["book"], l["counted"], l["variance"], l["status"]) for l in shown["lines"]] \
        == [("E-01-01-03", "HL-003", 10, 7, -3, "approved")]
    line = shown["lines"][0]
    assert (line["first_qty"], line["first_counted_by"], line["counted_by"], line["decided_by"]) == \
        (6, "李娜", "刘洋", "刘洋")
    assert [(e["user"], e["action"], e["outcome"]) for e in shown["events"]] == \
        [("李娜", "approve", "refused"), ("刘洋", "approve", "approved")]
    con = connect(url)
    adjustments = con.execute("select m.qty, m.\"user\", m.document, f.code, t.code from movement m "
                              "join location f on f.id = m.from_location_id join location t on t.id = m.to_location_id "
                              "where m.reason = 'count_adjustment'").fetchall()
    refused = con.execute("select \"user\", code from scan_event where bench = 'count' and level = 'error' "
                          "and code = 'not_permitted'").fetchall()
    con.close()
    assert adjustments == [(3, "刘洋", count_no, "E-01-01-03", "ADJUSTMENT")]
    assert refused == [("李娜", "not_permitted")]


def test_the_three_count_documents_print_from_the_command_line_and_read_back(zone_e, tmp_path):
    url, count_no, code = zone_e
    sheet = tmp_path / "sheet.pdf"
    assert station("--db", url, "print", "count-sheet", count_no, "--out", str(sheet)).returncode == 0
    text = pdf_text(sheet.read_bytes())[0]
    assert all(f"E-01-01-0{n}" in text for n in range(1, 5))
    assert decode_barcodes(sheet.read_bytes(), dpi=203) == [[count_no]]
    path = tmp_path / "counts.csv"
    path.write_text("location,sku,qty\nE-01-01-01,TS01-RD-M,5\nE-01-01-01,NB-001,3\nE-01-01-02,HL-003,0\n"
                    "E-01-01-03,HL-003,9\nE-01-01-04,TS01-RD-S,8\n", encoding="utf-8")
    imported = station("--db", url, "import", "counts", str(path), "--count", count_no, "--user", "李娜")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    approved = station("--db", url, "counts", "approve", count_no, "--user", "刘洋")
    assert approved.returncode == 0 and json.loads(approved.stdout)["adjustments"] == 1, approved.stdout
    for document in ("variance-report", "write-off"):
        out = tmp_path / f"{document}.pdf"
        assert station("--db", url, "print", document, count_no, "--out", str(out)).returncode == 0
        flat = "".join(pdf_text(out.read_bytes())[0].split())
        assert "E-01-01-03HL-003" in flat and decode_barcodes(out.read_bytes(), dpi=203) == [[count_no]]
        if document == "variance-report":
            assert "藏青109-1-5.50approved李娜" in flat  # book 10, counted 9, -1, value, status, counter
        else:
            assert "合计Total1件units·金额Value5.50" in flat and "批准Approvedby刘洋" in flat
    assert station("--db", url, "verify").returncode == 0


def test_plans_list_their_bins_and_progress_and_only_a_supervisor_sends_a_bin_back(zone_e, tmp_path):
    url, count_no, _code = zone_e
    shown = json.loads(station("--db", url, "counts", "show", count_no, "--bins").stdout)
    assert [b["location"] for b in shown["bin_list"]] == [f"E-01-01-0{n}" for n in range(1, 5)]
    assert {b["status"] for b in shown["bin_list"]} == {"pending"} and shown["pending"] == 4
    cycle = station("--db", url, "counts", "plan", "cycle", "--class", "C", "--user", "刘洋")
    stale = station("--db", url, "counts", "plan", "stale", "--days", "30", "--user", "刘洋")
    assert cycle.returncode == 0 and json.loads(cycle.stdout)["bins"] > 0, cycle.stderr
    assert stale.returncode == 0 and json.loads(stale.stdout)["bins"] > 100  # the demo's bins, never counted
    empty = station("--db", url, "counts", "plan", "zone", "--zone", "NOWHERE", "--user", "刘洋")
    assert empty.returncode == 1 and "no bin" in empty.stderr
    listed = [json.loads(line) for line in station("--db", url, "counts", "list").stdout.splitlines()]
    assert [c["count_no"] for c in listed][:1] == [count_no] and len(listed) == 3
    path = tmp_path / "one.csv"
    path.write_text("location,sku,qty\nE-01-01-01,TS01-RD-M,5\n", encoding="utf-8")
    assert station("--db", url, "import", "counts", str(path), "--count", count_no, "--user", "李娜").returncode == 0
    refused = station("--db", url, "counts", "recount", count_no, "E-01-01-01", "--user", "李娜")
    assert refused.returncode == 3 and json.loads(refused.stdout)["code"] == "not_permitted"
    asked = station("--db", url, "counts", "recount", count_no, "E-01-01-01", "--user", "刘洋")
    assert asked.returncode == 0 and json.loads(asked.stdout)["lines"] == 2  # the T-shirts and the notebooks
    events = json.loads(station("--db", url, "counts", "show", count_no).stdout)["events"]
    assert [(e["user"], e["action"], e["outcome"]) for e in events] == [("李娜", "recount", "refused"),
                                                                        ("刘洋", "recount", "requested")]


def test_undo_right_after_a_refused_item_was_confirmed_takes_back_nothing_then_the_item_counted_before(zone_e):
    from station.workflows.runner import BenchRunner

    url, count_no, code = zone_e
    engine, sessions = open_database(url)
    try:
        runner = BenchRunner(sessions, "count", "count-2")
        assert runner.login("李娜").code == "logged_in"
        scans = [count_no, "E-01-01-01", code["TS01-RD-M"], "NO-SUCH-SKU-9", "CMD-CONFIRM", "CMD-UNDO", "CMD-UNDO"]
        assert [runner.process(raw)[1].code for raw in scans] == [
            "count_opened", "bin_opened", "item_counted", "unknown_barcode", "error_acknowledged", "nothing_to_undo",
            "undone"]
        assert runner.bench.items() == {}
    finally:
        engine.dispose()
