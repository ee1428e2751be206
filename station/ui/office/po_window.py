"""Purchase orders at the desk (Ctrl+U): what was ordered from whom and what has come, a PO file
imported all or nothing, and a blind receipt (goods without a PO) opened with its reason.

Top: one row per PO (number, supplier, status, lines, ordered, received, outstanding); below,
the lines of the PO under the cursor. Ctrl+N types a new PO in (checked like a file); Ctrl+I imports a PO file (a rejected file imports nothing
and every bad row is listed with its line number, as ``station import po`` prints them);
Ctrl+B opens a blind receipt: its number is what the clerk scans at the receive bench. Ctrl+R
saves the purchase requisition (进货单), Ctrl+M the month's in/out/stock summary (进销存), each as
PDF with a CSV beside it. F5 reloads. The window calls services and shows their results; it never opens a session itself.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QFormLayout, QHeaderView, QLabel,
                               QLineEdit, QListWidget, QMainWindow, QPlainTextEdit, QTableView, QVBoxLayout, QWidget)

from station.i18n import N_, _
from station.inbound.purchasing import PoRow, enter_po, import_po, list_pos, open_blind, po_lines
from station.inbound.receiving import InboundError
from station.ui.office.common import (RED, TABLE_PT, ChooseFile, WhoIsLoggedIn, choose_order_file, font, heading,
                                      refusal)
from station.ui.office.worker import WindowJobs
from station.ui.widgets.fit import fit_to_screen

PO_HEADERS = (N_("PO"), N_("Supplier"), N_("Status"), N_("Lines"), N_("Ordered"), N_("Received"), N_("Outstanding"))
LINE_HEADERS = (N_("SKU"), N_("Name"), N_("Ordered"), N_("Unit cost"), N_("Expected on"), N_("Received"),
                N_("Outstanding"))
PO_STATUS = {"open": N_("Open"), "received": N_("Received in full")}


def _table(model: QStandardItemModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setFont(font(TABLE_PT))
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def _item(value, align_right: bool = False) -> QStandardItem:
    item = QStandardItem("" if value is None else str(value))
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class BlindReceiptDialog(QDialog):
    """Supplier and reason; Enter opens the receipt."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.supplier = QLineEdit()
        self.reason = QLineEdit()
        form = QFormLayout(self)
        self.supplier_label, self.reason_label = QLabel(_("&Supplier")), QLabel(_("&Reason (no PO because…)"))
        self.supplier_label.setBuddy(self.supplier)
        self.reason_label.setBuddy(self.reason)
        form.addRow(self.supplier_label, self.supplier)
        form.addRow(self.reason_label, self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setWindowTitle(_("Blind receipt"))


class NewPoDialog(QDialog):
    """PO number, supplier, and one line per item: ``SKU QTY [UNIT_COST] [EXPECTED_DATE]``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.po_no, self.supplier, self.lines = QLineEdit(), QLineEdit(), QPlainTextEdit()
        self.lines.setPlaceholderText("TS01-RD-S 20 18.50 2026-11-30")
        form = QFormLayout(self)
        for text, field in ((_("&PO number"), self.po_no), (_("&Supplier"), self.supplier),
                            (_("&Lines: SKU QTY [UNIT_COST] [EXPECTED_DATE]"), self.lines)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setWindowTitle(_("New purchase order"))


class PoWindow(QMainWindow):
    def __init__(self, sessions, *, who: WhoIsLoggedIn, station: str, choose_file: ChooseFile | None = None,
                 ask_blind=None, ask_new_po=None, choose_save=None, ask_month=None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("poWindow")
        self.sessions, self.who, self.station = sessions, who, station
        self.choose_file = choose_file or choose_order_file
        self.ask_blind = ask_blind or self._ask_blind  # the dialog seam: () -> (supplier, reason) or None
        self.ask_new_po = ask_new_po or self._ask_new_po  # () -> (po_no, supplier, lines text) or None
        self.choose_save = choose_save or self._choose_save  # (title, suggested file name) -> path or None
        self.ask_month = ask_month or self._ask_month  # () -> "2026-11" or None
        self.rows: list[PoRow] = []
        self.jobs = WindowJobs(self)  # reads, imports and PDFs: off the GUI thread (it is the scans' too)
        self.po_model = QStandardItemModel(self)
        self.lines_model = QStandardItemModel(self)
        self.po_view = _table(self.po_model)
        self.lines_view = _table(self.lines_model)
        self.title = heading("poTitle")
        self.lines_title = heading("poLinesTitle")
        self.message = QLabel()
        self.message.setObjectName("poMessage")
        self.message.setWordWrap(True)
        self.rejected = QListWidget()
        self.rejected.setObjectName("poRejected")
        self.rejected.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        body = QWidget()
        layout = QVBoxLayout(body)
        for widget in (self.title, self.po_view, self.lines_title, self.lines_view, self.message, self.rejected):
            layout.addWidget(widget)
        self.setCentralWidget(body)
        self.import_action = QAction(self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(lambda _c=False: self.import_file())
        self.blind_action = QAction(self)
        self.blind_action.setShortcut(QKeySequence("Ctrl+B"))
        self.blind_action.triggered.connect(lambda _c=False: self.blind_receipt())
        self.new_action = QAction(self)
        self.new_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_action.triggered.connect(lambda _c=False: self.new_po())
        self.requisition_action = QAction(self)
        self.requisition_action.setShortcut(QKeySequence("Ctrl+R"))
        self.requisition_action.triggered.connect(lambda _c=False: self.save_requisition())
        self.summary_action = QAction(self)
        self.summary_action.setShortcut(QKeySequence("Ctrl+M"))
        self.summary_action.triggered.connect(lambda _c=False: self.save_summary())
        self.refresh_action = QAction(self)
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.triggered.connect(lambda _c=False: self.refresh())
        self.close_action = QAction(self)  # like every office window: Esc or Ctrl+W closes it
        self.close_action.setShortcuts([QKeySequence("Esc"), QKeySequence("Ctrl+W")])
        self.close_action.triggered.connect(lambda _c=False: self.close())
        menu = self.menuBar().addMenu("")
        self.menu = menu
        for action in (self.new_action, self.import_action, self.blind_action, self.requisition_action,
                       self.summary_action, self.refresh_action, self.close_action):
            menu.addAction(action)
            self.addAction(action)
        self.po_view.selectionModel().currentRowChanged.connect(lambda current, _prev: self.show_lines(current.row()))
        fit_to_screen(self, 1000, 700)  # fits 1280x720 and up
        self.retranslate()
        self.refresh()

    # --- data ------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """A read, an import or a document is still under way on a thread."""
        return self.jobs.busy()

    def refresh(self) -> None:
        """Reload the POs (on a thread), then the lines of the first."""
        sessions = self.sessions
        self.jobs.run("list", lambda _progress: list_pos(sessions), self._pos_loaded, self._failed)

    def _pos_loaded(self, rows: list[PoRow]) -> None:
        self.rows = rows
        self.po_model.clear()
        self.po_model.setHorizontalHeaderLabels([_(h) for h in PO_HEADERS])
        for r in self.rows:
            self.po_model.appendRow([_item(r.po_no), _item(r.supplier), _item(_(PO_STATUS.get(r.status, r.status))),
                                     _item(r.lines, True), _item(r.ordered, True), _item(r.received, True),
                                     _item(r.outstanding, True)])
        if self.rows:
            self.po_view.setCurrentIndex(self.po_model.index(0, 0))
            self.show_lines(0)
        else:
            self.show_lines(-1)

    def show_lines(self, row: int) -> None:
        """The lines of the PO in ``row``, read on a thread."""
        self.lines_model.clear()
        self.lines_model.setHorizontalHeaderLabels([_(h) for h in LINE_HEADERS])
        if not 0 <= row < len(self.rows):
            self.lines_title.setText(_("No purchase order"))
            return
        po = self.rows[row]
        self.lines_title.setText(_("PO {po} · {supplier}", po=po.po_no, supplier=po.supplier))
        sessions, po_no = self.sessions, po.po_no
        self.jobs.run("lines", lambda _progress: po_lines(sessions, po_no), self._lines_loaded, self._failed)

    def _lines_loaded(self, lines: list) -> None:
        self.lines_model.clear()
        self.lines_model.setHorizontalHeaderLabels([_(h) for h in LINE_HEADERS])
        for l in lines:
            self.lines_model.appendRow([_item(l.sku), _item(l.name), _item(l.qty, True),
                                        _item(f"{l.unit_cost:.2f}" if l.unit_cost is not None else "", True),
                                        _item(l.expected_date.isoformat() if l.expected_date else ""),
                                        _item(l.received, True), _item(l.outstanding, True)])

    def _failed(self, exc: Exception) -> None:
        self._say(_("Not done: {error}", error=str(exc) or type(exc).__name__), error=True)

    def _still_busy(self, kind: str) -> bool:
        if self.jobs.busy(kind):
            self._say(_("Still working on the last one: a moment"), error=True)
            return True
        return False

    # --- actions -----------------------------------------------------------------------
    def import_file(self, path: str | None = None) -> None:
        """Import a PO file, all or nothing, on a thread; every bad row is listed."""
        if self._still_busy("import"):
            return
        path = path or self.choose_file(self, _("Import purchase orders"))
        if not path:
            return
        user, sessions = self.who(), self.sessions
        refused = refusal(sessions, "import.po", user, target=Path(path).name, station=self.station)
        if refused:
            self._say(refused, error=True)
            return
        self.rejected.clear()
        self._say(_("Reading {file}…", file=Path(path).name))
        self.jobs.run("import", lambda _progress: import_po(sessions, path, user=user), self._imported, self._failed)

    def _imported(self, report) -> None:
        if report.ok:
            self._say(_("{created} purchase orders added, {updated} replaced", created=report.created,
                        updated=report.updated))
            self.refresh()
            return
        self._say(_("Rejected: nothing was imported. Fix these rows and import the file again:"), error=True)
        for err in report.rejected:
            self.rejected.addItem(_("line {line}: {reason}", line=err.line, reason=err.reason))

    def new_po(self) -> None:
        """Type a PO in: checked like a PO file, all or nothing, every bad line listed (saved on a thread)."""
        if self._still_busy("import"):
            return
        answer = self.ask_new_po()
        if answer is None:
            return
        po_no, supplier, text = answer
        user, sessions = self.who(), self.sessions
        refused = refusal(sessions, "import.po", user, target=po_no.strip(), station=self.station)
        if refused:
            self._say(refused, error=True)
            return
        self.rejected.clear()
        self.jobs.run("import", lambda _progress: enter_po(sessions, po_no, supplier, text, user=user),
                      lambda report: self._entered(report, po_no.strip()), self._failed)

    def _entered(self, report, po_no: str) -> None:
        if report.ok:
            self._say(_("PO {po} saved", po=po_no))
            self.refresh()
            return
        self._say(_("Not saved: fix these lines and save again:"), error=True)
        for err in report.rejected:
            self.rejected.addItem(_("line {line}: {reason}", line=err.line, reason=err.reason))

    def _ask_new_po(self):
        dialog = NewPoDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.po_no.text(), dialog.supplier.text(), dialog.lines.toPlainText()

    def save_requisition(self) -> None:
        """The purchase requisition (进货单) as PDF and CSV, where the person chooses (drawn on a thread)."""
        from station.inbound.reorder import write_requisition

        if self._still_busy("save"):
            return
        path = self.choose_save(_("Save the purchase requisition"), "requisition.pdf")
        if not path:
            return
        user, sessions = self.who() or "", self.sessions
        self.jobs.run("save", lambda _progress: write_requisition(sessions, path, user=user),
                      lambda result: self._requisition_saved(path, *result), self._failed)

    def _requisition_saved(self, path: str, lines: int, csv_path) -> None:
        if not lines:
            self._say(_("Nothing is at or below its reorder point"))
            return
        self._say(_("Requisition of {n} items saved: {pdf} and {csv}", n=lines, pdf=path, csv=csv_path))

    def save_summary(self) -> None:
        """The month's in/out/stock summary (进销存) as PDF and CSV (drawn on a thread)."""
        from station.inbound.monthly import write_summary

        if self._still_busy("save"):
            return
        month = self.ask_month()
        if not month:
            return
        path = self.choose_save(_("Save the monthly summary"), f"summary-{month}.pdf")
        if not path:
            return
        user, sessions = self.who() or "", self.sessions

        def work(_progress):
            try:
                return write_summary(sessions, month, path, user=user)
            except ValueError as exc:  # not a month
                return exc

        self.jobs.run("save", work, lambda result: self._summary_saved(month, path, result), self._failed)

    def _summary_saved(self, month: str, path: str, result) -> None:
        if isinstance(result, ValueError):
            self._say(str(result), error=True)
            return
        summary, csv_path = result
        self._say(_("Summary of {month} ({n} SKUs) saved: {pdf} and {csv}", month=month, n=len(summary.rows),
                    pdf=path, csv=csv_path))

    def _choose_save(self, title: str, name: str) -> str | None:
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getSaveFileName(self, title, name, "PDF (*.pdf)")
        return path or None

    def _ask_month(self) -> str | None:
        from datetime import datetime

        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(self, _("Monthly summary"), _("Month (YYYY-MM)"),
                                        text=datetime.now().strftime("%Y-%m"))
        return text.strip() if ok and text.strip() else None

    def blind_receipt(self) -> str | None:
        answer = self.ask_blind()
        if answer is None:
            return None
        supplier, reason = answer
        refused = refusal(self.sessions, "receive.blind", self.who(), target=supplier, station=self.station)
        if refused:
            self._say(refused, error=True)
            return None
        try:
            number = open_blind(self.sessions, supplier, reason, user=self.who(), station=self.station)
        except InboundError as exc:
            self._say(str(exc), error=True)
            return None
        self._say(_("Blind receipt {receipt} opened: scan {receipt} at the receive bench", receipt=number))
        return number

    def _ask_blind(self):
        dialog = BlindReceiptDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.supplier.text(), dialog.reason.text()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.jobs.wait()  # no thread outlives the window; an import under way finishes whole
        super().closeEvent(event)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {RED};" if error else "")

    def retranslate(self) -> None:
        self.setWindowTitle(_("Purchase orders"))
        self.title.setText(_("Purchase orders"))
        self.menu.setTitle(_("&Purchase orders"))
        self.new_action.setText(_("&New PO…"))
        self.import_action.setText(_("&Import PO file…"))
        self.blind_action.setText(_("&Blind receipt…"))
        self.requisition_action.setText(_("&Requisition (进货单)…"))
        self.summary_action.setText(_("&Monthly summary (进销存)…"))
        self.refresh_action.setText(_("Re&load"))  # R is the requisition's
        self.close_action.setText(_("&Close"))
        self.po_model.setHorizontalHeaderLabels([_(h) for h in PO_HEADERS])
        self.lines_model.setHorizontalHeaderLabels([_(h) for h in LINE_HEADERS])
