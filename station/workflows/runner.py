"""The one path from a raw scan to an outcome, shared by the GUI and ``station replay``.

Per scan: classify, open a unit of work, let the bench handle it, record the scan
and the bench's new state, commit once. A badge scan logs a person in (or switches
person); ``CMD-LOGOUT`` logs out. If the database went away, the outcome says so and
the bench keeps its state in memory; nothing half-done is written.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any, Callable

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, PendingRollbackError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from station.audit.models import BenchState, ScanEvent
from station.catalog.models import User
from station.db import unit_of_work, write_later
from station.i18n import _, message_of, render, restored, stored
from station.inventory.lookup import build_lexicon
from station.outbox import DEFERRED, DEFERRED_JOBS
from station.scanning import Lexicon, Scan, ScanKind, classify
from station.scanning.normalisation import WHITESPACE
from station.workflows import BENCHES
from station.workflows.base import Bench, BenchContext, Outcome
from station.workflows.outcomes import Level
from station.workflows.ports import OPEN_PORT

LEXICON_MAX_AGE_S = 10.0
SOURCES = ("scan", "typed")  # where a scan came from: a scanner, or a person typing it (F9, F12, `TYPED:`)
TYPED_PREFIX = "TYPED:"  # a replay line that starts with it was typed, not scanned (docs/replay.md)
_SCAN_EVENT_INSERT = insert(ScanEvent.__table__).inline()  # inline: no RETURNING id (db.write_later)
_BENCH_STATE = BenchState.__table__


def _bench_state_upsert(dialect: str):
    """Insert the station's bench state, or replace it: no read first, no rowcount needed."""
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(_BENCH_STATE)
    return stmt.on_conflict_do_update(
        index_elements=[_BENCH_STATE.c.station, _BENCH_STATE.c.bench],
        set_={"user": stmt.excluded.user, "state": stmt.excluded.state,
              "updated_at": stmt.excluded.updated_at}).inline()


_BENCH_STATE_UPSERT = {name: _bench_state_upsert(name) for name in ("sqlite", "postgresql")}
log = logging.getLogger(__name__)

# What no scanner sends as text and no database column can hold: lone surrogates (an undecodable
# byte read with surrogateescape arrives as U+DC80..U+DCFF), NUL and the other C0/C1 control
# characters. GS (U+001D, the GS1 separator) and the terminators (tab, CR, LF) are text here.
_UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1c\x1e-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # the byte that could not be decoded, as Python's backslashreplace writes it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def readable(raw: str) -> tuple[str, bool]:
    """(the scan as printable, storable text, True if something in it had to be escaped).

    Undecodable bytes become ``\\xff``, control characters ``\\x00``, lone surrogates ``\\ud800``:
    the text can always be written as UTF-8, to the database and to the replay output."""
    if _UNREADABLE.search(raw) is None:
        return raw, False
    return _UNREADABLE.sub(_escape, raw), True


def unreadable_scan(raw: str) -> Scan:
    """The Scan for text that had to be escaped: never classified as a code, whatever is left."""
    text = raw.strip(WHITESPACE)
    return Scan(text, ScanKind.UNKNOWN, text, error="invalid_characters",
                detail="undecodable bytes, control characters or lone surrogates (escaped)")


def database_unavailable(exc: BaseException) -> bool:
    """True when ``exc`` (or what caused it) says the database server or the connection to it
    is gone: a disconnect, a refused connection, a connection SQLAlchemy had to invalidate, a
    transaction that cannot go on because its connection broke."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, PendingRollbackError) and "reconnect" in str(exc):  # its connection was invalidated
            return True
        if isinstance(exc, DBAPIError) and (exc.connection_invalidated
                                            or isinstance(exc, (OperationalError, InterfaceError))):
            return True
        if type(exc).__module__.startswith("psycopg") and type(exc).__name__ in ("OperationalError",
                                                                                 "InterfaceError"):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class UnknownBench(ValueError):
    pass


class BenchRunner:
    """Drives one bench at one station for whoever is logged in."""

    def __init__(self, sessions: sessionmaker[Session], bench: str, station: str) -> None:
        if bench not in BENCHES:
            raise UnknownBench(_("Unknown bench {bench}; choose one of {benches}",
                                 bench=bench, benches=", ".join(sorted(BENCHES))))
        self.sessions = sessions
        self.bench_name = bench
        self.station = station
        self.user: str | None = None
        self.roles: frozenset[str] = frozenset()
        self._lexicon: Lexicon | None = None
        self._lexicon_at = 0.0
        self._print_pending = True  # jobs a crash may have left unrendered are picked up once
        # (document, reference) -> how many jobs of it this bench deferred and has not drawn yet. A count,
        # not a set: a REPRINT defers a second job of the same key while the printing thread may be drawing
        # the first, and drawing the first must not forget the second (CI caught a reprint never drawn).
        self._mine: Counter[tuple[str, str]] = Counter()
        self._mine_lock = threading.Lock()
        self._printing: BackgroundPrinting | None = None
        # Told of each job this bench's printing sends (document, reference, SendResult), on the
        # printing thread: the screen shows where the waybill went.
        self.on_sent: Callable[[str, str, Any], None] | None = None
        # The scan path and the printing thread never talk to the database at the same moment:
        # when a server dies under a psycopg pipeline, libpq closes the socket whose number the
        # pipeline still waits on, and a socket the other thread opens can take that number: the
        # scan then waited for the restarted server instead of answering database_unavailable
        # (scripts/chaos.sh, outage). The printing thread holds it only inside its short
        # transactions, never while a PDF is drawn or a printer is busy.
        self._database = threading.RLock()
        self._printing_sessions = _guarded(sessions, self._database)
        self.bench: Bench = self._restore()

    # --- state -------------------------------------------------------------------
    def _restore(self) -> Bench:
        cls = BENCHES[self.bench_name]
        with unit_of_work(self.sessions) as s:
            saved = s.get(BenchState, (self.station, self.bench_name))
            port = OPEN_PORT.get(self.bench_name)  # a pure bench's port over each scan's unit of work
            if saved is None:
                return cls(open_port=port)
            if saved.user:
                self._set_user(s, saved.user)
            # messages in the language of now (plain old text as it is)
            return cls(restored(saved.state), open_port=port)

    def _set_user(self, session: Session, name: str | None) -> User | None:
        user = session.scalar(select(User).where(User.name == name)) if name else None
        self.user = user.name if user else None
        self.roles = user.role_set if user else frozenset()
        return user

    def lexicon(self, session: Session) -> Lexicon:
        now = time.monotonic()
        if self._lexicon is None or now - self._lexicon_at > LEXICON_MAX_AGE_S:
            self._lexicon = build_lexicon(session)
            self._lexicon_at = now
        return self._lexicon

    def login(self, name: str) -> Outcome:
        """Log in by name (``station replay --user``); the GUI logs in by badge scan."""
        with unit_of_work(self.sessions) as s:
            user = self._set_user(s, name)
            if user is None:  # refused, and on record like every refusal (docs/roles.md)
                from station.catalog.roles import record

                outcome = Outcome.error("unknown_user", _("No user called {name}", name=name))
                record(s, f"bench.{self.bench_name}", name, "unknown_user", station=self.station,
                       detail=outcome.message)
                s.commit()
                return outcome
            outcome = self._welcome(user)
            self._audit_refusal(s, outcome)
            self._save(s)
            s.commit()
            return outcome

    def _welcome(self, user: User) -> Outcome:
        bench = BENCHES[self.bench_name]
        if bench.roles and not (bench.roles & user.role_set):
            return Outcome.error("not_permitted", _("{name} may not work at this bench", name=user.name))
        return Outcome.ok("logged_in", _("Hello {name}", name=user.name))

    # --- one scan ----------------------------------------------------------------
    def process(self, raw: str, source: str = "scan") -> tuple[Scan, Outcome]:
        """Classify and handle one scan; returns the scan and what the person should see.

        `source` is ``"scan"`` (a scanner) or ``"typed"`` (a person typed the barcode, or pressed
        the acknowledge key): a typed scan is handled exactly as a scan of the same text, and the
        scan log records which it was.

        A scan that fails (the database gone, a bug) leaves the bench exactly as saved before
        it: its state, and who is logged in, are put back as they were."""
        if source not in SOURCES:
            raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
        raw, escaped = readable(raw)
        before = (self.bench.keep(), self.user, self.roles)
        try:
            with self._database, unit_of_work(self.sessions) as s:
                scan = unreadable_scan(raw) if escaped else classify(raw, self.lexicon(s))
                outcome = self._dispatch(scan, s)
                self._audit_refusal(s, outcome)
                outcome = replace(outcome, state=self.bench.snapshot())
                self._record(s, scan, outcome, source)
                self._save(s)
                s.commit()
                self._print_pending = self._print_pending or bool(s.info.get(DEFERRED))
                with self._mine_lock:
                    self._mine.update(s.info.get(DEFERRED_JOBS, set()))
                return scan, outcome
        except Exception as exc:  # nothing of this scan was saved: neither may it stay in memory
            kept, self.user, self.roles = before
            self.bench.put_back(kept)
            scan = unreadable_scan(raw) if escaped else classify(raw, self._lexicon or Lexicon())
            if database_unavailable(exc):
                log.warning("scan %r at %s: database unavailable: %s", raw, self.bench_name, exc)
                orig = getattr(exc, "orig", None) or exc
                return scan, Outcome.error(
                    "database_unavailable",
                    _("The database is not answering: nothing was saved. Check the network or server, then scan again"),
                    str(orig)[:200],
                )
            # a bug must not take the bench down; the scan was not saved
            log.exception("scan %r at %s failed", raw, self.bench_name)
            return scan, Outcome.error("station_error",
                                       _("Station could not handle this scan: {error}", error=type(exc).__name__),
                                       _("Scan again; if it happens again, call the supervisor"))

    def acknowledge(self, typed: bool = True) -> tuple[Scan, Outcome]:
        """The acknowledge key (F12): exactly a scan of ``CMD-CONFIRM``, recorded as typed."""
        return self.process("CMD-CONFIRM", source="typed" if typed else "scan")

    def process_line(self, line: str) -> tuple[Scan, Outcome, str]:
        """One line of a replay: ``TYPED:`` in front marks it typed (scan, outcome, source)."""
        if line.startswith(TYPED_PREFIX):
            scan, outcome = self.process(line[len(TYPED_PREFIX):], source="typed")
            return scan, outcome, "typed"
        scan, outcome = self.process(line)
        return scan, outcome, "scan"

    def finish_printing(self) -> int:
        """Render and print the documents the last scans queued (call after showing the outcome).

        Never raises: with the database gone the jobs wait in the outbox and are tried after
        the next scan; any other failure is logged, and the jobs are likewise tried again."""
        from station.outbox import render_deferred

        if not self._print_pending:  # this scan queued nothing: no transaction, no write lock
            return 0
        self._print_pending = False  # before: a job a scan queues meanwhile (another thread) sets it again
        with self._mine_lock:
            taken = Counter(self._mine)
        try:
            done = render_deferred(self._printing_sessions, set(taken), on_sent=self.on_sent)
            with self._mine_lock:  # made (or failed, and then in the outbox with its reason)
                self._mine.subtract(taken)
                self._mine = Counter({key: n for key, n in self._mine.items() if n > 0})
            return done
        except Exception as exc:
            self._print_pending = True
            if database_unavailable(exc):
                log.warning("printing at %s waits: database unavailable: %s", self.bench_name, exc)
            else:
                log.exception("printing at %s failed", self.bench_name)
            return 0

    def print_in_background(self) -> None:
        """`finish_printing` on the bench's printing thread: drawing a PDF or a printer that does
        not answer (``lp`` waits up to 30 s) never delays the next scan, nor the GUI."""
        if self._print_pending:
            if self._printing is None:
                self._printing = BackgroundPrinting(self)
            self._printing.request()

    def product_image(self, sku: str) -> bytes | None:
        """A product's picture for the screen; call it off the GUI thread (a read of up to ~50 KB)."""
        from station.db import read_only
        from station.fulfilment.packing import product_image

        with read_only(self._printing_sessions) as s:  # the guarded maker: never beside a scan's transaction
            return product_image(s, sku)

    def wait_printing(self, timeout: float | None = None) -> bool:
        """Until the printing thread has done what was asked of it (False if `timeout` ran out)."""
        return self._printing is None or self._printing.wait(timeout)

    def _audit_refusal(self, s: Session, outcome: Outcome) -> None:
        """A person at a bench their roles do not allow: in the audit log too (docs/roles.md)."""
        if outcome.code == "not_permitted":
            from station.catalog.roles import record

            record(s, f"bench.{self.bench_name}", self.user, "not_permitted", station=self.station,
                   detail=outcome.message)

    def _dispatch(self, scan: Scan, s: Session) -> Outcome:
        if scan.kind is ScanKind.BADGE and not (self.user is not None and self.bench.takes_badge()):
            user = s.scalar(select(User).where(User.badge == scan.value))
            self._set_user(s, user.name)
            return self._welcome(user)
        if scan.kind is ScanKind.COMMAND and scan.value == "LOGOUT":
            name, self.user, self.roles = self.user, None, frozenset()
            return Outcome.ok("logged_out", _("Goodbye {name}", name=name or ""))
        if self.user is None:
            return Outcome.error("login_required", _("Scan your badge first"))
        bench = BENCHES[self.bench_name]
        if bench.roles and not (bench.roles & self.roles):
            return Outcome.error("not_permitted", _("{name} may not work at this bench", name=self.user))
        ctx = BenchContext(self.station, self.user, self.roles, self.lexicon(s))
        try:
            return self.bench.handle(scan, s, ctx)
        except SQLAlchemyError:
            raise
        except ValueError as exc:  # a refused domain action: say why, write nothing of it
            # Undo whatever it wrote; the scan and the bench state are written in a new transaction.
            # (No savepoint around every scan: two round trips each, on PostgreSQL over the network.)
            s.rollback()
            return Outcome.error(getattr(exc, "code", "refused"), message_of(exc))

    # Two writes on every scan, as Core statements sent with the scan's other writes
    # (db.write_later: on PostgreSQL one round trip, with the COMMIT). The bench's own ORM
    # changes are flushed first, so the audit row lands after what it records.
    def _record(self, s: Session, scan: Scan, outcome: Outcome, source: str = "scan") -> None:
        s.flush()
        write_later(s, _SCAN_EVENT_INSERT, [dict(
            at=datetime.now(timezone.utc), raw=scan.raw, kind=outcome.kind or str(scan.kind), value=scan.value,
            bench=self.bench_name, level=str(outcome.level), code=outcome.code,
            user=self.user, station=self.station, source=source, message=stored(outcome.message),
        )])

    def _save(self, s: Session) -> None:
        now = datetime.now(timezone.utc)
        write_later(s, _BENCH_STATE_UPSERT[s.connection().dialect.name], dict(
            station=self.station, bench=self.bench_name, user=self.user,
            state=stored(self.bench.snapshot()),  # messages as msgid and parameters (station.i18n.stored)
            updated_at=now))


def _guarded(sessions: sessionmaker[Session], lock: threading.RLock):
    """`sessions`, but each session holds `lock` from its creation until it is closed."""
    def make() -> Session:
        lock.acquire()
        try:
            session = sessions()
        except BaseException:
            lock.release()
            raise
        close = session.close

        def close_and_release() -> None:
            try:
                close()
            finally:
                if session.info.pop("station.lock_held", False):
                    lock.release()

        session.info["station.lock_held"] = True
        session.close = close_and_release  # unit_of_work and read_only end every session with close()
        return session
    return make


class BackgroundPrinting:
    """One thread per bench that renders and prints what the scans queued, one request at a time.

    ``request`` never blocks; requests that arrive while it prints are served by one more round.
    The thread is a daemon: a job cut off by the app's exit stays in the outbox (``sending``),
    and the outbox's recovery asks CUPS whether it was taken before sending it again.
    """

    def __init__(self, runner: BenchRunner) -> None:
        self._runner = runner
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._pending = False
        self._thread = threading.Thread(target=self._loop, name=f"printing-{runner.bench_name}", daemon=True)
        self._thread.start()

    def request(self) -> None:
        with self._lock:
            self._pending = True
            self._idle.clear()
            self._wake.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._idle.wait(timeout)

    def _loop(self) -> None:
        while True:
            self._wake.wait()
            with self._lock:
                self._wake.clear()
                self._pending = False
            self._runner.finish_printing()  # never raises
            with self._lock:
                if not self._pending:
                    self._idle.set()


def outcome_json(scan: Scan, outcome: Outcome, source: str = "scan") -> dict[str, Any]:
    """The replay line: the same fields the GUI shows, the messages in the current language.
    A typed line (``TYPED:``) also says ``"source": "typed"``."""
    line = {
        "scan": scan.raw, "kind": outcome.kind or str(scan.kind), "level": str(outcome.level), "code": outcome.code,
        "message": render(outcome.message), "details": [render(d) for d in outcome.details],
        "state": outcome.state,
    }
    if source != "scan":
        line["source"] = source
    return line


__all__ = ["BenchRunner", "Level", "Outcome", "UnknownBench", "outcome_json"]
