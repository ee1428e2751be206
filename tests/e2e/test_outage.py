"""A PostgreSQL outage under running benches: every bench answers ``database_unavailable`` while
the server is gone, no process exits, the next scan after it is back works without a restart,
and nothing of a failed scan is written or kept in memory.

The server here is this module's own (the session's shared one must not be stopped under other
tests): stopped with ``pg_ctl stop -m immediate`` and started again on the same port.
"""
from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select as sql_select

from tests.support.pg import ThrowawayPostgres, skip_requested

pytestmark = pytest.mark.postgres

BENCHES = ("lookup", "pack", "handover", "receive", "putaway", "count", "returns")
SUPERVISOR, BADGE = "刘洋", "U-1004"  # may work at every bench (demo users)
UNAVAILABLE = "database_unavailable"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if skip_requested():
        pytest.skip("STATION_SKIP_PG=1: PostgreSQL tests skipped on request")
    # A committed scan must survive the crash: the shared test server runs with
    # synchronous_commit=off (it never crashes), under which an immediate stop loses the last
    # ~200 ms of commits. A real server keeps it on.
    with ThrowawayPostgres(extra_options={"synchronous_commit": "on"}) as pg:
        folder = tmp_path_factory.mktemp("outage")
        done = subprocess.run(
            [str(Path(sys.executable).parent / "station"), "--db", pg.url, "demo", "--sheet", str(folder / "s.pdf")],
            capture_output=True, text=True, timeout=300,
            env={**os.environ, "STATION_LANG": "en", "XDG_DATA_HOME": str(folder / "data")})
        assert done.returncode == 0, done.stderr
        yield pg


def stop(pg: ThrowawayPostgres) -> None:
    """The server goes away as in a crash or a pulled cable: no goodbye to the clients."""
    done = pg._run(str(pg.bindir / "pg_ctl"), "-D", str(pg.data_dir), "-m", "immediate", "-w", "stop", timeout=60)
    assert done.returncode == 0, done.stdout
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(pg.conninfo(), connect_timeout=2).close()


def start(pg: ThrowawayPostgres) -> None:
    pg._pg_ctl_start()  # same data directory, same port
    psycopg.connect(pg.conninfo()).close()


class Bench:
    """One `station replay BENCH` process, fed one scan at a time."""

    def __init__(self, url: str, bench: str, tmp: Path):
        self.bench = bench
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "station"), "--db", url, "replay", bench, "--user", SUPERVISOR,
             "--station", f"outage-{bench}"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(tmp / f"{bench}.err", "w"), text=True,
            env={**os.environ, "STATION_LANG": "en", "XDG_DATA_HOME": str(tmp / "data")})

    def scan(self, raw: str) -> dict:
        assert self.proc.poll() is None, f"{self.bench} bench exited with {self.proc.returncode}"
        self.proc.stdin.write(raw + "\n")
        self.proc.stdin.flush()
        ready, _w, _x = select.select([self.proc.stdout], [], [], 60)
        assert ready, f"{self.bench} bench gave no answer to {raw!r} in 60 s"
        line = self.proc.stdout.readline()
        assert line, f"{self.bench} bench exited with {self.proc.wait(timeout=10)}"
        return json.loads(line)

    def close(self) -> int:
        self.proc.stdin.close()
        return self.proc.wait(timeout=60)


def rows(url: str, model, **where) -> int:
    from station.db import open_database, unit_of_work

    engine, sessions = open_database(url)
    try:
        with unit_of_work(sessions) as s:
            stmt = sql_select(func.count()).select_from(model)
            for column, value in where.items():
                column = getattr(model, column)
                stmt = stmt.where(column.like(value) if isinstance(value, str) and "%" in value else column == value)
            return s.scalar(stmt)
    finally:
        engine.dispose()


def test_every_bench_answers_database_unavailable_through_an_outage_and_carries_on_after_it(server, tmp_path):
    from station.audit.models import ScanEvent
    from station.fulfilment.models import Order  # noqa: F401  (the models are known to the mapper)

    url = server.url
    benches = {name: Bench(url, name, tmp_path) for name in BENCHES}
    try:
        for bench in benches.values():
            assert bench.scan(BADGE)["code"] == "logged_in", bench.bench
        opened = benches["pack"].scan("PS:DEMO-1001")
        assert opened["code"] == "order_opened", opened
        saved = rows(url, ScanEvent, station="outage-%")

        stop(server)
        try:
            # The first scans after the server went: the pooled connections are dead (no ping before
            # a scan within 5 s of the last), then no new connection can be made.
            for round_ in range(2):
                for bench in benches.values():
                    out = bench.scan(BADGE)
                    assert (out["code"], out["level"]) == (UNAVAILABLE, "error"), (bench.bench, round_, out)
                out = benches["pack"].scan("CMD-DONE")
                assert out["code"] == UNAVAILABLE, out
                assert out["state"] == {}, out  # what the person sees is no bench state nobody saved
        finally:
            start(server)

        for bench in benches.values():  # the same processes, no restart
            out = bench.scan(BADGE)
            assert out["code"] == "logged_in", (bench.bench, out)
        # The pack bench is where it was before the outage: the order still open, nothing counted.
        out = benches["pack"].scan("CMD-DONE")
        assert out["state"]["order"] == "DEMO-1001", out
        assert out["code"] == "not_complete", out
        # Exactly the scans that were answered from the database are recorded; none of the outage's.
        assert rows(url, ScanEvent, station="outage-%") == saved + len(BENCHES) + 1
        assert rows(url, ScanEvent, station="outage-%", code=UNAVAILABLE) == 0
    finally:
        codes = {name: bench.close() for name, bench in benches.items()}
    assert codes == {name: 0 for name in BENCHES}, [(tmp_path / f"{n}.err").read_text() for n in BENCHES]
    verify = subprocess.run([str(Path(sys.executable).parent / "station"), "--db", url, "verify"],
                            capture_output=True, text=True, timeout=120)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_a_connection_lost_while_the_scans_writes_go_out_with_the_commit_saves_nothing_and_keeps_nothing(server):
    """The commit-time write pipeline (db.write_later): the server drops the connection after the
    bench has done its work and queued the scan log and its state, before they are sent."""
    from station.audit.models import BenchState, ScanEvent
    from station.db import open_database, unit_of_work
    from station.workflows.runner import BenchRunner

    engine, sessions = open_database(server.url)
    try:
        runner = BenchRunner(sessions, "pack", "pipeline-1")
        assert runner.login(SUPERVISOR).code == "logged_in"
        assert runner.process("PS:DEMO-1002")[1].code == "order_opened"
        state_before = runner.bench.snapshot()
        logged = rows(server.url, ScanEvent, station="pipeline-1")

        save = runner._save

        def save_then_lose_the_connection(s):
            save(s)  # queued, not yet sent
            pid = s.connection().connection.driver_connection.info.backend_pid
            with psycopg.connect(server.conninfo(), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

        runner._save = save_then_lose_the_connection
        _scan, outcome = runner.process("CMD-CANCEL")
        runner._save = save
        assert outcome.code == UNAVAILABLE, outcome
        assert runner.bench.snapshot() == state_before  # the cancel was not saved: not kept either
        assert rows(server.url, ScanEvent, station="pipeline-1") == logged
        with unit_of_work(sessions) as s:
            assert s.get(BenchState, ("pipeline-1", "pack")).state["order"] == "DEMO-1002"

        _scan, outcome = runner.process("CMD-CANCEL")  # the next scan: a new connection, no restart
        assert outcome.code == "order_released", outcome
        assert runner.bench.snapshot().get("order") is None
        assert rows(server.url, ScanEvent, station="pipeline-1") == logged + 1
    finally:
        engine.dispose()
