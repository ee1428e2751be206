"""The throwaway PostgreSQL server itself: starts, serves PostgreSQL 15, leaves nothing behind.

Uses ThrowawayPostgres directly (no conftest fixtures) so it also checks teardown.
"""
from __future__ import annotations

import os
import sys
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

from tests.support.pg import ThrowawayPostgres, _pid_alive, skip_requested  # noqa: E402

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
