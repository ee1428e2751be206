"""The scanner part of the settings dialog: which scanner, its port or device, its baud rate, and
"Scan to test", which opens the chosen scanner and shows what it read (the main window lets go
of its own scanner while the dialog is open)."""
from __future__ import annotations

import glob
import sys

from PySide6.QtCore import Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from station.i18n import N_, _
from station.ui.scanners.hookup import escaped, reason_text, settings_spec
from station.ui.scanners.sources import CONNECTED, OFFLINE, ScanSource, make_source
from station.ui.scanners.spec import (DEFAULT_BAUD, EVDEV, KEYBOARD, SERIAL, ScannerSpec, ScannerSpecError,
                                      parse_scanner_spec)

KIND_CHOICES = ((KEYBOARD, N_("Keyboard (the scanner types)")), (SERIAL, N_("Serial port (USB-COM)")),
                (EVDEV, N_("Linux input device (evdev, exclusive)")))
BAUD_RATES = (9600, 19200, 38400, 57600, 115200)


def serial_ports() -> list[str]:
    from PySide6.QtSerialPort import QSerialPortInfo

    return sorted(info.systemLocation() for info in QSerialPortInfo.availablePorts())


def input_devices() -> list[str]:
    """Keyboard devices by their stable names first (a USB scanner is ``…-event-kbd``), then all."""
    return sorted(glob.glob("/dev/input/by-id/*-event-kbd")) + sorted(glob.glob("/dev/input/event*"))


class ScannerChooser(QWidget):
    tested = Signal(str)  # what "scan to test" read (for tests)

    def __init__(self, spec_text: str, parent: QWidget | None = None, *, max_gap_ms: int = 35,
                 min_chars: int = 4, factory=make_source) -> None:
        super().__init__(parent)
        self.factory = factory
        self.max_gap_ms, self.min_chars = max_gap_ms, min_chars
        self.test_source: ScanSource | None = None
        self.test_capture = None
        spec, error = settings_spec(spec_text)

        self.kind = QComboBox()
        self.kind.setObjectName("scannerKind")
        for value, label in KIND_CHOICES:
            if value == EVDEV and not sys.platform.startswith("linux"):
                continue
            self.kind.addItem(_(label), value)
        self.device = QComboBox()
        self.device.setObjectName("scannerDevice")
        self.device.setEditable(True)
        self.device.setMinimumContentsLength(28)
        self.baud = QComboBox()
        self.baud.setObjectName("scannerBaud")
        self.baud.setEditable(True)
        self.baud.setValidator(QIntValidator(1, 4_000_000, self))
        for rate in BAUD_RATES:
            self.baud.addItem(str(rate))
        self.test_button = QPushButton(_("Scan to &test"))
        self.test_button.setObjectName("scannerTest")
        self.test_button.clicked.connect(self.start_test)
        self.result = QLabel(_("Scanner setting not valid: {error}", error=error) if error else "")
        self.result.setObjectName("scannerTestResult")
        self.result.setWordWrap(True)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.device, 1)
        row.addWidget(self.baud)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.kind)
        self.device_label = QLabel(_("Port or device:"))
        form.addRow(self.device_label, row)
        form.addRow(self.test_button, self.result)

        self.kind.setCurrentIndex(max(0, self.kind.findData(spec.kind)))
        self._fill_devices()
        if not spec.is_keyboard:
            self.device.setCurrentText(spec.path)
        self.baud.setCurrentText(str(spec.baud))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    # --- the choice -----------------------------------------------------------------------------
    def _fill_devices(self) -> None:
        kind = self.kind.currentData()
        text = self.device.currentText()
        self.device.clear()
        if kind == SERIAL:
            self.device.addItems(serial_ports())
        elif kind == EVDEV:
            self.device.addItems(input_devices())
        self.device.setCurrentText(text)

    def _kind_changed(self) -> None:
        self.stop_test()
        kind = self.kind.currentData()
        self._fill_devices()
        for widget in (self.device, self.device_label):
            widget.setVisible(kind != KEYBOARD)
        self.baud.setVisible(kind == SERIAL)

    def spec(self) -> ScannerSpec:
        """The chosen scanner; `ScannerSpecError` if the fields do not name one."""
        kind = self.kind.currentData()
        if kind == KEYBOARD:
            return ScannerSpec()
        text = f"{kind}:{self.device.currentText().strip()}"
        if kind == SERIAL:
            text += f":{self.baud.currentText().strip() or DEFAULT_BAUD}"
        return parse_scanner_spec(text)

    def validate(self) -> bool:
        try:
            self.spec()
        except ScannerSpecError as exc:
            self.result.setText(str(exc))
            return False
        return True

    # --- scan to test -------------------------------------------------------------------------
    def start_test(self) -> None:
        self.stop_test()
        try:
            spec = self.spec()
        except ScannerSpecError as exc:
            self.result.setText(str(exc))
            return
        if spec.is_keyboard:
            from station.ui.scan_capture import ScanCapture

            self.test_capture = ScanCapture(self, max_gap_ms=self.max_gap_ms, min_chars=self.min_chars)
            self.test_capture.scanned.connect(self._read)
            self.test_capture.install()
        else:
            self.test_source = self.factory(spec, self)
            self.test_source.scanned.connect(self._read)
            self.test_source.incomplete.connect(self._incomplete)
            self.test_source.state_changed.connect(self._state_changed)
            self.test_source.start()
        self.result.setText(_("Scan a barcode now…"))

    def stop_test(self) -> None:
        capture, self.test_capture = self.test_capture, None
        if capture is not None:
            capture.uninstall()
            capture.deleteLater()
        source, self.test_source = self.test_source, None
        if source is not None:
            source.stop()
            source.deleteLater()

    def _read(self, text: str) -> None:
        self.result.setText(_("Read: {text} ({count} characters)", text=escaped(text), count=len(text)))
        self.tested.emit(text)

    def _incomplete(self, text: str) -> None:
        self.result.setText(_("Read without an end of line: {text}. Set the scanner to send Enter (CR) after "
                              "each barcode", text=escaped(text)))

    def _state_changed(self) -> None:
        source = self.test_source
        if source is None:
            return
        if source.state == OFFLINE:
            self.result.setText(_("Scanner offline: {reason}", reason=reason_text(source)))
        elif source.state == CONNECTED:
            self.result.setText(_("Scan a barcode now…"))
