"""Printers per document: where each document prints and how many copies.

One row per document, after the default printer's row. The printer box lists the
printers installed on this PC and the PDF folder; it also takes a typed destination
(``pdf:/folder``, ``qt:<printer>``, ``cups:<queue>``). The settings are station-wide: they
live in the database (`outbox.set_printer`), so every bench prints the same way.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QGridLayout, QLabel, QSpinBox, QVBoxLayout,
                               QWidget)

from station.db import unit_of_work
from station.i18n import _
from station import outbox
from station.outbox import DEFAULT, MAX_COPIES, PrinterError, PrinterSetting
from station.ui.dialogs import DialogService
from station.ui.printing import dispatch
from station.ui.printing.names import document_label

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


class PrinterRow:
    """The printer box and copies box of one document."""

    def __init__(self, setting: PrinterSetting, choices: list[tuple[str, str]]) -> None:
        self.document = setting.document
        self.default_label = (_("PDF folder") if setting.document == DEFAULT else _("Default printer"))
        self.printer = QComboBox()
        self.printer.setObjectName(f"printer_{setting.document}")
        self.printer.setEditable(True)
        self.printer.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.printer.setMinimumContentsLength(28)
        if setting.document != DEFAULT:
            self.printer.addItem(self.default_label, None)
        for label, destination in choices:
            self.printer.addItem(label, destination)
        self.set_destination(setting.destination)
        self.copies = QSpinBox()
        self.copies.setObjectName(f"copies_{setting.document}")
        self.copies.setRange(1, MAX_COPIES)
        self.copies.setValue(setting.copies)
        self.paper = QComboBox()  # the sizes this document has a layout for
        self.paper.setObjectName(f"paper_{setting.document}")
        for size in outbox.PAPER.get(setting.document, ()):
            self.paper.addItem(size.replace("x", " × ") + (" mm" if size[0].isdigit() and size != "4x6" else
                                                          (" in" if size == "4x6" else "")), size)
        self.paper.setEnabled(self.paper.count() > 1)
        if setting.paper:
            self.paper.setCurrentIndex(max(self.paper.findData(setting.paper), 0))

    def set_destination(self, destination: str | None) -> None:
        if destination:
            index = self.printer.findData(destination)
        else:
            index = self.printer.findText(self.default_label, Qt.MatchFlag.MatchExactly)
        if index < 0:  # a printer not installed here, a CUPS queue, another folder: show it as it is
            self.printer.addItem(dispatch.describe(destination), destination)
            index = self.printer.count() - 1
        self.printer.setCurrentIndex(index)

    def destination(self) -> str | None:
        text = self.printer.currentText().strip()
        if not text or text == self.default_label:
            return None
        index = self.printer.findText(text, Qt.MatchFlag.MatchExactly)
        if index >= 0:
            return self.printer.itemData(index)
        return dispatch.parse(text)


class PrinterSettingsDialog(QDialog):
    def __init__(self, sessions: "sessionmaker[Session]", *, dialogs: DialogService | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printerSettings")
        self.sessions = sessions
        self.dialogs = dialogs or DialogService()
        self.setWindowTitle(_("Printers"))
        with unit_of_work(sessions) as session:
            settings = outbox.printer_settings(session)
        choices = dispatch.destinations()
        self.rows: dict[str, PrinterRow] = {}
        grid = QGridLayout()
        grid.addWidget(QLabel(_("Document")), 0, 0)
        grid.addWidget(QLabel(_("Printer")), 0, 1)
        grid.addWidget(QLabel(_("Copies")), 0, 2)
        grid.addWidget(QLabel(_("Paper")), 0, 3)
        for number, setting in enumerate(settings.values(), 1):
            row = PrinterRow(setting, choices)
            label = QLabel(document_label(setting.document))
            label.setBuddy(row.printer)
            grid.addWidget(label, number, 0)
            grid.addWidget(row.printer, number, 1)
            grid.addWidget(row.copies, number, 2)
            grid.addWidget(row.paper, number, 3)
            self.rows[setting.document] = row
        grid.setColumnStretch(1, 1)
        note = QLabel(_("A document set to Default printer prints on the printer of the first row. "
                        "Type pdf:FOLDER, qt:PRINTER or cups:QUEUE for a destination not in the list, "
                        "tspl:QUEUE or zpl:QUEUE for a label printer spoken to in its own language."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(note)
        layout.addWidget(buttons)
        first = next(iter(self.rows.values()), None)
        if first is not None:
            first.printer.setFocus(Qt.FocusReason.OtherFocusReason)

    def values(self) -> dict[str, tuple[str | None, int]]:
        return {document: (row.destination(), row.copies.value()) for document, row in self.rows.items()}

    def papers(self) -> dict[str, str]:
        return {document: row.paper.currentData() for document, row in self.rows.items() if row.paper.count()}

    def save(self) -> None:
        """Store every row in one unit of work; PrinterError (nothing stored) if one is not a printer."""
        with unit_of_work(self.sessions) as session:
            for document, (destination, copies) in self.values().items():
                outbox.set_printer(session, document, destination, copies)
            for document, size in self.papers().items():
                outbox.set_paper(session, document, size)
            session.commit()

    def accept(self) -> None:
        try:
            self.save()
        except PrinterError as exc:
            self.dialogs.error(self, _("Printers"), str(exc))
            return
        super().accept()
