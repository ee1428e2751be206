"""Print jobs: queued in the database with their PDF, delivered to a printer, retried on failure.

A printer here is a destination string: ``pdf:/some/folder`` writes the PDF into a folder
(the default: ``outbox/`` in the user data folder); other names are handed to the dispatcher
the GUI installs (Qt print support / CUPS). A job that fails stays queued with its error.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from station.db import write_later
from station.i18n import _
from station.printing.models import PrintJob, Setting

Dispatcher = Callable[[str, bytes, str, int], None]  # (printer, pdf, document, copies); raises on failure
Renderer = Callable[[Session, str, bool], bytes]  # (session, reference, reprint) -> PDF
_dispatchers: dict[str, Dispatcher] = {}
_renderers: dict[str, Renderer] = {}

# Every document Station prints (the names ``station print`` takes); each may have its own printer.
DOCUMENTS = ("waybill", "packing-slip", "pick-list", "handover", "product-label", "location-label",
             "receiving-note", "count-sheet", "variance-report", "write-off", "return-receipt",
             "requisition", "monthly-summary", "return-refusal")
DEFAULT = "default"  # the printer and copies of every document without its own
MAX_COPIES = 99


class PrinterError(RuntimeError):
    pass


def install_dispatcher(scheme: str, dispatcher: Dispatcher) -> None:
    """The GUI installs its Qt printer here (scheme ``qt``); tests install fakes."""
    _dispatchers[scheme] = dispatcher


def default_pdf_folder() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("station", "station")) / "outbox"


def printer_for(session: Session, document: str) -> str:
    setting = session.get(Setting, f"printer.{document}") or session.get(Setting, "printer.default")
    return setting.value if setting else f"pdf:{default_pdf_folder()}"


def _deliver(job: PrintJob) -> None:
    scheme, _sep, target = (job.printer or "").partition(":")
    if scheme == "pdf":
        folder = Path(target)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = job.created_at.strftime("%Y%m%d-%H%M%S")
        safe_ref = "".join(c if c.isalnum() or c in "-_" else "_" for c in job.reference)[:60]
        name = f"{stamp}-{job.id:06d}-{job.document}-{safe_ref}{'-reprint' if job.reprint else ''}.pdf"
        (folder / name).write_bytes(job.pdf)
        return
    dispatcher = _dispatchers.get(scheme) or _built_in_dispatcher(scheme)
    if dispatcher is None:
        raise PrinterError(_("No such printer: {printer}", printer=job.printer or ""))
    dispatcher(target, job.pdf, job.document, job.copies)


def _built_in_dispatcher(scheme: str) -> Dispatcher | None:
    """Schemes that need no GUI, so they work from the CLI too: ``cups:<queue>`` (sent with ``lp``)."""
    if scheme == "cups":
        from station.printing.cups import send

        return send
    return None


def submit(session: Session, document: str, reference: str, pdf: bytes, *, user: str | None = None,
           station: str | None = None, reprint: bool = False, printer: str | None = None,
           copies: int | None = None) -> PrintJob:
    """Queue a job and try to print it now; on failure it stays queued with its error.

    The printer and number of copies default to the document's settings (`set_printer`).
    """
    job = PrintJob(document=document, reference=reference, pdf=pdf, created_at=datetime.now(timezone.utc),
                   created_by=user, station=station, reprint=reprint, status="queued", attempts=0,
                   printer=printer or printer_for(session, document),
                   copies=copies or copies_for(session, document))
    session.add(job)
    session.flush()
    attempt(job)
    return job


def attempt(job: PrintJob, printer: str | None = None) -> bool:
    if printer:
        job.printer = printer
    job.attempts += 1
    try:
        _deliver(job)
    except Exception as exc:  # a printer that is off, out of paper, unknown: keep the job
        job.status, job.error = "failed", str(exc)[:500]
        return False
    job.status, job.error, job.printed_at = "printed", None, datetime.now(timezone.utc)
    return True


def retry(session: Session, job_id: int, printer: str | None = None) -> PrintJob:
    job = session.get(PrintJob, job_id)
    if job is None:
        raise PrinterError(_("No print job {id}", id=job_id))
    attempt(job, printer)
    return job


def pending(session: Session) -> list[PrintJob]:
    return list(session.scalars(select(PrintJob).where(PrintJob.status != "printed").order_by(PrintJob.id)))


def last_job(session: Session, document: str, reference: str) -> PrintJob | None:
    return session.scalar(select(PrintJob).where(PrintJob.document == document, PrintJob.reference == reference)
                          .order_by(PrintJob.id.desc()).limit(1))


def reprint(session: Session, job_id: int, user: str | None, station: str | None, *,
            printer: str | None = None) -> PrintJob:
    """Print a job from history again: a new job with the same PDF, marked as a reprint.

    It goes to `printer`, else to the document's printer as set now; the old job stays as it was.
    """
    old = session.get(PrintJob, job_id)
    if old is None:
        raise PrinterError(_("No print job {id}", id=job_id))
    pdf = old.pdf
    if not pdf:  # a deferred job whose document was never made: make it now, as a reprint
        renderer = _renderers.get(old.document)
        if renderer is None or old.status == "rendering":
            raise PrinterError(_("Job {id} has no PDF yet", id=job_id))
        pdf = renderer(session, old.reference, True)
    return submit(session, old.document, old.reference, pdf, user=user, station=station, reprint=True,
                  printer=printer)


def render_again(session: Session, job_id: int, printer: str | None = None) -> PrintJob:
    """Retry a failed job whose document could not be made: make it again from its reference, then print it.

    Only for jobs that have failed (a job still ``rendering`` belongs to `render_deferred`).
    """
    job = session.get(PrintJob, job_id)
    if job is None:
        raise PrinterError(_("No print job {id}", id=job_id))
    renderer = _renderers.get(job.document)
    if job.status != "failed" or renderer is None:
        raise PrinterError(_("Job {id} has no PDF yet", id=job_id))
    try:
        job.pdf = renderer(session, job.reference, job.reprint)
    except Exception as exc:  # still cannot be made: keep the job, say why
        job.attempts += 1
        job.error = _("Could not make the document: {error}", error=str(exc)[:300])
        return job
    attempt(job, printer)
    return job


@dataclass(frozen=True)
class JobSummary:
    """One job as the outbox list shows it (everything but the PDF)."""

    id: int
    created_at: datetime
    document: str
    reference: str
    printer: str | None
    copies: int
    status: str
    error: str | None
    attempts: int
    reprint: bool
    created_by: str | None
    station: str | None
    printed_at: datetime | None
    pdf_bytes: int  # 0: the document is not made yet (deferred) or could not be made


_SUMMARY_COLUMNS = (PrintJob.id, PrintJob.created_at, PrintJob.document, PrintJob.reference, PrintJob.printer,
                    PrintJob.copies, PrintJob.status, PrintJob.error, PrintJob.attempts, PrintJob.reprint,
                    PrintJob.created_by, PrintJob.station, PrintJob.printed_at,
                    func.coalesce(func.length(PrintJob.pdf), 0))


def recent(session: Session, limit: int = 500) -> list[JobSummary]:
    """The latest jobs, newest first, plus every job not printed yet however old: nothing is lost."""
    newest = session.execute(select(*_SUMMARY_COLUMNS).order_by(PrintJob.id.desc()).limit(limit)).all()
    oldest_shown = newest[-1].id if newest else 0
    unprinted = session.execute(select(*_SUMMARY_COLUMNS)
                                .where(PrintJob.status != "printed", PrintJob.id < oldest_shown)
                                .order_by(PrintJob.id.desc())).all()
    return [JobSummary(*row) for row in (*newest, *unprinted)]


def job_summary(session: Session, job_id: int) -> JobSummary | None:
    row = session.execute(select(*_SUMMARY_COLUMNS).where(PrintJob.id == job_id)).first()
    return JobSummary(*row) if row else None


def job_pdf(session: Session, job_id: int) -> bytes:
    pdf = session.scalar(select(PrintJob.pdf).where(PrintJob.id == job_id))
    if pdf is None:
        raise PrinterError(_("No print job {id}", id=job_id))
    return pdf


# --- printers per document ---------------------------------------------------------------

@dataclass(frozen=True)
class PrinterSetting:
    document: str  # a document name, or DEFAULT
    destination: str | None  # None: the default printer (for DEFAULT: the PDF folder)
    copies: int
    paper: str | None = None  # for documents with several layouts (PAPER)


def _copies_value(session: Session, key: str) -> int | None:
    row = session.get(Setting, key)
    if row is None:
        return None
    try:
        return min(max(int(row.value), 1), MAX_COPIES)
    except ValueError:
        return None


def copies_for(session: Session, document: str) -> int:
    """How many copies of `document` to print: its own setting, else the default's, else 1."""
    return _copies_value(session, f"copies.{document}") or _copies_value(session, f"copies.{DEFAULT}") or 1


def set_printer(session: Session, document: str, destination: str | None, copies: int = 1) -> None:
    """Where `document` (or DEFAULT) prints and how many copies; destination None: the default printer.

    A destination is ``pdf:/folder``, ``qt:<printer name>`` (GUI) or ``cups:<queue>``. The caller commits.
    """
    if not document or len(document) > 90:
        raise PrinterError(_("Not a document name: {document}", document=document))
    if not 1 <= int(copies) <= MAX_COPIES:
        raise PrinterError(_("Copies must be between 1 and {most}", most=MAX_COPIES))
    destination = (destination or "").strip() or None
    if destination is not None and ":" not in destination:
        raise PrinterError(_("Not a printer: {printer} (use pdf:FOLDER, qt:PRINTER or cups:QUEUE)",
                             printer=destination))
    for key, value in ((f"printer.{document}", destination), (f"copies.{document}", str(int(copies)))):
        row = session.get(Setting, key)
        if value is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
    session.flush()


PAPER = {  # the sizes each document has a layout for; the first is the default
    "waybill": ("100x180", "76x130", "4x6"),
    "packing-slip": ("A4", "A5", "100x180"),
    "product-label": ("50x30", "40x30"),
    "location-label": ("100x50", "4x6"),
}


def paper_for(session: Session, document: str) -> str | None:
    """The paper size chosen for `document` (a key of PAPER's tuples), or None for a one-size document."""
    sizes = PAPER.get(document)
    if not sizes:
        return None
    row = session.get(Setting, f"paper.{document}")
    return row.value if row is not None and row.value in sizes else sizes[0]


def set_paper(session: Session, document: str, size: str) -> None:
    sizes = PAPER.get(document, ())
    if size not in sizes:
        raise PrinterError(_("Unknown size {size}; sizes: {sizes}", size=size, sizes=", ".join(sizes)))
    row = session.get(Setting, f"paper.{document}")
    if row is None:
        session.add(Setting(key=f"paper.{document}", value=size))
    else:
        row.value = size


def printer_settings(session: Session) -> dict[str, PrinterSetting]:
    """DEFAULT, every document of DOCUMENTS and any other document with a setting, in that order."""
    rows = {row.key: row.value for row in session.scalars(
        select(Setting).where(Setting.key.like("printer.%") | Setting.key.like("copies.%")))}
    names = [DEFAULT, *DOCUMENTS]
    for key in sorted(rows):
        name = key.partition(".")[2]
        if name not in names:
            names.append(name)
    return {name: PrinterSetting(name, rows.get(f"printer.{name}"), copies_for(session, name),
                                 paper_for(session, name)) for name in names}



# --- deferred jobs: recorded with the action, rendered after the person saw the outcome ----

def register_renderer(document: str, renderer: Renderer) -> None:
    """How to (re)build a document from the database by its reference, for deferred jobs."""
    _renderers[document] = renderer


DEFERRED = "station.deferred_print"  # session.info flag: this unit of work queued a deferred job
_DEFER = insert(PrintJob.__table__).inline()  # inline: no RETURNING id (db.write_later)


def defer(session: Session, document: str, reference: str, *, user: str | None = None,
          station: str | None = None, reprint: bool = False) -> None:
    """Record a job in the caller's transaction; ``render_deferred`` renders and prints it after commit.

    A scan's outcome then never waits for a PDF, and a crash between the two loses nothing:
    the job is in the database and the next ``render_deferred`` picks it up. The session's
    ``info[DEFERRED]`` says that there is something to render. The row is written with the
    scan's other writes (``db.write_later``): nobody on the scan's path reads it back.
    """
    # Printer and copies are looked up when the job is rendered: one statement less on the scan's path.
    write_later(session, _DEFER, dict(
        document=document, reference=reference, pdf=b"", created_at=datetime.now(timezone.utc),
        created_by=user, station=station, reprint=reprint, status="rendering", attempts=0,
        printer=None, copies=1))
    session.info[DEFERRED] = True


def render_deferred(sessions) -> int:
    """Render and print every deferred job (claimed one at a time, so two stations never both print it)."""
    from sqlalchemy import update

    from station.db import unit_of_work

    done = 0
    with unit_of_work(sessions) as s:
        ids = list(s.scalars(select(PrintJob.id).where(PrintJob.status == "rendering").order_by(PrintJob.id)))
    for job_id in ids:
        with unit_of_work(sessions) as s:
            claimed = s.execute(update(PrintJob).where(PrintJob.id == job_id, PrintJob.status == "rendering")
                                .values(status="queued").execution_options(synchronize_session=False))
            if claimed.rowcount != 1:
                continue
            job = s.get(PrintJob, job_id)
            if job.printer is None:
                job.printer, job.copies = printer_for(s, job.document), copies_for(s, job.document)
            try:
                job.pdf = _renderers[job.document](s, job.reference, job.reprint)
            except Exception as exc:  # keep the job, say why; it can be re-rendered by hand
                job.status, job.error = "failed", _("Could not make the document: {error}", error=str(exc)[:300])
                s.commit()
                continue
            attempt(job)
            s.commit()
            done += 1
    return done
