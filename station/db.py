"""Engine, sessions and schema version: the only place that reads the database URL.

The URL comes from ``--db``, else ``STATION_DB``, else an SQLite file in the user
data folder. SQLite gets WAL, ``synchronous=FULL`` (a scan the bench confirmed
survives a power cut), foreign keys and a busy timeout on every connection, and
writers take the lock at BEGIN so two benches never deadlock on an upgrade.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sqlalchemy import DateTime, Engine, MetaData, TypeDecorator, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from station.i18n import _

ENV_VAR = "STATION_DB"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator):
    """A point in time, stored in UTC on every database, always handed back timezone-aware.

    SQLite keeps no zone: without this an order paid at 00:10 Beijing time would be stored as
    00:10 and compare wrongly with UTC times. A naive value going in is taken as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        value = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


class DatabaseError(RuntimeError):
    """A database Station cannot use; the message is for a person."""


def default_url() -> str:
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("station", "station"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'station.db'}"


def resolve_url(url: str | None = None) -> str:
    return url or os.environ.get(ENV_VAR) or default_url()


def describe(url: str) -> str:
    """The URL without its password, for the status bar and messages."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the driver, manage transactions so BEGIN IMMEDIATE works.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    # The commit that crosses the checkpoint threshold copies the WAL into the database and
    # fsyncs it: a scan that waits several ms. At 4,000 pages (16 MB) instead of 1,000 that
    # happens to one scan in hundreds, not to one in a hundred (the benches' p99).
    cur.execute("PRAGMA wal_autocheckpoint=4000")
    cur.close()


def _sqlite_begin(conn) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str | None = None) -> Engine:
    url = resolve_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg")
    return create_engine(url, pool_pre_ping=True)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One user action: commits only when the caller calls ``commit()``; rolls back otherwise."""
    session = factory()
    try:
        yield session
    finally:
        session.close()  # rolls back whatever was not committed; loaded objects stay readable


# --- schema version -------------------------------------------------------------

def _alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def schema_state(engine: Engine) -> tuple[str | None, str]:
    """(current revision of the database or None, head revision of this Station)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(engine))
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return current, script.get_current_head()


def numbered_head() -> str:
    """The newest migration by our naming (``NNNN_name.py``, revision ``NNNN``, one line of
    history): what the database says when it is up to date, known without importing Alembic
    (a test keeps it equal to Alembic's head)."""
    return max(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def _up_to_date(engine: Engine) -> bool:
    """True when the database is at this Station's schema: one small query, no Alembic."""
    try:
        with engine.connect() as conn:
            current = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except Exception:  # no table yet, or it cannot say: let Alembic decide
        return False
    return current == numbered_head()


def upgrade(engine: Engine) -> None:
    """Bring the database to this Station's schema; refuse one written by a newer Station."""
    if _up_to_date(engine):  # every start of the app and of each command: skip Alembic's 0.4 s import
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(engine)
    script = ScriptDirectory.from_config(cfg)
    current, head = schema_state(engine)
    if current == head:
        return
    if current is not None:
        known = {rev.revision for rev in script.walk_revisions()}
        if current not in known:
            raise DatabaseError(_(
                "The database {url} was written by a newer Station (schema {current}); this Station "
                "knows up to {head}. Update Station before opening it.",
                url=describe(str(engine.url)), current=current, head=head))
    if current is None and inspect(engine).get_table_names():
        tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
        if tables:
            raise DatabaseError(_(
                "The database {url} has tables but no Station schema version; it is not a Station database.",
                url=describe(str(engine.url))))
    command.upgrade(cfg, "head")


def open_database(url: str | None = None) -> tuple[Engine, sessionmaker[Session]]:
    """Engine and session factory for a database upgraded to the current schema."""
    engine = make_engine(url)
    try:
        upgrade(engine)
    except DatabaseError:
        engine.dispose()
        raise
    except Exception as exc:  # connection refused, bad URL, permissions
        engine.dispose()
        raise DatabaseError(_("Cannot open the database {url}: {error}",
                                url=describe(resolve_url(url)), error=exc)) from exc
    return engine, session_factory(engine)
