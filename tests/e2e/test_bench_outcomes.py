"""Outcomes kept by code, msgid and parameters; UNDO after a confirmed error; typed scans (issue 13).

Through the runner on the demo warehouse, on SQLite and on PostgreSQL: a pending error made in
one language comes back in the other after a restart; UNDO right after confirming an over-scan
takes back nothing (not the good item before it); a typed scan and the acknowledge key are
handled as scans and recorded as typed.
"""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from station.audit.models import BenchState, ScanEvent
from station.db import open_database, unit_of_work
from station.i18n import set_language
from station.workflows.runner import BenchRunner
from tests.e2e.test_cli import station

ORDER = "PS:DEMO-1002"  # HD01-BK-S, TS02-WH-L and HD01-BK-L, one each
PACKER = "张伟"


@pytest.fixture
def sessions(demo_any_url):
    engine, sessions = open_database(demo_any_url)
    yield sessions
    engine.dispose()


def packing(sessions, station_name: str = "pack-1") -> BenchRunner:
    runner = BenchRunner(sessions, "pack", station_name)
    assert runner.login(PACKER).code == "logged_in"
    return runner


def codes(runner: BenchRunner, *scans: str) -> list[str]:
    return [runner.process(raw)[1].code for raw in scans]


def log(sessions, station_name: str = "pack-1") -> list[ScanEvent]:
    with unit_of_work(sessions) as s:
        return list(s.scalars(select(ScanEvent).where(ScanEvent.station == station_name).order_by(ScanEvent.id)))


def test_undo_after_a_confirmed_over_scan_takes_back_nothing_not_the_good_item_before_it(sessions):
    runner = packing(sessions)
    assert codes(runner, ORDER, "TS02-WH-L", "TS02-WH-L", "CMD-CONFIRM") == [
        "order_opened", "item_ok", "over_scan", "error_acknowledged"]
    _, undo = runner.process("CMD-UNDO")
    assert (undo.code, undo.level) == ("nothing_to_undo", "warn")
    assert undo.message.startswith("Nothing to undo: TS02-WH-L was not counted")
    assert "✓ TS02-WH-L  1/1" in undo.details  # TS02-WH-L stays 1/1
    assert runner.bench.counted() == {"TS02-WH-L": 1}
    # The same after a restart; and a second UNDO takes back the good item, as UNDO always did.
    assert codes(runner, "TS02-WH-L", "CMD-CONFIRM") == ["over_scan", "error_acknowledged"]
    again = packing(sessions)
    assert codes(again, "CMD-UNDO", "CMD-UNDO") == ["nothing_to_undo", "undone"]
    assert again.bench.counted() == {}


def test_undo_after_a_counted_item_still_takes_it_back(sessions):
    runner = packing(sessions)
    assert codes(runner, ORDER, "TS02-WH-L", "PN-001", "CMD-CONFIRM", "HD01-BK-S", "CMD-UNDO") == [
        "order_opened", "item_ok", "wrong_item", "error_acknowledged", "item_ok", "undone"]
    assert runner.bench.counted() == {"TS02-WH-L": 1}


@pytest.mark.parametrize("made, shown, error, refused", [
    ("en", "zh_CN", "TS02-WH-L 多扫了：订单要 1 件，已全部扫完", "请先扫描“确认”：TS02-WH-L 多扫了：订单要 1 件，已全部扫完"),
    ("zh_CN", "en", "Too many TS02-WH-L: 1 ordered, all already scanned",
     "Scan CONFIRM first to acknowledge: Too many TS02-WH-L: 1 ordered, all already scanned"),
])
def test_a_pending_error_comes_back_after_a_restart_in_the_language_of_the_restart(sessions, made, shown, error,
                                                                                    refused):
    set_language(made)
    runner = packing(sessions)
    codes(runner, ORDER, "TS02-WH-L")
    _, over = runner.process("TS02-WH-L")
    assert over.code == "over_scan" and over.message != error  # said in the first language
    set_language(shown)
    again = BenchRunner(sessions, "pack", "pack-1")  # a restart in the other language
    assert again.user == PACKER
    assert again.bench.state["error"]["code"] == "over_scan"
    assert again.bench.state["error"]["message"] == error
    _, first = again.process("HD01-BK-S")
    assert (first.code, first.message) == ("acknowledge_first", refused)
    # the scan log keeps the message as msgid and parameters, whatever language it was shown in
    event = log(sessions)[-1]
    assert event.message["$text"] == "Scan CONFIRM first to acknowledge: {message}"
    assert event.message["params"]["message"]["$text"] == "Too many {sku}: {qty} ordered, all already scanned"
    assert event.message["params"]["message"]["params"] == {"sku": "TS02-WH-L", "qty": 1}


def test_a_state_saved_as_text_before_messages_were_stored_by_msgid_comes_back_as_it_was(sessions):
    runner = packing(sessions)
    codes(runner, ORDER, "TS02-WH-L", "TS02-WH-L")
    with unit_of_work(sessions) as s:
        saved = s.get(BenchState, ("pack-1", "pack")).state
        saved["error"]["message"] = "Too many TS02-WH-L: 1 ordered, all already scanned"  # as 0010 saved it
        s.execute(update(BenchState).where(BenchState.station == "pack-1").values(state=saved))
        s.commit()
    set_language("zh_CN")
    again = BenchRunner(sessions, "pack", "pack-1")
    assert again.bench.state["error"]["message"] == "Too many TS02-WH-L: 1 ordered, all already scanned"
    _, refused = again.process("HD01-BK-S")
    assert refused.message == "请先扫描“确认”：Too many TS02-WH-L: 1 ordered, all already scanned"


def test_a_typed_scan_is_handled_as_the_scan_and_the_acknowledge_key_as_confirm_both_recorded_typed(sessions):
    scanned, typed = packing(sessions, "pack-1"), packing(sessions, "pack-2")
    assert codes(scanned, ORDER, "TS02-WH-L", "TS02-WH-L", "CMD-CONFIRM") == [
        "order_opened", "item_ok", "over_scan", "error_acknowledged"]
    scanned.process("CMD-CANCEL")
    answers = [typed.process(ORDER, source="typed"), typed.process("TS02-WH-L", source="typed"),
               typed.process("TS02-WH-L"), typed.acknowledge()]
    assert [o.code for _s, o in answers] == ["order_opened", "item_ok", "over_scan", "error_acknowledged"]
    assert typed.bench.state["error"] is None and typed.bench.counted() == {"TS02-WH-L": 1}
    rows = [(e.raw, e.code, e.source) for e in log(sessions, "pack-2")]
    assert rows == [("PS:DEMO-1002", "order_opened", "typed"), ("TS02-WH-L", "item_ok", "typed"),
                    ("TS02-WH-L", "over_scan", "scan"), ("CMD-CONFIRM", "error_acknowledged", "typed")]
    assert {e.source for e in log(sessions, "pack-1")} == {"scan"}
    with pytest.raises(ValueError):
        typed.process("TS02-WH-L", source="keyboard")


def test_replay_takes_typed_lines_and_says_so(demo_any_url):
    scans = [ORDER, "TYPED:TS02-WH-L", "TS02-WH-L", "TYPED:CMD-CONFIRM"]
    result = station("--db", demo_any_url, "replay", "pack", "--user", PACKER, "--station", "pack-9",
                     stdin="\n".join(scans) + "\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(l["scan"], l["code"], l.get("source")) for l in lines] == [
        ("PS:DEMO-1002", "order_opened", None), ("TS02-WH-L", "item_ok", "typed"),
        ("TS02-WH-L", "over_scan", None), ("CMD-CONFIRM", "error_acknowledged", "typed")]
    engine, sessions = open_database(demo_any_url)
    try:
        assert [(e.raw, e.source) for e in log(sessions, "pack-9")] == [
            ("PS:DEMO-1002", "scan"), ("TS02-WH-L", "typed"), ("TS02-WH-L", "scan"), ("CMD-CONFIRM", "typed")]
    finally:
        engine.dispose()


def test_receive_undo_after_a_confirmed_refusal_takes_back_nothing_not_the_units_before_it(demo_any_url, sessions):
    from tests.e2e.test_inbound_replay import DATA

    imported = station("--db", demo_any_url, "import", "po", str(DATA / "po.csv"), "--user", "李娜")
    assert imported.returncode == 0, imported.stderr
    runner = BenchRunner(sessions, "receive", "dock-1")
    assert runner.login("李娜").code == "logged_in"
    assert codes(runner, "PO-2026-0001", "TS01-RD-S", "TS01-RD-M", "CMD-CONFIRM") == [
        "receipt_opened", "item_received", "not_on_po", "set_aside"]
    _, undo = runner.process("CMD-UNDO")
    assert (undo.code, undo.message) == ("nothing_to_undo", "Nothing to undo: TS01-RD-M was not counted")
    assert runner.bench._line("TS01-RD-S")["received"] == 1
    assert codes(runner, "CMD-UNDO") == ["undone"]  # the next UNDO takes back the last counted scan
    assert runner.bench._line("TS01-RD-S")["received"] == 0


def test_every_scan_refused_while_an_error_waits_is_kept_with_it_also_across_a_restart(sessions):
    runner = packing(sessions)
    assert codes(runner, ORDER, "TS02-WH-L", "TS02-WH-L", "HD01-BK-S", "HD01-BK-L") == [
        "order_opened", "item_ok", "over_scan", "acknowledge_first", "acknowledge_first"]
    assert runner.bench.state["error"]["refused"] == ["HD01-BK-S", "HD01-BK-L"]
    again = BenchRunner(sessions, "pack", "pack-1")
    assert again.bench.state["error"]["refused"] == ["HD01-BK-S", "HD01-BK-L"]
    assert codes(again, "PN-001", "CMD-CONFIRM") == ["acknowledge_first", "error_acknowledged"]
    assert again.bench.state["error"] is None and again.bench.counted() == {"TS02-WH-L": 1}


def test_undo_after_a_refused_command_was_confirmed_takes_back_the_last_item_as_always(sessions):
    runner = packing(sessions)
    assert codes(runner, ORDER, "TS02-WH-L", "CMD-DONE", "CMD-CONFIRM", "CMD-UNDO") == [
        "order_opened", "item_ok", "not_complete", "error_acknowledged", "undone"]
    assert runner.bench.counted() == {}
