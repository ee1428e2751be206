"""Office commands that change the database or write files, each run on SQLite and on the real
PostgreSQL server (the demo warehouse, ``demo_any_url``), their effects read back from the database:
``waybills add``, ``receive blind`` and ``receive qc`` (then the bench counts the blind receipt),
``returns reindex``, ``returns register|handoff`` with ``--shop`` and ``--since``,
``orders hold|release|cancel``, ``batch``, ``counts reject``, ``import products|locations|stock``, ``init``.

Some tests hold a transaction open on another connection (another desk or station in the middle of
the same change) and commit it while the command runs: the command must wait and then decide on
what was committed, on PostgreSQL as on SQLite, whose writers queue (BEGIN IMMEDIATE) anyway."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from station.cli import main
from tests.support.sql import connect

SUPERVISOR, RECEIVER, OFFICE_OUTSIDER = "刘洋", "李娜", "张伟"


def cli(url: str, *args: str, stdin: str | None = None):
    return CliRunner().invoke(main, ["--db", url, *args], input=stdin, catch_exceptions=False)


def ok(url: str, *args: str, stdin: str | None = None):
    result = cli(url, *args, stdin=stdin)
    assert result.exit_code == 0, result.output
    return result


def rows(url: str, sql: str, *params) -> list[tuple]:
    con = connect(url)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def audit_rows(url: str, action: str) -> list[tuple]:
    return rows(url, 'select "user", outcome, target from audit_log where action = ? order by id', action)


def stock(url: str, sku: str, location: str) -> int:
    found = rows(url, "select b.qty from balance b join product p on p.id = b.product_id "
                      "join location l on l.id = b.location_id where p.sku = ? and l.code = ?", sku, location)
    return found[0][0] if found else 0


# --- waybills add ---------------------------------------------------------------------------------

def test_waybills_add_puts_a_range_in_the_pool_and_a_file_with_one_bad_number_adds_nothing(demo_any_url, tmp_path):
    url = demo_any_url
    before = rows(url, "select count(*) from waybill_number")[0][0]
    added = ok(url, "waybills", "add", "SF", "--range", "SF", "500000000000", "5", "13", "--user", SUPERVISOR)
    assert json.loads(added.stdout) == {"courier": "SF", "added": 5, "invalid": [], "duplicates": []}
    numbers = [f"SF{n:013d}" for n in range(500000000000, 500000000005)]
    assert rows(url, "select tracking_no, courier from waybill_number where tracking_no like 'SF05%' "
                     "order by tracking_no") == [(n, "SF") for n in numbers]
    assert audit_rows(url, "waybills.add") == [(SUPERVISOR, "permitted", "SF")]

    file = tmp_path / "numbers.txt"
    file.write_text("\ufeffSF0500000000009\n\nSF0500000000003\nSF0500000000010\nSF0500000000010\nXX12\n",
                    encoding="utf-8")
    refused = cli(url, "waybills", "add", "SF", "--file", str(file), "--user", SUPERVISOR)
    assert refused.exit_code == 1 and "nothing was added" in refused.stderr
    report = json.loads(refused.stdout)
    assert report["added"] == 0 and report["invalid"] == ["XX12"]
    assert report["duplicates"] == ["SF0500000000003", "SF0500000000010"]
    assert rows(url, "select count(*) from waybill_number")[0][0] == before + 5

    file.write_text("SF0500000000009\nSF0500000000010\n", encoding="utf-8")
    assert json.loads(ok(url, "waybills", "add", "SF", "--file", str(file), "--user", SUPERVISOR).stdout)["added"] == 2
    assert rows(url, "select count(*) from waybill_number")[0][0] == before + 7


def test_waybills_add_takes_a_courier_range_of_seventy_thousand_numbers_at_once(demo_any_url):
    """More numbers than PostgreSQL takes bind parameters in one statement (65,535)."""
    url = demo_any_url
    added = ok(url, "waybills", "add", "ZTO", "--range", "", "780000000000", "70000", "12", "--user", SUPERVISOR)
    assert json.loads(added.stdout)["added"] == 70000
    assert rows(url, "select count(*), min(tracking_no), max(tracking_no) from waybill_number where tracking_no like '78%'") \
        == [(70000, "780000000000", "780000069999")]
    again = cli(url, "waybills", "add", "ZTO", "--range", "", "780000069999", "2", "12", "--user", SUPERVISOR)
    assert again.exit_code == 1 and json.loads(again.stdout)["duplicates"] == ["780000069999"]
    assert rows(url, "select count(*) from waybill_number where tracking_no like '78%'") == [(70000,)]


# --- receive blind, the bench, receive qc ---------------------------------------------------------

def test_a_blind_receipt_opened_from_the_cli_is_counted_at_the_bench_and_checked(demo_any_url):
    url = demo_any_url
    opened = ok(url, "receive", "blind", "--supplier", " 宁波文具厂 ", "--reason", "供应商补发，无采购单",
                "--user", RECEIVER)
    receipt = json.loads(opened.stdout)
    assert (receipt["po_no"], receipt["supplier"], receipt["status"], receipt["blind_reason"], receipt["lines"]) == (
        None, "宁波文具厂", "open", "供应商补发，无采购单", [])
    number = receipt["receipt_no"]
    assert rows(url, "select po_id, supplier, blind_reason, opened_by, status from receipt where receipt_no = ?",
                number) == [(None, "宁波文具厂", "供应商补发，无采购单", RECEIVER, "open")]
    assert [(u, o, t.strip()) for u, o, t in audit_rows(url, "receive.blind")] == [(RECEIVER, "permitted", "宁波文具厂")]

    no_reason = cli(url, "receive", "blind", "--supplier", "宁波文具厂", "--reason", "  ", "--user", RECEIVER)
    assert no_reason.exit_code == 1 and "needs a reason" in no_reason.stderr
    assert rows(url, "select count(*) from receipt where supplier = '宁波文具厂'") == [(1,)]

    [(ean,)] = rows(url, "select b.code from barcode b join product p on p.id = b.product_id "
                         "where p.sku = 'NB-001' and b.pack_qty = 1")
    before = stock(url, "NB-001", "RECV-01")
    scanned = ok(url, "replay", "receive", "--user", RECEIVER, "--station", "dock-1",
                 stdin="\n".join([number, ean, ean, ean, "CMD-DONE"]) + "\n")
    codes = [json.loads(line)["code"] for line in scanned.stdout.splitlines()]
    assert codes[0] == "receipt_opened" and codes[1:4] == ["item_received"] * 3 and codes[-1].startswith("receipt_closed")
    assert stock(url, "NB-001", "RECV-01") == before + 3
    assert rows(url, "select sum(qty) from movement where reason = 'receipt' and document = ?", number) == [(3,)]

    qc = ok(url, "receive", "qc", number, "NB-001", "--failed", "2", "--reason", "封面破损", "--user", RECEIVER)
    [line] = json.loads(qc.stdout)["lines"]
    assert (line["sku"], line["received"], line["quarantined"], line["accepted"], line["on_po"]) == (
        "NB-001", 3, 2, 1, False)
    assert (stock(url, "NB-001", "RECV-01"), stock(url, "NB-001", "QC-01")) == (before + 1, 2)
    assert rows(url, "select l.qc_result, l.qc_reason, l.qc_by from receipt_line l join receipt r on r.id = l.receipt_id "
                     "where r.receipt_no = ?", number) == [("partial", "封面破损", RECEIVER)]
    fewer = cli(url, "receive", "qc", number, "NB-001", "--failed", "1", "--reason", "x", "--user", RECEIVER)
    assert fewer.exit_code == 1 and "already in quarantine" in fewer.stderr
    unknown = cli(url, "receive", "qc", "RCV-999999", "NB-001", "--user", RECEIVER)
    assert unknown.exit_code == 1 and "No receipt RCV-999999" in unknown.stderr
    assert [(u, o) for u, o, _t in audit_rows(url, "receive.qc")] == [(RECEIVER, "permitted")] * 3
    assert ok(url, "verify")


def test_a_quality_check_recorded_at_two_desks_at_once_quarantines_the_units_once(demo_any_url):
    """Another desk records the same check and commits while ``receive qc`` runs: the command sees
    that check and moves nothing more to quarantine (PostgreSQL as SQLite)."""
    import threading
    import time

    url = demo_any_url
    number = json.loads(ok(url, "receive", "blind", "--supplier", "宁波文具厂", "--reason", "补发",
                           "--user", RECEIVER).stdout)["receipt_no"]
    [(ean,)] = rows(url, "select b.code from barcode b join product p on p.id = b.product_id "
                         "where p.sku = 'NB-001' and b.pack_qty = 1")
    ok(url, "replay", "receive", "--user", RECEIVER, "--station", "dock-1", stdin=f"{number}\n{ean}\n{ean}\n{ean}\n")
    other = connect(url)  # the other desk, its check recorded but not yet committed
    other.execute("update receipt_line set quarantined = 2, qc_result = 'partial', qc_reason = '破损', qc_by = 'Tom' "
                  "where receipt_id = (select id from receipt where receipt_no = ?)", (number,))
    result = {}
    desk = threading.Thread(target=lambda: result.update(r=cli(url, "receive", "qc", number, "NB-001", "--failed", "2",
                                                               "--reason", "破损", "--user", RECEIVER)))
    desk.start()
    time.sleep(1.0)
    other.commit()
    other.close()
    desk.join(30)
    assert result["r"].exit_code == 0, result["r"].output
    assert rows(url, "select count(*) from movement m join location l on l.id = m.to_location_id "
                     "where l.code = 'QC-01' and m.document = ?", number) == [(0,)]
    assert rows(url, "select quarantined from receipt_line where receipt_id = "
                     "(select id from receipt where receipt_no = ?)", number) == [(2,)]


# --- shipped orders: returns reindex, register and handoff --since -------------------------------

SHIPPED = ("order_no,shop,buyer_account,recipient,phone,province,city,district,address,courier,sku,qty,unit_price,"
           "status,tracking_no,shipped_at\n"
           "S1,演示店,tb_li,李雷,13900001111,浙江省,杭州市,西湖区,文三路1号,SF,TS01-RD-M,1,59.00,shipped,SF9100000000001,{old}\n"
           "S2,演示店,tb_han,韩梅梅,13700002222,北京市,北京市,朝阳区,建国路1号,SF,HD01-BK-L,1,129.00,shipped,SF9100000000002,{new}\n"
           "S3,二店,tb_zhou,周杰,13600003333,上海市,上海市,浦东新区,世纪大道8号,SF,TS01-BK-L,1,59.00,shipped,SF9100000000003,{new}\n")


@pytest.fixture
def shipped(demo_any_url, tmp_path):
    now = datetime.now(timezone.utc)
    old, new = (now - timedelta(days=20)), (now - timedelta(days=2))
    file = tmp_path / "shipped.csv"
    file.write_text(SHIPPED.format(old=old.isoformat(timespec="seconds"), new=new.isoformat(timespec="seconds")),
                    encoding="utf-8")
    ok(demo_any_url, "import", "orders", str(file), "--user", SUPERVISOR)
    return demo_any_url, now


def test_returns_reindex_rebuilds_the_matching_keys_of_every_shipped_order(shipped, tmp_path):
    url, _now = shipped
    keyed = rows(url, "select count(*) from return_match_key")[0][0]
    assert keyed > 0
    con = connect(url)
    con.execute("delete from return_match_key")
    con.commit()
    con.close()
    result = ok(url, "returns", "reindex", "--user", SUPERVISOR)
    assert json.loads(result.stdout) == {"keys": keyed}
    assert rows(url, "select count(*) from return_match_key")[0][0] == keyed
    orders = {o for (o,) in rows(url, "select distinct o.order_no from return_match_key k "
                                      "join shop_order o on o.id = k.order_id")}
    assert {"S1", "S2", "S3"} <= orders
    assert audit_rows(url, "returns.reindex") == [(SUPERVISOR, "permitted", None)]
    note = tmp_path / "note.json"
    note.write_text(json.dumps({"name": "韩梅梅", "phone": "2222", "account": "tb_han"}, ensure_ascii=False),
                    encoding="utf-8")
    matched = json.loads(ok(url, "returns", "match", "--note", str(note)).stdout)
    assert matched["candidates"][0]["order_no"] == "S2"


def test_register_and_handoff_list_received_returns_by_shop_and_since(shipped, tmp_path):
    url, now = shipped
    codes = dict(rows(url, "select p.sku, b.code from barcode b join product p on p.id = b.product_id "
                           "where b.pack_qty = 1 and p.sku in ('HD01-BK-L', 'TS01-BK-L')"))
    scans = ['YT7100000000002', 'NOTE:{"name": "韩梅梅", "phone": "13700002222", "account": "tb_han"}', "CMD-CONFIRM",
             codes["HD01-BK-L"], "A-01-01-01", "CMD-DONE",
             'YT7100000000003', 'NOTE:{"name": "周杰", "phone": "13600003333", "account": "tb_zhou"}', "CMD-CONFIRM",
             codes["TS01-BK-L"], "QC-01", "CMD-DONE"]
    out = ok(url, "replay", "returns", "--user", "王芳", "--station", "returns-1", stdin="\n".join(scans) + "\n")
    assert [json.loads(line)["code"] for line in out.stdout.splitlines()].count("return_received") == 2
    # S3's parcel was received yesterday (so to speak): --since today leaves it out
    con = connect(url)
    con.execute("update return_receipt set closed_at = ? where return_tracking = 'YT7100000000003'",
                (now - timedelta(days=3),))
    con.commit()
    con.close()

    register = tmp_path / "register.csv"
    summary = json.loads(ok(url, "returns", "register", "--out", str(register)).stdout)
    listed = list(csv.DictReader(io.StringIO(register.read_text(encoding="utf-8-sig"))))
    assert summary == {"file": str(register), "rows": 2, "units": 2}
    assert {(r["shop"], r["order_no"], r["sku"], r["qty"], r["disposition"]) for r in listed} == {
        ("演示店", "S2", "HD01-BK-L", "1", "restock"), ("二店", "S3", "TS01-BK-L", "1", "quarantine")}
    by_shop = json.loads(ok(url, "returns", "register", "--shop", "二店", "--out", str(register)).stdout)
    assert by_shop["rows"] == 1 and "S3" in register.read_text(encoding="utf-8-sig")
    since = (now - timedelta(days=1)).date().isoformat()
    recent = json.loads(ok(url, "returns", "register", "--since", since, "--out", str(register)).stdout)
    assert recent["rows"] == 1 and "S2" in register.read_text(encoding="utf-8-sig")

    handoff = [json.loads(line) for line in ok(url, "returns", "handoff").stdout.splitlines()]
    assert {(h["order_no"], h["accepted"], h["amount"]) for h in handoff} == {("S2", 1, "129.00"), ("S3", 1, "59.00")}
    out_csv = tmp_path / "handoff.csv"
    later = [json.loads(line) for line in ok(url, "returns", "handoff", "--since", since, "--out",
                                              str(out_csv)).stdout.splitlines()]
    assert [h["order_no"] for h in later] == ["S2"]
    assert [r["order_no"] for r in csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8-sig")))] == ["S2"]


# --- orders hold, release, cancel (a printed waybill becomes void) -----------------------------

def test_an_order_is_held_released_printed_and_cancelled_from_the_cli_and_its_waybill_voided(shipped):
    url, _now = shipped
    [(order_no,)] = rows(url, "select order_no from shop_order where status = 'ready' and courier = 'SF' "
                              "order by paid_at, id limit 1")
    held = ok(url, "orders", "hold", order_no, "--reason", "客服要求等一下", "--user", SUPERVISOR)
    assert json.loads(held.stdout) == {"order_no": order_no, "status": "on_hold"}
    assert rows(url, "select h.code, h.detail, h.created_by, h.resolved_by from order_hold h "
                     "join shop_order o on o.id = h.order_id where o.order_no = ?", order_no)[-1][1:] == (
        "客服要求等一下", SUPERVISOR, None)
    ok(url, "orders", "release", order_no, "--user", SUPERVISOR)
    assert rows(url, "select status from shop_order where order_no = ?", order_no) == [("ready",)]
    assert rows(url, "select count(*) from order_hold h join shop_order o on o.id = h.order_id "
                     "where o.order_no = ? and h.resolved_by is null", order_no) == [(0,)]
    ok(url, "waybills", "add", "SF", "--range", "SF", "600000000000", "3", "13", "--user", SUPERVISOR)
    batch = json.loads(ok(url, "batch", "--courier", "SF", "--limit", "1", "--user", SUPERVISOR).stdout)
    assert batch["orders"] == 1 and batch["waybills"] == 1
    [(tracking, status)] = rows(url, "select p.tracking_no, p.status from parcel p join shop_order o "
                                     "on o.id = p.order_id where o.order_no = ?", order_no)
    assert status == "printed" and rows(url, "select courier, parcel_id is not null from waybill_number "
                                        "where tracking_no = ?", tracking) == [("SF", True)]
    cancelled = ok(url, "orders", "cancel", order_no, "--user", SUPERVISOR)
    assert json.loads(cancelled.stdout)["status"] == "cancelled"
    assert rows(url, "select p.status from parcel p join shop_order o on o.id = p.order_id "
                     "where o.order_no = ?", order_no) == [("void",)]
    shipped_order = cli(url, "orders", "cancel", "S1", "--user", SUPERVISOR)
    assert shipped_order.exit_code == 1 and "has shipped" in shipped_order.stderr
    assert rows(url, "select status from shop_order where order_no = 'S1'") == [("shipped",)]
    assert [a for a, in rows(url, "select action from audit_log where outcome = 'permitted' and target = ? "
                                  "order by id", order_no)] == ["orders.hold", "orders.release", "orders.cancel"]


@pytest.mark.parametrize("action", ["cancel", "hold"])
def test_an_order_that_ships_while_the_office_cancels_or_holds_it_is_refused_clearly(demo_any_url, action):
    """Another station ships the order while the office command runs: the command waits for it and
    refuses with the reason, on PostgreSQL as on SQLite (not a version-conflict traceback)."""
    import threading
    import time

    url = demo_any_url
    [(order_no,)] = rows(url, "select order_no from shop_order where status = 'ready' order by id limit 1")
    other = connect(url)  # the other station, in the middle of its transaction
    other.execute("update shop_order set status = 'shipped', version = version + 1 where order_no = ?", (order_no,))
    result = {}
    office = threading.Thread(target=lambda: result.update(r=cli(url, "orders", action, order_no,
                                                                 "--user", SUPERVISOR)))
    office.start()
    time.sleep(1.0)
    other.commit()
    other.close()
    office.join(30)
    done = result["r"]
    assert done.exit_code == 1, done.output
    assert f"Order {order_no}" in done.stderr and ("has shipped" in done.stderr or "is shipped" in done.stderr)
    assert rows(url, "select status from shop_order where order_no = ?", order_no) == [("shipped",)]


def test_an_order_file_imported_again_while_a_station_ships_one_of_its_orders_imports_cleanly(demo_any_url, tmp_path):
    """The shop's file comes again with a changed address while a station is shipping that order: the
    import waits for the station, and leaves the shipped order alone (no version-conflict traceback)."""
    import threading
    import time

    url = demo_any_url
    header = "order_no,recipient,phone,province,city,address,courier,sku,qty\n"
    file = tmp_path / "orders.csv"
    file.write_text(header + "Q1,王小明,13812345678,广东省,广州市,中山五路33号,SF,TS01-RD-M,1\n", encoding="utf-8")
    ok(url, "import", "orders", str(file), "--user", SUPERVISOR)
    file.write_text(header + "Q1,王小明,13812345678,广东省,广州市,中山五路35号,SF,TS01-RD-M,1\n", encoding="utf-8")
    other = connect(url)  # the station shipping Q1, not yet committed
    other.execute("update shop_order set status = 'shipped', version = version + 1 where order_no = 'Q1'")
    result = {}
    desk = threading.Thread(target=lambda: result.update(r=cli(url, "import", "orders", str(file),
                                                               "--user", SUPERVISOR)))
    desk.start()
    time.sleep(1.0)
    other.commit()
    other.close()
    desk.join(30)
    assert result["r"].exit_code == 0, result["r"].output
    assert rows(url, "select status, address from shop_order where order_no = 'Q1'") == [("shipped", "中山五路33号")]


# --- counts reject --------------------------------------------------------------------------------

def counted_one_short(url: str, folder) -> tuple[str, str, str, int]:
    """A count of one bin of the demo, counted with one unit of one SKU missing: (count, bin, sku, book)."""
    [(bin_code, sku, qty)] = rows(url, "select l.code, p.sku, b.qty from balance b join product p on p.id = b.product_id "
                                       "join location l on l.id = b.location_id where l.code = 'A-01-01-01' "
                                       "and b.qty > 1 order by p.sku limit 1")
    plan = json.loads(ok(url, "counts", "plan", "range", "--from", bin_code, "--to", bin_code,
                         "--user", SUPERVISOR).stdout)
    count_no = plan["count_no"]
    counted = folder / "counted.csv"
    others = rows(url, "select p.sku, b.qty from balance b join product p on p.id = b.product_id "
                       "join location l on l.id = b.location_id where l.code = ? and p.sku <> ?", bin_code, sku)
    counted.write_text("location,sku,qty\n" + f"{bin_code},{sku},{qty - 1}\n"
                       + "".join(f"{bin_code},{s},{q}\n" for s, q in others), encoding="utf-8")
    ok(url, "import", "counts", str(counted), "--count", count_no, "--user", RECEIVER)
    return count_no, bin_code, sku, qty


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_count_decided_at_another_desk_meanwhile_is_not_decided_again(demo_any_url, tmp_path, decision):
    """Another supervisor approves the count (its window, the bench's CMD-APPROVE) and commits while
    ``counts approve|reject`` runs: the command waits, finds the count closed, and posts nothing."""
    import threading
    import time

    url = demo_any_url
    count_no, bin_code, sku, qty = counted_one_short(url, tmp_path)
    other = connect(url)  # the other supervisor's approval, not yet committed
    other.execute("update count_line set status = 'approved', decided_by = '刘洋' "
                  "where count_id = (select id from stock_count where count_no = ?)", (count_no,))
    other.execute("update stock_count set status = 'closed' where count_no = ?", (count_no,))
    result = {}
    desk = threading.Thread(target=lambda: result.update(r=cli(url, "counts", decision, count_no,
                                                               "--user", SUPERVISOR)))
    desk.start()
    time.sleep(1.0)
    other.commit()
    other.close()
    desk.join(30)
    assert result["r"].exit_code == 1, result["r"].output
    assert f"Count {count_no} is closed" in result["r"].stderr
    assert rows(url, "select count(*) from movement where document = ?", count_no) == [(0,)]
    assert rows(url, "select status from stock_count where count_no = ?", count_no) == [("closed",)]
    assert stock(url, sku, bin_code) == qty


def test_a_rejected_count_posts_nothing_and_keeps_the_books(demo_any_url, tmp_path):
    url = demo_any_url
    count_no, bin_code, sku, qty = counted_one_short(url, tmp_path)
    movements = rows(url, "select count(*) from movement")[0][0]
    result = ok(url, "counts", "reject", count_no, "--reason", "数错了", "--user", SUPERVISOR)
    decision = json.loads(result.stdout)
    assert decision["ok"] and decision["code"] == "count_rejected" and decision["adjustments"] == 0
    assert rows(url, "select status from stock_count where count_no = ?", count_no) == [("rejected",)]
    assert rows(url, "select count(*) from movement")[0][0] == movements
    assert stock(url, sku, bin_code) == qty
    assert rows(url, 'select e."user", e.action, e.outcome from count_event e join stock_count c on c.id = e.count_id '
                     "where c.count_no = ? and e.action = 'reject'", count_no) == [(SUPERVISOR, "reject", "rejected")]
    assert audit_rows(url, "counts.reject") == [(SUPERVISOR, "permitted", count_no)]
    again = cli(url, "counts", "approve", count_no, "--user", SUPERVISOR)
    assert again.exit_code == 1 and rows(url, "select count(*) from movement")[0][0] == movements


# --- master data and init ------------------------------------------------------------------------

def test_products_locations_and_opening_stock_come_in_from_the_cli(demo_any_url, tmp_path):
    url = demo_any_url
    (tmp_path / "products.csv").write_text(
        "sku,name,colour,size,flags,weight_g,reorder_point,barcodes\n"
        "QP-01,旗袍连衣裙,墨绿,M,sale,350,5,6901234567892\nQP-02,旗袍连衣裙,酒红,L,,360,,6901234567908*6\n",
        encoding="utf-8")
    (tmp_path / "locations.csv").write_text("code,kind,zone\nZ-01-01-01,stock,Z\nZ-QC,quarantine,Z\n", encoding="utf-8")
    (tmp_path / "stock.csv").write_text("sku,location,qty\nQP-01,Z-01-01-01,5\nQP-02,Z-01-01-01,12\n", encoding="utf-8")
    for kind in ("products", "locations", "stock"):
        ok(url, "import", kind, str(tmp_path / f"{kind}.csv"), "--user", SUPERVISOR)
    assert rows(url, "select sku, name, colour, size, flags, weight_g, reorder_point from product "
                     "where sku like 'QP-%' order by sku") == [
        ("QP-01", "旗袍连衣裙", "墨绿", "M", "sale", 350, 5), ("QP-02", "旗袍连衣裙", "酒红", "L", "", 360, None)]
    assert rows(url, "select b.code, b.pack_qty from barcode b join product p on p.id = b.product_id "
                     "where p.sku like 'QP-%' order by b.code") == [("6901234567892", 1), ("6901234567908", 6)]
    assert rows(url, "select code, kind, zone from location where zone = 'Z' order by code") == [
        ("Z-01-01-01", "stock", "Z"), ("Z-QC", "quarantine", "Z")]
    assert (stock(url, "QP-01", "Z-01-01-01"), stock(url, "QP-02", "Z-01-01-01")) == (5, 12)
    assert sorted(rows(url, "select p.sku, m.qty, m.reason, m.\"user\" from movement m join product p on p.id = m.product_id "
                            "where p.sku like 'QP-%'")) == [("QP-01", 5, "opening", SUPERVISOR),
                                                           ("QP-02", 12, "opening", SUPERVISOR)]
    again = cli(url, "import", "stock", str(tmp_path / "stock.csv"), "--user", SUPERVISOR)
    assert again.exit_code == 1 and "already has an opening balance" in again.output
    assert stock(url, "QP-02", "Z-01-01-01") == 12
    assert [(u, o) for u, o, _t in audit_rows(url, "import.stock")] == [(SUPERVISOR, "permitted")] * 2
    assert ok(url, "verify")


def test_init_creates_the_database_with_its_couriers_once(any_url):
    first = json.loads(ok(any_url, "init").stdout)
    assert first["couriers_added"] > 0
    assert json.loads(ok(any_url, "init").stdout)["couriers_added"] == 0
    assert {c for (c,) in rows(any_url, "select code from courier")} >= {"SF", "ZTO", "YTO", "JD", "EMS"}
