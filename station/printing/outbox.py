"""Print jobs: queued in the database with their PDF, delivered to a printer, retried on failure.

A printer here is a destination string: ``pdf:/some/folder`` writes the PDF into a folder
(the default: ``outbox/`` in the user data folder); other names are handed to the dispatcher
the GUI installs (Qt print support / CUPS). A job that fails stays queued with its error.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.i18n import _
from station.printing.models import PrintJob, Setting

Dispatcher = Callable[[str, bytes, str, int], None]  # (printer, pdf, document, copies); raises on failure
_dispatchers: dict[str, Dispatcher] = {}


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
    dispatcher = _dispatchers.get(scheme)
    if dispatcher is None:
        raise PrinterError(_("No such printer: {printer}", printer=job.printer or ""))
    dispatcher(target, job.pdf, job.document, job.copies)


def submit(session: Session, document: str, reference: str, pdf: bytes, *, user: str | None = None,
           station: str | None = None, reprint: bool = False, printer: str | None = None) -> PrintJob:
    """Queue a job and try to print it now; on failure it stays queued with its error."""
    job = PrintJob(document=document, reference=reference, pdf=pdf, created_at=datetime.now(timezone.utc),
                   created_by=user, station=station, reprint=reprint, status="queued", attempts=0,
                   printer=printer or printer_for(session, document), copies=1)
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
