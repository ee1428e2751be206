"""Engine, sessions and schema version: the only place that reads the database URL.

The URL comes from ``--db``, else ``STATION_DB``, else an SQLite file in the user
data folder. SQLite gets WAL, ``synchronous=FULL`` (a scan the bench confirmed
survives a power cut), foreign keys and a busy timeout on every connection, and
writers take the lock at BEGIN so two benches never deadlock on an upgrade.
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sqlalchemy import DateTime, Engine, MetaData, TypeDecorator, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.sql.dml import Insert
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError
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


def data_folder(url: str | None = None) -> Path:
    """The folder for one database's own files (its PDF outbox, its demo files), never shared.

    The default database keeps the user data folder itself; another SQLite file gets the
    folder ``<name>-files`` beside it; any other database (PostgreSQL) a folder under the user
    data folder named by a hash of its URL without the password.
    """
    import hashlib

    from platformdirs import user_data_dir

    home = Path(user_data_dir("station", "station"))
    url = resolve_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        database = Path(parsed.database).expanduser().resolve()
        if database == (home / "station.db").resolve():
            return home
        return database.with_name(f"{database.stem}-files")
    key = f"{parsed.get_backend_name()}://{parsed.username or ''}@{parsed.host or ''}:{parsed.port or ''}" \
          f"/{parsed.database or ''}"  # the driver and the password do not make another database
    return home / "databases" / hashlib.sha256(key.encode()).hexdigest()[:16]


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


READ_ONLY = "station_read_only"  # execution option: this transaction only reads (see read_only)


def _sqlite_begin(conn) -> None:
    # A writer takes the write lock at BEGIN, so two writers never deadlock on an upgrade. A
    # reader (read_only) does not: in WAL mode it neither waits for nor blocks the writers.
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


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
    engine = create_engine(url)
    event.listen(engine, "checkout", _ping_if_idle)
    event.listen(engine, "checkin", _note_checkin)
    event.listen(engine, "before_execute", _send_before)
    event.listen(engine, "before_cursor_execute", _nothing_bypasses)
    event.listen(engine, "commit", _send_at_commit)
    event.listen(engine, "rollback", _forget_writes)
    return engine


# --- writes whose result nobody reads ------------------------------------------------

_LATER = "station.write_later"


def write_later(session: Session, statement, parameters=None) -> None:
    """Run an INSERT/UPDATE/DELETE whose result the caller does not read (no RETURNING,
    no rowcount) in the session's transaction.

    On PostgreSQL it is queued and sent with the other queued writes in one round trip
    (psycopg's pipeline mode) just before the transaction's next statement or its
    commit, in the order queued: a scan that closes a parcel writes its ledger credits
    and movements, return keys, print job, scan log and bench state that way. Nothing
    is read before it is written, and a rollback drops the queue with the rest. Errors
    (a constraint, the server gone) are raised where the queue is sent. On SQLite
    (in-process, no round trip to save) the statement runs at once.
    """
    if isinstance(statement, Insert) and not statement._inline:  # it would ask for its new id back
        raise ValueError("write_later takes insert(...).inline(): nothing may be read back")
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        conn.execute(statement, parameters)
        return
    conn.info.setdefault(_LATER, []).append((statement, parameters))


def _send(conn, *, commit: bool = False) -> None:
    queued = conn.info.pop(_LATER, None)
    if not queued:
        return
    import psycopg
    from sqlalchemy.exc import DBAPIError

    driver = conn.connection.driver_connection
    try:
        with driver.pipeline():
            for statement, parameters in queued:
                conn.execute(statement, parameters)
            if commit:  # the COMMIT in the same round trip; SQLAlchemy's own then finds nothing to do
                driver.commit()
    except psycopg.Error as error:  # raised at the pipeline's sync, past SQLAlchemy's wrapping
        # The server gone (an outage, a restart): the connection must not go back to the pool,
        # nor the pool's other connections to the server that went away (SQLAlchemy's own
        # handling, which the pipeline bypasses, does the same for an ordinary statement).
        gone = driver.closed or conn.dialect.is_disconnect(error, driver, None)
        if gone:
            conn.engine.pool._invalidate(conn.connection, error)  # every connection older than now: recycled
            conn.invalidate(error)
        else:
            try:  # the whole transaction is void: end it here, whatever state SQLAlchemy thinks it is in
                driver.rollback()
            except psycopg.Error:
                pass
        raise DBAPIError.instance(str(queued[0][0]), None, error, psycopg.Error,
                                  connection_invalidated=gone) from error


def _send_before(conn, _clause, _multiparams, _params, _options) -> None:
    if _LATER in conn.info:
        _send(conn)


def _nothing_bypasses(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
    if conn.info.get(_LATER):  # exec_driver_sql does not fire before_execute: it must not pass queued writes
        raise RuntimeError(f"queued writes would run after {statement[:60]!r}: send them first")


def _send_at_commit(conn) -> None:
    _send(conn, commit=True)


def _forget_writes(conn) -> None:
    if conn.invalidated:  # its connection is gone; the pool clears the record's info before reconnecting
        return
    try:
        conn.info.pop(_LATER, None)
    except SQLAlchemyError:  # a connection that broke under the rollback: same as above
        pass


#: A pooled connection unused for this long is tested before a scan uses it.
IDLE_PING_S = 5.0


def _note_checkin(_dbapi_connection, record) -> None:
    record.info["checked_in"] = time.monotonic()
    record.info.pop(_LATER, None)  # belt and braces: a connection back in the pool has no transaction


def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
    """pool_pre_ping, but only for a connection that sat idle: at a busy bench a scan
    comes every second or two, and a ping before each was one more round trip on the
    scan's path. A server restarted during a pause is still noticed (the pool then
    opens a new connection); one that goes away mid-shift gives that scan
    ``database_unavailable`` and the next scan a new connection."""
    last = record.info.get("checked_in")
    if last is None or time.monotonic() - last < IDLE_PING_S:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.rollback()
    except Exception as error:
        raise DisconnectionError(f"connection idle for a while is gone: {error}") from error


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


def one_at_a_time(session: Session, name: str) -> None:
    """Hold a lock named ``name`` until the session's transaction ends: the same check-then-write
    action (an import that refuses what is already there) runs at one desk after the other, each
    seeing what the one before committed. On PostgreSQL a transaction-level advisory lock, taken
    before the action reads anything; on SQLite the write transaction (BEGIN IMMEDIATE) already
    lets one writer at a time."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": f"station:{name}"})


@contextmanager
def read_only(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A unit of work that only reads: on SQLite it holds no write lock, so a long read (a
    document drawn from the database) never makes a bench wait. Writing in it is a bug."""
    session = factory()
    try:
        session.connection(execution_options={READ_ONLY: True})
        yield session
    finally:
        session.close()


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
