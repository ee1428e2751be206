"""Print jobs: queued in the database with their PDF, delivered to a printer, retried on failure.

A printer here is a destination string: ``pdf:/some/folder`` writes the PDF into a folder
(the default: ``outbox/`` in the user data folder); ``cups:QUEUE`` goes to CUPS; ``cainiao:``,
``pdd:`` and ``doudian:PRINTER`` to a platform's print component (``components``: the e-waybill
service's print data, not our PDF); other names to the dispatcher the GUI installs (Qt).
A job that fails stays queued with its error.

Over ~400 lines on purpose: a job's life (deferred or queued, claimed, sent, recorded, recovered,
reprinted) is one state machine over one table, and its steps share the claim and the record.
The printer settings (`printers`) and the job lists (`jobs`) are modules of their own.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from station.db import write_later
from station.i18n import _
from station.outbox import components
from station.outbox.errors import PrinterError
from station.outbox.models import PrintJob
from station.outbox.printers import (DEFAULT, DOCUMENTS, MAX_COPIES, PAPER, PrinterSetting, _url_of, copies_for,
                                     default_pdf_folder, paper_for, printer_for, printer_settings, set_paper,
                                     set_printer)
from station.outbox.jobs import JobSummary, job_pdf, job_summary, last_job, pending, recent

Dispatcher = Callable[[str, bytes, str, int], None]  # (printer, pdf, document, copies); raises on failure
Renderer = Callable[[Session, str, bool], "bytes | Callable[[], bytes]"]  # -> PDF, or a call that draws it
_dispatchers: dict[str, Dispatcher] = {}
_renderers: dict[str, Renderer] = {}
_family_renderers: Callable[[str], "Renderer | None"] = lambda document: None  # `install_renderers`

def install_dispatcher(scheme: str, dispatcher: Dispatcher) -> None:
    """The GUI installs its Qt printer here (scheme ``qt``); tests install fakes."""
    _dispatchers[scheme] = dispatcher


# --- sending: never inside a database transaction ----------------------------------------
#
# A job is sent in three steps, so that a slow or hung printer delays only printing and a
# crash can never print a job twice unnoticed:
#   1. claim: in a short transaction of its own, the job goes to status ``sending`` with
#      ``attempts`` + 1 (``printed_at`` holds when this attempt started); commit;
#   2. send the PDF with no transaction open, titled by `job_title` (id, attempt, creation mark);
#   3. record the result (``printed`` or ``failed``) in another short transaction.
# A job found in ``sending`` longer than SENDING_STALE_S was left by a process that died
# between 1 and 3: `recover` asks the printer (CUPS keeps the titles of the jobs it accepted)
# whether that attempt arrived, and marks it printed if it did instead of sending it again.

SENDING = "sending"
SENDING_STALE_S = 75.0  # longer than any send takes: `lpstat` and `lp` each give up after 30 s
UNSENT = ("queued", "failed")  # the states a job may be sent from


def job_title(job_id: int, attempt_no: int, created_at: datetime) -> str:
    """The title the printer gets: which job and which attempt, so recovery can look it up, and a
    mark of when the job was made, because job ids are per database: two stations with databases
    of their own share a CUPS queue, and each has its job 1 (``station-job-<id>-<attempt>-<mark>``)."""
    from zlib import crc32

    moment = created_at.astimezone(timezone.utc) if created_at.tzinfo else created_at.replace(tzinfo=timezone.utc)
    return f"station-job-{job_id}-{attempt_no}-{crc32(moment.isoformat().encode()):08x}"


@dataclass(frozen=True)
class Outgoing:
    """One attempt of one job, as claimed: everything the send needs, no database."""

    id: int
    document: str
    reference: str
    printer: str
    copies: int
    pdf: bytes
    reprint: bool
    created_at: datetime
    attempt: int

    @property
    def title(self) -> str:
        return job_title(self.id, self.attempt, self.created_at)


@dataclass(frozen=True)
class SendResult:
    id: int
    status: str
    error: str | None
    printer: str | None


def _pdf_name(job: Outgoing) -> str:
    stamp = job.created_at.strftime("%Y%m%d-%H%M%S")
    safe_ref = "".join(c if c.isalnum() or c in "-_" else "_" for c in job.reference)[:60]
    return f"{stamp}-{job.id:06d}-{job.document}-{safe_ref}{'-reprint' if job.reprint else ''}.pdf"


def _deliver(job: Outgoing) -> None:
    """Hand one attempt to its printer. Called with no database transaction open."""
    scheme, _sep, target = (job.printer or "").partition(":")
    if scheme == "pdf":
        folder = Path(target)
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / _pdf_name(job)
        partial = final.with_name(final.name + ".part")
        partial.write_bytes(job.pdf)
        partial.replace(final)  # all or nothing: recovery takes a file that is there as printed
        return
    dispatcher = _dispatchers.get(scheme) or _built_in_dispatcher(scheme)
    if dispatcher is None:
        raise PrinterError(_("No such printer: {printer}", printer=job.printer or ""))
    dispatcher(target, job.pdf, job.title, job.copies)


RAW_SCHEMES = ("tspl", "zpl")  # a CUPS queue of a thermal printer spoken to in its own language


def _built_in_dispatcher(scheme: str) -> Dispatcher | None:
    """Schemes that need no GUI, so they work from the CLI too: ``cups:<queue>`` (the PDF, sent
    with ``lp``), ``tspl:<queue>`` and ``zpl:<queue>`` (the PDF turned into the printer's own
    language by `printing.raw`, sent raw to the CUPS queue)."""
    if scheme == "cups":
        from station.outbox.cups import send

        return send
    if scheme in RAW_SCHEMES:
        return lambda queue, pdf, title, copies: send_raw(scheme, queue, pdf, title, copies)
    return None


def send_raw(language: str, queue: str, pdf: bytes, title: str, copies: int) -> None:
    """Convert and hand a PDF job to a raw CUPS queue (no transaction open: called to deliver)."""
    from station.outbox import cups
    from station.printing.raw import convert

    cups.send_raw(queue, convert(pdf, language), title, copies)


def _was_accepted(job: Outgoing) -> bool | None:
    """Did the printer take this attempt? True, False, or None when it cannot tell."""
    scheme, _sep, target = (job.printer or "").partition(":")
    if scheme == "pdf":
        return (Path(target) / _pdf_name(job)).exists()
    if scheme in ("cups", "qt", *RAW_SCHEMES):  # Qt prints through CUPS on Linux, under the same title
        from station.outbox import cups

        try:
            return cups.job_accepted(target, job.title)
        except PrinterError:
            return None
    return None


def submit(session: Session, document: str, reference: str, pdf: bytes, *, user: str | None = None,
           station: str | None = None, reprint: bool = False, printer: str | None = None,
           copies: int | None = None) -> PrintJob:
    """Queue a job in the caller's transaction; it is sent after the commit (`send`, `send_pending`).

    The printer and number of copies default to the document's settings (`set_printer`).
    A reprint's pages are marked as such (`mark_reprint`). The session's ``info[DEFERRED]``
    says that there is something to send, as for `defer`.
    """
    if reprint and document not in MARKS_ITS_OWN_REPRINTS:
        pdf = mark_reprint(pdf)
    job = PrintJob(document=document, reference=reference, pdf=pdf, created_at=datetime.now(timezone.utc),
                   created_by=user, station=station, reprint=reprint, status="queued", attempts=0,
                   printer=printer or printer_for(session, document),
                   copies=copies or copies_for(session, document))
    session.add(job)
    session.flush()
    session.info[DEFERRED] = True
    session.info.setdefault(DEFERRED_JOBS, set()).add((document, reference))
    return job


def _claim(sessions, job_id: int, states: tuple[str, ...], printer: str | None = None) -> Outgoing | None:
    """Step 1: the job goes to ``sending`` with one attempt more, committed; None if another took it."""
    from sqlalchemy import update

    from station.db import unit_of_work

    now = datetime.now(timezone.utc)
    with unit_of_work(sessions) as s:
        values = dict(status=SENDING, attempts=PrintJob.attempts + 1, printed_at=now, error=None)
        if printer:
            values["printer"] = printer
        claimed = s.execute(update(PrintJob).where(PrintJob.id == job_id, PrintJob.status.in_(states))
                            .values(**values).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            s.rollback()
            return None
        row = s.execute(select(PrintJob.id, PrintJob.document, PrintJob.reference, PrintJob.printer,
                               PrintJob.copies, PrintJob.pdf, PrintJob.reprint, PrintJob.created_at,
                               PrintJob.attempts).where(PrintJob.id == job_id)).one()
        s.commit()
    return Outgoing(*row)


def _record(sessions, job: Outgoing, error: str | None) -> SendResult:
    """Step 3: printed, or failed with its error; only if the attempt is still this one's."""
    from sqlalchemy import update

    from station.db import unit_of_work

    status = "failed" if error else "printed"
    with unit_of_work(sessions) as s:
        s.execute(update(PrintJob).where(PrintJob.id == job.id, PrintJob.status == SENDING,
                                         PrintJob.attempts == job.attempt)
                  .values(status=status, error=error,
                          printed_at=None if error else datetime.now(timezone.utc))
                  .execution_options(synchronize_session=False))
        s.commit()
    return SendResult(job.id, status, error, job.printer)


def _send_claimed(sessions, job: Outgoing) -> SendResult:
    try:
        scheme = (job.printer or "").partition(":")[0]
        if scheme in components.SCHEMES:  # a platform's print component prints the service's print data
            components.send(sessions, job.document, job.reference, job.printer, job.title)
        else:
            _deliver(job)  # step 2: no transaction open
    except Exception as exc:  # a printer that is off, out of paper, unknown: keep the job
        return _record(sessions, job, str(exc)[:500] or type(exc).__name__)
    return _record(sessions, job, None)


def send(sessions, job_id: int, printer: str | None = None, *, states: tuple[str, ...] = UNSENT) -> SendResult:
    """Send one committed job now (claim, send, record: three steps, no transaction during the send).

    Raises PrinterError if the job does not exist or is not waiting (printed, or being sent).
    """
    job = _claim(sessions, job_id, states, printer)
    if job is None:
        raise PrinterError(_("Job {id} is not waiting to print (printed already, or being sent)", id=job_id))
    return _send_claimed(sessions, job)


def send_jobs(sessions, job_ids) -> list[SendResult]:
    """Send the given queued jobs (after the commit that queued them); a job another station took is skipped."""
    results = []
    for job_id in job_ids:
        job = _claim(sessions, job_id, ("queued",))
        if job is not None:
            results.append(_send_claimed(sessions, job))
    return results


def recover(sessions, job_id: int | None = None, *, stale_s: float | None = None) -> list[SendResult]:
    """Jobs left in ``sending`` by a process that died: printed if the printer has that attempt,
    else sent again (a new attempt); if the printer cannot tell, failed with a message to check.

    Only jobs whose attempt started more than `stale_s` (SENDING_STALE_S) ago: a younger one
    may be on its way right now from another station.
    """
    from datetime import timedelta

    from sqlalchemy import update

    from station.db import unit_of_work

    limit = datetime.now(timezone.utc) - timedelta(seconds=SENDING_STALE_S if stale_s is None else stale_s)
    with unit_of_work(sessions) as s:
        query = select(PrintJob.id, PrintJob.document, PrintJob.reference, PrintJob.printer, PrintJob.copies,
                       PrintJob.pdf, PrintJob.reprint, PrintJob.created_at, PrintJob.attempts).where(
            PrintJob.status == SENDING, PrintJob.printed_at <= limit)
        if job_id is not None:
            query = query.where(PrintJob.id == job_id)
        left = [Outgoing(*row) for row in s.execute(query.order_by(PrintJob.id))]
    results = []
    for job in left:
        accepted = _was_accepted(job)  # no transaction open while the printer is asked
        if accepted:
            results.append(_record(sessions, job, None))
            continue
        with unit_of_work(sessions) as s:  # take the job back from the dead attempt
            if accepted is None:
                status, error = "failed", _("Station stopped while sending attempt {attempt}; it may have "
                                            "printed: look at the printer before you retry",
                                            attempt=job.attempt)
            else:
                status, error = "queued", None
            taken = s.execute(update(PrintJob).where(PrintJob.id == job.id, PrintJob.status == SENDING,
                                                     PrintJob.attempts == job.attempt)
                              .values(status=status, error=error, printed_at=None)
                              .execution_options(synchronize_session=False))
            s.commit()
        if taken.rowcount != 1:
            continue
        if status == "failed":
            results.append(SendResult(job.id, status, error, job.printer))
        else:  # the printer never had it: send it again, as the next attempt
            again = _claim(sessions, job.id, ("queued",))
            if again is not None:
                results.append(_send_claimed(sessions, again))
    return results


def retry(sessions, job_id: int, printer: str | None = None) -> SendResult:
    """Send a failed (or never sent) job again, optionally to another printer.

    A job left ``sending`` by a station that stopped is first looked up at the printer (`recover`).
    """
    with _read(sessions) as s:
        status = s.scalar(select(PrintJob.status).where(PrintJob.id == job_id))
    if status is None:
        raise PrinterError(_("No print job {id}", id=job_id))
    if status == SENDING:
        done = recover(sessions, job_id)
        if not done:
            raise PrinterError(_("Job {id} is being sent right now", id=job_id))
        return done[0]  # printed after all, sent again, or failed: look at the printer first
    return send(sessions, job_id, printer)


def _read(sessions):
    from station.db import unit_of_work

    return unit_of_work(sessions)


MARKS_ITS_OWN_REPRINTS = frozenset({"waybill"})  # their renderers draw the mark when asked to
REPRINT_MARK = "补打 REPRINT"


def mark_reprint(pdf: bytes) -> bytes:
    """The same pages with ``补打 REPRINT`` in white on black at the top right corner of each."""
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen.canvas import Canvas

    from station.printing.fonts import CJK_FONT, register_fonts

    register_fonts()
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    for page in writer.pages:
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        size = max(min(width, height) / 22, 6.0)
        stamp = BytesIO()
        canvas = Canvas(stamp, pagesize=(width, height))
        text_w = canvas.stringWidth(REPRINT_MARK, CJK_FONT, size)
        pad = size * 0.35
        x, y = float(box.left) + width - text_w - 3 * pad, float(box.bottom) + height - size - 3 * pad
        canvas.setFillGray(0)
        canvas.rect(x, y, text_w + 2 * pad, size + 2 * pad, stroke=0, fill=1)
        canvas.setFillGray(1)
        canvas.setFont(CJK_FONT, size)
        canvas.drawString(x + pad, y + pad + size * 0.15, REPRINT_MARK)
        canvas.save()
        page.merge_page(PdfReader(BytesIO(stamp.getvalue())).pages[0])
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _make(session: Session, document: str, reference: str, reprint: bool) -> Callable[[], bytes]:
    """Read what `document` needs from the database; the returned call draws it (no database).

    A renderer returns the PDF, or a call that draws it from what it read (then the drawing
    happens after the transaction is closed). A reprint is marked on the page either way.
    """
    renderer = _renderer(document)
    if renderer is None:  # a developer's error: the process never called station.documents.registry.install
        raise LookupError(f"{document}: no renderer installed (station.documents.registry.install)")
    made = renderer(session, reference, reprint)
    draw = made if callable(made) else (lambda: made)
    if reprint and document not in MARKS_ITS_OWN_REPRINTS:
        return lambda: mark_reprint(draw())
    return draw


def reprint(sessions, job_id: int, user: str | None, station: str | None, *,
            printer: str | None = None) -> SendResult:
    """Print a job from history again: a new job with the same pages, marked as a reprint on the page.

    It goes to `printer`, else to the document's printer as set now; the old job stays as it was.
    The new job is committed before it is sent.
    """
    from station.db import unit_of_work

    with unit_of_work(sessions) as s:
        old = s.get(PrintJob, job_id)
        if old is None:
            raise PrinterError(_("No print job {id}", id=job_id))
        document, reference, pdf, marked = old.document, old.reference, old.pdf, old.reprint
        draw = None
        if not pdf:  # a deferred job whose document was never made: make it now, as a reprint
            if _renderer(document) is None or old.status == "rendering":
                raise PrinterError(_("Job {id} has no PDF yet", id=job_id))
            draw = _make(s, document, reference, True)
    if draw is not None:
        pdf = draw()
    elif not marked:  # a copy of the pages that printed before: mark them
        pdf = mark_reprint(pdf)
    with unit_of_work(sessions) as s:
        job = submit(s, document, reference, pdf, user=user, station=station, reprint=True, printer=printer)
        s.commit()
        new_id = job.id
    return send(sessions, new_id, states=("queued",))


def render_again(sessions, job_id: int, printer: str | None = None) -> SendResult:
    """Retry a failed job whose document could not be made: make it again from its reference, then print it.

    Only for jobs that have failed (a job still ``rendering`` belongs to `render_deferred`).
    """
    from sqlalchemy import update

    from station.db import unit_of_work

    with unit_of_work(sessions) as s:
        job = s.get(PrintJob, job_id)
        if job is None:
            raise PrinterError(_("No print job {id}", id=job_id))
        if job.status != "failed" or _renderer(job.document) is None:
            raise PrinterError(_("Job {id} has no PDF yet", id=job_id))
        attempts = job.attempts
        try:
            draw = _make(s, job.document, job.reference, job.reprint)
        except Exception as exc:
            draw, error = None, exc
    try:
        pdf = draw() if draw is not None else None
    except Exception as exc:
        pdf, error = None, exc
    with unit_of_work(sessions) as s:
        values = dict(pdf=pdf, status="queued", error=None) if pdf is not None else dict(
            attempts=PrintJob.attempts + 1,
            error=_("Could not make the document: {error}", error=str(error)[:300]))
        changed = s.execute(update(PrintJob).where(PrintJob.id == job_id, PrintJob.status == "failed",
                                                   PrintJob.attempts == attempts)
                            .values(**values).execution_options(synchronize_session=False))
        s.commit()
    if changed.rowcount != 1:
        raise PrinterError(_("Job {id} is not waiting to print (printed already, or being sent)", id=job_id))
    if pdf is None:
        with unit_of_work(sessions) as s:
            return SendResult(job_id, "failed", s.scalar(select(PrintJob.error).where(PrintJob.id == job_id)),
                              printer)
    return send(sessions, job_id, printer, states=("queued",))


# --- deferred jobs: recorded with the action, rendered after the person saw the outcome ----

def install_renderers(lookup: Callable[[str], "Renderer | None"]) -> None:
    """How the document families make a deferred job, by document name: the outbox sits below the
    warehouse and imports no family, so ``station.documents.registry.install`` hands them over at
    start (the CLI, the GUI). Without it, a deferred job fails with "no renderer"."""
    global _family_renderers
    _family_renderers = lookup


def register_renderer(document: str, renderer: Renderer) -> None:
    """A renderer for a document the registry (`station.outbox.registry`) does not know (tests)."""
    _renderers[document] = renderer


def _renderer(document: str) -> Renderer | None:
    """How to (re)build a document from the database by its reference, for deferred jobs."""
    return _renderers.get(document) or _family_renderers(document)


DEFERRED = "station.deferred_print"  # session.info flag: this unit of work queued a deferred job
DEFERRED_JOBS = "station.deferred_jobs"  # session.info: the (document, reference) of each job it deferred
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
    session.info.setdefault(DEFERRED_JOBS, set()).add((document, reference))


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def queue_rendering(session: Session, document: str, reference: str, *, user: str | None = None,
                    station: str | None = None) -> int:
    """Like `defer`, but the job's id is known at once: for an action that reports its print jobs
    (a batch). `render_job` makes it after the commit; if the process dies first, the next
    ``render_deferred`` does."""
    job = PrintJob(document=document, reference=reference, pdf=b"", created_at=datetime.now(timezone.utc),
                   created_by=user, station=station, reprint=False, status="rendering", attempts=0,
                   printer=None, copies=1)
    session.add(job)
    session.flush()
    session.info[DEFERRED] = True
    session.info.setdefault(DEFERRED_JOBS, set()).add((document, reference))
    return job.id


def render_job(sessions, job_id: int) -> bool:
    """Make one ``rendering`` job's PDF from the database by its reference, with no transaction
    open while it is drawn; True if it is now queued by us (to be sent), False if another station
    made it first or it could not be made (then it is ``failed`` with the reason)."""
    from sqlalchemy import update

    from station.db import read_only, unit_of_work

    with read_only(sessions) as s:  # read what the document needs; nothing written, no write lock
        job = s.get(PrintJob, job_id)
        if job is None or job.status != "rendering":
            return False
        document, reprint_ = job.document, job.reprint
        printer, copies = job.printer or printer_for(s, document), job.copies
        if job.printer is None:
            copies = copies_for(s, document)
        try:
            draw, error = _make(s, document, job.reference, reprint_), None
        except Exception as exc:
            draw, error = None, exc
    pdf = None
    if draw is not None:
        try:
            pdf = draw()  # no transaction open
        except Exception as exc:
            error = exc
    with unit_of_work(sessions) as s:
        values = dict(printer=printer, copies=copies)
        if pdf is None:  # keep the job, say why; it can be re-rendered by hand
            values.update(status="failed", error=_("Could not make the document: {error}", error=str(error)[:300]))
        else:
            values.update(status="queued", pdf=pdf)
        claimed = s.execute(update(PrintJob).where(PrintJob.id == job_id, PrintJob.status == "rendering")
                            .values(**values).execution_options(synchronize_session=False))
        s.commit()
    return claimed.rowcount == 1 and pdf is not None


def render_together(sessions, job_ids) -> str | None:
    """Make the PDFs of several ``rendering`` jobs (a batch's pick list, slips and waybills)
    all or nothing: every one is drawn, with no transaction open, before any is queued. If one
    cannot be made, none is queued: all stay unprinted as ``failed`` with the reason, so a
    printer never gets half a batch. Returns None when all are queued (send them), else the
    reason."""
    from sqlalchemy import update

    from station.db import read_only, unit_of_work

    made: dict[int, tuple[bytes, str, int]] = {}
    error: str | None = None
    for job_id in job_ids:
        with read_only(sessions) as s:
            job = s.get(PrintJob, job_id)
            if job is None or job.status != "rendering":
                continue
            document, reference = job.document, job.reference
            printer = job.printer or printer_for(s, document)
            copies = job.copies if job.printer is not None else copies_for(s, document)
            try:
                draw = _make(s, document, reference, job.reprint)
            except Exception as exc:
                error = f"{document} {reference}: {exc}"
                break
        try:
            made[job_id] = (draw(), printer, copies)  # no transaction open
        except Exception as exc:
            error = f"{document} {reference}: {exc}"
            break
    with unit_of_work(sessions) as s:
        for job_id in job_ids:
            if error is None and job_id in made:
                pdf, printer, copies = made[job_id]
                values = dict(status="queued", pdf=pdf, printer=printer, copies=copies)
            else:
                values = dict(status="failed", error=_(
                    "Nothing of the batch printed: {error}", error=(error or "-")[:300]))
            s.execute(update(PrintJob).where(PrintJob.id == job_id, PrintJob.status == "rendering")
                      .values(**values).execution_options(synchronize_session=False))
        s.commit()
    return error


def render_deferred(sessions, mine: set[tuple[str, str]] | None = None,
                    on_sent: Callable[[str, str, SendResult], None] | None = None) -> int:
    """Make and print every job waiting: deferred ones (``rendering``), queued ones, and jobs a
    stopped station left ``sending`` (`recover`). Each is claimed with a conditional update, so
    two stations never both print it; no transaction is open while a PDF is drawn or sent.
    With `mine` (the document and reference of each job the caller deferred), other jobs are
    left to whoever queued them (a 500-order batch is drawn by the desk that made it, not by a
    bench between two scans) unless they have waited longer than SENDING_STALE_S: then their
    maker stopped before making them. Returns how many printed. `on_sent(document, reference,
    result)` hears of each job sent (printed or failed): where it went, for the bench to show."""
    from station.db import unit_of_work

    done = sum(r.status == "printed" for r in recover(sessions))
    with unit_of_work(sessions) as s:
        rows = list(s.execute(select(PrintJob.id, PrintJob.status, PrintJob.document, PrintJob.reference,
                                     PrintJob.created_at)
                              .where(PrintJob.status.in_(("rendering", "queued"))).order_by(PrintJob.id)))
    stale = datetime.now(timezone.utc) - timedelta(seconds=SENDING_STALE_S)
    waiting = [(job_id, status, document, reference) for job_id, status, document, reference, created in rows
               if mine is None or (document, reference) in mine or _utc(created) < stale]
    for job_id, status, document, reference in waiting:
        if status == "rendering" and not render_job(sessions, job_id):
            continue  # another station made it first (and sends it), or it could not be made
        for result in send_jobs(sessions, [job_id]):
            done += result.status == "printed"
            if on_sent is not None:
                on_sent(document, reference, result)
    return done



def print_pdf(sessions, document: str, reference: str, pdf: bytes, *, user: str | None,
              station: str | None, printer: str | None = None) -> SendResult:
    """Queue a document drawn already (one short write), then send it with no transaction open:
    ``station.documents.registry.print_document`` draws and calls this. ``printer`` None: the
    document's printer setting."""
    from station.db import unit_of_work

    with unit_of_work(sessions) as s:
        job = submit(s, document, reference, pdf, user=user, printer=printer, station=station)
        s.commit()
        job_id = job.id
    return send(sessions, job_id, states=("queued",))
