"""The database: URL resolution, SQLite pragmas on every connection, migrations and refusal of newer schemas."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from station.db import DatabaseError, make_engine, open_database, resolve_url, schema_state


def test_the_url_comes_from_the_flag_then_the_environment_then_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("STATION_DB", "sqlite:///from-env.db")
    assert resolve_url("sqlite:///from-flag.db") == "sqlite:///from-flag.db"
    assert resolve_url(None) == "sqlite:///from-env.db"
    monkeypatch.delenv("STATION_DB")
    default = resolve_url(None)
    assert default.startswith("sqlite:///") and default.endswith("station.db")
    assert str(tmp_path.parent.parent) in default or "data" in default  # the test's private data folder


def test_every_sqlite_connection_gets_wal_full_sync_foreign_keys_and_a_busy_timeout(sqlite_url):
    engine = make_engine(sqlite_url)
    for _ in range(2):  # two different pooled connections
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
        engine.dispose()


def test_a_new_database_is_migrated_to_the_head_with_its_virtual_locations(any_url):
    engine, sessions = open_database(any_url)
    current, head = schema_state(engine)
    assert current == head
    with engine.connect() as conn:
        kinds = dict(conn.execute(text("select code, kind from location")).all())
    assert kinds == {"SUPPLIER": "supplier", "CUSTOMER": "customer", "ADJUSTMENT": "adjustment"}
    engine.dispose()


def test_an_older_database_is_upgraded_on_open(sqlite_url):
    from alembic import command

    from station.db import _alembic_config

    engine = make_engine(sqlite_url)
    command.upgrade(_alembic_config(engine), "head")
    command.downgrade(_alembic_config(engine), "base")
    assert schema_state(engine)[0] is None
    engine.dispose()
    engine, _ = open_database(sqlite_url)
    current, head = schema_state(engine)
    assert current == head


def test_a_database_from_a_newer_station_is_refused_with_a_clear_message(any_url):
    engine, _ = open_database(any_url)
    with engine.begin() as conn:
        conn.execute(text("update alembic_version set version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="newer Station"):
        open_database(any_url)


def test_a_database_that_is_not_stations_is_refused(sqlite_url):
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("create table invoices (id integer)"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="not a Station database"):
        open_database(sqlite_url)


def test_an_unreachable_server_gives_a_message_not_a_traceback():
    with pytest.raises(DatabaseError, match="Cannot open the database"):
        open_database("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_the_numbered_head_is_alembics_head_so_an_up_to_date_database_skips_alembic():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from station.db import MIGRATIONS, numbered_head

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert numbered_head() == ScriptDirectory.from_config(cfg).get_current_head()


# --- writes sent with the transaction's others (db.write_later) ---------------------------

def _scan_row(n: int, raw: str | None = None) -> dict:
    from datetime import datetime, timezone

    return dict(at=datetime.now(timezone.utc), raw=raw or f"SCAN-{n}", kind="sku", value=str(n),
                bench="pack", level="ok", code="counted", user="ann", station="S1")


def _scan_count(sessions) -> int:
    from sqlalchemy import func, select

    from station.audit.models import ScanEvent
    from station.db import unit_of_work

    with unit_of_work(sessions) as s:
        return s.scalar(select(func.count()).select_from(ScanEvent))


def test_queued_writes_are_read_back_committed_in_order_and_dropped_on_rollback(any_url):
    from sqlalchemy import func, insert, select, update

    from station.audit.models import ScanEvent
    from station.db import unit_of_work, write_later

    engine, sessions = open_database(any_url)
    table = ScanEvent.__table__
    add = insert(table).inline()
    with unit_of_work(sessions) as s:
        write_later(s, add, [_scan_row(1)])
        write_later(s, add, [_scan_row(2), _scan_row(3)])
        # A read in the same transaction sees what was queued before it.
        assert s.scalar(select(func.count()).select_from(table)) == 3
        write_later(s, add, _scan_row(4))
        write_later(s, update(table).where(table.c.value == "4").values(code="changed"))
        s.commit()
    with unit_of_work(sessions) as s:
        assert s.scalar(select(table.c.code).where(table.c.value == "4")) == "changed"
        write_later(s, add, [_scan_row(5)])
        s.rollback()
    with unit_of_work(sessions) as s:
        write_later(s, add, [_scan_row(6)])  # the unit of work ends without a commit
    assert _scan_count(sessions) == 4
    engine.dispose()


def test_a_queued_write_that_fails_fails_the_commit_and_leaves_the_connection_usable(any_url):
    from sqlalchemy import insert, text
    from sqlalchemy.exc import IntegrityError

    from station.audit.models import ScanEvent
    from station.db import unit_of_work, write_later

    engine, sessions = open_database(any_url)
    add = insert(ScanEvent.__table__).inline()
    with unit_of_work(sessions) as s:
        write_later(s, add, [_scan_row(1)])
        with pytest.raises(IntegrityError):  # at once on SQLite, when sent on PostgreSQL
            write_later(s, text("INSERT INTO scan_event (id, at, raw, kind, value, bench, level, code, station) "
                                "SELECT id, at, raw, kind, value, bench, level, code, station FROM scan_event"))
            s.commit()
    assert _scan_count(sessions) == 0  # nothing of the failed transaction
    with unit_of_work(sessions) as s:
        write_later(s, add, [_scan_row(2)])
        s.commit()
    assert _scan_count(sessions) == 1
    engine.dispose()


def test_write_later_refuses_an_insert_that_would_read_its_id_back(sqlite_url):
    from sqlalchemy import insert

    from station.audit.models import ScanEvent
    from station.db import unit_of_work, write_later

    engine, sessions = open_database(sqlite_url)
    with unit_of_work(sessions) as s, pytest.raises(ValueError, match="inline"):
        write_later(s, insert(ScanEvent.__table__), [_scan_row(1)])
    engine.dispose()


@pytest.mark.postgres
def test_a_pooled_connection_idle_a_while_is_pinged_and_a_dead_one_replaced(pg_url, monkeypatch):
    from sqlalchemy import text

    import station.db as db

    engine, sessions = open_database(pg_url)
    with engine.connect() as conn:
        first_pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    with engine.connect() as conn:  # used just now: no ping, the same connection
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() == first_pid
    # The server drops the connection while it sits in the pool (a restart, a network cut).
    other = create_engine(pg_url)
    with other.begin() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first_pid})
    other.dispose()
    monkeypatch.setattr(db, "IDLE_PING_S", 0.0)  # it has been idle long enough to be checked
    with engine.connect() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != first_pid
    engine.dispose()


def test_a_read_only_unit_of_work_holds_no_write_lock_so_a_bench_writes_meanwhile(sqlite_url):
    """A document drawn from the database (read_only) must not make a scan at another bench wait."""
    import sqlite3

    from station.catalog.models import User
    from station.db import read_only, unit_of_work

    engine, sessions = open_database(sqlite_url)
    other = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), timeout=0.2, isolation_level=None)
    try:
        with read_only(sessions) as s:
            assert s.query(User).count() == 0  # the read transaction is open
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO station_user (name, badge, roles) VALUES ('张伟', 'U-1', 'packer')")
            other.execute("COMMIT")
        with unit_of_work(sessions) as s:
            assert s.query(User).count() == 1
            other.execute("PRAGMA busy_timeout=200")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")  # a writer's unit of work does hold it
    finally:
        other.close()
        engine.dispose()


def test_a_0010_scan_log_and_bench_state_upgrade_to_0011_and_come_back_as_they_were_saved(any_url):
    """Rows from before 0011: scans are `scan`, without a message; a state's plain-text message is
    shown as it was saved (issue 13)."""
    from alembic import command

    from station.db import _alembic_config
    from station.i18n import set_language
    from station.workflows.runner import BenchRunner

    engine = make_engine(any_url)
    command.upgrade(_alembic_config(engine), "0010")
    with engine.begin() as conn:
        conn.execute(text("insert into scan_event (at, raw, kind, value, bench, level, code, \"user\", station) "
                          "values (CURRENT_TIMESTAMP, 'X1', 'sku', 'X1', 'lookup', 'error', 'unknown_sku', null, 'b1')"))
        conn.execute(text("insert into bench_state (station, bench, \"user\", state, updated_at) values "
                          "('b1', 'putaway', null, :state, CURRENT_TIMESTAMP)"),
                     {"state": '{"error": {"code": "not_a_bin", "message": "B-9 is not a bin"}}'})
    engine.dispose()
    engine, sessions = open_database(any_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("select source, message from scan_event")).all() == [("scan", None)]
        set_language("zh_CN")
        runner = BenchRunner(sessions, "putaway", "b1")
        assert runner.bench.state["error"] == {"code": "not_a_bin", "message": "B-9 is not a bin"}
    finally:
        engine.dispose()
