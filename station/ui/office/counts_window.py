"""Stock counts for the supervisor (Ctrl+T): the variances of a count, and what to do with each.

Top: the count (Alt+C picks another: open counts first). The table lists every line with a
variance or waiting for a recount: bin, SKU, book at that bin's count, counted, variance,
value, status, who counted (and the first count when there was a recount). Keys: Alt+A
approves the selected lines, Alt+R rejects them, Alt+E sends their bins back for a recount,
Ctrl+Return approves the whole count, Ctrl+N plans a new count (and prints its sheet), Ctrl+P
prints the count sheet, Alt+V the variance report, Alt+W the write-off (报损单), F5 reloads, Esc
closes. Printing goes through the outbox on a worker thread, the path of ``station print``. Who decides is the person
logged in at the current bench; anyone but a supervisor is refused, and the refusal is
recorded. The result stays in the line above the table (red when refused).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QMainWindow,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from station.i18n import N_, _
from station.inventory import count_review
from station.inventory.counts import CountError
from station.ui.office.common import RED, TABLE_PT, TABLE_STYLE, font, heading, refusal
from station.ui.office.worker import ServiceThread, WindowJobs
from station.ui.widgets.fit import fit_to_screen

COLUMNS = (N_("Bin"), N_("SKU"), N_("Name"), N_("Book"), N_("Counted"), N_("Variance"), N_("Value"), N_("Status"),
           N_("Counted by"), N_("First count"))
STATUS = {"open": N_("To approve"), "recount": N_("Recount"), "approved": N_("Approved"),
          "rejected": N_("Rejected")}
COUNT_STATUS = {"open": N_("open"), "closed": N_("closed"), "rejected": N_("rejected")}
GREEN = "#1b5e20"


class CountsWindow(QMainWindow):
    loaded = Signal()  # the counts and the chosen count's lines on screen are the ones last asked for
    decided = Signal(object)  # a decision's Decision (None: refused before the count was touched)
    planned = Signal(str)  # the number of a count just planned

    def __init__(self, sessions, *, who, station: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("countsWindow")
        self.sessions = sessions
        self.who = who
        self.station = station
        self.printing: ServiceThread | None = None
        self.jobs = WindowJobs(self)  # reads and decisions: off the GUI thread (a 10,000-bin count posts for seconds)
        self.rows: list[count_review.VarianceRow] = []
        self.title_label = heading("countsHeading")
        self.count_box = QComboBox()
        self.count_box.setObjectName("countChoice")
        self.count_box.setFont(font(TABLE_PT))
        self.count_box.currentIndexChanged.connect(lambda _i: self.load_lines())
        self.count_label = QLabel()
        self.count_label.setBuddy(self.count_box)
        self.result_label = QLabel()
        self.result_label.setObjectName("countResult")
        self.result_label.setFont(font(TABLE_PT))
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("countLines")
        self.table.setFont(font(TABLE_PT))
        self.table.setStyleSheet(TABLE_STYLE)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.help_label = QLabel()
        self.help_label.setWordWrap(True)  # the key list wraps rather than widen the window past 1280
        top = QHBoxLayout()
        top.addWidget(self.count_label)
        top.addWidget(self.count_box, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.title_label)
        layout.addLayout(top)
        layout.addWidget(self.result_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.help_label)
        self.setCentralWidget(body)
        self.actions_by_name: dict[str, QAction] = {}
        for name, keys, slot in (("approve", "Alt+A", lambda: self.decide("approve")),
                                 ("reject", "Alt+R", lambda: self.decide("reject")),
                                 ("recount", "Alt+E", lambda: self.decide("recount")),
                                 ("approve_all", "Ctrl+Return", lambda: self.decide("approve", whole=True)),
                                 ("plan", "Ctrl+N", self.plan_count),
                                 ("print_sheet", "Ctrl+P", lambda: self.print_document("count-sheet")),
                                 ("print_variance", "Alt+V", lambda: self.print_document("variance-report")),
                                 ("print_write_off", "Alt+W", lambda: self.print_document("write-off")),
                                 ("refresh", "F5", self.refresh), ("close", "Esc", self.close)):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
            self.addAction(action)
            self.actions_by_name[name] = action
        self.actions_by_name["close"].setShortcuts([QKeySequence("Esc"), QKeySequence("Ctrl+W")])
        fit_to_screen(self, 1100, 640)  # fits 1280x720 and up
        self.retranslate()
        self.refresh()

    # --- data ---------------------------------------------------------------------------
    @property
    def count_no(self) -> str | None:
        return self.count_box.currentData()

    def refresh(self, select: str | None = None) -> None:
        """Reload the counts (open ones first) and the chosen count's lines, on a thread; the count
        chosen stays chosen (or ``select`` is chosen once the list is in)."""
        sessions = self.sessions
        keep = select or self.count_no
        self.jobs.run("choices", lambda _progress: count_review.count_choices(sessions),
                      lambda choices: self._choices_loaded(choices, keep), self._load_failed)

    def _choices_loaded(self, choices: list, keep: str | None) -> None:
        self.count_box.blockSignals(True)
        self.count_box.clear()
        for c in choices:
            label = _("{count} · {scope} · {status} · {counted}/{bins} bins, {recount} to recount",
                      count=c.count_no, scope=c.scope, status=_(COUNT_STATUS.get(c.status, c.status)),
                      counted=c.counted, bins=c.bins,
                      recount=c.recount)
            self.count_box.addItem(label, c.count_no)
        index = self.count_box.findData(keep) if keep else 0
        self.count_box.setCurrentIndex(max(index, 0))
        self.count_box.blockSignals(False)
        self.load_lines()

    def load_lines(self) -> None:
        """The chosen count's lines with a variance or a recount, read on a thread."""
        count_no, sessions = self.count_no, self.sessions
        if not count_no:
            self._lines_loaded([])
            return
        self.jobs.run("lines", lambda _progress: count_review.count_lines(sessions, count_no), self._lines_loaded,
                      self._load_failed)

    @property
    def loading(self) -> bool:
        return self.jobs.busy("choices") or self.jobs.busy("lines")

    def _load_failed(self, exc: Exception) -> None:
        self._say(_("The counts could not be read: {error}", error=str(exc) or type(exc).__name__), False)
        self.loaded.emit()

    def _lines_loaded(self, rows: list) -> None:
        self.rows = rows
        self.table.setRowCount(len(self.rows))
        for row, r in enumerate(self.rows):
            first = f"{r.first_qty} ({r.first_counted_by})" if r.round > 1 and r.first_qty is not None else ""
            cells = (r.location, r.sku, " ".join(x for x in (r.name, r.colour, r.size) if x), str(r.book),
                     str(r.counted), f"{r.variance:+d}" if r.variance else "0",
                     "" if r.value is None else f"{r.value:,.2f}", _(STATUS.get(r.status, r.status)),
                     r.counted_by, first)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (3, 4, 5, 6):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if r.status == "recount" or (column == 5 and r.variance < 0):
                    item.setForeground(QColor(RED))
                self.table.setItem(row, column, item)
        if not self.loading:
            self.loaded.emit()

    def selected(self) -> list[count_review.VarianceRow]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.rows[r] for r in rows if r < len(self.rows)]

    # --- decisions ----------------------------------------------------------------------
    def decide(self, action: str, whole: bool = False) -> None:
        """Approve, reject or recount the selected lines (or approve the whole count), on a thread:
        posting a large count takes seconds. ``decided`` says how it went; the lines reload."""
        user = self.who()
        if user is None:
            self._say(_("Scan your badge at a bench first: decisions carry the name of who made them"), False)
            return self.decided.emit(None)
        if not self.count_no:
            self._say(_("No count to decide"), False)
            return self.decided.emit(None)
        chosen = self.selected()
        if not whole and not chosen:
            self._say(_("Select the lines first"), False)
            return self.decided.emit(None)
        if self.jobs.busy("decide"):
            self._say(_("Still working on the last decision: a moment"), False)
            return self.decided.emit(None)
        sessions, count_no = self.sessions, self.count_no
        bins = list(dict.fromkeys(r.location for r in chosen))
        lines = None if whole else [(r.location, r.sku) for r in chosen]

        def work(_progress):
            try:
                if action == "recount":
                    decision = None
                    for code in bins:
                        decision = count_review.decide(sessions, "recount", count_no, user, bin_code=code)
                        if not decision.ok:
                            break
                    return decision
                return count_review.decide(sessions, action, count_no, user, lines=lines)
            except CountError as exc:
                return exc

        self._say(_("Working on it…"), True)
        self.jobs.run("decide", work, self._decided, self._decide_failed)

    def _decided(self, decision) -> None:
        self.refresh()
        if isinstance(decision, CountError):
            self._say(str(decision), False)
            self.decided.emit(None)
            return
        self._say(decision.message, decision.ok)
        self.decided.emit(decision)

    def _decide_failed(self, exc: Exception) -> None:
        self.refresh()
        self._say(_("Not decided: {error}", error=str(exc) or type(exc).__name__), False)
        self.decided.emit(None)

    # --- plan and print ---------------------------------------------------------------------
    def plan_count(self, dialog=None) -> None:
        """Ctrl+N: plan a count (role ``counts.plan``), open it (on a thread: a full count of 10,000
        bins is many rows) and print its count sheet; ``planned`` says its number."""
        from station.db import unit_of_work
        from station.inventory import counts as count_service
        from station.ui.office.count_plan_dialog import PlanCountDialog

        user = self.who()
        if user is None:
            return self._say(_("Scan your badge at a bench first: decisions carry the name of who made them"), False)
        if self.jobs.busy("plan"):
            return self._say(_("Still working on the last decision: a moment"), False)
        dialog = dialog or PlanCountDialog(self)
        if dialog.exec() != dialog.DialogCode.Accepted:
            return None
        plan = dialog.plan()
        sessions = self.sessions
        refused = refusal(sessions, "counts.plan", user, target=plan["kind"], station=self.station)
        if refused:
            return self._say(refused, False)

        def work(_progress):
            try:
                with unit_of_work(sessions) as s:
                    count = count_service.create_count(s, plan.pop("kind"), user=user, **plan)
                    count_no = count.count_no
                    s.commit()
                return count_no
            except CountError as exc:
                return exc

        self._say(_("Working on it…"), True)
        self.jobs.run("plan", work, self._planned,
                      lambda exc: self._say(_("Not done: {error}", error=str(exc) or type(exc).__name__), False))
        return None

    def _planned(self, result) -> None:
        if isinstance(result, CountError):
            self._say(str(result), False)
            return
        self.refresh(select=result)
        self._say(_("Count {count} planned", count=result), True)
        self.print_document("count-sheet", result)
        self.planned.emit(result)

    def print_document(self, document: str, count_no: str | None = None) -> None:
        """Ctrl+P / Alt+V / Alt+W: the count's sheet, variance report or write-off, through the outbox."""
        from station.documents.registry import print_document

        user, count_no = self.who(), count_no or self.count_no
        if user is None:
            return self._say(_("Scan your badge at a bench first: decisions carry the name of who made them"), False)
        if not count_no:
            return self._say(_("No count to decide"), False)
        if self.printing is not None and self.printing.isRunning():
            return self._say(_("Still printing the last document: a moment"), False)
        refused = refusal(self.sessions, "print", user, target=f"{document} {count_no}", station=self.station)
        if refused:
            return self._say(refused, False)
        sessions, station = self.sessions, self.station
        self.printing = ServiceThread(lambda _progress: print_document(
            sessions, document, [count_no], user=user, station=station), self)
        self.printing.succeeded.connect(self._printed)
        self.printing.failed.connect(self._print_failed)
        self.printing.start()
        return None

    def _printed(self, result) -> None:
        sent, _size = result
        if sent.status == "printed":
            self._say(_("Printed: job {job} to {printer}", job=sent.id, printer=sent.printer), True)
        else:
            self._say(_("Not printed: {error} (the job waits in the outbox, Ctrl+P in the main window)",
                        error=sent.error or sent.status), False)

    def _print_failed(self, exc) -> None:
        self._say(_("Not printed: {error} (the job waits in the outbox, Ctrl+P in the main window)",
                    error=str(exc)), False)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.jobs.wait()  # no thread outlives the window (a decision under way finishes: it is one transaction)
        if self.printing is not None:
            self.printing.wait(30_000)
        super().closeEvent(event)

    def _say(self, text: str, ok: bool):
        self.result_label.setText(text)
        self.result_label.setStyleSheet(f"color: {GREEN if ok else RED}; font-weight: bold")
        return None

    def retranslate(self) -> None:
        self.setWindowTitle(_("Stock counts"))
        self.title_label.setText(_("Stock counts: variances to decide"))
        self.count_label.setText(_("&Count:"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.help_label.setText(_("Alt+A approve · Alt+R reject · Alt+E recount the bin · "
                                  "Ctrl+Enter approve the whole count · Ctrl+N plan a count · Ctrl+P count sheet · "
                                  "Alt+V variance report · Alt+W write-off · F5 reload · Esc close"))  # Ctrl+W closes too
