"""The lines of a receipt as the receiving clerk sees them: expected, received, outstanding.

The model reads the receive bench's state (``lines`` while a receipt is open, ``last_lines``
once it is closed, with the quarantined units of the quality check) and nothing else. A line
received in full turns green, one over its PO quantity amber, one not on the PO red.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from station.i18n import N_, _

ROW_PT = 16
SKU, NAME, EXPECTED, RECEIVED, OUTSTANDING, QUARANTINED = range(6)
HEADERS = (N_("SKU"), N_("Name"), N_("Expected"), N_("Received"), N_("Outstanding"), N_("Quarantine"))
COMPLETE = "#c8e6c9"
OVER = "#ffe0b2"
NOT_ON_PO = "#ffcdd2"


class ReceiptLinesModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.closed = False

    def set_state(self, state: dict[str, Any]) -> None:
        self.beginResetModel()
        self.closed = not state.get("receipt")
        self.rows = [dict(r) for r in (state.get("lines") if state.get("receipt") else state.get("last_lines")) or []]
        self.endResetModel()

    def update_line(self, sku: str, **values) -> None:
        for n, row in enumerate(self.rows):
            if row["sku"] == sku:
                row.update(values)
                self.dataChanged.emit(self.index(n, 0), self.index(n, len(HEADERS) - 1))

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return _(HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        expected, received = int(row.get("expected", 0)), int(row.get("received", 0))
        if role == Qt.ItemDataRole.DisplayRole:
            return (row["sku"], row.get("name", ""), str(expected), str(received),
                    str(max(expected - received, 0)), str(row.get("quarantined", 0)))[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= EXPECTED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.get("on_po") is False or (expected == 0 and received):
                return QBrush(QColor(NOT_ON_PO))
            if received > expected:
                return QBrush(QColor(OVER))
            if received and received == expected:
                return QBrush(QColor(COMPLETE))
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setPointSize(ROW_PT)
            return font
        return None


class ReceiptLinesTable(QTableView):
    def __init__(self, model: ReceiptLinesModel) -> None:
        super().__init__()
        self.setModel(model)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
