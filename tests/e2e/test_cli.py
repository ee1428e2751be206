"""The `station` command as a person uses it: demo, replay, import, stock, verify."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from station.cli import main

GS = "\x1d"


def station(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `station` entry point in a child process."""
    exe = Path(sys.executable).parent / "station"
    full_env = {**os.environ, "STATION_LANG": "en", **(env or {})}
    return subprocess.run([str(exe), *args], input=stdin, capture_output=True, text=True, env=full_env, timeout=120)


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


ADMIN = "管理员"


@pytest.fixture
def staffed_url(sqlite_url, tmp_path):
    """An empty database whose first users were imported (anyone may, while there are none)."""
    users = tmp_path / "users.csv"
    users.write_text(f"name,badge,roles\n{ADMIN},U-9001,admin;supervisor\n", encoding="utf-8")
    result = invoke("--db", sqlite_url, "import", "users", str(users), "--user", ADMIN)
    assert result.exit_code == 0, result.output
    return sqlite_url


def test_demo_builds_a_bilingual_warehouse_with_stock_users_couriers_and_a_scanner_sheet(demo_db):
    url = f"sqlite:///{demo_db}"
    con = sqlite3.connect(demo_db)
    assert con.execute("select count(*) from product").fetchone()[0] >= 200
    assert con.execute("select count(*) from product where name_en is not null").fetchone()[0] >= 200
    assert con.execute("select count(*) from product where flags like '%hygiene%'").fetchone()[0] > 0
    assert con.execute("select count(*) from barcode where pack_qty > 1").fetchone()[0] > 0
    assert {r[0] for r in con.execute("select code from courier")} >= {"SF", "ZTO", "YTO", "STO", "YUNDA", "JD", "EMS"}
    assert con.execute("select count(*) from location where code like 'A-01-02-03'").fetchone()[0] == 1
    assert con.execute("select count(*) from station_user").fetchone()[0] >= 5
    con.close()
    assert (demo_db.parent / "sheet.pdf").read_bytes().startswith(b"%PDF")
    assert invoke("--db", url, "verify").exit_code == 0


def test_replay_lookup_tells_what_each_scan_is_and_refuses_garbage_clearly(demo_any_url):
    from tests.support.sql import connect

    demo_url = demo_any_url
    con = connect(demo_url)
    ean, sku = con.execute(
        "select b.code, p.sku from barcode b join product p on p.id = b.product_id "
        "where b.pack_qty = 1 and p.sku like 'TS01%' order by p.sku limit 1").fetchone()
    con.close()
    gtin14 = "0" + ean
    scans = [ean, f"]C101{gtin14}10LOT42{GS}17271231", "A-01-02-03", "SF1234567890123", "??garbage ¿?", "NOT-A-THING"]
    result = station("--db", demo_url, "replay", "lookup", "--user", "张伟", stdin="\n".join(scans) + "\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["scan"] for line in lines] == scans
    assert [line["kind"] for line in lines] == ["product", "gs1", "location", "tracking", "unknown", "unknown"]
    assert all(set(line) >= {"scan", "kind", "level", "code", "message", "state"} for line in lines)
    product, gs1, location, tracking, garbage, unknown_label = lines
    assert product["code"] == "product_found" and sku in product["message"]
    assert gs1["code"] == "product_found" and sku in gs1["message"]
    assert location["code"] == "location_found" and "A-01-02-03" in location["message"]
    assert tracking["code"] == "tracking_number" and "SF1234567890123 (SF Express)" in tracking["message"]
    assert garbage["level"] == "error" and garbage["code"] == "unknown"
    assert "Unknown code" in garbage["message"] and "??garbage" in garbage["message"]
    assert unknown_label["level"] == "error" and "NOT-A-THING" in unknown_label["message"]


def test_replay_refuses_an_unknown_user(demo_url):
    result = station("--db", demo_url, "replay", "lookup", "--user", "nobody", stdin="A-01-02-03\n")
    assert result.returncode == 2
    assert "No user called nobody" in result.stderr
    assert result.stdout == ""


def test_import_products_with_bad_rows_lists_every_one_and_imports_nothing(staffed_url, tmp_path):
    file = tmp_path / "products.csv"
    file.write_text(
        "sku,name,barcodes,flags,weight_g\n"
        "OK-1,好商品,6901234567892,,100\n"          # line 2: fine
        ",没有SKU,6901234567908,,\n"               # line 3: missing sku
        "BAD-2,校验位错,6901234567890,,\n"          # line 4: bad check digit
        "DUP-3,重复条码,6901234567892,,\n"          # line 5: barcode already on line 2
        "BAD-4,重量,6901234567915,,heavy\n"        # line 6: weight not a number
        "BAD-5,标记,6901234567922,shiny,\n",        # line 7: unknown flag
        encoding="utf-8")
    result = invoke("--db", staffed_url, "import", "products", str(file), "--user", ADMIN)
    assert result.exit_code == 1
    report = json.loads(result.stdout.splitlines()[0])
    assert report["ok"] is False and report["created"] == 0
    assert [r["line"] for r in report["rejected"]] == [3, 4, 5, 6, 7]
    reasons = " | ".join(r["reason"] for r in report["rejected"])
    for expected in ("Missing sku", "check digit", "already on line 2", "not a whole number", "Unknown flag shiny"):
        assert expected in reasons
    assert sqlite3.connect(staffed_url.removeprefix("sqlite:///")).execute("select count(*) from product").fetchone()[0] == 0


def test_an_unknown_column_rejects_the_file_at_its_header(staffed_url, tmp_path):
    file = tmp_path / "products.csv"
    file.write_text("sku,name,barcodes,price\nA,甲,6901234567892,9.9\n", encoding="utf-8")
    result = invoke("--db", staffed_url, "import", "products", str(file), "--user", ADMIN)
    assert result.exit_code == 1
    [rejected] = json.loads(result.stdout.splitlines()[0])["rejected"]
    assert rejected["line"] == 1 and "Unknown column price" in rejected["reason"]


def test_a_gb18030_file_with_chinese_names_imports_and_station_stock_shows_them(staffed_url, tmp_path):
    (tmp_path / "products.csv").write_bytes(
        "sku,name,colour,size,barcodes\nQP-01,旗袍连衣裙,墨绿,M,6901234567892\nQP-02,旗袍连衣裙,酒红,L,6901234567908*6\n"
        .encode("gb18030"))
    (tmp_path / "locations.csv").write_text("code,kind,zone\nA-01-02-03,stock,A\n", encoding="utf-8-sig")
    (tmp_path / "stock.csv").write_text("sku,location,qty\nQP-01,A-01-02-03,5\nQP-02,A-01-02-03,7\n")
    for kind in ("products", "locations", "stock"):
        result = invoke("--db", staffed_url, "import", kind, str(tmp_path / f"{kind}.csv"), "--user", ADMIN)
        assert result.exit_code == 0, result.output
    report = json.loads(invoke("--db", staffed_url, "import", "products", str(tmp_path / "products.csv"),
                               "--user", ADMIN).stdout)
    assert report["encoding"] == "gb18030" and report["updated"] == 2
    shown = invoke("--db", staffed_url, "stock").stdout
    assert "QP-01\t旗袍连衣裙 墨绿 M\tA-01-02-03\t5" in shown
    assert "QP-02\t旗袍连衣裙 酒红 L\tA-01-02-03\t7" in shown
    again = invoke("--db", staffed_url, "import", "stock", str(tmp_path / "stock.csv"), "--user", ADMIN)
    assert again.exit_code == 1 and "already has an opening balance" in again.output


def test_verify_passes_on_the_demo_and_fails_naming_the_row_after_tampering(demo_url):
    ok = station("--db", demo_url, "verify")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    con = sqlite3.connect(demo_url.removeprefix("sqlite:///"))
    sku, code = con.execute(
        "select p.sku, l.code from balance b join product p on p.id = b.product_id "
        "join location l on l.id = b.location_id where l.kind = 'stock' order by p.sku limit 1").fetchone()
    con.execute("update balance set qty = qty + 1 where product_id = (select id from product where sku = ?) "
                "and location_id = (select id from location where code = ?)", (sku, code))
    con.commit()
    con.close()
    bad = station("--db", demo_url, "verify")
    assert bad.returncode == 1
    assert sku in bad.stdout and code in bad.stdout and "ledger sums to" in bad.stdout


def test_a_newer_database_is_refused_by_the_cli_with_a_clear_message(demo_url):
    con = sqlite3.connect(demo_url.removeprefix("sqlite:///"))
    con.execute("update alembic_version set version_num = 'ffff_newer'")
    con.commit()
    con.close()
    result = station("--db", demo_url, "stock")
    assert result.returncode == 2
    assert "newer Station" in result.stderr and "Traceback" not in result.stderr
