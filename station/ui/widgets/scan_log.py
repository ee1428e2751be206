"""The last scans at this bench, newest first: time, what was scanned, what it did."""
from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

MAX_ENTRIES = 200
LOG_PT = 13
# Darker than the banner's colours: text on a light list must stay readable (amber especially).
LOG_COLOURS = {"ok": "#1b5e20", "warn": "#8a5a00", "error": "#b71c1c"}


class ScanLog(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanLog")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # scans go to the bench, never into a list
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.setUniformItemSizes(True)
        self.setWordWrap(False)
        font = QFont(self.font())
        font.setPointSize(LOG_PT)
        self.setFont(font)

    def add(self, raw: str, outcome, at: datetime | None = None) -> None:
        at = at or datetime.now()
        shown = raw.replace("\x1d", "<GS>")
        item = QListWidgetItem(f"{at:%H:%M:%S}   {shown}   →   {outcome.message}")
        item.setForeground(QBrush(QColor(LOG_COLOURS.get(str(outcome.level), "#263238"))))
        item.setData(Qt.ItemDataRole.UserRole, outcome.code)
        item.setToolTip(outcome.code)
        self.insertItem(0, item)
        while self.count() > MAX_ENTRIES:
            self.takeItem(self.count() - 1)

    def entries(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]
