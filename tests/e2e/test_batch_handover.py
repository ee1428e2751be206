"""Print first, pack by the printed slip, hand over to the courier, tell the shop."""
from __future__ import annotations

import csv
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from click.testing import CliRunner

from station.cli import main
from tests.support.sql import connect
from tests.e2e.test_cli import station
from tests.e2e.test_pack_replay import ORDERS, replay, shop  # noqa: F401  (the fixture)
from tests.support.pdfcheck import decode_barcodes, pdf_text


def run(url: str, bench: str, scans: list[str]) -> list[dict]:
    result = station("--db", url, "replay", bench, "--user", "张伟", "--station", "pack-1",
                     stdin="\n".join(scans) + "\n")
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def outbox(url: str) -> Path:
    """The database's own PDF folder: beside its SQLite file, not shared with other databases."""
    from station.outbox import default_pdf_folder

    folder = default_pdf_folder(url)
    if url.startswith("sqlite:///"):
        database = Path(url.removeprefix("sqlite:///"))
        assert folder == database.with_name(f"{database.stem}-files") / "outbox"
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "station" / "outbox").exists()
    return folder


def test_a_printed_batch_is_packed_by_its_waybills_handed_over_and_exported(shop, tmp_path):
    url, _orders, code = shop
    one = lambda sku: code[(sku, 1)]  # noqa: E731
    result = station("--db", url, "batch", "--courier", "SF", "--limit", "2", "--user", "刘洋")
    assert result.returncode == 0, result.stderr
    batch = json.loads(result.stdout)
    assert (batch["orders"], batch["waybills"], len(batch["print_jobs"])) == (2, 2, 3)
    files = sorted(outbox(url).iterdir())
    waybill_pdf = next(f for f in files if "-waybill-" in f.name).read_bytes()
    numbers = sorted(v for page in decode_barcodes(waybill_pdf) for v in page if v.startswith("SF"))
    assert len(set(numbers)) == 2
    slips = next(f for f in files if "-packing-slip-" in f.name).read_bytes()
    slip_codes = {v for page in decode_barcodes(slips) for v in page}
    assert {"PS:P1", "RS:P1", "PS:P2", "RS:P2"} <= slip_codes
    assert "王小明" in "".join(pdf_text(slips))
    pick = "".join(pdf_text(next(f for f in files if "-pick-list-" in f.name).read_bytes()))
    assert "TS01-RD-M" in pick and "NB-001" in pick

    con = connect(url)
    p1_number, = con.execute("select p.tracking_no from parcel p join shop_order o on o.id = p.order_id "
                             "where o.order_no = 'P1'").fetchone()
    p2_number, = con.execute("select p.tracking_no from parcel p join shop_order o on o.id = p.order_id "
                             "where o.order_no = 'P2'").fetchone()
    con.close()
    packed = replay(url, ["PS:P1", one("TS01-RD-M"), one("TS01-RD-M"), one("SP-01"),
                          p2_number, "CMD-CONFIRM", p1_number,
                          "PS:P2", code[("NB-001", 24)], p2_number])
    assert [o["code"] for o in packed] == ["order_opened", "item_ok", "item_ok", "scan_waybill",
                                           "waybill_mismatch", "error_acknowledged", "order_packed",
                                           "order_opened", "scan_waybill", "order_packed"]

    handed = run(url, "handover", [p1_number, p1_number, "SF9999999999999", "CMD-CONFIRM", "SF9999999999999",
                                   "CMD-CONFIRM", p2_number, "CMD-DONE", "CMD-REPRINT"])
    assert [o["code"] for o in handed] == ["parcel_added", "already_scanned", "acknowledge_first", "error_acknowledged",
                                           "unknown_parcel", "error_acknowledged", "parcel_added", "handover_closed",
                                           "handover_reprinted"]
    # what the screen shows after the first parcel: it on the list, the other SF parcel still waiting
    first = handed[0]["state"]
    assert first["on_list"] == [[p1_number, "P1"]]
    assert (first["waiting"], first["waiting_first"]) == (1, [[p2_number, "P2"]])
    assert ["SF", first["handover"], 1, 1] in first["couriers"]
    assert handed[6]["state"]["waiting"] == 0 and handed[6]["state"]["count"] == 2
    assert [r["scan"] for r in handed[6]["state"]["recent"]][:3] == [p2_number, "SF9999999999999", p1_number]
    assert handed[7]["state"]["closed"] == first["handover"] and "handover" not in handed[7]["state"]
    again = run(url, "handover", [p1_number])
    assert again[0]["code"] == "already_handed_over"
    assert station("--db", url, "verify").returncode == 0
    assert "PACK-01" not in station("--db", url, "stock", "TS01-RD-M").stdout  # it left the building
    listings = [f for f in sorted(outbox(url).iterdir()) if "-handover-" in f.name]
    assert len(listings) == 2  # closed, and printed again by CMD-REPRINT
    listing = listings[0].read_bytes()
    assert {p1_number, p2_number} <= {v for page in decode_barcodes(listing) for v in page} | set(
        "".join(pdf_text(listing)).split())

    export = tmp_path / "shipments.csv"
    assert station("--db", url, "export", "shipments", "--out", str(export)).returncode == 0
    rows = list(csv.DictReader(export.read_text(encoding="utf-8-sig").splitlines()))
    assert sorted((r["order_no"], r["courier"], r["tracking_no"]) for r in rows) == sorted(
        [("P1", "SF", p1_number), ("P2", "SF", p2_number)])
    con = connect(url)
    shipped = con.execute("select count(*) from parcel where status = 'shipped'").fetchone()[0]
    con.close()
    assert shipped == 2
    today = datetime.now().date()  # --since is the warehouse's own day (this computer's zone)
    for since, expected in ((today, 2), (today + timedelta(days=1), 0)):
        summary = CliRunner().invoke(main, ["--db", url, "export", "shipments", "--since", since.isoformat(),
                                            "--out", str(export)], catch_exceptions=False)
        assert summary.exit_code == 0, summary.output
        assert json.loads(summary.stdout) == {"file": str(export), "format": "generic", "kind": "csv",
                                              "shipments": expected}
        assert len(list(csv.DictReader(export.read_text(encoding="utf-8-sig").splitlines()))) == expected


def test_a_parcel_of_an_unpacked_order_or_another_courier_is_refused_at_handover(shop, tmp_path):
    url, orders_file, code = shop
    orders_file.write_text(ORDERS.replace("P4,演示店,tb_zhou,周杰,13600003333,上海市,上海市,浦东新区,世纪大道8号,SF",
                                          "P4,演示店,tb_zhou,周杰,13600003333,上海市,上海市,浦东新区,世纪大道8号,YTO"),
                           encoding="utf-8")
    station("--db", url, "import", "orders", str(orders_file), "--user", "刘洋")
    station("--db", url, "waybills", "add", "YTO", "--range", "YT", "1000000000000", "5", "13", "--user", "刘洋")
    assert station("--db", url, "batch", "--courier", "SF", "--user", "刘洋").returncode == 0
    assert station("--db", url, "batch", "--courier", "YTO", "--user", "刘洋").returncode == 0
    one = lambda sku: code[(sku, 1)]  # noqa: E731
    con = connect(url)
    numbers = dict(con.execute("select o.order_no, p.tracking_no from parcel p join shop_order o "
                               "on o.id = p.order_id"))
    con.close()
    replay(url, ["PS:P5", one("TS03-WH-S"), numbers["P5"], "PS:P4", one("PN-002"), one("PN-002"), numbers["P4"]])
    outcomes = run(url, "handover", [numbers["P5"], numbers["P1"], "CMD-CONFIRM", numbers["P4"]])
    assert [o["code"] for o in outcomes] == ["parcel_added", "not_packed", "error_acknowledged", "wrong_courier"]
