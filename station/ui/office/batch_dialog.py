"""Print a batch (Ctrl+B in the orders window): choose ready orders, see how many, print.

Alt+C courier, Alt+H shop, Alt+I one item or several, Alt+L at most how many; the count of
matching ready orders follows every change. Enter prints: waybill numbers are allocated
and the pick list, packing slips and waybills go to the print outbox, in a worker thread
with a progress bar. The batch number and the print jobs show when it is done; a refusal
(nothing matches, no waybill numbers left) shows in red and nothing is printed.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QListWidget,
                               QProgressBar, QSpinBox, QVBoxLayout, QWidget)

from station.fulfilment.batch_printing import ServiceNumbersMissing, print_batch
from station.fulfilment.batches import BatchCriteria, BatchResult
from station.fulfilment.review import batch_choices, count_ready
from station.i18n import N_, _, language
from station.ui.office.common import RED, WhoIsLoggedIn, refusal
from station.ui.office.worker import ServiceThread
from station.ui.widgets.fit import fit_to_screen

ITEMS = ((None, N_("Any number of items")), ("single", N_("One item")), ("multi", N_("Several items")))
MAX_LIMIT = 100_000
DOCUMENT_TEXT = (N_("Pick list"), N_("Packing slips"), N_("Waybills"))  # in the order create_batch prints


class BatchDialog(QDialog):
    printed = Signal(object)  # the BatchResult

    def __init__(self, sessions, *, who: WhoIsLoggedIn, station: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchDialog")
        self.sessions = sessions
        self.who = who
        self.station = station
        self.thread: ServiceThread | None = None
        self.result: BatchResult | None = None
        self.matching = 0
        self._loading = False

        self.courier_box = QComboBox()
        self.courier_box.setObjectName("batchCourier")
        self.shop_box = QComboBox()
        self.shop_box.setObjectName("batchShop")
        self.items_box = QComboBox()
        self.items_box.setObjectName("batchItems")
        for code, _text in ITEMS:
            self.items_box.addItem("", code)
        self.limit_box = QSpinBox()
        self.limit_box.setObjectName("batchLimit")
        self.limit_box.setRange(0, MAX_LIMIT)
        self.limit_box.setSingleStep(50)
        self.labels = [QLabel() for _i in range(4)]
        form = QFormLayout()
        for label, field in zip(self.labels, (self.courier_box, self.shop_box, self.items_box, self.limit_box)):
            label.setBuddy(field)
            form.addRow(label, field)
        for box in (self.courier_box, self.shop_box, self.items_box):
            box.currentIndexChanged.connect(self.update_count)
        self.limit_box.valueChanged.connect(self.update_count)

        self.count_label = QLabel()
        self.count_label.setObjectName("batchCount")
        self.count_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("batchProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.outcome = QLabel()
        self.outcome.setObjectName("batchOutcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextFormat(Qt.TextFormat.PlainText)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.jobs = QListWidget()
        self.jobs.setObjectName("batchJobs")
        self.jobs.hide()

        self.buttons = QDialogButtonBox()
        self.print_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.start)
        self.close_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.count_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.outcome)
        layout.addWidget(self.jobs, 1)
        layout.addStretch(1)  # takes the room while there are no print jobs to list
        layout.addWidget(self.buttons)
        self._layout = layout
        self.retranslate()
        self.reload_choices()
        fit_to_screen(self, 600, 440)  # fits 1280x720 and up

    # --- criteria and the live count ----------------------------------------------------
    def criteria(self) -> BatchCriteria:
        return BatchCriteria(courier=self.courier_box.currentData(), shop=self.shop_box.currentData(),
                             items=self.items_box.currentData(), limit=self.limit_box.value() or None)

    def set_criteria(self, *, courier: str | None = None, shop: str | None = None, items: str | None = None,
                     limit: int = 0) -> None:
        """Choose as a person would with the keyboard (tests use this)."""
        for box, value in ((self.courier_box, courier), (self.shop_box, shop), (self.items_box, items)):
            index = box.findData(value)
            if index < 0:
                raise ValueError(f"{value!r} is not offered")
            box.setCurrentIndex(index)
        self.limit_box.setValue(limit)

    def reload_choices(self) -> None:
        """The couriers and shops that have ready orders, keeping what was chosen if it is still there."""
        choices = batch_choices(self.sessions, chinese=language() == "zh_CN")
        self._loading = True
        try:
            self._fill(self.courier_box, _("Any courier"),
                       [(c.value, f"{c.value} {c.label} ({c.ready})" if c.label != c.value else
                         f"{c.value} ({c.ready})") for c in choices.couriers])
            self._fill(self.shop_box, _("Any shop"), [(c.value, f"{c.label} ({c.ready})") for c in choices.shops])
        finally:
            self._loading = False
        self.update_count()

    @staticmethod
    def _fill(box: QComboBox, any_text: str, items: list[tuple[str, str]]) -> None:
        chosen = box.currentData()
        if chosen is not None and chosen not in {value for value, _text in items}:
            items = [*items, (chosen, f"{chosen} (0)")]  # never widen a choice behind the person's back
        box.clear()
        box.addItem(any_text, None)
        for value, text in items:
            box.addItem(text, value)
        box.setCurrentIndex(max(box.findData(chosen), 0))

    def update_count(self) -> None:
        if self._loading:
            return
        criteria = self.criteria()
        self.matching = count_ready(self.sessions, criteria)
        taken = min(self.matching, criteria.limit) if criteria.limit else self.matching
        if self.matching == 0:
            text = _("No ready orders match")
        elif taken < self.matching:
            text = _("Matching ready orders: {n}; this batch takes the {k} paid first", n=self.matching, k=taken)
        else:
            text = _("Matching ready orders: {n}", n=self.matching)
        self.count_label.setText(text)

    # --- printing -----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.thread is not None

    def start(self) -> None:
        if self.running:
            return
        criteria, user, station, sessions = self.criteria(), self.who(), self.station, self.sessions
        refused = refusal(sessions, "batch", user, station=station)
        if refused:
            self._say(refused, error=True)
            return
        self.result = None
        self.jobs.clear()
        self._show_jobs(False)
        self._say(_("Allocating waybill numbers and printing…"))
        self.progress.setRange(0, 0)
        self._set_running(True)
        # The CLI's path: numbers from the shops' e-waybill services first, then the batch.
        self.thread = ServiceThread(lambda progress: print_batch(sessions, criteria, user=user, station=station,
                                                                 progress=progress), self)
        self.thread.progressed.connect(self._progressed)
        self.thread.succeeded.connect(self._succeeded)
        self.thread.failed.connect(self._failed)
        self.thread.finished.connect(self._finished)
        self.thread.start()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if done >= total:
            self._say(_("Making the pick list, packing slips and waybills…"))
        else:
            self._say(_("Order {done} of {total}", done=done, total=total))

    def _succeeded(self, result: BatchResult) -> None:
        self.result = result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        said = _("Batch {batch_no} printed: {orders} orders, {waybills} waybills", batch_no=result.batch_no,
                 orders=len(result.orders), waybills=result.waybills)
        if result.held:  # a name no font can print: held before anything printed
            said += " " + _("On hold (unprintable characters): {orders}", orders=", ".join(result.held))
        self._say(said)
        self.jobs.addItems([_("{document}: print job {id}", document=_(DOCUMENT_TEXT[min(i, 2)]), id=job)
                            for i, job in enumerate(result.jobs)])
        self._show_jobs(True)
        self.printed.emit(result)

    def _failed(self, exc: Exception) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self._say(_("Nothing was printed: {error}", error=str(exc) or type(exc).__name__), error=True)
        if isinstance(exc, ServiceNumbersMissing):  # which orders, and what their service said
            self.jobs.clear()
            self.jobs.addItems([f"{order_no}: {why}" for order_no, why in exc.failed])
            self._show_jobs(True)

    def _finished(self) -> None:
        self.thread.deleteLater()
        self.thread = None
        self._set_running(False)
        self.reload_choices()  # the batch took orders: the counts change
        self.courier_box.setFocus()

    def _show_jobs(self, shown: bool) -> None:
        self.jobs.setVisible(shown)
        self._layout.setStretch(self._layout.count() - 2, 0 if shown else 1)

    def _set_running(self, running: bool) -> None:
        for widget in (self.courier_box, self.shop_box, self.items_box, self.limit_box, self.print_button,
                       self.close_button):
            widget.setEnabled(not running)

    def _say(self, text: str, error: bool = False) -> None:
        self.outcome.setText(text)
        self.outcome.setStyleSheet(f"color: {RED}; font-weight: bold;" if error else "font-weight: bold;")

    # --- closing ------------------------------------------------------------------------
    def open(self) -> None:
        if not self.running:
            self.reload_choices()
        super().open()

    def reject(self) -> None:
        if not self.running:  # a batch is printed whole or not at all: it is not stopped half-way
            super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.running:
            event.ignore()
        else:
            super().closeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Print a batch"))
        for label, text in zip(self.labels, (_("&Courier:"), _("S&hop:"), _("&Items per order:"),
                                             _("&Limit (orders):"))):
            label.setText(text)
        for i, (_code, text) in enumerate(ITEMS):
            self.items_box.setItemText(i, _(text))
        self.limit_box.setSpecialValueText(_("No limit"))
        self.print_button.setText(_("&Print batch"))
        self.close_button.setText(_("Close"))
        if self.courier_box.count():
            self.courier_box.setItemText(0, _("Any courier"))
            self.shop_box.setItemText(0, _("Any shop"))
            self.update_count()
