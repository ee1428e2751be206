"""Matching on SQLite and on a real PostgreSQL server: the same keys, the same answer."""
from __future__ import annotations

from station.db import open_database, unit_of_work
from station.fulfilment.orders import import_orders
from station.fulfilment.shipped_index import reindex_all
from station.returns.expected import ReturnRequest, register_return
from station.returns.matching import match_note
from station.returns.note import ReturnNote

ORDERS = """order_no,buyer_account,recipient,phone,address,sku,qty,status,courier,tracking_no,shipped_at
A1,tb_chen,陈静,+86 138 1234 5678,中山路1号,TS-01,1,shipped,SF,SF100000000001,2026-11-01T10:00:00+08:00
A2,,陈晶,139****5678,人民路2号,TS-02,1,delivered,YTO,YT100000000002,2026-11-02T10:00:00+08:00
A3,tb_li,李娜,13800001234-5678,解放路3号,TS-03,1,shipped,SF,SF100000000003,2026-11-03T10:00:00+08:00
"""


def test_a_note_finds_its_order_the_same_way_on_both_databases(any_url, tmp_path):
    engine, sessions = open_database(any_url)
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    assert import_orders(sessions, path).ok
    note = ReturnNote.from_dict({"name": "Chen Jing", "phone": "138-1234-5678", "received_at": "2026-11-08T10:00"})
    with unit_of_work(sessions) as s:
        found = match_note(s, note)
        assert [c.order_no for c in found.candidates[:2]] == ["A1", "A2"] and found.confident
        register_return(s, ReturnRequest("A3", "YT555"), user="客服")
        s.commit()
    with unit_of_work(sessions) as s:
        assert reindex_all(s) > 0
        s.commit()
    with unit_of_work(sessions) as s:
        by_tracking = match_note(s, ReturnNote.from_dict({"tracking": "YT555", "name": "李娜"}))
        assert by_tracking.confident and by_tracking.top.order_no == "A3"
        tracking = next(e for e in by_tracking.top.evidence if e.clue == "tracking")
        assert (tracking.matched, tracking.how) == (True, "registered_return")
    engine.dispose()


def test_a_database_with_shipped_orders_from_before_the_index_is_keyed_on_the_first_match(sqlite_url, tmp_path):
    import json
    import sqlite3

    from click.testing import CliRunner

    from station.cli import main

    engine, sessions = open_database(sqlite_url)
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    assert import_orders(sessions, path).ok
    engine.dispose()
    con = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    con.execute("delete from return_match_key")  # as an upgraded database holds them: no keys yet
    con.commit()
    con.close()
    note = tmp_path / "note.json"
    note.write_text(json.dumps({"name": "陈静", "phone": "13812345678", "received_at": "2026-11-08T10:00"}),
                    encoding="utf-8")
    first = CliRunner().invoke(main, ["--db", sqlite_url, "returns", "match", "--note", str(note)])
    assert first.exit_code == 0 and "Indexing" in first.stderr
    assert json.loads(first.stdout)["candidates"][0]["order_no"] == "A1"
    second = CliRunner().invoke(main, ["--db", sqlite_url, "returns", "match", "--note", str(note)])
    assert "Indexing" not in second.stderr and json.loads(second.stdout) == json.loads(first.stdout)
