"""The count bench screen: the count and bin being counted, and what the counter has counted in it.

Blind: the screen shows only the counter's own numbers (the bench's state), never a book
quantity. An error (``state.error``: the screen reads the outcome's state typed, ``CountState``) stays in the banner, red, until CONFIRM is scanned.
After APPROVE the screen asks for a supervisor's badge.
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QTableWidget, QTableWidgetItem

from station.i18n import N_, _
from station.ui.benches.base import BenchScreen, sized_label as _label
from station.workflows import Outcome
from station.workflows.count import CountState
from station.workflows.messages import HeldError

BIN_PT = 28
ROW_PT = 18
MAX_KEYED_DIGITS = 5


class CountScreen(BenchScreen):
    next_step = N_("Scan a count sheet or a bin")

    def build_body(self) -> None:
        self.state = CountState.from_dict(self.runner.bench.snapshot())
        self._error_details: tuple[str, ...] = ()
        self.count_label = _label(ROW_PT, bold=True, name="countNumber")
        self.bin_label = _label(BIN_PT, bold=True, name="countBin")
        self.units_label = _label(ROW_PT, bold=True, name="countUnits")
        self.keyed_label = _label(BIN_PT, bold=True, name="countKeyed")
        self.keyed = ""  # digits a person types for the quantity of the last item; Enter sends them
        header = QHBoxLayout()
        header.setSpacing(24)
        header.addWidget(self.bin_label)
        header.addStretch(1)
        header.addWidget(self.keyed_label)
        header.addWidget(self.units_label)
        header.addWidget(self.count_label)
        self.items_table = QTableWidget(0, 3)  # SKU, name, counted
        self.items_table.setObjectName("countItems")
        self.items_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.items_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.items_table.verticalHeader().setVisible(False)
        self.items_table.setWordWrap(False)  # a SKU never wraps mid-code
        self.items_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.items_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        font = QFont(self.items_table.font())
        font.setPointSize(ROW_PT)
        self.items_table.setFont(font)
        self.body.addLayout(header)
        self.body.addWidget(self.items_table, 1)

    # --- a quantity typed on the keyboard ---------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Digits then Enter: the quantity of the last item, through the same path as a scan
        (``station replay`` takes the same digits as a line). Backspace and Escape correct it."""
        text, key = event.text(), event.key()
        if text.isdigit() and text.isascii() and len(self.keyed) < MAX_KEYED_DIGITS:
            self._set_keyed(self.keyed + text)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.keyed:
            raw = self.keyed
            self._set_keyed("")
            self.submit_scan(raw)
        elif key == Qt.Key.Key_Backspace and self.keyed:
            self._set_keyed(self.keyed[:-1])
        elif key == Qt.Key.Key_Escape and self.keyed:
            self._set_keyed("")
        else:
            super().keyPressEvent(event)

    def _set_keyed(self, digits: str) -> None:
        self.keyed = digits
        self.keyed_label.setText(_("Quantity: {qty}", qty=digits) if digits else "")

    # --- an outcome -----------------------------------------------------------------
    def show_outcome(self, outcome: Outcome, raw: str | None = None) -> None:
        # The outcome's state is the saved form (plain data from the scan to the screen): read it typed.
        self.state = CountState.from_dict(outcome.state if outcome.state else self.runner.bench.snapshot())
        items = set(self.counted_lines())
        super().show_outcome(replace(outcome, details=tuple(d for d in outcome.details if d not in items)), raw)

    def outcome_shown_hook(self, outcome: Outcome, raw: str | None) -> None:
        error = self.error
        if error is not None:
            if outcome.code == error.code:
                self._error_details = outcome.details
            self._show_error(() if outcome.code in (error.code, "acknowledge_first") else (outcome.message,))
        else:
            self._error_details = ()
        self._render()

    @property
    def error(self) -> HeldError | None:
        error = self.state.error
        return error if error and self.runner.user is not None else None

    def _show_error(self, extra: tuple[str, ...] = ()) -> None:
        error = self.error
        self.banner.show_outcome(Outcome.error(error.code, error.message, *extra, *self._error_details),
                                 action=_("Scan CONFIRM to continue"))

    def counted_lines(self) -> list[str]:
        return [f"{sku}  {qty}" for sku, qty in sorted(self.state.items)]

    def _render(self) -> None:
        count, code = self.state.count, self.state.bin
        items = sorted(self.state.items)
        self.count_label.setText(_("Count {count}", count=count) if count else _("No count open"))
        self.bin_label.setText(_("Bin {bin}", bin=code) if code else _("No bin open"))
        self.units_label.setText(_("{units} units counted", units=sum(q for _s, q in items)) if code else "")
        names = dict(self.state.names)
        self.items_table.setHorizontalHeaderLabels([_("SKU"), _("Name"), _("Counted")])
        self.items_table.setRowCount(len(items))
        for row, (sku, qty) in enumerate(items):
            self.items_table.setItem(row, 0, QTableWidgetItem(sku))
            self.items_table.setItem(row, 1, QTableWidgetItem(names.get(sku, "")))
            number = QTableWidgetItem(str(qty))
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.items_table.setItem(row, 2, number)

    # --- texts --------------------------------------------------------------------------
    def next_step_text(self) -> str:
        if self.runner.user is None:
            return _("Scan your badge")
        if self.error is not None:
            return _("Scan CONFIRM to continue")
        if self.state.awaiting == "approve":
            return _("Supervisor: scan your badge to approve")
        if self.state.bin:
            return _("Scan the next item, the next bin, or DONE")
        return _(self.next_step)

    def show_next_step(self) -> None:
        if self.error is not None:
            self._show_error()
            self._update_next_label()
            return
        if self.runner.user is None:
            super().show_next_step()
            return
        self.banner.show_prompt(self.next_step_text(), _("Logged in: {name}", name=self.runner.user))
        self._update_next_label()

    def retranslate(self) -> None:
        self._render()
        super().retranslate()
