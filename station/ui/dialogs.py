"""The dialog seam: screens ask this service to confirm or inform, so tests replace it.

Never call QMessageBox from a screen; take a `DialogService` and ask it.
"""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


class DialogService:
    """Modal questions and notices, in the current language (the caller translates)."""

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)
