"""Sending a print job: no database transaction is open while the printer is busy, and a
station that dies after the printer took a job never prints it a second time.

The printer here is a fake CUPS on PATH (`lpstat` and `lp` shell scripts): one whose `lp` hangs,
one whose `lp` kills the process that called it right after it took the job (the crash), and
one that dies before taking it. CUPS's job list (which recovery asks by the job's title) is
stood in for by the file the fake `lp` writes the titles it accepted into; the real CUPS
server's answer is tested in tests/e2e/test_cups.py.
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from station.db import make_engine, session_factory, unit_of_work
from station import outbox
from station.outbox import cups
from station.outbox.models import PrintJob
from station.settings import Setting

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.3\n1 0 obj << /Type /Page /MediaBox [0 0 283.46 510.24] >> endobj\n%%EOF\n"


def fake_cups(folder: Path, lp_body: str) -> Path:
    folder.mkdir()
    scripts = {
        "lpstat": '#!/bin/sh\necho "printer zebra is idle.  enabled since Mon 01 Jan 2024"\n',
        "lp": "#!/bin/sh\n"
              f'echo "$$" >> "{folder}/calls"\n'
              f'cat > "{folder}/job.pdf"\n'
              f"{lp_body}\n",
    }
    for name, text in scripts.items():
        path = folder / name
        path.write_text(text)
        path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return folder


def titles(args: str) -> str:
    """The part of the lp script that takes the job: remembers its title (-t) as CUPS would."""
    return ('while [ $# -gt 0 ]; do [ "$1" = "-t" ] && title="$2"; shift; done\n'
            f'echo "$title" >> "{args}/accepted"\necho "request id is zebra-1"')


def queue_job(sessions) -> int:
    with unit_of_work(sessions) as s:
        job = outbox.submit(s, "waybill", "3712345678901234567", PDF, printer="cups:zebra")
        assert job.status == "queued"  # nothing sent inside the transaction
        s.commit()
        return job.id


def test_a_hung_printer_does_not_hold_the_database(sqlite_url, sessions, tmp_path, monkeypatch):
    bin_dir = fake_cups(tmp_path / "bin", f'touch "{tmp_path}/bin/hanging"\nsleep 4\n'
                                          f'echo "request id is zebra-1"')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    job_id = queue_job(sessions)
    result = {}
    sender = threading.Thread(target=lambda: result.setdefault("sent", outbox.send(sessions, job_id)))
    sender.start()
    deadline = time.monotonic() + 10
    while not (bin_dir / "hanging").exists():
        assert time.monotonic() < deadline, "lp was never called"
        time.sleep(0.05)
    # While lp hangs, another bench (another connection to the same file) writes at once.
    other = make_engine(sqlite_url)
    try:
        started = time.monotonic()
        with unit_of_work(session_factory(other)) as s:
            s.add(Setting(key="other.bench", value="wrote"))
            s.commit()
            # The attempt is on record before the send: status sending, attempt 1.
            job = s.get(PrintJob, job_id)
            assert (job.status, job.attempts) == ("sending", 1)
        took = time.monotonic() - started
        assert sender.is_alive(), "lp returned before the other bench wrote: the test proved nothing"
    finally:
        other.dispose()
    assert took < 1.0, f"the other bench waited {took:.2f} s for the printer"
    sender.join(20)
    assert result["sent"].status == "printed"
    with unit_of_work(sessions) as s:
        assert (s.get(PrintJob, job_id).status, s.get(PrintJob, job_id).attempts) == ("printed", 1)


def crash_while_sending(sqlite_url: str, job_id: int, bin_dir: Path) -> subprocess.CompletedProcess:
    """`outbox.send` in a process of its own, which the fake lp kills (SIGKILL) midway."""
    script = ("import sys\nfrom station.db import open_database\nfrom station import outbox\n"
              "engine, sessions = open_database(sys.argv[1])\noutbox.send(sessions, int(sys.argv[2]))\n")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", script, sqlite_url, str(job_id)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def title(sessions, job_id: int, attempt: int) -> str:
    """The title attempt `attempt` of the job went, or goes, to the printer with."""
    with unit_of_work(sessions) as s:
        return outbox.job_title(job_id, attempt, s.get(PrintJob, job_id).created_at)


@pytest.fixture
def cups_job_list(monkeypatch):
    """CUPS's answer to "did you take the job titled ...": the titles the fake lp accepted."""
    asked = []

    def job_accepted(queue: str, title: str) -> bool:
        asked.append((queue, title))
        accepted = Path(os.environ["FAKE_CUPS"]) / "accepted"
        return accepted.exists() and title in accepted.read_text().split()

    monkeypatch.setattr(cups, "job_accepted", job_accepted)
    return asked


def test_a_crash_after_the_printer_took_the_job_does_not_print_it_again(sqlite_url, sessions, tmp_path,
                                                                       monkeypatch, cups_job_list):
    bin_dir = fake_cups(tmp_path / "bin", titles(str(tmp_path / "bin")) + '\nkill -9 "$PPID"')
    monkeypatch.setenv("FAKE_CUPS", str(bin_dir))
    job_id = queue_job(sessions)
    crashed = crash_while_sending(sqlite_url, job_id, bin_dir)
    assert crashed.returncode == -9, crashed.stderr
    assert (bin_dir / "accepted").read_text().split() == [title(sessions, job_id, 1)]
    with unit_of_work(sessions) as s:
        job = s.get(PrintJob, job_id)
        assert (job.status, job.attempts) == ("sending", 1)  # the attempt was on record before lp ran

    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    # A job whose send may still be under way elsewhere is left alone ...
    assert outbox.render_deferred(sessions) == 0
    assert cups_job_list == []
    # ... once stale, CUPS is asked for the attempt's title: it has it, so it is printed, not sent again.
    monkeypatch.setattr(outbox, "SENDING_STALE_S", 0.0)
    assert outbox.render_deferred(sessions) == 1
    assert cups_job_list == [("zebra", title(sessions, job_id, 1))]
    assert len((bin_dir / "calls").read_text().split()) == 1  # lp ran once
    with unit_of_work(sessions) as s:
        job = s.get(PrintJob, job_id)
        assert (job.status, job.attempts, job.error) == ("printed", 1, None)
    assert outbox.render_deferred(sessions) == 0  # and stays printed


def test_a_crash_before_the_printer_took_the_job_sends_it_again_as_the_next_attempt(
        sqlite_url, sessions, tmp_path, monkeypatch, cups_job_list):
    bin_dir = fake_cups(tmp_path / "bin", 'kill -9 "$PPID"')
    monkeypatch.setenv("FAKE_CUPS", str(bin_dir))
    job_id = queue_job(sessions)
    assert crash_while_sending(sqlite_url, job_id, bin_dir).returncode == -9
    # The restarted station's lp works; the crashed attempt never reached CUPS.
    (bin_dir / "lp").write_text(f'#!/bin/sh\necho "$$" >> "{bin_dir}/calls"\ncat > /dev/null\n'
                                + titles(str(bin_dir)) + "\n")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(outbox, "SENDING_STALE_S", 0.0)
    assert outbox.render_deferred(sessions) == 1
    assert cups_job_list == [("zebra", title(sessions, job_id, 1))]
    assert (bin_dir / "accepted").read_text().split() == [title(sessions, job_id, 2)]
    with unit_of_work(sessions) as s:
        job = s.get(PrintJob, job_id)
        assert (job.status, job.attempts) == ("printed", 2)


def test_when_cups_cannot_be_asked_the_job_waits_for_a_person(sqlite_url, sessions, tmp_path, monkeypatch):
    bin_dir = fake_cups(tmp_path / "bin", titles(str(tmp_path / "bin")) + '\nkill -9 "$PPID"')
    job_id = queue_job(sessions)
    assert crash_while_sending(sqlite_url, job_id, bin_dir).returncode == -9
    monkeypatch.setenv("CUPS_SERVER", "127.0.0.1:9")  # nothing listens there
    monkeypatch.setattr(outbox, "SENDING_STALE_S", 0.0)
    assert outbox.render_deferred(sessions) == 0
    with unit_of_work(sessions) as s:
        job = s.get(PrintJob, job_id)
        assert (job.status, job.attempts) == ("failed", 1)
        assert "it may have printed" in job.error
    assert len((bin_dir / "calls").read_text().split()) == 1  # not sent again on its own


def test_a_deferred_reprint_is_marked_on_the_page(sessions, tmp_path, monkeypatch):
    from io import BytesIO

    from pypdf import PdfReader

    from station.printing.documents.receiving_note import render_receiving_note  # noqa: F401 (fonts)

    monkeypatch.setattr(outbox, "_renderers", dict(outbox._renderers))
    drawn = []

    def render(session, reference, reprint):
        from reportlab.pdfgen.canvas import Canvas

        def draw():
            drawn.append(reference)
            out = BytesIO()
            canvas = Canvas(out, pagesize=(283.46, 510.24))
            canvas.drawString(20, 20, f"note {reference}")
            canvas.save()
            return out.getvalue()
        return draw  # drawn after the transaction closed

    outbox.register_renderer("test-note", render)
    with unit_of_work(sessions) as s:
        outbox.set_printer(s, "test-note", f"pdf:{tmp_path / 'out'}", 1)
        outbox.defer(s, "test-note", "RN-1", reprint=True)
        outbox.defer(s, "test-note", "RN-2")
        s.commit()
    assert outbox.render_deferred(sessions) == 2 and drawn == ["RN-1", "RN-2"]
    with unit_of_work(sessions) as s:
        pdfs = dict(s.execute(select(PrintJob.reference, PrintJob.pdf)).all())
    text = {ref: PdfReader(BytesIO(pdf)).pages[0].extract_text() for ref, pdf in pdfs.items()}
    assert "补打 REPRINT" in text["RN-1"] and "REPRINT" not in text["RN-2"]


def test_each_database_has_its_own_pdf_folder(tmp_path, monkeypatch):
    from station.db import data_folder

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    home = tmp_path / "data" / "station"
    one, two = f"sqlite:///{tmp_path / 'a' / 'shop.db'}", f"sqlite:///{tmp_path / 'b' / 'shop.db'}"
    assert outbox.default_pdf_folder(one) == tmp_path / "a" / "shop-files" / "outbox"
    assert outbox.default_pdf_folder(two) == tmp_path / "b" / "shop-files" / "outbox"
    assert outbox.default_pdf_folder(f"sqlite:///{home / 'station.db'}") == home / "outbox"  # as before
    pg = data_folder("postgresql+psycopg://clerk:secret@db.local:5432/station")
    assert pg.parent == home / "databases"
    assert data_folder("postgresql://clerk:other@db.local:5432/station") == pg  # same database
    assert data_folder("postgresql://clerk@db.local:5432/shop2") != pg


def test_a_bench_leaves_another_stations_fresh_jobs_to_it_and_takes_them_when_they_are_stale(sessions, tmp_path):
    """A 500-order batch is drawn by the desk that made it, not by a bench between two scans."""
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import update

    drawn = []
    outbox.register_renderer("test-note", lambda session, reference, reprint: drawn.append(reference) or b"%PDF-1.4")
    with unit_of_work(sessions) as s:
        outbox.set_printer(s, "test-note", f"pdf:{tmp_path / 'out'}", 1)
        outbox.defer(s, "test-note", "MINE", station="S1")
        mine = set(s.info[outbox.DEFERRED_JOBS])
        s.commit()
    with unit_of_work(sessions) as s:
        outbox.defer(s, "test-note", "OFFICE", station="S1")  # the batch desk on the same PC
        s.commit()
    assert mine == {("test-note", "MINE")}
    assert outbox.render_deferred(sessions, mine) == 1 and drawn == ["MINE"]
    with unit_of_work(sessions) as s:
        s.execute(update(PrintJob).where(PrintJob.reference == "OFFICE").values(
            created_at=datetime.now(timezone.utc) - timedelta(seconds=outbox.SENDING_STALE_S + 5)))
        s.commit()
    assert outbox.render_deferred(sessions, set()) == 1 and drawn == ["MINE", "OFFICE"]  # its maker stopped
