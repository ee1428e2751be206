"""Scans that are no text (a scanner set to the wrong interface, line noise) and scans that fail:
``unreadable_scan`` held until CONFIRM, output always valid UTF-8, and a failed scan leaves the
bench exactly as it was saved."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from station.audit.models import BenchState, ScanEvent
from station.db import open_database, unit_of_work
from station.inventory import counts
from station.workflows.runner import BenchRunner, readable
from tests.support import factories as f


@pytest.fixture
def counting(any_url):
    engine, sessions = open_database(any_url)
    with unit_of_work(sessions) as s:
        f.location(s, "A-01-02-03")
        f.user(s, "李娜", "U-1002", "counter")
        counts.create_count(s, "full", user="李娜")
        s.commit()
    yield any_url, sessions
    engine.dispose()


@pytest.mark.parametrize("raw, shown", [
    ("ab\udcffcd", "ab\\xffcd"),  # the byte 0xff read from a pipe with surrogateescape
    ("x\x00y", "x\\x00y"),  # NUL, which PostgreSQL cannot store in text
    ("\ud800A", "\\ud800A"),  # a lone surrogate as a GUI input method may deliver it
    ("TS\x07RED\x7f", "TS\\x07RED\\x7f"),
])
def test_what_is_not_text_is_escaped_and_gs1_separator_and_terminators_are_left(raw, shown):
    assert readable(raw) == (shown, True)
    assert readable("]C101090123456789011710\x1d2112\r\n") == ("]C101090123456789011710\x1d2112\r\n", False)
    shown.encode("utf-8")


def test_an_unreadable_scan_is_recorded_escaped_and_held_until_confirm(counting):
    _url, sessions = counting
    runner = BenchRunner(sessions, "count", "count-9")
    assert runner.login("李娜").code == "logged_in"
    scan, outcome = runner.process("ab\udcffcd\r\n")
    assert (scan.raw, scan.kind, outcome.level, outcome.code) == ("ab\\xffcd", "unknown", "error", "unreadable_scan")
    assert "ab\\xffcd" in outcome.message
    assert runner.process("\ud800A")[1].code == "acknowledge_first"  # the first one waits for CONFIRM
    assert runner.process("A-01-02-03")[1].code == "acknowledge_first"
    assert runner.process("CMD-CONFIRM")[1].code == "error_acknowledged"
    assert runner.process("x\x00y")[1].code == "unreadable_scan"
    with unit_of_work(sessions) as s:
        events = s.execute(select(ScanEvent.raw, ScanEvent.code).where(ScanEvent.station == "count-9")
                           .order_by(ScanEvent.id)).all()
        saved = s.get(BenchState, ("count-9", "count")).state
    assert events == [("ab\\xffcd", "unreadable_scan"), ("\\ud800A", "acknowledge_first"),
                      ("A-01-02-03", "acknowledge_first"), ("CMD-CONFIRM", "error_acknowledged"),
                      ("x\\x00y", "unreadable_scan")]
    assert saved["error"]["code"] == "unreadable_scan"
    again = BenchRunner(sessions, "count", "count-9")  # after a restart it still waits for CONFIRM
    assert again.process("A-01-02-03")[1].code == "acknowledge_first"


def test_a_scan_that_fails_leaves_the_bench_and_the_person_as_saved_before_it(counting, monkeypatch):
    _url, sessions = counting
    runner = BenchRunner(sessions, "count", "count-9")
    runner.login("李娜")
    before = runner.bench.snapshot()

    def half_done(scan, session, ctx):
        runner.bench.state["error"] = {"code": "ghost", "message": "never saved"}
        runner.user = "someone else"
        raise RuntimeError("a bug half-way through the scan")

    monkeypatch.setattr(runner.bench, "handle", half_done)
    assert runner.process("A-01-02-03")[1].code == "station_error"
    monkeypatch.undo()
    assert runner.bench.snapshot() == before and runner.user == "李娜"
    outcome = runner.process("A-01-02-03")[1]
    assert outcome.code != "acknowledge_first" and outcome.level != "error", outcome


def test_replay_answers_bytes_that_are_not_utf8_with_valid_utf8_lines(counting, tmp_path):
    url, _sessions = counting
    done = subprocess.run(
        [str(Path(sys.executable).parent / "station"), "--db", url, "replay", "count", "--user", "李娜",
         "--station", "count-8"],
        input=b"ab\xffcd\n\xc3\x28\x00\nCMD-CONFIRM\nA-01-02-03\n", capture_output=True, timeout=120,
        env={**os.environ, "STATION_LANG": "en", "XDG_DATA_HOME": str(tmp_path / "data")})
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]  # strict: valid UTF-8
    assert [(o["scan"], o["code"]) for o in lines] == [
        ("ab\\xffcd", "unreadable_scan"), ("\\xc3(\\x00", "acknowledge_first"),
        ("CMD-CONFIRM", "error_acknowledged"), ("A-01-02-03", "bin_opened")]


@pytest.mark.parametrize("bench", ["lookup", "handover"])
def test_an_unreadable_scan_waits_for_confirm_at_the_lookup_and_handover_benches_too(sqlite_url, bench):
    from station.catalog.models import User
    from station.db import open_database, unit_of_work
    from station.workflows.runner import BenchRunner

    engine, sessions = open_database(sqlite_url)
    with unit_of_work(sessions) as s:
        s.add(User(name="ann", badge="U-ANN", roles="packer;supervisor"))
        s.commit()
    runner = BenchRunner(sessions, bench, "S1")
    runner.login("ann")
    assert runner.process("ab\udcffcd")[1].code == "unreadable_scan"
    refused = runner.process("CMD-DONE")[1]
    assert (refused.code, str(refused.level)) == ("acknowledge_first", "error")
    again = BenchRunner(sessions, bench, "S1")  # a restart: the error still waits
    again.login("ann")
    assert again.process("CMD-DONE")[1].code == "acknowledge_first"
    assert again.process("CMD-CONFIRM")[1].code == "error_acknowledged"
    assert again.process("CMD-CONFIRM")[1].code != "acknowledge_first"
    engine.dispose()
