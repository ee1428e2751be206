"""The supervisor's two tables: packers hour by hour, and orders not shipped in time.

Rows are the plain values of `station.fulfilment.kpi` (`PackerHour`, `LateOrder`); an order
past the 48-hour promise shows in red.
"""
from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from station.fulfilment.kpi import LateOrder, PackerHour
from station.i18n import N_, _
from station.ui.office.common import LIGHT_RED, RED, TABLE_PT, font, local_time, status_text

_ALIGN_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_ALIGN_TEXT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class _Rows(QAbstractTableModel):
    """Read-only rows of frozen values; subclasses say the headers, texts and colours."""

    HEADERS: tuple[str, ...] = ()
    NUMBERS: frozenset[int] = frozenset()  # right-aligned columns

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list = []

    def set_rows(self, rows: Sequence) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list:
        return list(self._rows)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.HEADERS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.HEADERS) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return _(self.HEADERS[section])
            if role == Qt.ItemDataRole.FontRole:
                return font(TABLE_PT, bold=True)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN_NUMBER if column in self.NUMBERS else _ALIGN_TEXT
        if role == Qt.ItemDataRole.FontRole:
            return font(TABLE_PT, bold=self.alarming(row))
        if self.alarming(row):
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(RED))
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(LIGHT_RED))
        return None

    def text(self, row, column: int) -> str:
        raise NotImplementedError

    def alarming(self, row) -> bool:
        return False


HOUR, PACKER, ORDERS, ITEMS, SCANS, ERRORS, RATE = range(7)


def percent(rate: float) -> str:
    return f"{rate * 100:.1f} %"


class PackerHoursModel(_Rows):
    """One row per packer and hour, oldest hour first."""

    HEADERS = (N_("Hour"), N_("Packer"), N_("Orders packed"), N_("Items packed"), N_("Scans"), N_("Errors"),
               N_("Error rate"))
    NUMBERS = frozenset({ORDERS, ITEMS, SCANS, ERRORS, RATE})

    def text(self, row: PackerHour, column: int) -> str:
        if column == HOUR:
            return row.hour.strftime("%m-%d %H:00")
        if column == PACKER:
            return row.packer
        if column == RATE:
            return percent(row.error_rate)
        return str((row.orders, row.items, row.scans, row.errors)[column - ORDERS])


LATE_ORDER, LATE_STATUS, LATE_PAID, LATE_HOURS, LATE_OVERDUE = range(5)


class LateOrdersModel(_Rows):
    """Orders paid more than 24 hours ago and not shipped, oldest first; past 48 hours in red."""

    HEADERS = (N_("Order no."), N_("Status"), N_("Paid"), N_("Hours since payment"), N_("Past 48 h"))
    NUMBERS = frozenset({LATE_HOURS})

    def text(self, row: LateOrder, column: int) -> str:
        if column == LATE_ORDER:
            return row.order_no
        if column == LATE_STATUS:
            return status_text(row.status)
        if column == LATE_PAID:
            return local_time(row.paid_at)
        if column == LATE_HOURS:
            return f"{row.hours:.1f}"
        return _("Overdue") if row.overdue else ""

    def alarming(self, row: LateOrder) -> bool:
        return row.overdue
