"""Plain SQL against a test database of either kind, the way the tests used ``sqlite3.connect``.

``connect(url).execute("select ... where sku = ?", (sku,))`` on SQLite and on PostgreSQL alike:
``?`` placeholders, rows as plain tuples (a date as its ISO text, as SQLite gives it),
``fetchone()``/``fetchall()``/iteration, ``commit()`` and ``close()``.
"""
from __future__ import annotations

import datetime
import itertools
import re

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

_PLACEHOLDER = re.compile(r"\?")


def _plain(value):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


class Rows(list):
    def fetchone(self):
        return self[0] if self else None

    def fetchall(self) -> list:
        return list(self)


class Connection:
    def __init__(self, url: str) -> None:
        self.dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
        self._engine = create_engine(url, poolclass=NullPool)
        self._conn = self._engine.connect()

    def execute(self, sql: str, params: tuple = ()):
        numbers = itertools.count()
        statement = _PLACEHOLDER.sub(lambda _m: f":p{next(numbers)}", sql)
        result = self._conn.execute(text(statement), {f"p{i}": value for i, value in enumerate(params)})
        return Rows([tuple(map(_plain, row)) for row in result] if result.returns_rows else [])

    def commit(self) -> None:
        self._conn.commit()

    def close(self) -> None:
        self._conn.close()
        self._engine.dispose()


def connect(url: str) -> Connection:
    return Connection(url)
