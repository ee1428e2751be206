"""The throwaway PostgreSQL server itself: starts, serves PostgreSQL 15, leaves nothing behind.

Uses ThrowawayPostgres directly (no conftest fixtures) so it also checks teardown.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

# Without tests/conftest.py nothing puts the repo root on sys.path, and python-barcode
# installs a stray "tests" namespace package into site-packages that would shadow ours.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
if getattr(sys.modules.get("tests"), "__file__", None) is None:
    sys.modules.pop("tests", None)  # a namespace "tests" cached before the fix above

from tests.support.pg import (  # noqa: E402
    OWNER_FILE, ThrowawayPostgres, _pid_alive, reap_stale_servers, skip_requested,
)

from sqlalchemy import create_engine, text  # noqa: E402

pytestmark = pytest.mark.postgres


def _children(pid: int) -> set[int]:
    """Direct children of pid (the postmaster's checkpointer, walwriter, backends...)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[-1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


@pytest.fixture(autouse=True)
def _honour_skip_env():
    if skip_requested():
        pytest.skip("STATION_SKIP_PG=1: PostgreSQL tests skipped on request")


def test_throwaway_server_serves_postgres_15_and_leaves_nothing_behind():
    t0 = time.perf_counter()
    with ThrowawayPostgres() as pg:
        started = time.perf_counter() - t0
        base, pid = pg.base_dir, pg.pid
        watchdog = pg._watchdog.pid
        assert _pid_alive(watchdog)
        assert base is not None and base.is_dir() and base.name.startswith("station-pg-")
        assert base.parent == Path(os.environ.get("STATION_PG_TMPDIR") or "/tmp")
        assert pid is not None and _pid_alive(pid)
        assert pg.url == f"postgresql+psycopg://station@127.0.0.1:{pg.port}/station"

        engine = create_engine(pg.url)
        try:
            with engine.connect() as conn:
                version = conn.execute(text("select version()")).scalar_one()
                assert "PostgreSQL 15" in version
                assert conn.execute(text("select current_database()")).scalar_one() == "station"
                assert conn.execute(text("show fsync")).scalar_one() == "off"
                assert conn.execute(text("show server_encoding")).scalar_one() == "UTF8"
        finally:
            engine.dispose()

        urls = [pg.create_database("case_one"), pg.create_database("case_two")]
        assert urls[0].endswith("/case_one") and urls[1].endswith("/case_two")
        for url, name in zip(urls, ("case_one", "case_two")):
            eng = create_engine(url)
            try:
                with eng.begin() as conn:
                    assert conn.execute(text("select current_database()")).scalar_one() == name
                    conn.execute(text("create table t (id int primary key)"))
                    conn.execute(text("insert into t values (1)"))
            finally:
                eng.dispose()
        with pytest.raises(ValueError):
            pg.create_database("bad; drop database station")

        pg.drop_database("case_two")
        children = _children(pid) if Path("/proc").is_dir() else set()
        assert children, "postmaster has no auxiliary processes?"
        t1 = time.perf_counter()
    stopped = time.perf_counter() - t1

    print(f"\nthrowaway postgres: start {started:.2f}s, stop+cleanup {stopped:.2f}s")
    assert not _pid_alive(pid), f"postmaster {pid} still running"
    assert not [c for c in children if _pid_alive(c)], "postmaster children still running"
    assert not base.exists(), f"{base} was not removed"
    assert not _pid_alive(watchdog), "the watchdog outlived a clean close"


def test_dir_removed_and_server_stopped_when_body_raises():
    with pytest.raises(RuntimeError, match="boom"):
        with ThrowawayPostgres() as pg:
            base, pid = pg.base_dir, pg.pid
            raise RuntimeError("boom")
    assert not _pid_alive(pid)
    assert not base.exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="root-only path: runs initdb/pg_ctl via runuser")
def test_root_runs_server_as_postgres_user():
    import pwd

    with ThrowawayPostgres() as pg:
        uid = Path(f"/proc/{pg.pid}").stat().st_uid
        assert pwd.getpwuid(uid).pw_name == "postgres"
        assert pg.data_dir.stat().st_uid == uid


# A process that starts a server, says where it is, and waits to be killed.
_OWNER_SCRIPT = """
import json, sys, time
from tests.support.pg import ThrowawayPostgres
pg = ThrowawayPostgres(base=sys.argv[1]).start()
print(json.dumps({"pid": pg.pid, "base": str(pg.base_dir), "watchdog": pg._watchdog.pid}), flush=True)
time.sleep(600)
"""


@pytest.fixture
def parent_dir():
    """A private parent folder under /tmp (traversable by the postgres user), removed afterwards."""
    import shutil

    folder = Path(tempfile.mkdtemp(prefix="station-pg-test-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _start_owner(parent: Path) -> tuple[subprocess.Popen, dict]:
    env = {**os.environ, "PYTHONPATH": _ROOT}
    proc = subprocess.Popen([sys.executable, "-c", _OWNER_SCRIPT, str(parent)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        raise AssertionError(f"the owner process did not start a server: {proc.stderr.read()}")
    return proc, json.loads(line)


def _wait_gone(pid: int, seconds: float) -> float | None:
    """Seconds until pid is gone, or None if it still runs after ``seconds``."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        if not _pid_alive(pid):
            return time.monotonic() - t0
        time.sleep(0.05)
    return None


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_server_stops_when_its_owner_is_killed(parent_dir, sig):
    """A killed test run runs no finalizer: the watchdog stops the server and removes its directory."""
    proc, info = _start_owner(parent_dir)
    try:
        assert _pid_alive(info["pid"]) and Path(info["base"]).is_dir()
        os.kill(proc.pid, sig)
        proc.wait(timeout=10)
        took = _wait_gone(info["pid"], 10)
        assert took is not None, f"postmaster {info['pid']} still running 10 s after the owner died"
        print(f"\npostmaster gone {took:.2f}s after {sig.name} of its owner")
        assert _wait_gone(info["watchdog"], 15) is not None, "watchdog never exited"
        assert not Path(info["base"]).exists(), "server directory left behind"
    finally:
        if proc.poll() is None:
            proc.kill()
        if _pid_alive(info["pid"]):
            os.kill(info["pid"], signal.SIGKILL)


def test_next_run_reaps_a_server_whose_owner_and_watchdog_are_dead(parent_dir):
    """Owner and watchdog both killed (say a container stop that spared the postmaster): the next
    ThrowawayPostgres in the same folder stops the orphan; live servers of other runs are left alone."""
    proc, info = _start_owner(parent_dir)
    live_proc, live = _start_owner(parent_dir)
    try:
        owner = json.loads((Path(info["base"]) / OWNER_FILE).read_text())
        assert owner["owner_pid"] == proc.pid and owner["watchdog_pid"] == info["watchdog"]
        os.kill(info["watchdog"], signal.SIGKILL)
        assert _wait_gone(info["watchdog"], 5) is not None
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        time.sleep(0.5)
        assert _pid_alive(info["pid"]), "nothing should have stopped the orphan yet"

        removed = reap_stale_servers(parent_dir)

        assert removed == [Path(info["base"])]
        assert _wait_gone(info["pid"], 10) is not None, "orphan postmaster still running"
        assert not Path(info["base"]).exists()
        assert _pid_alive(live["pid"]) and Path(live["base"]).is_dir(), "a live run's server was touched"
    finally:
        for p in (proc, live_proc):
            if p.poll() is None:
                p.kill()
                p.wait()
        for i in (info, live):
            _wait_gone(i["pid"], 10)  # the live one's watchdog stops it once its owner is killed
            if _pid_alive(i["pid"]):
                os.kill(i["pid"], signal.SIGKILL)
