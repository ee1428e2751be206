"""A batch prints whole or not at all: a 30-line order batches (its waybill says "…等 N 种 M 件"),
an unprintable name holds its order as it is imported, before anything prints, a document that cannot be drawn
stops the whole batch, and batch numbers are never reused."""
from __future__ import annotations

import json
import re

from station.db import open_database, unit_of_work
from station.inventory import ledger
from tests.e2e.test_batch_handover import outbox
from tests.e2e.test_cli import station
from tests.support import factories as f
from tests.support.pdfcheck import decode_barcodes, pdf_text
from tests.support.sql import connect

HEAD = "order_no,shop,buyer_account,recipient,phone,province,city,district,address,courier,sku,qty,gift,status\n"
NO_FONT = "\U000F0001"  # in no shipped font


def _row(order_no: str, sku: str, qty: int = 1, name: str = "王小明", address: str = "中山五路33号") -> str:
    return f"{order_no},演示店,tb_{order_no},{name},13812345678,广东省,广州市,越秀区,{address},SF,{sku},{qty},,\n"


def _setup(url: str, tmp_path, rows: str) -> None:
    con = connect(url)
    con.execute("update shop_order set status = 'cancelled' where order_no like 'DEMO-%'")
    con.commit()
    con.close()
    engine, sessions = open_database(url)
    with unit_of_work(sessions) as s:
        f.location(s, "Z-99-01-01")
        for i in range(30):
            f.product(s, f"LONG-{i:02d}", name=f"长单商品{i:02d}")
            ledger.move(s, ledger.Move(f"LONG-{i:02d}", 10, "ADJUSTMENT", "Z-99-01-01", "opening"))
        s.commit()
    engine.dispose()
    path = tmp_path / "orders.csv"
    path.write_text(HEAD + rows, encoding="utf-8")
    imported = station("--db", url, "import", "orders", str(path), "--user", "刘洋")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    pool = station("--db", url, "waybills", "add", "SF", "--range", "SF", "200000000000", "20", "13",
                   "--user", "刘洋")
    assert pool.returncode == 0, pool.stderr


def _status(url: str, order_no: str) -> tuple[str, list[str]]:
    con = connect(url)
    (status,) = con.execute(f"select status from shop_order where order_no = '{order_no}'").fetchone()
    holds = [c for (c,) in con.execute(
        "select h.code from order_hold h join shop_order o on o.id = h.order_id "
        f"where o.order_no = '{order_no}' and h.resolved_at is null")]
    con.close()
    return status, holds


def test_a_30_line_order_batches_and_an_unprintable_name_is_held_first(demo_any_url, tmp_path):
    url = demo_any_url
    rows = "".join(_row("L30", f"LONG-{i:02d}", 1 + i % 2) for i in range(30))
    rows += _row("EXTB", "LONG-00", name="王𠈌")  # CJK Extension B: prints (HanaMinB)
    rows += _row("BAD", "LONG-01", name=f"李{NO_FONT}")  # no font has it: held as it is imported
    _setup(url, tmp_path, rows)
    assert _status(url, "BAD") == ("on_hold", ["unprintable_text"])
    result = station("--db", url, "batch", "--courier", "SF", "--user", "刘洋")
    assert result.returncode == 0, result.stderr
    batch = json.loads(result.stdout)
    assert (batch["orders"], batch["waybills"], batch["held"]) == (2, 2, [])

    files = sorted(outbox(url).iterdir())
    assert len(files) == 3
    waybills = next(p for p in files if "-waybill-" in p.name).read_bytes()
    text = "".join(pdf_text(waybills))
    assert "…等 30 种 45 件" in text  # 15 lines of 1 and 15 of 2
    assert "王𠈌" in text and NO_FONT not in text
    assert len({v for page in decode_barcodes(waybills) for v in page if v.startswith("SF")}) == 2
    slips = "".join(pdf_text(next(p for p in files if "-packing-slip-" in p.name).read_bytes()))
    assert "LONG-29" in slips  # the slip lists every line


def test_a_document_that_cannot_be_drawn_stops_the_whole_batch_before_anything_prints(demo_any_url, tmp_path):
    url = demo_any_url
    huge = "欧阳" * 45  # a 90-character name: no line of a waybill holds it, even at the smallest type
    _setup(url, tmp_path, _row("OK1", "LONG-00") + _row("HUGE", "LONG-01", name=huge))
    result = station("--db", url, "batch", "--courier", "SF", "--user", "刘洋")
    assert result.returncode == 1
    assert "nothing was sent" in result.stderr
    folder = outbox(url)
    assert not folder.exists() or not list(folder.iterdir())  # no pick list, no slips, no waybills
    con = connect(url)
    states = sorted(s for (s,) in con.execute("select status from print_job"))
    (batch_no,) = con.execute("select batch_no from pick_batch").fetchone()
    con.close()
    assert states == ["failed", "failed", "failed"]
    assert re.fullmatch(r"B\d{8}-\d{4,}", batch_no)
