"""Fixtures for end-to-end tests: the demo warehouse, built once per session."""
from __future__ import annotations

import itertools
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from station.cli import main


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """One demo warehouse per test session; tests get a copy."""
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'demo.db'}"
    env = {"XDG_DATA_HOME": str(folder / "data"), "STATION_LANG": "en"}
    result = CliRunner().invoke(main, ["--db", url, "demo", "--sheet", str(folder / "sheet.pdf")], env=env)
    assert result.exit_code == 0, result.output
    return folder / "demo.db"


@pytest.fixture
def demo_url(demo_db, tmp_path):
    copy = tmp_path / "demo.db"
    src, dst = sqlite3.connect(demo_db), sqlite3.connect(copy)
    src.backup(dst)  # WAL mode: a file copy could miss the -wal part
    src.close()
    dst.close()
    return f"sqlite:///{copy}"




@pytest.fixture(scope="session")
def demo_pg(pg_server, tmp_path_factory):
    """The demo warehouse built once per session in a template database on the test PostgreSQL server."""
    folder = tmp_path_factory.mktemp("demo_pg")
    url = pg_server.create_database("demo_template")
    # A child process: no connection to the template may be left open when it is copied.
    result = subprocess.run([str(Path(sys.executable).parent / "station"), "--db", url, "demo",
                             "--sheet", str(folder / "sheet.pdf")], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "XDG_DATA_HOME": str(folder / "data"), "STATION_LANG": "en"})
    assert result.returncode == 0, result.stderr
    return "demo_template"


_demo_numbers = itertools.count(1)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def demo_any_url(request):
    """A fresh copy of the demo warehouse, on SQLite and on the real PostgreSQL server."""
    if request.param == "sqlite":
        yield request.getfixturevalue("demo_url")
        return
    server = request.getfixturevalue("pg_server")
    template = request.getfixturevalue("demo_pg")
    name = f"demo_{next(_demo_numbers)}"
    url = server.create_database(name, template=template)
    yield url
    server.drop_database(name)
