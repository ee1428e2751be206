"""The orders table: one row per order, with why it is held in words and what the buyer wrote.

Rows are `OrderSummary` values from `station.fulfilment.orders.list_orders`; the model keeps
them as they come (oldest payment first) and never asks the database anything.
"""
from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from station.fulfilment.orders import OrderSummary, hold_text
from station.i18n import N_, _
from station.ui.office.common import AMBER_TEXT, GREY_TEXT, TABLE_PT, font, local_time, one_line, status_text

ORDER, STATUS, RECIPIENT, COURIER, ITEMS, PAID, REASONS, DETAILS = range(8)
HEADERS = (N_("Order no."), N_("Status"), N_("Recipient"), N_("Courier"), N_("Items"), N_("Paid"),
           N_("Why held"), N_("Details"))
SEPARATOR = " · "  # between holds; the lines of one note are joined by " / "


def reasons_text(order: OrderSummary) -> str:
    return SEPARATOR.join(hold_text(code) for code, _detail in order.holds)


def details_text(order: OrderSummary) -> str:
    return SEPARATOR.join(one_line(detail) for _code, detail in order.holds if detail and detail.strip())


def holds_in_full(order: OrderSummary) -> str:
    """Every reason with its detail on lines of its own: what a person reads before releasing."""
    parts = []
    for code, detail in order.holds:
        parts.append(hold_text(code))
        parts += [f"    {line}" for line in (detail or "").splitlines() if line.strip()]
    return "\n".join(parts)


class OrdersModel(QAbstractTableModel):
    """Read-only rows; `set_orders` replaces them all."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._orders: list[OrderSummary] = []

    def set_orders(self, orders: Sequence[OrderSummary]) -> None:
        self.beginResetModel()
        self._orders = list(orders)
        self.endResetModel()

    @property
    def orders(self) -> list[OrderSummary]:
        return list(self._orders)

    def order_at(self, row: int) -> OrderSummary | None:
        return self._orders[row] if 0 <= row < len(self._orders) else None

    def row_of(self, order_no: str) -> int:
        return next((i for i, o in enumerate(self._orders) if o.order_no == order_no), -1)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self._orders:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._orders) - 1, len(HEADERS) - 1))

    # --- QAbstractTableModel -------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._orders)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return _(HEADERS[section])
            if role == Qt.ItemDataRole.FontRole:
                return font(TABLE_PT, bold=True)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._orders)):
            return None
        order, column = self._orders[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(order, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (REASONS, DETAILS) and order.holds:
            return holds_in_full(order)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == ITEMS:
                return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ForegroundRole:
            if order.status == "on_hold" and column in (STATUS, REASONS):
                return QBrush(QColor(AMBER_TEXT))
            if order.status == "cancelled":
                return QBrush(QColor(GREY_TEXT))
        if role == Qt.ItemDataRole.FontRole:
            return font(TABLE_PT, bold=column == ORDER)
        return None

    @staticmethod
    def _text(order: OrderSummary, column: int) -> str:
        if column == ORDER:
            return order.order_no
        if column == STATUS:
            return status_text(order.status)
        if column == RECIPIENT:
            return order.recipient
        if column == COURIER:
            return order.courier or ""
        if column == ITEMS:
            return str(order.items)
        if column == PAID:
            return local_time(order.paid_at)
        if column == REASONS:
            return reasons_text(order)
        if column == DETAILS:
            return details_text(order)
        return ""
