"""Import a shop's order export (Ctrl+I in the orders window), with progress, all or nothing.

Enter with no file chosen opens the file dialog (Alt+B too); the format is guessed from the
file's name and can be changed (Alt+O); Enter imports. The import runs in a worker thread
and the bar follows the rows read. A file with bad rows imports nothing: the dialog says so
and lists every bad row with its file and line number, as ``station import orders`` does.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QProgressBar, QPushButton, QVBoxLayout, QWidget)

from station.files.report import ImportReport
from station.fulfilment.orders import import_orders
from station.i18n import N_, _
from station.ui.office.common import RED, ChooseFile, WhoIsLoggedIn, choose_order_file, refusal
from station.ui.office.worker import ServiceThread
from station.ui.widgets.fit import fit_to_screen

FORMATS = (("generic", N_("Station's generic CSV or XLSX")), ("shopify", N_("Shopify order export")),
           ("taobao", N_("Taobao / Tmall order report")), ("jd", N_("JD order export")),
           ("pdd", N_("Pinduoduo order export")), ("douyin", N_("Douyin shop order export")),
           ("woocommerce", N_("WooCommerce order CSV")), ("amazon", N_("Amazon Unshipped Orders report")))


def guess_format(path: str) -> str:
    """The shops' own export names: ExportOrderList….csv (Taobao), orders_export….csv (Shopify)."""
    name = Path(path).name.lower()
    if name.startswith("exportorderlist"):
        return "taobao"
    if name.startswith("orders_export"):
        return "shopify"
    if "unshipped" in name:
        return "amazon"
    return "generic"


def rejected_lines(report: ImportReport) -> list[str]:
    """Every bad row as the CLI prints it: ``file line 3: reason``."""
    out = []
    for err in report.rejected:
        line = _("line {line}: {reason}", line=err.line, reason=err.reason)
        where = getattr(err, "file", None)
        out.append(f"{where} {line}" if where else line)
    return out


class ImportDialog(QDialog):
    imported = Signal(object)  # the ImportReport of a file that went in

    def __init__(self, sessions, *, who: WhoIsLoggedIn, choose_file: ChooseFile | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.sessions = sessions
        self.who = who
        self.choose_file = choose_file or choose_order_file
        self.thread: ServiceThread | None = None
        self.report: ImportReport | None = None
        self.last_progress: tuple[int, int] | None = None
        self._hint = True  # the resting text, until the first import starts

        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("importPath")
        self.path_edit.textChanged.connect(self._path_changed)
        self.browse_button = QPushButton()
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self.browse)
        self.format_box = QComboBox()
        self.format_box.setObjectName("importFormat")
        for code, _text in FORMATS:
            self.format_box.addItem("", code)
        self.file_label, self.format_label = QLabel(), QLabel()
        self.file_label.setBuddy(self.path_edit)
        self.format_label.setBuddy(self.format_box)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.file_label, file_row)
        form.addRow(self.format_label, self.format_box)

        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.rejected = QListWidget()
        self.rejected.setObjectName("rejectedRows")
        self.rejected.hide()

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        self.close_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.map_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.map_button.setObjectName("mapListings")
        self.map_button.setAutoDefault(False)
        self.map_button.hide()  # shown when an import was refused for unmapped listings
        self.import_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.reject)
        self.map_button.clicked.connect(self.map_listings)
        self.map_dialog = None

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.rejected, 1)
        layout.addStretch(1)  # takes the room while there is no list of bad rows
        layout.addWidget(self.buttons)
        self._layout = layout
        self.retranslate()
        fit_to_screen(self, 720, 420)  # fits 1280x720 and up

    # --- choosing -----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.thread is not None

    @property
    def format(self) -> str:
        return self.format_box.currentData()

    def set_format(self, code: str) -> None:
        self.format_box.setCurrentIndex([c for c, _t in FORMATS].index(code))

    def browse(self) -> None:
        path = self.choose_file(self, _("Choose an order export"))
        if path:
            self.path_edit.setText(path)
        self.path_edit.setFocus()

    def _path_changed(self, text: str) -> None:
        if text.strip():
            self.set_format(guess_format(text.strip()))

    # --- importing ----------------------------------------------------------------------
    def start(self) -> None:
        """Import the chosen file in a worker thread; with no file yet, ask for one first."""
        if self.running:
            return
        path = self.path_edit.text().strip()
        if not path:
            self.browse()
            return
        fmt, user, sessions = self.format, self.who(), self.sessions
        refused = refusal(sessions, "import.orders", user, target=Path(path).name)
        if refused:
            self._say(refused, error=True)
            return
        self.report, self.last_progress, self._hint = None, None, False
        self.map_button.hide()
        self.rejected.clear()
        self._show_rejected(False)
        self._say(_("Reading {file}…", file=Path(path).name))
        self.progress.setRange(0, 0)  # busy until the first rows are counted
        self._set_running(True)
        self.thread = ServiceThread(lambda progress: import_orders(sessions, path, fmt, user=user,
                                                                   progress=progress), self)
        self.thread.progressed.connect(self._progressed)
        self.thread.succeeded.connect(self._succeeded)
        self.thread.failed.connect(self._failed)
        self.thread.finished.connect(self._finished)
        self.thread.start()

    def _progressed(self, done: int, total: int) -> None:
        self.last_progress = (done, total)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if done >= total:
            self._say(_("Checking and saving {n} rows…", n=total))
        else:
            self._say(_("Reading rows: {done} of {total}", done=done, total=total))

    def _succeeded(self, report: ImportReport) -> None:
        self.report = report
        if report.ok:
            self.progress.setRange(0, max(report.rows, 1))
            self.progress.setValue(max(report.rows, 1))
            self._say(_("Imported {orders} orders from {rows} rows of {file}: {created} new, {updated} updated, "
                        "{unchanged} unchanged; {on_hold} on hold, {cancelled} cancelled.",
                        orders=report.orders, rows=report.rows, file=Path(report.file).name,
                        created=report.created, updated=report.updated, unchanged=report.unchanged,
                        on_hold=report.on_hold, cancelled=report.cancelled))
            self.imported.emit(report)
        else:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self._say(_("Rejected: nothing was imported. Fix these rows and import the file again:"), error=True)
            self.rejected.addItems(rejected_lines(report))
            self._show_rejected(True)
            self.rejected.setCurrentRow(0)
            self.map_button.setVisible(bool(report.unmapped))

    def map_listings(self) -> None:
        """The refused import's unmapped listings, to map by scanning their products (Alt+M)."""
        from station.ui.office.listing_map_dialog import ListingMapDialog

        if not (self.report and self.report.unmapped):
            return
        self.map_dialog = ListingMapDialog(self.sessions, self.report.unmapped, who=self.who, parent=self)
        self.map_dialog.accepted.connect(self.map_button.hide)
        self.map_dialog.finished.connect(self._mapping_closed)
        self.map_dialog.open()

    def _mapping_closed(self) -> None:
        self.import_button.setDefault(True)  # clicking "Map listings" took Enter away from Import
        self.path_edit.setFocus()

    def _failed(self, exc: Exception) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self._say(_("The import stopped: {error}. Nothing was imported.", error=str(exc) or type(exc).__name__),
                  error=True)

    def _finished(self) -> None:
        self.thread.deleteLater()
        self.thread = None
        self._set_running(False)
        (self.rejected if self.rejected.isVisible() else self.path_edit).setFocus()

    def _show_rejected(self, shown: bool) -> None:
        self.rejected.setVisible(shown)
        self._layout.setStretch(self._layout.count() - 2, 0 if shown else 1)

    def _set_running(self, running: bool) -> None:
        for widget in (self.path_edit, self.browse_button, self.format_box, self.import_button, self.close_button):
            widget.setEnabled(not running)

    def _say(self, text: str, error: bool = False) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {RED}; font-weight: bold;" if error else "")

    # --- closing ------------------------------------------------------------------------
    def reject(self) -> None:
        if not self.running:  # the import finishes (or fails) whole: it is not stopped half-way
            super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.running:
            event.ignore()
        else:
            super().closeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Import orders"))
        self.file_label.setText(_("&File:"))
        self.format_label.setText(_("F&ormat:"))
        self.browse_button.setText(_("&Browse…"))
        for i, (_code, text) in enumerate(FORMATS):
            self.format_box.setItemText(i, _(text))
        self.import_button.setText(_("&Import"))
        self.close_button.setText(_("Close"))
        self.map_button.setText(_("&Map listings…"))
        if self._hint:
            self._say(_("Choose a file (Alt+B), check its format, then press Enter."))
