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
