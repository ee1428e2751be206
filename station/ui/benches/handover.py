"""The handover bench screen: the courier's open list, what is still to come, every courier, the last scans.

Top to bottom: the banner; the list being filled (courier, number, parcels on it, big); three
tables side by side: the parcels on the list (newest first), the courier's parcels packed and on
no list yet (the oldest first: the ones to go and find before the van leaves), and every courier
with an open list or parcels waiting; then the last scans, a refusal in red. An error stays in the
banner, red, with "Scan CONFIRM to continue", whatever is scanned meanwhile.

The screen draws the bench's state (``HandoverState``, refreshed by the bench after every scan)
and asks the database nothing.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QHBoxLayout, QHeaderView, QTableWidget,
                               QTableWidgetItem)

from station.i18n import N_, _, render
from station.ui.benches.base import BenchScreen, sized_label as _label
from station.ui.widgets.fit import is_compact
from station.workflows import Outcome
from station.workflows.handover import HandoverState
from station.workflows.messages import WaitingError

LIST_PT = 26
CAPTION_PT = 15
ROW_PT = 16
COMPACT_ROW_PT = 13
COMPACT_LIST_PT = 20
MIN_TABLE_PX = 56
LEVEL_MARKS = {"ok": "✓", "warn": "!", "error": "✗"}
LEVEL_COLOURS = {"error": QColor("#b71c1c"), "warn": QColor("#8a5a00")}


def _table(columns: int, name: str, row_pt: int, stretch: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setObjectName(name)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scanner's keys never go to a table
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)  # a tracking number never wraps mid-code
    table.setMinimumHeight(MIN_TABLE_PX)  # a small screen shows fewer rows, and the status bar stays on it
    header = table.horizontalHeader()
    for column in range(columns):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    font = QFont(table.font())
    font.setPointSize(row_pt)
    table.setFont(font)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]], colours: list[QColor | None] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if colours and colours[r] is not None:
                item.setForeground(QBrush(colours[r]))
            table.setItem(r, c, item)


class HandoverScreen(BenchScreen):
    next_step = N_("Scan the waybill on a parcel")

    def build_body(self) -> None:
        self.state = HandoverState.from_dict(self.runner.bench.snapshot())
        compact = is_compact(self)
        row_pt, list_pt = (COMPACT_ROW_PT, COMPACT_LIST_PT) if compact else (ROW_PT, LIST_PT)
        self.list_label = _label(list_pt, bold=True, name="handoverList")
        self.count_label = _label(list_pt, bold=True, name="handoverCount")
        header = QHBoxLayout()
        header.addWidget(self.list_label)
        header.addStretch(1)
        header.addWidget(self.count_label)
        self.on_caption = _label(CAPTION_PT, bold=True, name="handoverOnCaption")
        self.waiting_caption = _label(CAPTION_PT, bold=True, name="handoverWaitingCaption")
        self.couriers_caption = _label(CAPTION_PT, bold=True, name="handoverCouriersCaption")
        self.recent_caption = _label(CAPTION_PT, bold=True, name="handoverRecentCaption")
        self.on_table = _table(2, "handoverOnList", row_pt, 1)
        self.waiting_table = _table(2, "handoverWaiting", row_pt, 1)
        self.couriers_table = _table(4, "handoverCouriers", row_pt, 1)
        self.recent_table = _table(2, "handoverRecent", row_pt, 1)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.addWidget(self.on_caption, 0, 0)
        grid.addWidget(self.waiting_caption, 0, 1)
        grid.addWidget(self.couriers_caption, 0, 2)
        grid.addWidget(self.on_table, 1, 0)
        grid.addWidget(self.waiting_table, 1, 1)
        grid.addWidget(self.couriers_table, 1, 2)
        for column, stretch in enumerate((3, 3, 4)):
            grid.setColumnStretch(column, stretch)
        grid.setRowStretch(1, 3)
        self.body.addLayout(header)
        self.body.addLayout(grid, 3)
        self.body.addWidget(self.recent_caption)
        self.body.addWidget(self.recent_table, 2)

    # --- an outcome -----------------------------------------------------------------
    def show_outcome(self, outcome: Outcome, raw: str | None = None) -> None:
        # The outcome's state is the saved form (plain data from the scan to the screen): read it typed.
        # An outcome the runner made without the bench (no database) has none: keep what the bench holds.
        self.state = HandoverState.from_dict(outcome.state if outcome.state else self.runner.bench.snapshot())
        super().show_outcome(outcome, raw)

    def outcome_shown_hook(self, outcome: Outcome, raw: str | None) -> None:
        error = self.error
        if error is not None:  # the error stays in front, whatever came since
            extra = () if outcome.code in (error.code, "acknowledge_first") else (outcome.message,)
            self.banner.show_outcome(Outcome.error(error.code, error.message, *extra),
                                     action=_("Scan CONFIRM to continue"))
        self._render()

    @property
    def error(self) -> WaitingError | None:
        error = self.state.error
        return error if error and self.runner.user is not None else None

    def show_next_step(self) -> None:
        if self.error is not None:
            self.banner.show_outcome(Outcome.error(self.error.code, self.error.message),
                                     action=_("Scan CONFIRM to continue"))
            self._update_next_label()
            return
        super().show_next_step()

    def next_step_text(self) -> str:
        if self.runner.user is None:
            return _("Scan your badge")
        if self.error is not None:
            return _("Scan CONFIRM to continue")
        if self.state.handover:
            return _("Scan the next parcel, or DONE to close the list")
        return _(self.next_step)

    # --- the board ------------------------------------------------------------------------
    def _render(self) -> None:
        state, board = self.state, self.state.board
        if state.handover:
            self.list_label.setText(_("{courier} list {number}", courier=state.courier, number=state.handover))
            self.count_label.setText(_("{count} parcels on the list", count=state.count or 0))
        else:
            self.list_label.setText(_("No list open: scan a parcel to open its courier's list"))
            self.count_label.setText(_("Last closed: {number}", number=state.closed) if state.closed else "")
        self.on_caption.setText(_("On the list (newest first)"))
        self.waiting_caption.setText(_("Packed, on no list: {count}", count=board.waiting) if state.handover
                                     else _("Packed, on no list"))
        self.couriers_caption.setText(_("Every courier"))
        self.recent_caption.setText(_("Last scans"))
        _fill(self.on_table, [(p.tracking_no, p.order_no) for p in board.on_list])
        _fill(self.waiting_table, [(p.tracking_no, p.order_no) for p in board.waiting_first])
        _fill(self.couriers_table, [(c.courier, c.handover_no or "—", str(c.on_list), str(c.waiting))
                                    for c in board.couriers])
        _fill(self.recent_table, [(f"{LEVEL_MARKS.get(r.level, '')} {r.scan}", render(r.message)) for r in state.recent],
              [LEVEL_COLOURS.get(r.level) for r in state.recent])
        self.on_table.setHorizontalHeaderLabels([_("Waybill"), _("Order")])
        self.waiting_table.setHorizontalHeaderLabels([_("Waybill"), _("Order")])
        self.couriers_table.setHorizontalHeaderLabels([_("Courier"), _("Open list"), _("On it"), _("Waiting")])
        self.recent_table.setHorizontalHeaderLabels([_("Scan"), _("What happened")])

    def retranslate(self) -> None:
        self._render()
        super().retranslate()
