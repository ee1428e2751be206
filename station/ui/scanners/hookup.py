"""The main window's scanner that is not a keyboard: which one, its state in the status bar, and
its scans into `MainWindow.submit_scan` (the keyboard wedge's path). The wedge stays on whatever
is chosen here, so a keyboard scanner still works while a serial or evdev scanner is offline.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from station.i18n import _
from station.ui.scanners.sources import (BUSY, CONNECTED, CONNECTING, GONE, MISSING, NO_EVDEV, OFFLINE, PERMISSION,
                                         ScanSource, make_source)
from station.ui.scanners.spec import EVDEV, SERIAL, ScannerSpec, ScannerSpecError, parse_scanner_spec

if TYPE_CHECKING:
    from station.ui.main_window import MainWindow

log = logging.getLogger(__name__)
OFFLINE_STYLE = "background: #f9a825; color: black; font-weight: bold; padding: 0 6px;"
INCOMPLETE_MESSAGE_MS = 15000


def describe(spec: ScannerSpec) -> str:
    if spec.kind == SERIAL:
        return _("serial port {path} at {baud} baud", path=spec.path, baud=spec.baud)
    if spec.kind == EVDEV:
        return _("input device {path}", path=spec.path)
    return _("keyboard")


def reason_text(source: ScanSource) -> str:
    """Why a source is offline, in words a packer or a supervisor can act on."""
    reason = source.reason
    if reason == MISSING:
        return _("not connected (check the cable)")
    if reason == GONE:
        return _("disconnected; reconnects by itself when plugged in again")
    if reason == PERMISSION:
        # QSerialPort says PermissionError also when another program has the port open
        return _("no permission to open it, or another program has it open (see docs/scanning.md)")
    if reason == BUSY:
        return _("in use by another program")
    if reason == NO_EVDEV:
        return _("python-evdev is not installed")
    return _("cannot open it: {error}", error=source.detail)


def status_text(source: ScanSource | None, spec: ScannerSpec) -> str:
    if source is None:
        return ""
    if source.state == CONNECTED:
        return _("Scanner: {scanner}", scanner=describe(spec))
    if source.state == CONNECTING:
        return _("Scanner: connecting to {scanner}…", scanner=describe(spec))
    if source.state == OFFLINE:  # the port or device only: the status bar is narrow (the rest in the tooltip)
        return _("Scanner offline: {scanner}, {reason}. The keyboard scanner still works",
                 scanner=spec.path, reason=reason_text(source))
    return ""


def escaped(text: str) -> str:
    """Text for the screen: bytes that are no UTF-8 and control characters written as ``\\xff``."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x20 or 0x7F <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def settings_spec(raw: str) -> tuple[ScannerSpec, str | None]:
    """The spec in the settings, or the keyboard and the error if the setting is not a valid spec."""
    try:
        return parse_scanner_spec(raw), None
    except ScannerSpecError as exc:
        return ScannerSpec(), str(exc)


class ScannerHookup(QObject):
    """Owns the window's non-keyboard source, restarts it when the spec changes, shows its state."""

    def __init__(self, window: "MainWindow", spec: ScannerSpec | None = None, *,
                 factory: Callable[[ScannerSpec, QObject], ScanSource | None] = make_source) -> None:
        super().__init__(window)
        self.window = window
        self.factory = factory
        self.setting_error: str | None = None
        if spec is None:
            spec, self.setting_error = settings_spec(window.settings.scanner)
        self.spec = spec
        self.source: ScanSource | None = None
        self.paused = False
        self.label = QLabel()
        self.label.setObjectName("statusScanner")
        self.label.setContentsMargins(10, 0, 10, 0)
        window.statusBar().addPermanentWidget(self.label)
        self._start()

    # --- life cycle -------------------------------------------------------------------------
    def _start(self) -> None:
        self.source = self.factory(self.spec, self)
        if self.source is not None:
            self.source.scanned.connect(self._scanned)
            self.source.incomplete.connect(self._incomplete)
            self.source.state_changed.connect(self._state_changed)
            self.source.start()
        self.retranslate()

    def _stop(self) -> None:
        source, self.source = self.source, None
        if source is not None:
            source.stop()
            source.deleteLater()

    def set_spec(self, spec: ScannerSpec) -> None:
        """Use another scanner from now on (the settings changed)."""
        self.setting_error = None
        if spec == self.spec and (self.source is not None or self.paused or spec.is_keyboard):
            return
        self.spec = spec
        self._stop()
        if not self.paused:
            self._start()
        else:
            self.retranslate()

    def pause(self) -> None:
        """Let go of the device (the settings dialog tests scanners and may open the same one)."""
        if not self.paused:
            self.paused = True
            self._stop()

    def resume(self) -> None:
        if self.paused:
            self.paused = False
            self._start()

    def stop(self) -> None:
        self._stop()

    # --- scans and state ---------------------------------------------------------------------
    def _scanned(self, text: str) -> None:
        self.window.submit_scan(text)

    def _incomplete(self, text: str) -> None:
        self.window.statusBar().showMessage(
            _("Scan not read completely ({text}): scan again. If it happens every time, set the scanner "
              "to send Enter (CR) after each barcode", text=escaped(text)), INCOMPLETE_MESSAGE_MS)
        self.window.feedback.play("warn")

    def _state_changed(self) -> None:
        if self.source is not None and self.source.state == OFFLINE and self.source.reason == GONE:
            self.window.feedback.play("warn")  # the scanner was unplugged: say so at once
        self.retranslate()

    def retranslate(self) -> None:
        text = status_text(self.source, self.spec)
        if self.setting_error:
            text = _("Scanner setting not valid: {error}", error=self.setting_error)
        offline = bool(self.setting_error) or (self.source is not None and self.source.state == OFFLINE)
        self.label.setText(text)
        source = self.source
        self.label.setToolTip(f"{describe(self.spec)}: {source.detail}" if source is not None and source.detail
                              else describe(self.spec))
        self.label.setStyleSheet(OFFLINE_STYLE if offline else "")
        self.label.setVisible(bool(text))


__all__ = ["ScannerHookup", "describe", "escaped", "settings_spec", "status_text"]
