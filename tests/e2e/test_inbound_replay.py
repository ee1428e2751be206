"""`station replay receive` and `station replay putaway`: a delivery scanned from a file, then put away.

The scans are what a USB scanner types, GS1 carton labels with their real group separators
included (the public test vectors of docs/formats: GTIN 07032069804988, batch 0329, best
before 2021-05-26). Afterwards the receipt, its lots, the ledger and `station verify` agree.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from station.demo import ean13
from tests.support.sql import connect
from tests.e2e.test_cli import station

DATA = Path(__file__).resolve().parents[1] / "data" / "inbound"
GS = "\x1d"


@pytest.fixture
def warehouse(demo_any_url):
    imported = station("--db", demo_any_url, "import", "po", str(DATA / "po.csv"), "--user", "李娜")
    assert imported.returncode == 0, imported.stderr
    con = connect(demo_any_url)
    codes = {(sku, pack): code for sku, code, pack in con.execute(
        "select p.sku, b.code, b.pack_qty from barcode b join product p on p.id = b.product_id")}
    con.close()
    return demo_any_url, codes


def replay(url: str, bench: str, scans: list[str], user: str = "李娜") -> list[dict]:
    result = station("--db", url, "replay", bench, "--user", user, "--station", "dock-1",
                     stdin="\n".join(scans) + "\n")
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def query(url: str, sql: str, *args) -> list[tuple]:
    con = connect(url)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def stock(url: str, sku: str, location: str) -> int:
    rows = query(url, "select b.qty from balance b join product p on p.id = b.product_id "
                      "join location l on l.id = b.location_id where p.sku = ? and l.code = ?", sku, location)
    return rows[0][0] if rows else 0


def receive_scans(code) -> list[str]:
    one = lambda sku: code[(sku, 1)]  # noqa: E731
    notebook_carton = f"02{'0' + one('NB-001')}3724{GS}10NB2611{GS}17280630"  # 24 notebooks, batch, expiry
    return [
        one("TS01-RD-S"),                       # before the PO: refused
        "PO-2026-0001",
        one("TS01-RD-S"), "QTY:9", "TS01-RD-S",  # an EAN counts 1, a keyed quantity then a SKU label
        notebook_carton, notebook_carton,       # GS1-128 cartons: 2 x 24 with batch and expiry
        code[("PN-001", 12)],                   # a case barcode counts 12
        code[("PN-001", 12)], code[("PN-001", 12)],  # 36 of 24: over the tolerance
        "U-1005",                               # Tom is no supervisor
        "U-1004",                               # 刘洋 lets them in
        one("TS01-RD-M"),                       # not on the PO
        "CMD-CONFIRM",                          # set aside
        f"0107032069804988100329{GS}15210526",  # a real GS1 string, a GTIN not in the catalog
        "U-1004", "HD01-BK-L",                  # the supervisor links it to HD01-BK-L: counted with its batch
        "]C1010590123412345715210526",          # another unknown GTIN behind a symbology identifier
        "CMD-CONFIRM",
        "CMD-DONE",
    ]


def test_a_delivery_scanned_at_the_receive_bench_books_the_right_units_batches_and_expiries(warehouse):
    url, code = warehouse
    out = replay(url, "receive", receive_scans(code))
    assert [o["code"] for o in out] == [
        "scan_po_first", "receipt_opened",
        "item_received", "quantity_keyed", "item_received",
        "item_received", "item_received",
        "item_received", "item_received", "over_tolerance", "supervisor_required", "supervisor_approved",
        "not_on_po", "set_aside",
        "unknown_barcode", "link_scan_sku", "barcode_linked",
        "unknown_barcode", "set_aside",
        "receipt_closed_variance",
    ]
    assert [o["kind"] for o in out][14:18] == ["gs1", "badge", "sku", "gs1"]
    assert out[5]["message"].endswith("+24: 24/48") and "Batch NB2611, expiry 2028-06-30" in out[5]["details"]
    closed = out[-1]
    assert closed["level"] == "warn"
    assert "Short: HD01-BK-L -4" in closed["details"] and "Over: PN-001 +12" in closed["details"]
    lines = dict((sku, (e, r, q, approved)) for sku, e, r, q, approved in query(
        url, "select p.sku, l.expected, l.received, l.quarantined, l.approved_by from receipt_line l "
             "join product p on p.id = l.product_id"))
    assert lines == {"TS01-RD-S": (10, 10, 0, None), "NB-001": (48, 48, 0, None), "PN-001": (24, 36, 0, "刘洋"),
                     "HD01-BK-L": (5, 1, 0, "刘洋")}
    lots = query(url, "select p.sku, t.batch, t.expiry, t.qty from receipt_lot t join receipt_line l on l.id = t.line_id "
                      "join product p on p.id = l.product_id order by t.id")
    assert lots == [("NB-001", "NB2611", "2028-06-30", 24), ("NB-001", "NB2611", "2028-06-30", 24),
                    ("HD01-BK-L", "0329", "2021-05-26", 1)]
    assert query(url, "select p.sku from barcode b join product p on p.id = b.product_id "
                      "where b.code = '07032069804988'") == [("HD01-BK-L",)]
    assert {sku: stock(url, sku, "RECV-01") for sku in lines} == {"TS01-RD-S": 10, "NB-001": 48, "PN-001": 36,
                                                                 "HD01-BK-L": 1}
    assert stock(url, "TS01-RD-M", "RECV-01") == 0
    receipts = query(url, "select sum(m.qty) from movement m where m.reason = 'receipt' and m.document = 'RCV-000001'")
    assert receipts == [(95,)]
    assert station("--db", url, "verify").returncode == 0


def test_a_gs1_string_without_its_separator_reads_the_rest_as_batch(warehouse):
    url, code = warehouse
    out = replay(url, "receive", ["PO-2026-0001", f"0107032069804988100329{GS}15210526", "U-1004", "HD01-BK-L",
                                  "010703206980498810032915210526"])
    assert out[-1]["code"] == "item_received"
    assert query(url, "select batch, expiry, qty from receipt_lot order by id") == [
        ("0329", "2021-05-26", 1), ("032915210526", None, 1)]


def test_failed_units_go_to_quarantine_the_rest_is_put_away_and_a_supervisor_releases_quarantine(warehouse):
    url, code = warehouse
    replay(url, "receive", receive_scans(code))
    qc = station("--db", url, "receive", "qc", "RCV-000001", "NB-001", "--failed", "6", "--reason", "外壳破损 cracked",
                 "--user", "李娜")
    assert qc.returncode == 0, qc.stderr
    line = next(l for l in json.loads(qc.stdout)["lines"] if l["sku"] == "NB-001")
    assert (line["received"], line["quarantined"], line["accepted"]) == (48, 6, 42)
    no_reason = station("--db", url, "receive", "qc", "RCV-000001", "TS01-RD-S", "--failed", "1", "--user", "李娜")
    assert no_reason.returncode == 1 and "Say why" in no_reason.stderr
    assert (stock(url, "NB-001", "RECV-01"), stock(url, "NB-001", "QC-01")) == (42, 6)

    home = query(url, "select l.code from balance b join product p on p.id = b.product_id join location l "
                      "on l.id = b.location_id where p.sku = 'NB-001' and l.kind = 'stock' and b.qty > 0 "
                      "order by b.qty desc, l.code limit 1")[0][0]
    before = stock(url, "NB-001", home)
    other = "C-04-05-03" if home != "C-04-05-03" else "C-04-05-02"
    notebook_carton = f"02{'0' + code[('NB-001', 1)]}3724{GS}10NB2611{GS}17280630"
    out = replay(url, "putaway", [
        home,                                    # a bin before an item: red until CONFIRM
        notebook_carton, "CMD-CONFIRM",
        notebook_carton,                         # 24 notebooks: where they live already
        "QTY:18", code[("NB-001", 1)],           # 18 more with them
        other, other,                            # another bin: confirmed by scanning it again
        "QTY:43", code[("NB-001", 1)],           # more than is waiting
        "CMD-CONFIRM",
        "QC-01", "U-1004",                       # quarantine release needs a supervisor
        "QTY:6", code[("NB-001", 1)], other,     # now the bin holding most notebooks
        "CMD-DONE",
    ])
    assert [o["code"] for o in out] == [
        "scan_item_first", "acknowledge_first", "error_acknowledged",
        "put_in_bin", "quantity_keyed", "put_in_bin", "other_bin", "put_away",
        "quantity_keyed", "not_in_receiving", "error_acknowledged", "supervisor_required", "release_started",
        "quantity_keyed", "put_in_bin", "put_away", "release_finished"]
    out = out[3:]
    assert out[0]["message"] == f"NB-001 ×24: put it in {home}"
    assert out[2]["message"] == f"NB-001 ×42: put it in {home}"
    assert out[4]["message"] == f"NB-001 ×42 put away in {other}"
    assert out[6]["message"] == "Only 0 NB-001 waiting to be put away"
    assert (stock(url, "NB-001", "RECV-01"), stock(url, "NB-001", "QC-01")) == (0, 0)
    assert out[11]["message"] == f"NB-001 ×6: put it in {other}"
    assert stock(url, "NB-001", other) == 48 and stock(url, "NB-001", home) == before
    released = query(url, "select m.qty, m.user, m.document from movement m join location l on l.id = m.from_location_id "
                          "where l.code = 'QC-01'")
    assert released == [(6, "李娜", "quarantine release: 刘洋")]
    assert station("--db", url, "verify").returncode == 0


def test_the_receiving_note_prints_both_copies_with_the_quality_check(warehouse, tmp_path):
    from tests.support.pdfcheck import decode_barcodes, pdf_text

    url, code = warehouse
    replay(url, "receive", receive_scans(code))
    station("--db", url, "receive", "qc", "RCV-000001", "NB-001", "--failed", "6", "--reason", "外壳破损", "--user", "李娜")
    out = tmp_path / "note.pdf"
    again = replay(url, "receive", ["CMD-REPRINT"])  # the bench, after the check: the note again
    assert again[0]["code"] == "note_reprinted"
    jobs = query(url, "select status, reprint, pdf from print_job where document = 'receiving-note' order by id")
    assert [(status, bool(reprint)) for status, reprint, _pdf in jobs] == [("printed", False), ("printed", True)]
    assert "部分不合格 partial" in "".join(pdf_text(jobs[1][2])) and "未检" in "".join(pdf_text(jobs[0][2]))
    printed = station("--db", url, "print", "receiving-note", "RCV-000001", "--out", str(out))
    assert printed.returncode == 0, printed.stderr
    pdf = out.read_bytes()
    pages = pdf_text(pdf)
    assert len(pages) == 2
    assert "仓库联 Warehouse copy" in pages[0] and "财务联 Finance copy" in pages[1]
    for text in pages:
        flat = "".join(text.split())  # table cells wrap
        assert "PO-2026-0001" in flat and "杭州织造有限公司" in flat
        assert "部分不合格partial:外壳破损" in flat and "NB26112028-06-30×48" in flat
        assert "03292021-05-26×1" in flat
        assert "95received,89accepted,6quarantined" in flat
        assert "仓管员Keeper" in flat and "主管Supervisor" in flat
    assert decode_barcodes(pdf, dpi=203) == [["RCV-000001"], ["RCV-000001"]]


def test_reprint_at_the_receive_bench_prints_one_product_label_per_unit_of_the_last_scan(warehouse):
    from tests.support.pdfcheck import decode_barcodes

    url, code = warehouse
    out = replay(url, "receive", ["PO-2026-0001", "CMD-REPRINT", "QTY:3", code[("TS01-RD-S", 1)], "CMD-REPRINT"])
    assert [o["code"] for o in out] == ["receipt_opened", "nothing_to_reprint", "quantity_keyed", "item_received",
                                        "labels_printed"]
    assert out[-1]["message"] == "3 labels for TS01-RD-S sent to the printer"
    con = connect(url)
    jobs = con.execute("select reference, status, pdf from print_job where document = 'product-label'").fetchall()
    con.close()
    assert [(ref, status) for ref, status, _pdf in jobs] == [("TS01-RD-S*3", "printed")]
    assert decode_barcodes(jobs[0][2], dpi=203) == [[code[("TS01-RD-S", 1)]]] * 3


def test_a_receipt_closed_at_another_station_takes_no_more_units_here(warehouse):
    url, code = warehouse
    shirt = code[("TS01-RD-S", 1)]

    def at(dock: str, scans: list[str]) -> list[str]:
        result = station("--db", url, "replay", "receive", "--user", "李娜", "--station", dock,
                         stdin="\n".join(scans) + "\n")
        assert result.returncode == 0, result.stderr
        return [json.loads(line)["code"] for line in result.stdout.splitlines()]

    assert at("dock-1", ["PO-2026-0001", shirt]) == ["receipt_opened", "item_received"]
    assert at("dock-2", ["PO-2026-0001", shirt, "CMD-DONE"]) == ["receipt_opened", "item_received", "receipt_closed_variance"]
    assert at("dock-1", [shirt, shirt, "PO-2026-0001", shirt]) == [
        "receipt_already_closed", "scan_po_first", "receipt_opened", "item_received"]
    assert query(url, "select receipt_no, status from receipt order by id") == [("RCV-000001", "closed"),
                                                                                ("RCV-000002", "open")]
    assert query(url, "select r.receipt_no, l.expected, l.received from receipt_line l join receipt r "
                      "on r.id = l.receipt_id join product p on p.id = l.product_id where p.sku = 'TS01-RD-S' "
                      "order by r.id") == [("RCV-000001", 10, 2), ("RCV-000002", 8, 1)]
    assert station("--db", url, "verify").returncode == 0


def test_the_month_summary_and_the_requisition_come_from_the_cli_after_a_delivery(warehouse, tmp_path):
    import csv
    from datetime import datetime

    url, code = warehouse
    replay(url, "receive", receive_scans(code))
    month = datetime.now().astimezone().strftime("%Y-%m")
    summary = station("--db", url, "summary", month, "--csv", str(tmp_path / "s.csv"), "--pdf", str(tmp_path / "s.pdf"))
    assert summary.returncode == 0, summary.stderr
    totals = json.loads(summary.stdout)
    assert totals["closing"] == totals["opening"] + totals["in"] - totals["out"]
    on_hand = query(url, "select sum(b.qty) from balance b join location l on l.id = b.location_id "
                         "where l.kind not in ('supplier', 'customer', 'adjustment')")[0][0]
    assert totals["closing"] == on_hand
    rows = {r["sku"]: r for r in csv.DictReader((tmp_path / "s.csv").open(encoding="utf-8-sig"))}
    assert rows["PN-001"]["in_receipt"] == "36" and rows["HD01-BK-L"]["in_receipt"] == "1"
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    reorder = station("--db", url, "reorder", "--csv", str(tmp_path / "r.csv"), "--user", "刘洋")
    assert reorder.returncode == 0, reorder.stderr
    listed = {l["sku"]: l for g in json.loads(reorder.stdout)["suppliers"] for l in g["lines"]}
    assert all(l["on_hand"] <= l["reorder_point"] for l in listed.values())
    assert "PN-001" not in listed  # 36 just arrived


def test_with_labels_per_case_reprint_after_a_case_prints_one_label_with_the_case_barcode(warehouse):
    from tests.support.pdfcheck import decode_barcodes, pdf_text

    url, code = warehouse
    con = connect(url)
    con.execute("insert into setting (key, value) values ('receive.labels', 'case')")
    con.commit()
    con.close()
    out = replay(url, "receive", ["PO-2026-0001", code[("PN-001", 12)], "CMD-REPRINT",
                                  code[("TS01-RD-S", 1)], "CMD-REPRINT"])
    assert [o["message"] for o in out[2::2]] == ["1 case labels for PN-001 sent to the printer",
                                                  "1 labels for TS01-RD-S sent to the printer"]
    jobs = query(url, "select reference, status, pdf from print_job where document = 'product-label' order by id")
    assert [(ref, status) for ref, status, _pdf in jobs] == [("PN-001*12*1", "printed"), ("TS01-RD-S*1", "printed")]
    assert decode_barcodes(jobs[0][2], dpi=203) == [[code[("PN-001", 12)]]]
    assert "×12" in pdf_text(jobs[0][2])[0]
    assert decode_barcodes(jobs[1][2], dpi=203) == [[code[("TS01-RD-S", 1)]]]


def test_goods_marked_needs_labels_get_their_labels_as_they_are_received(warehouse):
    """A product flagged ``labels`` prints its labels at receipt, through the outbox (the scan never waits);
    a supplier named in ``receive.label_suppliers`` does for all its goods; other goods print none."""
    url, code = warehouse
    con = connect(url)
    con.execute("update product set flags = 'labels' where sku = 'TS01-RD-S'")
    con.commit()
    con.close()
    out = replay(url, "receive", ["PO-2026-0001", code[("TS01-RD-S", 1)], code[("PN-001", 12)]])
    assert [o["code"] for o in out] == ["receipt_opened", "item_received", "item_received"]
    assert "1 labels printing: stick one on each" in out[1]["details"]
    jobs = query(url, "select reference, status from print_job where document = 'product-label' order by id")
    assert jobs == [("TS01-RD-S*1", "printed")]
    supplier = query(url, "select supplier from purchase_order where po_no = 'PO-2026-0001'")[0][0]
    con = connect(url)
    con.execute("insert into setting (key, value) values ('receive.label_suppliers', ?)", (f"某某; {supplier}",))
    con.commit()
    con.close()
    out = replay(url, "receive", [code[("PN-001", 12)]])  # the receipt is still open at the bench
    assert out[-1]["code"] == "item_received"
    jobs = query(url, "select reference from print_job where document = 'product-label' order by id")
    assert jobs[-1] == ("PN-001*12",)


def test_a_blind_receipt_is_opened_by_its_command_code_and_closed_at_the_bench(warehouse):
    """A delivery without a PO, all by scan: CMD-BLIND, the goods (the first names the supplier), DONE."""
    url, code = warehouse
    supplier = query(url, "select supplier from product where sku = 'TS01-RD-S'")[0][0]
    out = replay(url, "receive", ["CMD-BLIND", code[("TS01-RD-S", 1)], code[("TS01-RD-S", 1)], "CMD-DONE"])
    assert [o["code"] for o in out] == ["blind_receipt_started", "item_received", "item_received",
                                        "receipt_closed_variance"]
    (number, po_id, reason, named, location), = query(
        url, "select receipt_no, po_id, blind_reason, supplier, location from receipt where status = 'closed'")
    assert (po_id, reason, named) == (None, "CMD-BLIND", supplier or "?")
    assert out[1]["details"][0].startswith(f"Blind receipt {number} from ")
    assert stock(url, "TS01-RD-S", location) >= 2
    assert station("--db", url, "verify").returncode == 0


def test_the_quality_check_by_scan_sends_each_failed_unit_to_quarantine_with_the_sheets_reason(warehouse):
    url, code = warehouse
    shirt = code[("TS01-RD-S", 1)]
    out = replay(url, "receive", ["PO-2026-0001", shirt, shirt, shirt, "CMD-DONE", "QC:damaged", shirt, shirt,
                                  "CMD-DONE"])
    assert [o["code"] for o in out][-5:] == ["receipt_closed_variance", "qc_reason_set", "unit_quarantined",
                                             "unit_quarantined", "qc_finished"]
    assert out[-2]["message"] == "TS01-RD-S ×1 to quarantine (damaged): 2 of 3 failed"
    quarantine = query(url, "select code from location where kind = 'quarantine' order by code")[0][0]
    assert stock(url, "TS01-RD-S", quarantine) == 2
    (failed, reason, result), = query(url, "select l.quarantined, l.qc_reason, l.qc_result from receipt_line l "
                                           "join product p on p.id = l.product_id where p.sku = 'TS01-RD-S'")
    assert (failed, reason, result) == (2, "damaged", "partial")
    assert station("--db", url, "verify").returncode == 0
