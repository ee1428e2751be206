"""The print jobs as the outbox window lists them: pending, the latest, one job's summary or PDF."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.i18n import _
from station.outbox.errors import PrinterError
from station.outbox.models import PrintJob


def pending(session: Session) -> list[PrintJob]:
    return list(session.scalars(select(PrintJob).where(PrintJob.status != "printed").order_by(PrintJob.id)))


def last_job(session: Session, document: str, reference: str) -> PrintJob | None:
    return session.scalar(select(PrintJob).where(PrintJob.document == document, PrintJob.reference == reference)
                          .order_by(PrintJob.id.desc()).limit(1))


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
