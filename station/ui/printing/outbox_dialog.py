"""The print outbox (Ctrl+P): every recent print job, and what to do with one that failed.

Keys on the selected job:
  Enter      retry it on its printer (a job that printed already: see Shift+R)
  R          send it to another printer (a printed job: reprint it there)
  P          preview its PDF
  Shift+R    reprint it: a new job with the same PDF, marked as a reprint
  F5         refresh the list;  Esc closes.
The dialog only calls `station.outbox`; each action is one unit of work.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
                               QPushButton, QTableView, QVBoxLayout, QWidget)

from station.db import unit_of_work
from station.i18n import N_, _
from station import outbox
from station.outbox import JobSummary
from station.ui.printing import dispatch
from station.ui.printing.names import document_label, status_label
from station.ui.widgets.fit import fit_to_screen

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

FAILED_COLOUR = QColor("#b00020")
QUEUED_COLOUR = QColor("#8a5a00")
JOB_ID_ROLE = Qt.ItemDataRole.UserRole


def local_time(moment: datetime | None) -> str:
    """A stored time (UTC; SQLite hands it back without its zone) in this PC's time zone."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class OutboxModel(QAbstractTableModel):
    """Print jobs as rows, newest first; the job id is in `JOB_ID_ROLE` of every cell."""

    COLUMNS = (("time", N_("Time")), ("document", N_("Document")), ("reference", N_("Reference")),
               ("printer", N_("Printer")), ("status", N_("Status")), ("error", N_("Error")),
               ("reprint", N_("Reprint")))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.jobs: list[JobSummary] = []

    def set_jobs(self, jobs: list[JobSummary]) -> None:
        self.beginResetModel()
        self.jobs = list(jobs)
        self.endResetModel()

    def job(self, row: int) -> JobSummary | None:
        return self.jobs[row] if 0 <= row < len(self.jobs) else None

    def row_of(self, job_id: int) -> int:
        return next((row for row, job in enumerate(self.jobs) if job.id == job_id), -1)

    # --- QAbstractTableModel ----------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.jobs)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            return _(self.COLUMNS[section][1])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.jobs):
            return str(self.jobs[section].id)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.parent().isValid():
            return None
        job = self.job(index.row())
        if job is None or not 0 <= index.column() < len(self.COLUMNS):
            return None
        column = self.COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(job, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "error" and job.error:
                return job.error
            if column == "printer":
                return job.printer or ""
            return _("Job {id} · {copies} copies · {attempts} attempts · by {user} at {station}",
                     id=job.id, copies=job.copies, attempts=job.attempts, user=job.created_by or "-",
                     station=job.station or "-")
        if role == Qt.ItemDataRole.ForegroundRole and column in ("status", "error"):
            if job.status == "failed":
                return QBrush(FAILED_COLOUR)
            if job.status == "queued":
                return QBrush(QUEUED_COLOUR)
        if role == JOB_ID_ROLE:
            return job.id
        return None

    @staticmethod
    def _text(job: JobSummary, column: str) -> str:
        if column == "time":
            return local_time(job.created_at)
        if column == "document":
            return document_label(job.document)
        if column == "reference":
            return job.reference
        if column == "printer":
            return dispatch.describe(job.printer)
        if column == "status":
            return status_label(job.status)
        if column == "error":
            return (job.error or "").splitlines()[0] if job.error else ""
        if column == "reprint":
            return _("Reprint") if job.reprint else ""
        return ""


class OutboxDialog(QDialog):
    """The outbox list with its keys; `message` says what the last action did."""

    job_changed = Signal(int)  # the id of a job retried, re-sent or made as a reprint

    def __init__(self, sessions: "sessionmaker[Session]", *, user: str | None = None, station: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printOutbox")
        self.sessions = sessions
        self.user = user
        self.station = station
        from station.ui.office.worker import WindowJobs

        self.jobs = WindowJobs(self)  # the list and every send: on threads (a printer may take seconds)
        self.preview = None
        # Asks which printer to send a job to; returns a destination or None. Tests replace it.
        self.choose_printer: Callable[[JobSummary], str | None] = self._ask_printer
        self.setWindowTitle(_("Print outbox"))

        self.model = OutboxModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("outboxTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)  # the error gets what is left
        header.setHighlightSections(False)

        self.message = QLabel()
        self.message.setObjectName("outboxMessage")
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        buttons = QHBoxLayout()
        for name, text, slot in (("retry", N_("Retry (Enter)"), self.retry_selected),
                                 ("send", N_("Another printer… (R)"), self.send_selected),
                                 ("preview", N_("Preview (P)"), self.preview_selected),
                                 ("reprint", N_("Reprint (Shift+R)"), self.reprint_selected),
                                 ("refresh", N_("Refresh (F5)"), lambda: self.refresh())):
            button = QPushButton(_(text))
            button.setObjectName(f"outbox_{name}")
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys work on the table; keep the focus there
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[name] = button
        buttons.addStretch(1)
        close = QPushButton(_("Close (Esc)"))
        close.setAutoDefault(False)
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.clicked.connect(self.reject)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        for key, slot in (("Return", self.retry_selected), ("Enter", self.retry_selected),
                          ("R", self.send_selected), ("P", self.preview_selected),
                          ("Shift+R", self.reprint_selected), ("F5", lambda: self.refresh())):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        fit_to_screen(self, 1100, 560)  # fits 1280x720 and up
        self.refresh()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- the list ---------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """The list is loading or a job is being sent, on a thread."""
        return self.jobs.busy()

    def refresh(self, select_id: int | None = None) -> None:
        """Reload the jobs (on a thread), keeping the selected one selected (or selecting `select_id`)."""
        keep = select_id if select_id is not None else self.selected_id()
        sessions = self.sessions

        def read(_progress):
            with unit_of_work(sessions) as session:
                return outbox.recent(session)

        self.jobs.run("list", read, lambda jobs: self._listed(jobs, keep),
                      lambda exc: self.say(str(exc) or type(exc).__name__, error=True))

    def _listed(self, jobs: list[JobSummary], keep: int | None) -> None:
        self.model.set_jobs(jobs)
        row = self.model.row_of(keep) if keep is not None else -1
        self.select_row(row if row >= 0 else 0)
        if not jobs:
            self.say(_("No print jobs yet"))

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def select_job(self, job_id: int) -> None:
        self.select_row(self.model.row_of(job_id))

    def selected(self) -> JobSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.job(rows[0].row()) if rows else None

    def selected_id(self) -> int | None:
        job = self.selected()
        return job.id if job else None

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {FAILED_COLOUR.name()};" if error else "")

    def _report(self, job_id: int, status: str, error: str | None, printer: str | None) -> None:
        where = dispatch.describe(printer)
        if status == "printed":
            self.say(_("Job {id} printed on {printer}", id=job_id, printer=where))
        else:
            self.say(_("Job {id} did not print on {printer}: {error}", id=job_id, printer=where,
                       error=error or "-"), error=True)

    # --- actions ----------------------------------------------------------------------------
    def retry_selected(self) -> None:
        """Enter: the selected job again on its own printer."""
        job = self.selected()
        if job is None:
            return
        if job.status == "printed":
            self.say(_("Job {id} has printed already; Shift+R prints it again as a reprint", id=job.id))
            return
        self._retry(job, None)

    def send_selected(self) -> None:
        """R: the selected job to a printer chosen now (a job that printed becomes a reprint there)."""
        job = self.selected()
        if job is None or self._still_being_made(job):
            return
        printer = self.choose_printer(job)
        if not printer:
            return
        if job.status == "printed":
            self._reprint(job.id, printer)
        else:
            self._retry(job, printer)

    def reprint_selected(self) -> None:
        """Shift+R: a new job with the selected job's PDF, marked as a reprint."""
        job = self.selected()
        if job is not None and not self._still_being_made(job):
            self._reprint(job.id, None)

    def preview_selected(self) -> None:
        """P: the selected job's PDF on screen."""
        from station.ui.printing.preview import PreviewDialog

        job = self.selected()
        if job is None or self._still_being_made(job):
            return
        if not job.pdf_bytes:
            self.say(_("Job {id} has no PDF yet", id=job.id), error=True)
            return
        with unit_of_work(self.sessions) as session:
            pdf = outbox.job_pdf(session, job.id)
        try:
            dialog = PreviewDialog(pdf, f"{document_label(job.document)} {job.reference}", self)
        except outbox.PrinterError as exc:
            self.say(str(exc), error=True)
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._preview_closed)
        self.preview = dialog
        dialog.open()

    def _preview_closed(self, _result: int) -> None:
        self.preview = None
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _still_being_made(self, job: JobSummary) -> bool:
        """A deferred job whose PDF the bench is making right now: leave it alone (say so)."""
        if job.status != "rendering":
            return False
        self.say(_("Job {id} is still being made; press F5 in a moment", id=job.id))
        return True

    def _send(self, work: Callable[[], tuple], job_id: int) -> None:
        """``work`` (a retry or a reprint: database and printer) on a thread; one at a time."""
        if self.jobs.busy("send"):
            self.say(_("Still sending the last job: a moment"), error=True)
            return
        self.say(_("Sending job {id}…", id=job_id))

        def run(_progress):
            try:
                return work()
            except outbox.PrinterError as exc:
                return exc

        self.jobs.run("send", run, self._sent, lambda exc: self.say(str(exc) or type(exc).__name__, error=True))

    def _sent(self, result) -> None:
        if isinstance(result, outbox.PrinterError):
            self.say(str(result), error=True)
            return
        kind, job_id, *rest = result
        self.refresh(job_id)
        if kind == "printed_already":
            self.say(_("Job {id} has printed already; Shift+R prints it again as a reprint", id=job_id))
            return
        if kind == "sent":
            self._report(job_id, *rest)
            self.job_changed.emit(job_id)

    def _retry(self, summary: JobSummary, printer: str | None) -> None:
        if self._still_being_made(summary):
            return
        sessions, job_id = self.sessions, summary.id

        def work() -> tuple:
            with unit_of_work(sessions) as session:
                fresh = outbox.job_summary(session, job_id)
            if fresh is None or fresh.status in ("printed", "rendering"):  # another bench got there first
                return ("printed_already" if fresh is not None and fresh.status == "printed" else "gone", job_id)
            # Each in short transactions of its own: none is open while the printer is busy.
            if fresh.pdf_bytes:
                job = outbox.retry(sessions, job_id, printer)
            else:  # its document could not be made before: make it again first
                job = outbox.render_again(sessions, job_id, printer)
            return ("sent", job.id, job.status, job.error, job.printer)

        self._send(work, job_id)

    def _reprint(self, job_id: int, printer: str | None) -> None:
        sessions, user, station = self.sessions, self.user, self.station

        def work() -> tuple:
            job = outbox.reprint(sessions, job_id, user, station, printer=printer)
            return ("sent", job.id, job.status, job.error, job.printer)

        self._send(work, job_id)

    def done(self, result: int) -> None:  # Esc, or closed from outside
        """Not while a job is being sent (it ends by itself; its result belongs on this dialog)."""
        if self.jobs.busy("send"):
            self.say(_("Still sending the last job: a moment"), error=True)
            return
        self.jobs.wait()  # a list read of a few milliseconds, or a send's last instant
        super().done(result)

    def _ask_printer(self, job: JobSummary) -> str | None:
        choices = dispatch.destinations()
        labels = [label for label, _destination in choices]
        current = dispatch.describe(job.printer)
        text, ok = QInputDialog.getItem(
            self, _("Send to another printer"),
            _("Printer for job {id} (or type pdf:FOLDER, qt:PRINTER or cups:QUEUE):", id=job.id),
            labels, labels.index(current) if current in labels else 0, True)
        return dispatch.parse(text) if ok else None
