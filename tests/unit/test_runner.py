"""The one path from a scan to an outcome: login by badge, the scan log, state that survives a restart."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from station.audit.models import ScanEvent
from station.catalog.couriers import seed_couriers
from station.db import open_database, unit_of_work
from station.inventory import ledger
from station.workflows import BENCHES
from station.workflows.runner import BenchRunner, UnknownBench, outcome_json
from tests.support import factories as f


@pytest.fixture
def shop(sessions):
    seed_couriers(sessions)
    with unit_of_work(sessions) as s:
        f.product(s, "TS-RED-M", "6901234567892", "6901234567908", name="纯棉T恤", colour="红色", size="M",
                  pack={"6901234567908": 12})
        f.location(s, "A-01-02-03")
        f.user(s, "张伟", "U-1001", "packer")
        ledger.move(s, ledger.Move("TS-RED-M", 30, "ADJUSTMENT", "A-01-02-03", "opening"))
        s.commit()
    return sessions


def test_nothing_is_looked_up_before_a_badge_is_scanned(shop):
    runner = BenchRunner(shop, "lookup", "bench-1")
    scan, outcome = runner.process("6901234567892")
    assert (outcome.level, outcome.code) == ("error", "login_required")


def test_a_badge_scan_logs_in_and_the_next_scan_is_answered_for_that_person(shop):
    runner = BenchRunner(shop, "lookup", "bench-1")
    _, hello = runner.process("U-1001")
    assert (hello.code, hello.message) == ("logged_in", "Hello 张伟")
    scan, outcome = runner.process("6901234567892\r\n")
    assert outcome.code == "product_found"
    assert outcome.message == "TS-RED-M 纯棉T恤 红色 M: 30 on hand"
    assert outcome.details == ("A-01-02-03: 30",)
    with unit_of_work(shop) as s:
        events = s.scalars(select(ScanEvent).order_by(ScanEvent.id)).all()
    assert [(e.kind, e.code, e.user, e.station) for e in events] == [
        ("badge", "logged_in", "张伟", "bench-1"), ("product", "product_found", "张伟", "bench-1")]


def test_a_case_barcode_says_how_many_units_one_scan_counts(shop):
    runner = BenchRunner(shop, "lookup", "bench-1")
    runner.login("张伟")
    _, outcome = runner.process("6901234567908")
    assert outcome.details[0] == "Case barcode: one scan counts 12 units"


def test_the_person_and_the_bench_state_come_back_after_a_restart(shop):
    first = BenchRunner(shop, "lookup", "bench-1")
    first.process("U-1001")
    first.process("6901234567892")
    again = BenchRunner(shop, "lookup", "bench-1")
    assert again.user == "张伟"
    assert again.bench.snapshot() == {"last_sku": "TS-RED-M"}
    other_station = BenchRunner(shop, "lookup", "bench-2")
    assert other_station.user is None


def test_logout_command_ends_the_session(shop):
    runner = BenchRunner(shop, "lookup", "bench-1")
    runner.process("U-1001")
    _, bye = runner.process("CMD-LOGOUT")
    assert bye.code == "logged_out" and runner.user is None
    assert runner.process("A-01-02-03")[1].code == "login_required"


def test_an_unknown_bench_is_refused_with_the_list_of_benches(shop):
    with pytest.raises(UnknownBench, match="choose one of") as refused:
        BenchRunner(shop, "teleport", "bench-1")
    listed = str(refused.value).split("choose one of ")[1].split(", ")
    assert listed == sorted(BENCHES) and {"handover", "lookup", "pack"} <= set(listed)


def test_a_database_that_went_away_gives_a_clear_error_and_no_crash(tmp_path):
    url = f"sqlite:///{tmp_path / 'gone.db'}"
    engine, sessions = open_database(url)
    with unit_of_work(sessions) as s:
        f.user(s, "张伟", "U-1001")
        s.commit()
    runner = BenchRunner(sessions, "lookup", "bench-1")
    runner.process("U-1001")
    engine.dispose()
    (tmp_path / "gone.db").unlink()
    (tmp_path / "gone.db").mkdir()  # the file is replaced by something SQLite cannot open
    scan, outcome = runner.process("A-01-02-03")
    assert (outcome.level, outcome.code) == ("error", "database_unavailable")
    assert "nothing was saved" in outcome.message
    assert outcome_json(scan, outcome)["kind"] == "location"
