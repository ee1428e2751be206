"""`station replay returns`: the returns bench from the parcel's tracking number to restock, quarantine
and scrap, through the same code path as the GUI; then `station verify`, the receipt, the register,
the hand-off list and the packing scan trail from the command line."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest

from tests.support.sql import connect
from tests.e2e.test_cli import station
from tests.support.pdfcheck import decode_barcodes, pdf_text

SKUS = ("TS01-RD-M", "HD01-BK-L", "UW01-BK-M", "TS03-WH-S", "SP-01", "TS01-WH-M", "TS01-BK-L")
HEADER = ("order_no,shop,buyer_account,recipient,phone,province,city,district,address,courier,sku,qty,unit_price,"
          "gift,status,tracking_no,shipped_at")


def _shipped_orders(days_ago) -> str:
    rows = [  # order, account, name, phone, sku, qty, price, gift, tracking, shipped days ago
        ("R2", "tb_lina", "李娜", "13900001111", "HD01-BK-L", 1, "129.00", "", "SF9000000000002", 4),
        ("R3", "tb_wangfang", "王芳", "13700002222", "UW01-BK-M", 1, "39.00", "", "SF9000000000003", 3),
        ("R3", "tb_wangfang", "王芳", "13700002222", "TS03-WH-S", 1, "29.00", "", "SF9000000000003", 3),
        ("R3", "tb_wangfang", "王芳", "13700002222", "SP-01", 1, "0.00", "1", "SF9000000000003", 3),
        ("R3", "tb_wangfang", "王芳", "13700002222", "TS01-WH-M", 2, "59.00", "", "SF9000000000003", 3),
        ("R4", "tb_zhaolei", "赵磊", "13600003333", "TS01-BK-L", 1, "59.00", "", "SF9000000000004", 30),
        ("R5", "=cmd|' /C calc'!A0", "钱伟", "13511112222", "TS01-BK-L", 1, "59.00", "", "SF9000000000005", 2),
    ]
    lines = [HEADER]
    for order, account, name, phone, sku, qty, price, gift, tracking, ago in rows:
        lines.append(",".join(map(str, [order, "演示店", account, name, phone, "浙江省", "杭州市", "西湖区", "文三路1号", "SF",
                                        sku, qty, price, gift, "shipped", tracking, days_ago(ago)])))
    return "\n".join(lines) + "\n"


@pytest.fixture
def shop(demo_any_url, tmp_path):
    """The demo warehouse with order RP1 packed at station pack-1 (a red T-shirt M, 59.00) and shipped
    orders R2-R5 imported; customer service registered RP1's return (YT…01, quality) and R2's exchange."""
    con = connect(demo_any_url)
    con.execute("update shop_order set status = 'cancelled' where order_no like 'DEMO-%'")
    con.commit()
    codes = {sku: code for sku, code in con.execute(
        "select p.sku, b.code from barcode b join product p on p.id = b.product_id where b.pack_qty = 1")}
    con.close()
    now = datetime.now(timezone.utc)

    def days_ago(n: int) -> str:
        return (now - timedelta(days=n)).isoformat(timespec="seconds")

    (tmp_path / "ready.csv").write_text(
        "order_no,shop,buyer_account,recipient,phone,province,city,district,address,courier,sku,qty,unit_price\n"
        "RP1,演示店,tb_zhangwei,张伟,13812345678,浙江省,杭州市,西湖区,文三路1号,SF,TS01-RD-M,1,59.00\n",
        encoding="utf-8")
    (tmp_path / "shipped.csv").write_text(_shipped_orders(days_ago), encoding="utf-8")
    for name in ("ready.csv", "shipped.csv"):
        assert station("--db", demo_any_url, "import", "orders", str(tmp_path / name), "--user", "刘洋").returncode == 0
    assert station("--db", demo_any_url, "waybills", "add", "SF", "--range", "SF", "300000000000", "10", "13",
                   "--user", "刘洋").returncode == 0
    packed = station("--db", demo_any_url, "replay", "pack", "--user", "张伟", "--station", "pack-1",
                     stdin=f"PS:RP1\n{codes['TS01-RD-M']}\n")
    assert [json.loads(l)["code"] for l in packed.stdout.splitlines()] == ["order_opened", "order_packed"]
    (tmp_path / "returns.csv").write_text("order_no,return_tracking,type,reason\nRP1,YT7000000000001,refund,quality\n"
                                          "R2,YT7000000000002,exchange,quality\n", encoding="utf-8")
    assert station("--db", demo_any_url, "import", "returns", str(tmp_path / "returns.csv"), "--user", "王芳").returncode == 0
    return demo_any_url, codes, tmp_path


def replay(url: str, lines: list[str], user: str = "王芳", at: str = "returns-1") -> list[dict]:
    result = station("--db", url, "replay", "returns", "--user", user, "--station", at, stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    return [json.loads(l) for l in result.stdout.splitlines()]


def balance(url: str, sku: str, location: str) -> int:
    con = connect(url)
    row = con.execute("select b.qty from balance b join product p on p.id = b.product_id join location l "
                      "on l.id = b.location_id where p.sku = ? and l.code = ?", (sku, location)).fetchone()
    con.close()
    return row[0] if row else 0


def test_a_day_at_the_returns_bench_then_verify_receipt_register_handoff_and_trail(shop):
    url, codes, folder = shop
    c = codes
    before = {sku: balance(url, sku, "A-01-01-01") for sku in SKUS}
    out = replay(url, [
        # a registered return: matched at once; the quality problem is accepted, the shop pays postage
        "YT7000000000001", c["TS01-RD-M"], "A-01-01-01", "CMD-DONE",
        # the same parcel again, here or at another station: refused, nothing restocked twice
        "YT7000000000001",
        # a note-matched return with every policy exclusion
        "YT7000000000003",
        'NOTE:{"name": "Wang Fang", "phone": "137 0000 2222", "reason": "不想要了", "text": "内衣没拆封"}',
        "CMD-CONFIRM",
        c["UW01-BK-M"], "QC-01",  # hygiene
        c["TS03-WH-S"], "A-01-01-01", "CMD-CONFIRM", "QC-01",  # sale: refused to a bin, acknowledged, quarantined
        c["SP-01"], "SCRAP-01",  # gift, scrapped
        c["TS01-WH-M"], "COND:worn", "QC-01",  # worn
        c["TS01-WH-M"], "COND:tags_missing", "QC-01",  # tags missing
        c["TS01-WH-M"], "CMD-CONFIRM", "CMD-DONE",  # a third unit of two ordered: refused, acknowledged
        # freight collect: refused whole, refusal note printed
        "YT7000000000004", 'NOTE:{"name": "钱多多", "cod": true}',
        # nobody matches: the unidentified shelf under a tag, the note kept
        "YT7000000000005", 'NOTE:{"name": "孙悟空", "phone": "18899990000", "text": "花果山"}', "CMD-DONE",
        # outside the 7-day window: refused; a supervisor overrides it with a reason
        "YT7000000000006", 'NOTE:{"name": "赵磊", "phone": "13600003333", "account": "tb_zhaolei"}', "CMD-CONFIRM",
        c["TS01-BK-L"], 'OVERRIDE:{"accept": true, "reason": "老客户，主管同意"}', "U-1005", "CMD-CONFIRM",
        'OVERRIDE:{"accept": true, "reason": "老客户，主管同意"}', "U-1004", "A-01-01-01", "CMD-DONE",
        # the registered exchange
        "YT7000000000002", c["HD01-BK-L"], "A-01-01-02", "CMD-DONE",
        "TRAIL:RP1",
    ])
    codes_seen = [(o["scan"][:12], o["code"]) for o in out]
    assert [o["code"] for o in out] == [
        "return_matched", "item_accepted", "item_restocked", "return_received",
        "already_received",
        "parcel_opened", "confident_match", "return_matched",
        "item_refused", "item_quarantined",
        "item_refused", "policy_refused", "error_acknowledged", "item_quarantined",
        "item_refused", "item_scrapped",
        "item_accepted", "item_refused", "item_quarantined",
        "item_accepted", "item_refused", "item_quarantined",
        "already_returned", "error_acknowledged", "return_received",
        "parcel_opened", "cod_refused",
        "parcel_opened", "no_candidate", "parcel_unidentified",
        "parcel_opened", "confident_match", "return_matched",
        "item_refused", "scan_supervisor_badge", "not_permitted", "error_acknowledged",
        "scan_supervisor_badge", "policy_overridden", "item_restocked", "return_received",
        "return_matched", "item_accepted", "item_restocked", "return_received",
        "packing_trail",
    ], codes_seen
    by_code = {o["code"]: o for o in out}
    assert "hygiene" in out[8]["message"] and "sale" in out[10]["message"] and "gift" in out[14]["message"]
    assert "worn" in out[17]["message"] and "tags" in out[20]["message"]
    assert "window" in out[33]["message"] and "刘洋" in out[38]["message"] and "老客户" in out[38]["message"]
    assert "shop" in out[1]["details"][0]
    assert by_code["parcel_unidentified"]["message"].count("RET-01") == 1
    assert any(line.startswith("1. R3 ") for line in out[6]["details"])
    assert any(c["TS01-RD-M"] in line and "order_packed" in line and "张伟" in line for line in by_code["packing_trail"]["details"])

    # the ledger: once each, and the books still balance
    assert balance(url, "TS01-RD-M", "A-01-01-01") == before["TS01-RD-M"] + 1
    assert balance(url, "TS01-BK-L", "A-01-01-01") == before["TS01-BK-L"] + 1
    assert balance(url, "UW01-BK-M", "QC-01") == 1 and balance(url, "TS03-WH-S", "QC-01") == 1
    assert balance(url, "TS01-WH-M", "QC-01") == 2 and balance(url, "SP-01", "SCRAP-01") == 1
    verify = station("--db", url, "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr

    con = connect(url)
    reasons = dict(con.execute("select reason, sum(qty) from movement where document like 'RR-%' group by reason"))
    assert reasons == {"return_restock": 3, "return_quarantine": 4, "scrap": 1}
    statuses = dict(con.execute("select return_tracking, status from return_receipt"))
    exchange = con.execute("select o.status, l.sku, l.qty from shop_order o join order_line l on l.order_id = o.id "
                           "where o.order_no like 'R2-EX%'").fetchall()
    override = con.execute("select overridden_by, override_reason from return_item where sku = 'TS01-BK-L'").fetchone()
    expected = dict(con.execute("select return_tracking, status from expected_return"))
    jobs = sorted(con.execute("select document, status from print_job where document like 'return-%'"))
    con.close()
    assert statuses == {"YT7000000000001": "received", "YT7000000000003": "received", "YT7000000000004": "refused",
                        "YT7000000000005": "unidentified", "YT7000000000006": "received",
                        "YT7000000000002": "received"}
    assert exchange == [("ready", "HD01-BK-L", 1)]
    assert override == ("刘洋", "老客户，主管同意")
    assert expected == {"YT7000000000001": "received", "YT7000000000002": "received"}
    # the bench queued the documents and replay printed them after each outcome (to the PDF folder)
    assert jobs == [("return-receipt", "printed")] * 4 + [("return-refusal", "printed")]

    # the note of the unidentified parcel can be found again
    found = station("--db", url, "returns", "unidentified", "--search", "花果山")
    assert [json.loads(l)["tracking"] for l in found.stdout.splitlines()] == ["YT7000000000005"]
    assert station("--db", url, "returns", "unidentified", "--search", "唐僧").stdout == ""

    # the hand-off list: amounts and who pays the postage
    hand = {r["order_no"]: r for r in map(json.loads, station("--db", url, "returns", "handoff").stdout.splitlines())}
    assert (hand["RP1"]["amount"], hand["RP1"]["postage"], hand["RP1"]["type"]) == ("59.00", "shop", "refund")
    assert (hand["R3"]["accepted"], hand["R3"]["refused"], hand["R3"]["amount"]) == (0, 5, "0.00")
    assert hand["R4"]["amount"] == "59.00" and hand["R4"]["postage"] == "buyer"
    assert hand["R2"]["exchange_order_no"].startswith("R2-EX") and hand["R2"]["postage"] == "shop"

    # the register per shop, as CSV
    result = station("--db", url, "returns", "register", "--shop", "演示店", "--out", str(folder / "register.csv"))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO((folder / "register.csv").read_text(encoding="utf-8-sig"))))
    assert {(r["order_no"], r["sku"], r["qty"], r["disposition"]) for r in rows} >= {
        ("RP1", "TS01-RD-M", "1", "restock"), ("R3", "TS01-WH-M", "1", "quarantine"), ("R3", "SP-01", "1", "scrap")}
    assert {r["model"] for r in rows if r["sku"] == "TS01-RD-M"} == {"TS01"}
    assert all(r["return_tracking"] for r in rows)

    # the packing trail from the command line, by tracking number of the parcel
    con = connect(url)
    tracking = con.execute("select p.tracking_no from parcel p join shop_order o on o.id = p.order_id "
                           "where o.order_no = 'RP1'").fetchone()[0]
    con.close()
    trail = json.loads(station("--db", url, "returns", "trail", tracking).stdout)
    assert trail["order_no"] == "RP1"
    assert [(e["scan"], e["code"], e["user"], e["station"]) for e in trail["events"]] == [
        ("PS:RP1", "order_opened", "张伟", "pack-1"), (c["TS01-RD-M"], "order_packed", "张伟", "pack-1")]

    # the receipt and the refusal note print from the command line
    con = connect(url)
    numbers = dict(con.execute("select return_tracking, receipt_no from return_receipt"))
    con.close()
    for document, number in (("return-receipt", numbers["YT7000000000001"]),
                             ("return-refusal", numbers["YT7000000000004"])):
        printed = station("--db", url, "print", document, number, "--out", str(folder / f"{document}.pdf"))
        assert printed.returncode == 0, printed.stderr
        pdf = (folder / f"{document}.pdf").read_bytes()
        assert decode_barcodes(pdf, dpi=203) == [[number]]
    text = "".join(pdf_text((folder / "return-receipt.pdf").read_bytes())[0].split())
    assert "RP1" in text and "TS01-RD-M" in text and "上架restockA-01-01-01" in text and "退款Refund59.00" in text
    assert "YT7000000000004" in pdf_text((folder / "return-refusal.pdf").read_bytes())[0]


def test_a_second_station_cannot_receive_a_parcel_or_a_unit_again(shop):
    url, codes, _folder = shop
    first = replay(url, ["YT7000000000001", codes["TS01-RD-M"], "A-01-01-01", "CMD-DONE"], at="returns-1")
    assert first[-1]["code"] == "return_received"
    again = replay(url, ["YT7000000000001", "CMD-CONFIRM", "RS:RP1", codes["TS01-RD-M"]], user="刘洋", at="returns-2")
    assert [o["code"] for o in again] == ["already_received", "nothing_to_confirm", "return_matched",
                                          "already_returned"]
    assert station("--db", url, "verify").returncode == 0


def test_the_hand_off_list_for_customer_service_neutralises_formula_cells(shop):
    url, codes, folder = shop
    out = replay(url, ["YT7000000000007", 'NOTE:{"name": "钱伟", "phone": "13511112222"}', "CMD-CONFIRM",
                       codes["TS01-BK-L"], "A-01-01-01", "CMD-DONE"])
    assert [o["code"] for o in out] == ["parcel_opened", "confident_match", "return_matched", "item_accepted",
                                        "item_restocked", "return_received"]
    assert station("--db", url, "returns", "handoff", "--out", str(folder / "handoff.csv")).returncode == 0
    [row] = list(csv.DictReader(io.StringIO((folder / "handoff.csv").read_text(encoding="utf-8-sig"))))
    assert row["order_no"] == "R5" and row["amount"] == "59.00" and row["postage"] == "buyer"
    assert row["buyer"] == "'=cmd|' /C calc'!A0"
