"""The main window's printing entries: Print outbox… (Ctrl+P) and Printers…, in the Station menu.

`add_print_actions(window)` is all the main window calls; the dialogs open non-blocking, one
of each at a time. Scans still go to the bench while one is open: the scan capture keeps a
scanner's keys from the dialog's one-letter shortcuts, and the outcome is laid over it.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from station.i18n import _


def add_print_actions(window) -> None:
    """Put the printing entries before Settings in `window.station_menu`; retranslated with the window."""
    window.outbox_dialog = None
    window.printer_settings_dialog = None
    window.outbox_action = QAction(window)
    window.outbox_action.setObjectName("outboxAction")
    window.outbox_action.setShortcut(QKeySequence("Ctrl+P"))
    window.outbox_action.triggered.connect(lambda: open_outbox(window))
    window.printers_action = QAction(window)
    window.printers_action.setObjectName("printersAction")
    window.printers_action.triggered.connect(lambda: open_printer_settings(window))
    before = getattr(window, "settings_action", None)
    for action in (window.outbox_action, window.printers_action):
        if before is not None:
            window.station_menu.insertAction(before, action)
        else:
            window.station_menu.addAction(action)
    window.addAction(window.outbox_action)  # the shortcut works even with the menu bar hidden

    def retranslate(_lang: str = "") -> None:
        window.outbox_action.setText(_("Print &outbox…"))
        window.printers_action.setText(_("&Printers…"))

    retranslate()
    window.language_changed.connect(retranslate)


def _current_user(window) -> str | None:
    current = getattr(window, "current", None)
    return window.screens[current].runner.user if current in getattr(window, "screens", {}) else None


def _opened(window, attribute: str, dialog) -> None:
    setattr(window, attribute, dialog)

    def closed(_result: int) -> None:
        setattr(window, attribute, None)
        dialog.deleteLater()

    dialog.finished.connect(closed)
    dialog.open()


def open_outbox(window):
    """Open the print outbox (or bring it to the front); returns the dialog."""
    from station.ui.printing.outbox_dialog import OutboxDialog

    if window.outbox_dialog is not None:
        window.outbox_dialog.refresh()
        window.outbox_dialog.raise_()
        window.outbox_dialog.activateWindow()
        return window.outbox_dialog
    dialog = OutboxDialog(window.sessions, user=_current_user(window), station=window.station, parent=window)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    _opened(window, "outbox_dialog", dialog)
    return dialog


def open_printer_settings(window):
    """Open the printers-per-document dialog; returns it."""
    from station.ui.printing.printer_settings import PrinterSettingsDialog

    if window.printer_settings_dialog is not None:
        window.printer_settings_dialog.raise_()
        return window.printer_settings_dialog
    dialog = PrinterSettingsDialog(window.sessions, dialogs=window.dialogs, parent=window)
    _opened(window, "printer_settings_dialog", dialog)
    return dialog
