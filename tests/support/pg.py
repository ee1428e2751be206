"""A throwaway PostgreSQL 15 server for the tests.

House rule: PostgreSQL tests never assume a running server. They start their own
from the PostgreSQL 15 binaries on the machine, in a private directory under /tmp,
on a free TCP port of 127.0.0.1, and remove every trace when they are done.

``initdb`` and ``pg_ctl`` refuse to run as root, so when this process is root they
run as the ``postgres`` system user through ``runuser -u postgres --``; otherwise
they run directly as the current user.

Missing binaries are an error, never a silent skip: CI must fail. Only the pytest
fixtures may turn that into a skip, and only when ``STATION_SKIP_PG=1``
(see :func:`skip_requested`).

A test run that is killed (``kill -9``, SIGTERM, a closed terminal) runs no
``finally`` and no ``atexit``; the server must not outlive it all the same. So each
server gets a *watchdog*: a small process of its own session, started with the
server, that holds the read end of a pipe whose only writer is the process that
started the server. When that process dies, however it dies, the kernel closes
the pipe; the watchdog reads end-of-file, runs ``pg_ctl stop -m immediate`` (then
SIGKILL of the postmaster by pid) and removes the directory. A clean ``close()``
tells the watchdog to leave quietly. As a second line, each server directory holds
an ``owner.json`` (the owner's and the watchdog's pid and start time), and every
new ThrowawayPostgres first stops the servers in the same parent folder whose owner
and watchdog are both gone (:func:`reap_stale_servers`). Servers of runs that are
alive, and directories without ``owner.json``, are never touched.

Plain code, no pytest import::

    with ThrowawayPostgres() as pg:
        engine = create_engine(pg.url)              # .../station
        other = pg.create_database("case_42")       # another empty database
"""
from __future__ import annotations

import atexit
import json
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_BIN = Path("/usr/lib/postgresql/15/bin")
BIN_ENV = "STATION_PG_BIN"
SKIP_ENV = "STATION_SKIP_PG"
TMP_ENV = "STATION_PG_TMPDIR"  # parent of the throwaway dir; default /tmp (e.g. /dev/shm is faster)
REQUIRED_MAJOR = 15
SERVER_USER = "postgres"  # system account used for initdb/pg_ctl when we are root
DB_USER = "station"  # the superuser initdb creates inside the cluster
DB_NAME = "station"
HOST = "127.0.0.1"

_NEEDED = ("initdb", "pg_ctl", "postgres")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
# libpq reads these from the environment even when a conninfo string is given;
# a developer's PGHOST/PGOPTIONS/PGSSLMODE must not leak into the test server.
_PG_ENV = re.compile(r"^PG[A-Z_]*$")


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL 15 binaries (or the means to run them) are not on this machine."""


class PostgresStartError(RuntimeError):
    """initdb or the server failed; the message carries the log tail."""


def skip_requested() -> bool:
    """True when the developer opted out of PostgreSQL tests with STATION_SKIP_PG=1."""
    return os.environ.get(SKIP_ENV, "").strip() == "1"


# --------------------------------------------------------------------------- binaries


def _has_binaries(folder: Path) -> bool:
    return all(os.access(folder / name, os.X_OK) for name in _NEEDED)


def server_major(bindir: Path) -> int:
    """Major version of ``bindir/postgres`` (``postgres (PostgreSQL) 15.18 ...`` -> 15)."""
    out = subprocess.run(
        [str(bindir / "postgres"), "--version"],
        capture_output=True, text=True, timeout=30, check=True,
    ).stdout
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    if not match:
        raise PostgresUnavailable(f"cannot read the version of {bindir / 'postgres'}: {out!r}")
    return int(match.group(1))


def find_pg_bin(major: int | None = REQUIRED_MAJOR) -> Path:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``.

    ``$STATION_PG_BIN`` if set (and then nothing else is tried), else
    ``/usr/lib/postgresql/15/bin``, else ``pg_config --bindir``. Raises
    :class:`PostgresUnavailable` with what was tried when none fits, or when the
    server found is not PostgreSQL ``major`` (pass ``major=None`` to accept any).
    """
    tried: list[str] = []
    override = os.environ.get(BIN_ENV, "").strip()
    if override:
        candidates = [(Path(override), f"${BIN_ENV}={override}")]
    else:
        candidates = [(DEFAULT_BIN, str(DEFAULT_BIN))]
        pg_config = shutil.which("pg_config")
        if pg_config:
            try:
                bindir = subprocess.run(
                    [pg_config, "--bindir"], capture_output=True, text=True,
                    timeout=30, check=True,
                ).stdout.strip()
            except (OSError, subprocess.SubprocessError) as exc:
                tried.append(f"{pg_config} --bindir failed: {exc}")
            else:
                if bindir:
                    candidates.append((Path(bindir), f"{pg_config} --bindir -> {bindir}"))
        else:
            tried.append("pg_config: not on PATH")

    for folder, label in candidates:
        if not _has_binaries(folder):
            tried.append(f"{label}: no executable {'/'.join(_NEEDED)}")
            continue
        if major is not None:
            found = server_major(folder)
            if found != major:
                tried.append(f"{label}: PostgreSQL {found}, need {major}")
                continue
        return folder

    raise PostgresUnavailable(
        f"PostgreSQL {major or ''} server binaries not found; the PostgreSQL tests need "
        "them to start a throwaway server (install postgresql-15, or point "
        f"{BIN_ENV} at the bin folder; set {SKIP_ENV}=1 to skip these tests "
        "deliberately). Tried:\n  " + "\n  ".join(tried)
    )


# --------------------------------------------------------------------------- helpers


def free_port(host: str = HOST) -> int:
    """A TCP port nobody listens on right now (racy by nature; start() retries)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _pid_alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie counts as gone (PID 1 here may not reap)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): trust kill(0)
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def _start_time(pid: int) -> int | None:
    """Kernel start time of ``pid`` (clock ticks since boot): a pid and its start time name
    one process for sure, even after the pid number is reused. None without /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    try:
        return int(stat.rsplit(")", 1)[-1].split()[19])
    except (IndexError, ValueError):
        return None


def _same_process_alive(pid: int | None, started: int | None) -> bool:
    """True while the process recorded as (pid, start time) still runs."""
    if not pid or not _pid_alive(pid):
        return False
    if started is None:
        return True
    now = _start_time(pid)
    return now is None or now == started


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"(no log at {path}: {exc})"
    return "\n".join(text.splitlines()[-lines:]) or "(log is empty)"


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not _PG_ENV.match(k)}
    env["LC_ALL"] = "C"  # stable, untranslated messages in the log
    env.pop("LANGUAGE", None)
    return env


# --------------------------------------------------------------------------- server


class ThrowawayPostgres:
    """A private PostgreSQL cluster in ``/tmp/station-pg-XXXX``; a context manager.

    After ``__enter__``: ``url`` (SQLAlchemy URL string for database ``station``),
    ``port``, ``host``, ``pid`` (postmaster), ``base_dir``, ``data_dir``,
    ``socket_dir``, ``log_path``. The directory is made under ``base``, else
    ``$STATION_PG_TMPDIR``, else ``/tmp``; its parents must be traversable by the
    postgres user when running as root (``/tmp`` and ``/dev/shm`` are).
    ``create_database(name)`` returns the URL of a new empty database;
    ``drop_database(name)`` removes one. On exit the server is
    stopped with ``pg_ctl -m immediate stop`` (SIGKILL of the postmaster by pid as
    a last resort) and the directory removed, also when the body raised.
    """

    START_ATTEMPTS = 3  # a free port can be taken between probing and binding

    def __init__(
        self,
        bindir: Path | None = None,
        *,
        base: str | os.PathLike[str] | None = None,
        start_timeout: int = 60,
        extra_options: dict[str, str] | None = None,
    ) -> None:
        self.bindir = Path(bindir) if bindir else find_pg_bin()
        if not _has_binaries(self.bindir):
            raise PostgresUnavailable(f"no {'/'.join(_NEEDED)} in {self.bindir}")
        parent = base or os.environ.get(TMP_ENV, "").strip() or (
            "/tmp" if Path("/tmp").is_dir() else tempfile.gettempdir())
        self._base_parent = Path(parent)
        self.start_timeout = start_timeout
        self.extra_options = dict(extra_options or {})
        self.as_root = os.geteuid() == 0
        self.host = HOST
        self.port: int | None = None
        self.pid: int | None = None
        self.base_dir: Path | None = None
        self._running = False
        self._owner: tuple[int, int] | None = None
        self._watchdog: subprocess.Popen | None = None
        self._watchdog_pipe: int | None = None  # write end; its closing wakes the watchdog
        if self.as_root:
            if not shutil.which("runuser"):
                raise PostgresUnavailable(
                    "running as root, so initdb/pg_ctl must run as the postgres user, "
                    "but runuser (util-linux) is not installed"
                )
            try:
                entry = pwd.getpwnam(SERVER_USER)
            except KeyError:
                raise PostgresUnavailable(
                    f"running as root, so initdb/pg_ctl must run as the {SERVER_USER!r} "
                    "system user, which does not exist (install postgresql-15 or "
                    "run the tests as a normal user)"
                ) from None
            self._owner = (entry.pw_uid, entry.pw_gid)

    # ---- paths and urls

    @property
    def data_dir(self) -> Path:
        return self._require_base() / "data"

    @property
    def socket_dir(self) -> Path:
        return self._require_base() / "sock"

    @property
    def log_path(self) -> Path:
        return self._require_base() / "postgres.log"

    def url_for(self, dbname: str) -> str:
        """SQLAlchemy URL of ``dbname`` on this server."""
        return f"postgresql+psycopg://{DB_USER}@{self.host}:{self._require_port()}/{dbname}"

    def conninfo(self, dbname: str = DB_NAME) -> str:
        """libpq conninfo for ``psycopg.connect``."""
        return (f"host={self.host} port={self._require_port()} user={DB_USER} "
                f"dbname={dbname} sslmode=disable connect_timeout=10")

    @property
    def url(self) -> str:
        return self.url_for(DB_NAME)

    # ---- databases

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """``CREATE DATABASE name`` (optionally from ``template``); returns its URL."""
        from psycopg import sql

        stmt = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self._ident(name)))
        if template:
            stmt = sql.SQL("{} TEMPLATE {}").format(stmt, sql.Identifier(self._ident(template)))
        self._admin(stmt)
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        """``DROP DATABASE IF EXISTS name WITH (FORCE)`` (disconnects stragglers)."""
        from psycopg import sql

        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(self._ident(name))))

    def _admin(self, stmt) -> None:
        import psycopg

        with psycopg.connect(self.conninfo("postgres"), autocommit=True) as conn:
            conn.execute(stmt)

    @staticmethod
    def _ident(name: str) -> str:
        if not _IDENT.match(name):
            raise ValueError(f"not a plain database name (letters, digits, _; max 63): {name!r}")
        return name

    # ---- lifecycle

    def __enter__(self) -> "ThrowawayPostgres":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def start(self) -> "ThrowawayPostgres":
        if self.base_dir is not None:
            raise RuntimeError("this ThrowawayPostgres was already started")
        atexit.register(self.close)  # belt and braces if a finalizer never runs
        reap_stale_servers(self._base_parent, bindir=self.bindir)
        try:
            self._make_dirs()
            self._start_watchdog()  # before initdb: a kill during start-up is covered too
            self._initdb()
            last: Exception | None = None
            for _ in range(self.START_ATTEMPTS):
                self.port = free_port(self.host)
                try:
                    self._pg_ctl_start()
                    break
                except PostgresStartError as exc:
                    last = exc
                    if "could not bind" not in str(exc) and "in use" not in str(exc):
                        raise
            else:
                raise last  # type: ignore[misc]
            self.create_database(DB_NAME)
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        """Stop the server (if started) and remove the directory; idempotent."""
        try:
            self._stop()
        finally:
            if self.base_dir is not None and self.base_dir.exists():
                shutil.rmtree(self.base_dir, ignore_errors=True)
                if self.base_dir.exists():  # a dying process wrote a last file
                    time.sleep(0.2)
                    shutil.rmtree(self.base_dir, ignore_errors=True)
            self._dismiss_watchdog()
            atexit.unregister(self.close)

    # ---- internals

    def _require_base(self) -> Path:
        if self.base_dir is None:
            raise RuntimeError("ThrowawayPostgres is not started")
        return self.base_dir

    def _require_port(self) -> int:
        if self.port is None:
            raise RuntimeError("ThrowawayPostgres is not started")
        return self.port

    def _make_dirs(self) -> None:
        # mkdtemp gives 0o700; /tmp itself is world-traversable, so the postgres
        # user reaches the dir no matter where the checkout or $HOME lives.
        self.base_dir = Path(tempfile.mkdtemp(prefix="station-pg-", dir=self._base_parent))
        self.socket_dir.mkdir(mode=0o700)
        self.data_dir.mkdir(mode=0o700)
        if self._owner:
            for path in (self.base_dir, self.socket_dir, self.data_dir):
                os.chown(path, *self._owner)
            uid, gid = self._owner
            for parent in self.base_dir.resolve().parents:
                st = parent.stat()
                if not (st.st_mode & 0o001 or (st.st_uid == uid and st.st_mode & 0o100)
                        or (st.st_gid == gid and st.st_mode & 0o010)):
                    raise PostgresStartError(
                        f"{parent} is not traversable by the {SERVER_USER} user, so it "
                        f"cannot reach {self.base_dir}; use a parent such as /tmp "
                        f"(base=... or ${TMP_ENV})"
                    )

    def _start_watchdog(self) -> None:
        """Start the process that stops this server when its owner (this process) dies."""
        read_end, write_end = os.pipe()  # both close-on-exec; the child gets read_end as stdin
        stop_cmd = self._cmd(str(self.bindir / "pg_ctl"), "-D", str(self.data_dir),
                             "-m", "immediate", "-w", "-t", "30", "stop")
        spec = {"base_dir": str(self.base_dir), "data_dir": str(self.data_dir),
                "stop_cmd": stop_cmd, "owner_pid": os.getpid()}
        try:
            self._watchdog = subprocess.Popen(
                [sys.executable, "-I", "-S", str(Path(__file__).resolve()), "--watchdog",
                 json.dumps(spec)],
                stdin=read_end, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env=_clean_env(), cwd="/",
                start_new_session=True,  # a Ctrl-C or kill of our process group misses it
            )
        finally:
            os.close(read_end)
        self._watchdog_pipe = write_end
        me, dog = os.getpid(), self._watchdog.pid
        (self.base_dir / OWNER_FILE).write_text(json.dumps({
            "owner_pid": me, "owner_start": _start_time(me),
            "watchdog_pid": dog, "watchdog_start": _start_time(dog),
        }))

    def _dismiss_watchdog(self) -> None:
        """The server is stopped and its directory gone: let the watchdog exit quietly."""
        if self._watchdog_pipe is not None:
            try:
                os.write(self._watchdog_pipe, b"q")
            except OSError:
                pass
            os.close(self._watchdog_pipe)
            self._watchdog_pipe = None
        if self._watchdog is not None:
            try:
                self._watchdog.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._watchdog.kill()
                self._watchdog.wait()
            self._watchdog = None

    def _cmd(self, *args: str) -> list[str]:
        cmd = [str(a) for a in args]
        if self.as_root:
            return ["runuser", "-u", SERVER_USER, "--", *cmd]
        return cmd

    def _run(self, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
        # Output goes to a file, not a pipe: a daemon inheriting a pipe would make
        # subprocess.run wait for EOF forever.
        out_path = self._require_base() / "commands.out"
        with open(out_path, "a+", encoding="utf-8", errors="replace") as out:
            start = out.tell()
            out.write(f"$ {shlex.join(args)}\n")
            out.flush()
            proc = subprocess.run(
                self._cmd(*args), stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT, env=_clean_env(), cwd=self.base_dir,
                timeout=timeout, text=True,
            )
            out.seek(start)
            proc.stdout = out.read()
        return proc

    def _initdb(self) -> None:
        for locale in ("C.UTF-8", "C"):
            proc = self._run(
                str(self.bindir / "initdb"), "-D", str(self.data_dir),
                "-A", "trust", "-U", DB_USER, "--encoding=UTF8", f"--locale={locale}",
                "--no-sync", "--no-instructions",
                timeout=120,
            )
            if proc.returncode == 0:
                return
            if "locale" not in proc.stdout.lower():
                break
            # Locale missing on this machine: empty the data dir and try plain C.
            for child in self.data_dir.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise PostgresStartError(
            f"initdb failed (exit {proc.returncode}) in {self.data_dir}:\n{proc.stdout[-4000:]}"
        )

    def _pg_ctl_start(self) -> None:
        options = {
            "listen_addresses": self.host,
            "fsync": "off",  # throwaway server: durability is not wanted
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "100",
            **self.extra_options,
        }
        # pg_ctl hands -o to /bin/sh, hence the quoting.
        opts = " ".join(
            ["-k", shlex.quote(str(self.socket_dir)), "-p", str(self.port)]
            + [f"-c {shlex.quote(f'{k}={v}')}" for k, v in options.items()]
        )
        proc = self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_path),
            "-w", "-t", str(self.start_timeout), "-o", opts, "start",
            timeout=self.start_timeout + 30,
        )
        self.pid = self._read_pid()
        if proc.returncode != 0:
            self._stop()  # a half-started postmaster must not outlive us
            raise PostgresStartError(
                f"PostgreSQL failed to start on {self.host}:{self.port} "
                f"(pg_ctl exit {proc.returncode}).\n--- pg_ctl output:\n{proc.stdout[-2000:]}"
                f"\n--- tail of {self.log_path}:\n{_tail(self.log_path)}"
            )
        self._running = True

    def _read_pid(self) -> int | None:
        try:
            first = (self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0]
            return int(first.strip())
        except (OSError, ValueError):
            return self.pid

    def _stop(self) -> None:
        if self.base_dir is None:
            return
        pid = self._read_pid()
        if self.data_dir.exists() and (self.data_dir / "postmaster.pid").exists():
            try:
                self._run(
                    str(self.bindir / "pg_ctl"), "-D", str(self.data_dir),
                    "-m", "immediate", "-w", "-t", "30", "stop", timeout=60,
                )
            except (OSError, subprocess.SubprocessError):
                pass
        if pid is not None:
            deadline = time.monotonic() + 10
            while _pid_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if _pid_alive(pid):  # pg_ctl could not stop it: kill this pid only
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        self._running = False

    def __repr__(self) -> str:
        state = f"{self.host}:{self.port} dir={self.base_dir}" if self._running else "stopped"
        return f"<ThrowawayPostgres {state}>"


# --------------------------------------------------------------------------- dead owners

OWNER_FILE = "owner.json"


def _postmaster_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / "postmaster.pid").read_text().split("\n", 1)[0].strip())
    except (OSError, ValueError):
        return None


def _stop_and_remove(base_dir: Path, stop_cmd: list[str]) -> None:
    """Stop the server of ``base_dir`` (pg_ctl, then SIGKILL of its postmaster) and remove the dir.

    Stdlib only: the watchdog runs it in a bare interpreter."""
    data_dir = base_dir / "data"
    pid = _postmaster_pid(data_dir)
    if pid is not None:
        try:
            subprocess.run(stop_cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, env=_clean_env(), cwd="/", timeout=60)
        except (OSError, subprocess.SubprocessError):
            pass
        deadline = time.monotonic() + 10
        while _pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _pid_alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    shutil.rmtree(base_dir, ignore_errors=True)
    if base_dir.exists():  # a dying backend wrote a last file
        time.sleep(0.2)
        shutil.rmtree(base_dir, ignore_errors=True)


def reap_stale_servers(parent: str | os.PathLike[str] | None = None, *,
                       bindir: Path | None = None) -> list[Path]:
    """Stop and remove the throwaway servers under ``parent`` whose owner and watchdog are dead.

    Only directories named ``station-pg-*`` holding an ``owner.json`` are considered, and
    only when neither the process that started the server nor its watchdog runs any more
    (pid *and* start time, so a reused pid is not mistaken for the owner). Returns the
    directories removed.
    """
    parent = Path(parent or os.environ.get(TMP_ENV, "").strip() or "/tmp")
    removed: list[Path] = []
    try:
        candidates = sorted(parent.glob("station-pg-*"))
    except OSError:
        return removed
    for base_dir in candidates:
        try:
            owner = json.loads((base_dir / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue  # not ours to judge: no record of who started it
        if not isinstance(owner, dict):
            continue
        if (_same_process_alive(owner.get("owner_pid"), owner.get("owner_start"))
                or _same_process_alive(owner.get("watchdog_pid"), owner.get("watchdog_start"))):
            continue
        folder = Path(bindir) if bindir else DEFAULT_BIN
        cmd = [str(folder / "pg_ctl"), "-D", str(base_dir / "data"), "-m", "immediate",
               "-w", "-t", "30", "stop"]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", SERVER_USER, "--", *cmd]
        _stop_and_remove(base_dir, cmd)
        removed.append(base_dir)
    return removed


def _watchdog_main(spec_json: str) -> int:
    """The watchdog: wait until the owner closes its end of stdin, then stop the server.

    ``q`` on stdin means the owner stopped the server itself: exit without touching it.
    End-of-file without ``q`` means the owner died: stop the server, remove the directory.
    A second check each second on the owner's pid covers an owner whose forked children
    still hold the pipe open.
    """
    import select

    spec = json.loads(spec_json)
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(sig, signal.SIG_IGN)
    stop_now = {"flag": False}

    def on_term(signum, frame):  # someone asked the watchdog itself to go: leave nothing running
        stop_now["flag"] = True

    signal.signal(signal.SIGTERM, on_term)
    owner = int(spec["owner_pid"])
    fd = sys.stdin.fileno()
    while not stop_now["flag"]:
        try:
            ready, _, _ = select.select([fd], [], [], 1.0)
        except InterruptedError:
            continue
        if ready:
            data = os.read(fd, 64)
            if b"q" in data:
                return 0  # the owner stopped its server and removed the directory
            if not data:
                break  # end of file: the owner is gone
        elif os.getppid() != owner and not _pid_alive(owner):
            break
    base_dir = Path(spec["base_dir"])
    _stop_and_remove(base_dir, spec["stop_cmd"])
    # A kill during "pg_ctl start": the postmaster may come up after the first stop.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if (base_dir / "data" / "postmaster.pid").exists():
            _stop_and_remove(base_dir, spec["stop_cmd"])
    if base_dir.exists():
        shutil.rmtree(base_dir, ignore_errors=True)
    return 0


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "--watchdog":
    sys.exit(_watchdog_main(sys.argv[2]))
