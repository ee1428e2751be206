"""A print through a real CUPS server to a virtual PDF printer (cups-pdf), via the app's dispatch.

The test starts its own CUPS server (``cupsd -f``) on a free loopback port with its whole
configuration, spool and logs in a temporary folder, adds a cups-pdf queue with ``lpadmin``,
prints a 100x180 mm waybill through the outbox (``cups:<queue>``, and ``qt:<queue>`` through
Qt print support) and reads the PDF cups-pdf writes. cups-pdf prints on A4 unless the job
names its media: the page must come out 100x180 mm.

Needs (the test installs nothing; it skips, saying what is missing):
  - the Debian packages cups, cups-client and printer-driver-cups-pdf
    (``bash scripts/cups-test.sh`` installs them and runs this test);
  - root: cupsd runs the cups-pdf backend (mode 0700, owner root) only as root, and cups-pdf
    reads its per-queue configuration only from /etc/cups (the test writes
    /etc/cups/cups-pdf-<queue>.conf for its own queue and removes it afterwards).
Run by hand: ``.venv/bin/pytest tests/e2e/test_cups.py -m cups -v -rs``.
"""
from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from station.db import unit_of_work
from station import outbox
from station.outbox import cups
from tests.support.pdfcheck import decode_barcodes, page_sizes_mm

pytestmark = pytest.mark.cups

CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_PPDS = (Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"), Path("/usr/share/cups/model/CUPS-PDF_opt.ppd"),
                 Path("/usr/share/ppd/cups-pdf/CUPS-PDF.ppd"), Path("/usr/share/cups/model/CUPS-PDF.ppd"))
CUPS_PDF_CONF_DIR = Path("/etc/cups")  # compiled into cups-pdf
HOW_TO = "run `bash scripts/cups-test.sh` as root (see docs/printing.md)"
WAIT_S = 60


def _skip(reason: str):
    """Skip on a developer's PC; in CI (``CI`` set: scripts/test.sh installs CUPS) it is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"CUPS test cannot run in CI: {reason}")
    print(f"\nCUPS test skipped: {reason}; {HOW_TO}", file=sys.stderr)
    pytest.skip(f"{reason}; {HOW_TO}")


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")
    if not found:
        _skip(f"`{name}` not found (Debian package {'cups' if name == 'cupsd' else 'cups-client'})")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CupsServer:
    """A private cupsd with one cups-pdf queue writing into `out`."""

    def __init__(self) -> None:
        self.cupsd = _tool("cupsd")
        self.lpadmin, self.lpstat = _tool("lpadmin"), _tool("lpstat")
        _tool("lp")
        if not CUPS_PDF_BACKEND.exists():
            _skip(f"the cups-pdf backend {CUPS_PDF_BACKEND} is missing (Debian package printer-driver-cups-pdf)")
        self.ppd = next((p for p in CUPS_PDF_PPDS if p.exists()), None)
        if self.ppd is None:
            _skip("the cups-pdf PPD is missing (Debian package printer-driver-cups-pdf)")
        if os.geteuid() != 0:
            _skip("not root: cupsd runs the cups-pdf backend only as root")
        if not os.access(CUPS_PDF_CONF_DIR, os.W_OK):
            _skip(f"{CUPS_PDF_CONF_DIR} is not writable (cups-pdf reads its queue configuration there)")
        self.queue = f"station-test-{secrets.token_hex(3)}"
        self.port = _free_port()
        self.server = f"127.0.0.1:{self.port}"
        # Under /tmp itself, world-readable: CUPS filters run as user lp and read the spool.
        self.root = Path(tempfile.mkdtemp(prefix="station-cups-"))
        self.root.chmod(0o755)
        self.conf, self.spool, self.out = self.root / "conf", self.root / "spool", self.root / "out"
        self.logs = self.root / "log"
        for folder in (self.conf, self.spool, self.spool / "tmp", self.root / "cache", self.root / "state",
                       self.logs, self.out, self.root / "cups-pdf-spool"):
            folder.mkdir(parents=True, exist_ok=True)
            folder.chmod(0o755)
        self.pdf_conf = CUPS_PDF_CONF_DIR / f"cups-pdf-{self.queue}.conf"
        self.process: subprocess.Popen | None = None

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": self.server, "LC_ALL": "C", "LANG": "C"}

    def start(self) -> None:
        (self.conf / "cupsd.conf").write_text(f"""\
LogLevel info
Listen 127.0.0.1:{self.port}
Browsing Off
BrowseLocalProtocols none
DefaultAuthType None
WebInterface No
MaxLogSize 0
<Location />
  Order allow,deny
  Allow all
</Location>
<Location /admin>
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
""")
        (self.conf / "cups-files.conf").write_text(f"""\
ServerRoot {self.conf}
RequestRoot {self.spool}
TempDir {self.spool / 'tmp'}
CacheDir {self.root / 'cache'}
StateDir {self.root / 'state'}
ErrorLog {self.logs / 'error_log'}
AccessLog {self.logs / 'access_log'}
PageLog {self.logs / 'page_log'}
ServerBin /usr/lib/cups
DataDir /usr/share/cups
SystemGroup root
Sandboxing Relaxed
""")
        self.pdf_conf.write_text(f"""\
# Written by Station's tests/e2e/test_cups.py for its private CUPS server; removed after the test.
Out {self.out}
AnonDirName {self.out}
Spool {self.root / 'cups-pdf-spool'}
Log {self.logs}
LogType 3
Grp root
UserUMask 0022
Label 0
""")
        self.process = subprocess.Popen([self.cupsd, "-f", "-c", str(self.conf / "cupsd.conf"),
                                         "-s", str(self.conf / "cups-files.conf")],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while True:
            status = subprocess.run([self.lpstat, "-r"], env=self.env, capture_output=True, text=True)
            if "scheduler is running" in status.stdout and "not" not in status.stdout:
                break
            if self.process.poll() is not None or time.monotonic() > deadline:
                output = self.process.stdout.read().decode(errors="replace") if self.process.poll() is not None else ""
                raise AssertionError(f"cupsd did not start: {output}{self.error_log()}")
            time.sleep(0.2)
        added = subprocess.run([self.lpadmin, "-h", self.server, "-p", self.queue, "-E",
                                "-v", f"cups-pdf:/{self.queue}", "-P", str(self.ppd)],
                               env=self.env, capture_output=True, text=True)
        assert added.returncode == 0, added.stderr + self.error_log()

    def add_raw_queue(self, name: str, port: int) -> None:
        """A raw queue (no filter: what `lp -o raw` gets is what the printer gets) to a network
        printer on 127.0.0.1:`port` (AppSocket/JetDirect, as thermal printers on the LAN take jobs)."""
        added = subprocess.run([self.lpadmin, "-h", self.server, "-p", name, "-E",
                                "-v", f"socket://127.0.0.1:{port}", "-m", "raw"],
                               env=self.env, capture_output=True, text=True)
        assert added.returncode == 0, added.stderr + self.error_log()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.pdf_conf.unlink(missing_ok=True)
        shutil.rmtree(self.root, ignore_errors=True)

    def error_log(self) -> str:
        path = self.logs / "error_log"
        return "\n--- cupsd error_log ---\n" + "\n".join(path.read_text(errors="replace").splitlines()[-40:]) \
            if path.exists() else ""

    def wait_for_pdf(self, before: set[Path]) -> bytes:
        """The next PDF cups-pdf finishes in `out`."""
        import pypdf

        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            for path in sorted(set(self.out.rglob("*.pdf")) - before):
                try:
                    data = path.read_bytes()
                    pypdf.PdfReader(path).pages[0]  # noqa: B018 - complete and readable
                    return data
                except Exception:  # still being written
                    pass
            time.sleep(0.3)
        jobs = subprocess.run([self.lpstat, "-W", "all", "-o"], env=self.env, capture_output=True, text=True)
        raise AssertionError(f"no PDF from cups-pdf in {self.out} after {WAIT_S} s; jobs: {jobs.stdout}"
                             f"{self.error_log()}")

    def pdfs(self) -> set[Path]:
        return set(self.out.rglob("*.pdf"))


@pytest.fixture(scope="module")
def cups_server():
    server = CupsServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def cups_env(cups_server, monkeypatch):
    monkeypatch.setenv("CUPS_SERVER", cups_server.server)
    return cups_server


@pytest.fixture(scope="module")
def waybill_100x180() -> bytes:
    from station.printing.documents.waybill import render_waybill
    from tests.support.render_docs import sample_waybill

    return render_waybill(sample_waybill())


def test_a_waybill_through_cups_comes_out_100x180_not_a4(cups_env, sessions, waybill_100x180):
    before = cups_env.pdfs()
    with unit_of_work(sessions) as s:
        outbox.set_printer(s, "waybill", f"cups:{cups_env.queue}", 1)
        job = outbox.submit(s, "waybill", "3712345678901234567", waybill_100x180, user="张伟", station="bench-7")
        s.commit()
    sent = outbox.send(sessions, job.id)
    assert (sent.status, sent.error) == ("printed", None)
    printed = cups_env.wait_for_pdf(before)
    assert page_sizes_mm(printed) == [pytest.approx((100, 180), abs=1.0)]
    # What CUPS made of it still scans: both tracking barcodes, read at a thermal printer's 203 dpi.
    assert decode_barcodes(printed, dpi=203) == [["75312345678901", "75312345678901"]]


def test_a_stopped_queue_keeps_the_job_until_it_is_retried(cups_env, sessions, waybill_100x180):
    env = cups_env.env
    subprocess.run([_tool("cupsdisable"), "-r", "Paper out", cups_env.queue], env=env, check=True)
    try:
        with unit_of_work(sessions) as s:
            job = outbox.submit(s, "waybill", "R-1", waybill_100x180, printer=f"cups:{cups_env.queue}")
            s.commit()
            job_id = job.id
        sent = outbox.send(sessions, job_id)
        assert sent.status == "failed"
        assert sent.error == f"The CUPS printer {cups_env.queue} is stopped: Paper out"
    finally:
        subprocess.run([_tool("cupsenable"), cups_env.queue], env=env, check=True)
    before = cups_env.pdfs()
    assert outbox.retry(sessions, job_id).status == "printed"
    assert page_sizes_mm(cups_env.wait_for_pdf(before)) == [pytest.approx((100, 180), abs=1.0)]


def test_a_waybill_through_qt_print_support_and_cups_comes_out_100x180(cups_env, waybill_100x180, tmp_path):
    """The GUI's ``qt:<printer>`` dispatcher, in its own process so Qt meets this CUPS server first."""
    (tmp_path / "waybill.pdf").write_bytes(waybill_100x180)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from station.ui.printing import dispatch\n"
        "dispatch.print_pdf(sys.argv[1], Path(sys.argv[2]).read_bytes(), 'waybill', 2)\n"
    )
    before = cups_env.pdfs()
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", script, cups_env.queue, str(tmp_path / "waybill.pdf")],
                            env={**cups_env.env, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)},
                            cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    printed = cups_env.wait_for_pdf(before)
    assert page_sizes_mm(printed) == [pytest.approx((100, 180), abs=1.0)] * 2  # two copies


def test_recovery_asks_cups_for_the_attempt_by_its_title(cups_env, sessions, waybill_100x180, monkeypatch):
    """A station died after `lp` returned and before it recorded the result: CUPS has the job
    titled station-job-<id>-1, so recovery marks it printed and nothing is printed again."""
    from sqlalchemy import update

    from station.outbox import cups
    from station.outbox.models import PrintJob

    with unit_of_work(sessions) as s:
        job = outbox.submit(s, "waybill", "CRASH-1", waybill_100x180, printer=f"cups:{cups_env.queue}")
        s.commit()
        job_id = job.id
    before = cups_env.pdfs()
    assert outbox.send(sessions, job_id).status == "printed"
    cups_env.wait_for_pdf(before)
    with unit_of_work(sessions) as s:  # as the crash left it: the attempt on record, no result
        s.execute(update(PrintJob).where(PrintJob.id == job_id).values(status="sending"))
        s.commit()
    with unit_of_work(sessions) as s:
        created_at = s.get(PrintJob, job_id).created_at
    assert cups.job_accepted(cups_env.queue, outbox.job_title(job_id, 1, created_at)) is True
    assert cups.job_accepted(cups_env.queue, outbox.job_title(job_id, 2, created_at)) is False
    monkeypatch.setattr(outbox, "SENDING_STALE_S", 0.0)
    sent_before = cups_env.pdfs()
    assert [(r.id, r.status) for r in outbox.recover(sessions)] == [(job_id, "printed")]
    with unit_of_work(sessions) as s:
        assert (s.get(PrintJob, job_id).status, s.get(PrintJob, job_id).attempts) == ("printed", 1)
    time.sleep(3)
    assert cups_env.pdfs() == sent_before  # not printed a second time


def test_every_finished_job_is_found_by_its_title_right_after_it_prints(cups_env, waybill_100x180):
    """cupsd lists a job it has just finished without its name for a while (reproduced under
    load: the second of two jobs printed back to back); recovery must still find each by title."""
    titles = []
    for n in range(4):
        before = cups_env.pdfs()
        titles.append(f"station-job-diag{n}-1")
        subprocess.run(["lp", "-d", cups_env.queue, "-t", titles[-1]], input=waybill_100x180,
                       env=cups_env.env, check=True, capture_output=True)
        cups_env.wait_for_pdf(before)
        assert [cups.job_accepted(cups_env.queue, title) for title in titles] == [True] * len(titles)
    assert cups.job_accepted(cups_env.queue, "station-job-diag9-1") is False


def test_another_stations_job_with_the_same_id_is_not_taken_for_ours(cups_env, sessions, waybill_100x180,
                                                                     tmp_path, monkeypatch):
    """Two stations, each with its own database, share one CUPS queue: both have a job 1. The
    first prints its job 1; the second crashed before its job 1 reached CUPS. Recovery on the
    second must send it (one more PDF), not mark it printed on the strength of the first's."""
    from datetime import datetime, timezone

    from sqlalchemy import update

    from station.db import open_database
    from station.outbox.models import PrintJob

    other_engine, other = open_database(f"sqlite:///{tmp_path / 'other-station.db'}")
    try:
        ids = []
        for maker in (sessions, other):
            with unit_of_work(maker) as s:
                ids.append(outbox.submit(s, "waybill", "TWIN-1", waybill_100x180,
                                         printer=f"cups:{cups_env.queue}").id)
                s.commit()
        assert ids[0] == ids[1]
        before = cups_env.pdfs()
        assert outbox.send(sessions, ids[0]).status == "printed"
        cups_env.wait_for_pdf(before)
        with unit_of_work(other) as s:  # the other station's attempt 1, claimed and never sent
            s.execute(update(PrintJob).where(PrintJob.id == ids[1])
                      .values(status="sending", attempts=1, printed_at=datetime.now(timezone.utc)))
            s.commit()
        monkeypatch.setattr(outbox, "SENDING_STALE_S", 0.0)
        before = cups_env.pdfs()
        assert [(r.id, r.status) for r in outbox.recover(other)] == [(ids[1], "printed")]
        cups_env.wait_for_pdf(before)  # it was sent: a PDF came out for it
        with unit_of_work(other) as s:
            assert s.get(PrintJob, ids[1]).attempts == 2
    finally:
        other_engine.dispose()
