"""Shared fixtures: a fresh SQLite database per test, and a throwaway PostgreSQL server."""
from __future__ import annotations

import itertools
import os
import sys

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("STATION_LANG", "en")
os.environ.setdefault("STATION_STRICT_OUTCOMES", "1")  # an outcome code not registered, or at another level, fails


@pytest.fixture(autouse=True, scope="session")
def _documents_installed():
    """The composition the CLI's ``main`` and the GUI's ``build`` make at start: the document
    families' renderers in the outbox (tests drive the runner and the outbox without either)."""
    from station.documents.registry import install

    install()


@pytest.fixture(autouse=True)
def _english_and_private_data_dir(tmp_path_factory, monkeypatch):
    """Tests run in English with their own data folder, never the user's real database."""
    from station.i18n import set_language

    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("STATION_DB", raising=False)
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(autouse=True)
def _outcome_codes_registered():
    """Fail the test if an outcome was built with a code not in station.workflows.outcomes (or at
    another level), even where the runner turned the error into a ``station_error`` outcome."""
    yield
    registry = sys.modules.get("station.workflows.outcomes")  # not imported: no outcome was built
    found = list(registry.VIOLATIONS) if registry else []
    if registry:
        registry.VIOLATIONS.clear()
    assert not found, found


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'station.db'}"


@pytest.fixture
def db(sqlite_url):
    """(engine, sessions) on a migrated SQLite database."""
    from station.db import open_database

    engine, sessions = open_database(sqlite_url)
    yield engine, sessions
    engine.dispose()


@pytest.fixture
def sessions(db):
    return db[1]


@pytest.fixture(scope="session")
def pg_server():
    """One throwaway PostgreSQL 15 server per test session, started and stopped by the tests."""
    from tests.support.pg import ThrowawayPostgres, skip_requested

    if skip_requested():
        pytest.skip("STATION_SKIP_PG=1: PostgreSQL tests skipped on request")
    with ThrowawayPostgres() as server:  # raises (never skips) if no PostgreSQL 15 binaries
        yield server


_pg_db_numbers = itertools.count(1)


@pytest.fixture
def pg_url(pg_server):
    """URL of a fresh, empty database for this test; dropped afterwards."""
    name = f"test_{next(_pg_db_numbers)}"
    url = pg_server.create_database(name)
    yield url
    pg_server.drop_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_url(request, tmp_path):
    """The same test on SQLite and on the real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'station.db'}"
    return request.getfixturevalue("pg_url")
