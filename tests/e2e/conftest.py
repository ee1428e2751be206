"""Fixtures for end-to-end tests: the demo warehouse, built once per session."""
from __future__ import annotations

import sqlite3

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


