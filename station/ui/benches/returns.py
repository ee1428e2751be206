"""The returns bench screen: the parcel and its order, the customer's note, the candidates, the items.

Below the banner and the receipt and order, two columns (so the bench fits a 1280x720 screen).
On the left the note form, built for typing Chinese with an input method (account ID, name, phone, order number, reason, free text; Enter in any
field sends the note, Alt+letter jumps to a field, nothing needs the mouse), then the items with
the policy's decision, who pays the postage and where each went, and an exchange. On the right
the candidate orders with their evidence (Enter on one confirms it, as scanning its order
number does) and the packing scan trail of an order for a buyer who says an item was missing.

Everything goes through ``BenchScreen.submit_scan`` (the main window's scan worker): the note is sent as the line
``NOTE:{json}`` and the trail as ``TRAIL:KEY``, exactly what ``station replay returns`` takes.
An error stays red until CONFIRM is scanned.
"""
from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QGridLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QTableWidget, QTableWidgetItem,
                               QVBoxLayout)

from station.i18n import N_, _
from station.returns.policy import REASON_TEXT, REASONS
from station.ui.benches.base import BenchScreen
from station.workflows import Outcome
from station.ui.widgets.code_field import code_field
from station.workflows.messages import HeldError
from station.workflows.returns import PAYER, ReturnsState
from station.returns.words import describe_stored

HEADER_PT = 22
MIN_LIST_HEIGHT = 56  # pixels: two rows of a list or table, the rest scrolls
NOTE_FIELDS = ("account", "name", "phone", "order_no", "reason", "text")
CODE_FIELDS = ("phone", "order_no")  # no input method: a scan or digits typed arrive as they are
FIELD_LABELS = {"account": N_("&Account ID (旺旺号)"), "name": N_("&Name"), "phone": N_("&Phone"),
                "order_no": N_("O&rder number"), "reason": N_("Reason (as &written)"), "text": N_("&Free text")}
PLACE = {"restock": N_("restocked"), "quarantine": N_("quarantined"), "scrap": N_("scrapped")}
ITEM_COLUMNS = (N_("SKU"), N_("Decision"), N_("Postage"), N_("Place"))


def _label(point_size: int, bold: bool = False, name: str = "") -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    font = QFont(label.font())
    font.setPointSize(point_size)
    font.setBold(bold)
    label.setFont(font)
    return label


class CandidateList(QListWidget):
    """The candidates; Enter confirms the selected one."""

    def __init__(self, screen: "ReturnsScreen") -> None:
        super().__init__()
        self.screen = screen
        self.setObjectName("returnCandidates")

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self.screen.confirm_candidate(self.currentRow())
            return
        super().keyPressEvent(event)


class ReturnsScreen(BenchScreen):
    next_step = N_("Scan the tracking number of the return parcel")

    def build_body(self) -> None:
        self.state = ReturnsState.from_dict(self.runner.bench.snapshot())
        self.receipt_label = _label(HEADER_PT, bold=True, name="returnReceipt")
        self.order_label = _label(HEADER_PT, bold=True, name="returnOrder")
        header = QHBoxLayout()
        header.addWidget(self.receipt_label)
        header.addStretch(1)
        header.addWidget(self.order_label)

        self.note_box = QGroupBox()
        # Two label/field pairs a row: the note takes four rows, so the bench fits 1280x720.
        form = QGridLayout(self.note_box)
        form.setVerticalSpacing(4)
        form.setContentsMargins(8, 4, 8, 4)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        self.fields: dict[str, QLineEdit] = {}
        self.field_labels: dict[str, QLabel] = {}
        for i, name in enumerate(NOTE_FIELDS):
            edit = code_field() if name in CODE_FIELDS else QLineEdit()
            edit.setObjectName(f"note_{name}")
            edit.returnPressed.connect(self.submit_note)
            label = QLabel()
            label.setBuddy(edit)
            self.fields[name], self.field_labels[name] = edit, label
            form.addWidget(label, i // 2, 2 * (i % 2))
            form.addWidget(edit, i // 2, 2 * (i % 2) + 1)
        self.reason_code = QComboBox()
        self.reason_code.setObjectName("note_reason_code")
        for code in REASONS:
            self.reason_code.addItem("", code)
        self.reason_label = QLabel()
        self.reason_label.setBuddy(self.reason_code)
        self.cod = QCheckBox()
        self.cod.setObjectName("note_cod")
        last = len(NOTE_FIELDS) // 2
        form.addWidget(self.reason_label, last, 0)
        form.addWidget(self.reason_code, last, 1)
        form.addWidget(self.cod, last, 2, 1, 2)

        self.candidates = CandidateList(self)
        self.candidates_label = QLabel()
        self.candidates_label.setBuddy(self.candidates)

        self.items = QTableWidget(0, len(ITEM_COLUMNS))
        self.items.setObjectName("returnItems")
        self.items.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.items.setWordWrap(False)  # a SKU never wraps mid-code
        self.items.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.items.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.items.verticalHeader().setVisible(False)

        self.trail_key = code_field()
        self.trail_key.setObjectName("trailKey")
        self.trail_key.returnPressed.connect(self.show_trail)
        self.trail_label = QLabel()
        self.trail_label.setBuddy(self.trail_key)
        self.trail = QListWidget()
        self.trail.setObjectName("packingTrail")
        self.exchange_sku = code_field()
        self.exchange_sku.setObjectName("exchangeSku")
        self.exchange_sku.returnPressed.connect(self.exchange)
        self.exchange_label = QLabel()
        self.exchange_label.setBuddy(self.exchange_sku)
        exchange_row = QHBoxLayout()
        exchange_row.addWidget(self.exchange_label)
        exchange_row.addWidget(self.exchange_sku, 1)
        trail_row = QHBoxLayout()
        trail_row.addWidget(self.trail_label)
        trail_row.addWidget(self.trail_key, 1)

        # Two columns, so that the bench fits a 1280x720 screen: on the left the note, the
        # parcel's items and an exchange; on the right the orders the note matched and the
        # packing trail of an order for a buyer who says an item was missing.
        # The lists may shrink to a few rows each (they scroll): with a long red error in the
        # banner the bench still fits 720 pixels with the status bar on screen.
        for scrolled in (self.items, self.candidates, self.trail):
            scrolled.setMinimumHeight(MIN_LIST_HEIGHT)
        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(self.note_box)
        left.addWidget(self.items, 1)
        left.addLayout(exchange_row)
        right = QVBoxLayout()
        right.setSpacing(6)
        right.addWidget(self.candidates_label)
        right.addWidget(self.candidates, 2)
        right.addLayout(trail_row)
        right.addWidget(self.trail, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

        self.body.setSpacing(6)
        self.body.addLayout(header)
        self.body.addLayout(columns, 1)

    # --- what the person does besides scanning ----------------------------------------------
    def note_json(self) -> str:
        note: dict[str, Any] = {k: e.text().strip() for k, e in self.fields.items() if e.text().strip()}
        note["reason_code"] = self.reason_code.currentData()
        if self.cod.isChecked():
            note["cod"] = True
        return json.dumps(note, ensure_ascii=False)

    def submit_note(self) -> Outcome | None:
        """Send the form as the bench's NOTE line; the form is cleared once the bench took it.
        (In the main window the line goes to its scan worker: None now, the rest once it is shown.)"""
        return self.submit_scan("NOTE:" + self.note_json(), then=self._note_taken)

    def _note_taken(self, outcome: Outcome) -> None:
        if outcome.code != "bad_note":
            for edit in self.fields.values():
                edit.clear()
            self.cod.setChecked(False)
            if self.candidates.count():
                self.candidates.setCurrentRow(0)
                self.candidates.setFocus()
            else:
                self.setFocus()

    def confirm_candidate(self, row: int) -> Outcome | None:
        candidates = self.state.candidates
        if not 0 <= row < len(candidates):
            return None
        self.setFocus()
        return self.submit_scan(candidates[row].order_no)

    def exchange(self) -> Outcome | None:
        """The buyer wants this SKU in exchange: sent to the bench as its EXCHANGE line."""
        sku = self.exchange_sku.text().strip()
        if not sku:
            return None
        self.setFocus()
        return self.submit_scan("EXCHANGE:" + sku, then=self._exchange_taken)

    def _exchange_taken(self, outcome: Outcome) -> None:
        if outcome.code == "exchange_noted":
            self.exchange_sku.clear()

    def show_trail(self) -> Outcome | None:
        key = self.trail_key.text().strip()
        if not key:
            return None
        self.setFocus()
        return self.submit_scan("TRAIL:" + key, then=self._trail_shown)

    def _trail_shown(self, outcome: Outcome) -> None:
        self.trail.clear()
        self.trail.addItems(list(outcome.details))

    # --- an outcome ---------------------------------------------------------------------
    def show_outcome(self, outcome: Outcome, raw: str | None = None) -> None:
        # The outcome's state is the saved form (plain data from the scan to the screen): read it typed.
        self.state = ReturnsState.from_dict(outcome.state if outcome.state else self.runner.bench.snapshot())
        super().show_outcome(outcome, raw)

    def outcome_shown_hook(self, outcome: Outcome, raw: str | None) -> None:
        error = self.error
        if error is not None and (outcome.code != error.code or outcome.message != error.message):
            extra = [outcome.message] if outcome.code != "acknowledge_first" else []
            self.banner.show_outcome(Outcome.error(error.code, error.message, *extra),
                                     action=_("Scan CONFIRM to continue"))
        elif error is not None:
            self.banner.show_outcome(outcome, action=_("Scan CONFIRM to continue"))
        self._render()

    @property
    def error(self) -> HeldError | None:
        error = self.state.error
        return error if self.state.receipt and error and self.runner.user is not None else None

    def _render(self) -> None:
        state = self.state
        receipt = state.receipt
        self.receipt_label.setText(_("Return {receipt}", receipt=receipt) + (
            f" · {state.tracking}" if state.tracking else "") if receipt else _("No parcel open"))
        order = state.order
        self.order_label.setText(_("Order {order}", order=order) + f" · {state.buyer or ''}" if order else "")
        self.candidates.clear()
        for c in state.candidates:
            self.candidates.addItem(f"{c.order_no}  {c.score}  {c.confidence:.0%}\n  "
                                    + ", ".join(describe_stored(e) for e in c.evidence))
        self.items.setRowCount(0)
        for item in state.items:
            row = self.items.rowCount()
            self.items.insertRow(row)
            place = f"{_(PLACE[item.disposition])} {item.location}" if item.disposition else "…"
            for col, text in enumerate((item.sku, item.text, _(PAYER[item.postage]), place)):
                cell = QTableWidgetItem(text)
                if col == 1:
                    cell.setForeground(Qt.GlobalColor.darkGreen if item.accepted else Qt.GlobalColor.darkRed)
                self.items.setItem(row, col, cell)
        trail = state.trail
        if trail and not self.trail.count():
            self.trail.addItems(list(trail.lines))

    # --- texts ----------------------------------------------------------------------------
    def next_step_text(self) -> str:
        if self.runner.user is None:
            return _("Scan your badge")
        if self.error is not None:
            return _("Scan CONFIRM to continue")
        if self.state.override:
            return _("Supervisor: scan your badge")
        if self.state.order:
            waiting = [i for i in self.state.items if not i.disposition]
            return _("Scan where it goes: a bin, quarantine or scrap") if waiting else _(
                "Scan the next item, or DONE")
        if self.state.receipt:
            return _("Enter the note or scan the return slip")
        return _(self.next_step)

    def show_next_step(self) -> None:
        if self.error is not None:
            self.banner.show_outcome(Outcome.error(self.error.code, self.error.message),
                                     action=_("Scan CONFIRM to continue"))
            self._update_next_label()
            return
        super().show_next_step()

    def retranslate(self) -> None:
        self.note_box.setTitle(_("The customer's note"))
        for name, label in self.field_labels.items():
            label.setText(_(FIELD_LABELS[name]))
        self.reason_label.setText(_("Reason &code"))
        for i, code in enumerate(REASONS):
            self.reason_code.setItemText(i, _(REASON_TEXT[code]))
        self.cod.setText(_("Freight co&llect (到付)"))
        self.candidates_label.setText(_("Candidate orders (Enter confirms)"))
        self.items.setHorizontalHeaderLabels([_(c) for c in ITEM_COLUMNS])
        self.exchange_label.setText(_("E&xchange for SKU:"))
        self.trail_label.setText(_("&Missing item? Packing scans of order or tracking number:"))
        self._render()
        super().retranslate()
