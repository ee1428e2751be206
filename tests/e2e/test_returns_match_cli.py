"""`station returns match --note NOTE.json` on orders Station packed and shipped, and `import returns`."""
from __future__ import annotations

import json
import sqlite3

import pytest

from tests.e2e.test_cli import station

ORDERS = """order_no,shop,buyer_account,recipient,phone,province,city,district,address,courier,sku,qty,status
RM1,演示店,tb_zhoujie,周杰,13600003333,上海市,上海市,浦东新区,世纪大道8号,SF,HD01-BK-L,1,
RM2,演示店,tb_wufang,吴芳,13500004444,四川省,成都市,武侯区,人民南路4号,SF,JK01-WH-M,1,
"""


@pytest.fixture
def packed(demo_url, tmp_path):
    con = sqlite3.connect(demo_url.removeprefix("sqlite:///"))
    con.execute("update shop_order set status = 'cancelled' where order_no like 'DEMO-%'")
    con.commit()
    codes = {sku: code for sku, code in con.execute(
        "select p.sku, b.code from barcode b join product p on p.id = b.product_id where b.pack_qty = 1")}
    con.close()
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    assert station("--db", demo_url, "import", "orders", str(path), "--user", "刘洋").returncode == 0
    assert station("--db", demo_url, "waybills", "add", "SF", "--range", "SF", "300000000000", "10", "13",
                   "--user", "刘洋").returncode == 0
    out = station("--db", demo_url, "replay", "pack", "--user", "张伟", "--station", "pack-1",
                  stdin="\n".join(["PS:RM1", codes["HD01-BK-L"], "PS:RM2", codes["JK01-WH-M"]]) + "\n")
    assert [json.loads(l)["code"] for l in out.stdout.splitlines()] == ["order_opened", "order_packed"] * 2
    return demo_url, codes, tmp_path


def match(url: str, folder, note: dict, *extra: str) -> dict:
    path = folder / "note.json"
    path.write_text(json.dumps(note, ensure_ascii=False), encoding="utf-8")
    result = station("--db", url, "returns", "match", "--note", str(path), *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_parcel_station_packed_and_shipped_is_matched_from_the_note_with_its_evidence(packed):
    url, codes, folder = packed
    note = {"name": "Zhou Jie", "phone": "+86 136 0000 3333", "items": [codes["HD01-BK-L"]], "reason": "太大了"}
    found = match(url, folder, note)
    assert found["confident"] is True and found["candidates"][0]["order_no"] == "RM1"
    evidence = {e["clue"]: e for e in found["candidates"][0]["evidence"]}
    assert evidence["name"]["how"] == "pinyin" and evidence["phone"]["how"] == "exact"
    assert evidence["items"]["matched"] is True and set(found["candidates"][0]) >= {"order_no", "score", "evidence"}
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    tracking = con.execute("select p.tracking_no from parcel p join shop_order o on o.id = p.order_id "
                           "where o.order_no = 'RM1'").fetchone()[0]
    con.close()
    handed = station("--db", url, "replay", "handover", "--user", "张伟", stdin=f"{tracking}\nCMD-DONE\n")
    assert handed.returncode == 0, handed.stderr
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    shipped, keyed = con.execute(
        "select o.shipped_at, min(k.shipped_at) from shop_order o join return_match_key k on k.order_id = o.id "
        "where o.order_no = 'RM1' and o.status = 'shipped'").fetchone()
    con.close()
    assert shipped is not None and keyed == shipped  # the keys follow the order when it ships
    assert match(url, folder, note)["candidates"][0]["order_no"] == "RM1"


def test_a_wrong_item_in_the_parcel_is_evidence_against_the_order(packed):
    url, codes, folder = packed
    found = match(url, folder, {"name": "周杰", "phone": "3333", "items": [codes["JK01-WH-M"]]})
    top = found["candidates"][0]
    assert top["order_no"] == "RM1" and found["confident"] is False
    assert next(e for e in top["evidence"] if e["clue"] == "items")["matched"] is False


def test_a_registered_return_tracking_number_is_decisive(packed):
    url, _codes, folder = packed
    path = folder / "returns.csv"
    path.write_text("order_no,return_tracking,type,reason\nRM2,YT555000111222,exchange,尺码不合适\n", encoding="utf-8")
    imported = station("--db", url, "import", "returns", str(path), "--user", "王芳")
    assert imported.returncode == 0 and json.loads(imported.stdout)["created"] == 1
    found = match(url, folder, {"tracking": "YT555000111222"})
    assert found["confident"] is True and found["reason"] == "decisive"
    assert found["candidates"][0]["order_no"] == "RM2"


def test_a_bad_returns_file_lists_every_bad_row_and_a_bad_note_every_bad_field(packed):
    url, _codes, folder = packed
    path = folder / "returns.csv"
    path.write_text("order_no,return_tracking,type\nNOPE,,refund\nRM1,,swap\n", encoding="utf-8")
    refused = station("--db", url, "import", "returns", str(path), "--user", "王芳")
    assert refused.returncode == 1
    assert [r["line"] for r in json.loads(refused.stdout)["rejected"]] == [2, 3]
    note = folder / "bad.json"
    note.write_text(json.dumps({"name": 7.5, "cod": "yes", "colour": "red"}), encoding="utf-8")
    result = station("--db", url, "returns", "match", "--note", str(note))
    assert result.returncode == 2 and "colour" in result.stderr and "cod" in result.stderr
