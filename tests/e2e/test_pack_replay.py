"""`station replay pack`: whole orders scanned from a file, with every outcome code the packer can meet."""
from __future__ import annotations

import json

import pytest

from tests.support.sql import connect
from tests.e2e.test_cli import station

ORDERS = """order_no,shop,buyer_account,recipient,phone,province,city,district,address,courier,sku,qty,gift,status
P1,演示店,tb_wang,王小明,13812345678,广东省,广州市,越秀区,中山五路33号,SF,TS01-RD-M,2,,
P1,演示店,tb_wang,王小明,13812345678,广东省,广州市,越秀区,中山五路33号,SF,SP-01,1,1,
P2,演示店,tb_li,李雷,13900001111,浙江省,杭州市,西湖区,文三路100号,SF,NB-001,24,,
P3,演示店,tb_han,韩梅梅,13700002222,北京市,北京市,朝阳区,建国路1号,SF,HD01-BK-L,1,,
P3,演示店,tb_han,韩梅梅,13700002222,北京市,北京市,朝阳区,建国路1号,SF,JK01-WH-M,1,,
P4,演示店,tb_zhou,周杰,13600003333,上海市,上海市,浦东新区,世纪大道8号,SF,PN-002,2,,
P5,演示店,tb_wu,吴芳,13500004444,四川省,成都市,武侯区,人民南路4号,SF,TS03-WH-S,1,,
"""


@pytest.fixture
def shop(demo_any_url, tmp_path):
    # The demo's own orders would compete for stock with these: put them out of the way.
    con = connect(demo_any_url)
    con.execute("update shop_order set status = 'cancelled' where order_no like 'DEMO-%'")
    con.commit()
    con.close()
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    imported = station("--db", demo_any_url, "import", "orders", str(path), "--user", "刘洋")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert json.loads(imported.stdout)["created"] == 5
    pool = station("--db", demo_any_url, "waybills", "add", "SF", "--range", "SF", "200000000000", "20", "13",
                   "--user", "刘洋")
    assert pool.returncode == 0, pool.stderr
    con = connect(demo_any_url)
    codes = {}
    for sku, code, pack in con.execute(
            "select p.sku, b.code, b.pack_qty from barcode b join product p on p.id = b.product_id"):
        codes[(sku, pack)] = code
    con.close()
    return demo_any_url, path, codes


def replay(url: str, scans: list[str]) -> list[dict]:
    result = station("--db", url, "replay", "pack", "--user", "张伟", "--station", "pack-1",
                     stdin="\n".join(scans) + "\n")
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_a_day_at_the_pack_bench_gives_exactly_the_expected_outcomes_and_the_books_balance(shop):
    url, orders_file, code = shop
    one = lambda sku: code[(sku, 1)]  # noqa: E731
    scans = [
        "PS:P1", one("TS01-RD-M"),
        one("TS01-RD-L"), "CMD-CONFIRM",          # same T-shirt, other size
        one("PN-001"), "CMD-CONFIRM",             # not in the order at all
        one("TS01-RD-M"), one("TS01-RD-M"), "CMD-CONFIRM",  # third T-shirt: one too many
        "CMD-UNDO",                               # the third was not counted: nothing to take back
        "CMD-UNDO", one("TS01-RD-M"),             # take one back, scan it again
        one("SP-01"),                             # the gift closes the order
        "PS:P2", code[("NB-001", 24)],            # one case barcode counts 24
        "P3", one("HD01-BK-L"), "CMD-NEW_PARCEL", one("JK01-WH-M"),
        "PS:P4", one("PN-002"), "CMD-SHORT",
        "PS:P1",
    ]
    outcomes = replay(url, scans)
    assert [o["code"] for o in outcomes] == [
        "order_opened", "item_ok",
        "wrong_variant", "error_acknowledged",
        "wrong_item", "error_acknowledged",
        "item_ok", "over_scan", "error_acknowledged",
        "nothing_to_undo", "undone", "item_ok",
        "order_packed",
        "order_opened", "order_packed",
        "order_opened", "item_ok", "new_parcel", "order_packed",
        "order_opened", "item_ok", "short_pick",
        "already_packed",
    ]
    levels = {o["code"]: o["level"] for o in outcomes}
    assert levels["wrong_variant"] == levels["wrong_item"] == levels["over_scan"] == "error"
    assert "TS01-RD-L" in outcomes[2]["message"] and "TS01-RD-M" in outcomes[2]["message"]
    assert "2 parcel(s)" in outcomes[18]["message"]
    assert station("--db", url, "verify").returncode == 0
    packed = {line.split("\t")[0]: int(line.split("\t")[3])
              for line in station("--db", url, "stock").stdout.splitlines() if "\tPACK-01\t" in line}
    assert packed == {"TS01-RD-M": 2, "SP-01": 1, "NB-001": 24, "HD01-BK-L": 1, "JK01-WH-M": 1}
    held = [json.loads(l) for l in station("--db", url, "orders", "list", "--status", "on_hold").stdout.splitlines()]
    assert [(o["order_no"], o["holds"][0]["code"], o["holds"][0]["detail"]) for o in held] == [
        ("P4", "short_pick", "PN-002 ×1")]
    con = connect(url)
    parcels = con.execute("select o.order_no, p.seq, p.tracking_no from parcel p join shop_order o "
                          "on o.id = p.order_id order by p.tracking_no").fetchall()
    con.close()
    assert [p[0] for p in parcels] == ["P1", "P2", "P3", "P3"]
    assert len({p[2] for p in parcels}) == 4 and all(p[2].startswith("SF0") for p in parcels)


def test_an_order_cancelled_while_on_the_bench_cannot_be_closed_and_the_error_waits_for_confirm(shop):
    url, orders_file, code = shop
    assert [o["code"] for o in replay(url, ["PS:P5"])] == ["order_opened"]
    # Customer service cancels it in the shop; the next import says so. The bench restarts meanwhile.
    orders_file.write_text(ORDERS.replace("人民南路4号,SF,TS03-WH-S,1,,", "人民南路4号,SF,TS03-WH-S,1,,cancelled"),
                           encoding="utf-8")
    again = json.loads(station("--db", url, "import", "orders", str(orders_file), "--user", "刘洋").stdout)
    assert again["cancelled"] == 1 and again["unchanged"] == 4
    outcomes = replay(url, [code[("TS03-WH-S", 1)], code[("TS01-RD-M", 1)], "CMD-CONFIRM", "CMD-CANCEL", "PS:P5"])
    assert [(o["code"], o["level"]) for o in outcomes] == [
        ("order_cancelled", "error"), ("acknowledge_first", "error"), ("error_acknowledged", "ok"),
        ("order_released", "warn"), ("order_cancelled", "error")]
    stock = station("--db", url, "stock", "TS03-WH-S").stdout
    assert "PACK-01" not in stock
    assert station("--db", url, "verify").returncode == 0


def test_reprint_gives_the_open_orders_slip_and_afterwards_the_last_orders_waybills(shop):
    import os
    from pathlib import Path

    from tests.support.pdfcheck import decode_barcodes

    url, _orders, code = shop
    outcomes = replay(url, ["CMD-REPRINT", "PS:P2", "CMD-REPRINT", code[("NB-001", 24)], "CMD-REPRINT"])
    assert [o["code"] for o in outcomes] == ["nothing_to_reprint", "order_opened", "reprinted", "order_packed",
                                             "reprinted"]
    from station.outbox import default_pdf_folder

    assert not (Path(os.environ["XDG_DATA_HOME"]) / "station" / "outbox").exists()  # this database's own
    files = sorted(default_pdf_folder(url).iterdir())
    assert [f.name.split("-", 3)[3] for f in files] == [
        "packing-slip-P2-reprint.pdf", "waybill-P2.pdf", "waybill-P2-reprint.pdf"]
    assert "PS:P2" in decode_barcodes(files[0].read_bytes())[0]
    assert decode_barcodes(files[1].read_bytes()) == decode_barcodes(files[2].read_bytes())


def test_an_order_cancelled_after_its_batch_was_printed_is_refused_loudly_at_the_bench(shop):
    url, orders_file, code = shop
    assert station("--db", url, "batch", "--courier", "SF", "--user", "刘洋").returncode == 0
    orders_file.write_text(ORDERS.replace("人民南路4号,SF,TS03-WH-S,1,,", "人民南路4号,SF,TS03-WH-S,1,,refunded"),
                           encoding="utf-8")
    assert json.loads(station("--db", url, "import", "orders", str(orders_file), "--user", "刘洋").stdout)["cancelled"] == 1
    con = connect(url)
    status, = con.execute("select p.status from parcel p join shop_order o on o.id = p.order_id "
                          "where o.order_no = 'P5'").fetchone()
    con.close()
    assert status == "void"  # its printed waybill may not be used
    outcomes = replay(url, ["PS:P5", code[("TS03-WH-S", 1)]])
    assert [(o["code"], o["level"]) for o in outcomes] == [("order_cancelled", "error"), ("scan_order_first", "error")]


def test_a_two_parcel_order_of_a_courier_without_a_pool_takes_one_scanned_waybill_per_parcel(shop):
    url, orders_file, code = shop
    orders_file.write_text(ORDERS + "P6,演示店,tb_qian,钱多多,13400005555,湖北省,武汉市,洪山区,珞喻路1号,YTO,"
                                    "TS01-RD-M,1,,\nP6,演示店,tb_qian,钱多多,13400005555,湖北省,武汉市,洪山区,"
                                    "珞喻路1号,YTO,PN-001,1,,\n", encoding="utf-8")
    assert json.loads(station("--db", url, "import", "orders", str(orders_file), "--user", "刘洋").stdout)["created"] == 1
    outcomes = replay(url, [
        "PS:P6", code[("TS01-RD-M", 1)], "CMD-NEW_PARCEL", code[("PN-001", 1)],
        "SF0000000001",                      # not a YTO number
        "CMD-CONFIRM",
        "YT100000000000",                    # one digit short of a YTO number
        "CMD-CONFIRM",
        "YT1000000000001", "YT1000000000001",  # the same waybill on both parcels
        "CMD-CONFIRM",
        "YT1000000000002",
    ])
    assert [(o["code"], o["level"]) for o in outcomes] == [
        ("order_opened", "ok"), ("item_ok", "ok"), ("new_parcel", "ok"), ("scan_waybill", "warn"),
        ("waybill_mismatch", "error"), ("error_acknowledged", "ok"),
        ("waybill_mismatch", "error"), ("error_acknowledged", "ok"),
        ("scan_waybill", "warn"), ("waybill_mismatch", "error"), ("error_acknowledged", "ok"),
        ("order_packed", "ok")]
    assert "1/2" in outcomes[3]["message"] and "2/2" in outcomes[8]["message"]
    con = connect(url)
    concat = "string_agg(i.sku, ',')" if con.dialect == "postgresql" else "group_concat(i.sku)"
    parcels = con.execute(f"select p.seq, p.tracking_no, {concat} from parcel p join shop_order o "
                          "on o.id = p.order_id join parcel_item i on i.parcel_id = p.id where o.order_no = 'P6' "
                          "group by p.id order by p.seq").fetchall()
    con.close()
    assert parcels == [(1, "YT1000000000001", "TS01-RD-M"), (2, "YT1000000000002", "PN-001")]
    assert station("--db", url, "verify").returncode == 0
