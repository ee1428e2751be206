"""The scale at the pack bench in the GUI (issue 18): read on a worker thread, never on the GUI thread.

When the pack bench waits for the scale (``BenchRunner.waiting_for_weight``: the last item was
scanned, or CMD-WEIGH, CMD-NEW_PARCEL), a worker thread waits for the scale's settled reading
(``ScaleReader.stable_weight``); the reading comes back to the GUI thread by a queued signal and
is given to the bench as an input event of its own (``BenchRunner.weigh``), shown and sounded like
a scan's outcome. The reader is ``station.weighing.reader`` (serial or USB HID), the same as
``station replay pack --scale`` uses. The status bar shows the scale's state; with no scale set, it
says once that packing goes on without weighing.
"""
from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QMainWindow, QPushButton, QVBoxLayout, QWidget

from station.i18n import _
from station.weighing.reader import OFFLINE, Settled, open_reader
from station.weighing.spec import ScaleSpec, ScaleSpecError, parse_scale_spec

log = logging.getLogger(__name__)
WEIGH_TIMEOUT_S = 6.0  # how long the worker waits for a settled weight before `weight_unstable`
POLL_MS = 500
NO_SCALE_MESSAGE_MS = 15000


def say_no_scale(window: QMainWindow) -> None:
    """No scale at this bench: said once, in the status bar; packing is as it always was."""
    window.statusBar().showMessage(_("No scale set: parcels are packed without weighing"), NO_SCALE_MESSAGE_MS)


class PackScale(QObject):
    weighed = Signal(object, object)  # (the pack screen, Settled): delivered on the GUI thread

    def __init__(self, window: QMainWindow, spec: ScaleSpec, *, reader=None, timeout: float = WEIGH_TIMEOUT_S) -> None:
        super().__init__(window)
        self.window = window
        self.spec = spec
        self.timeout = timeout
        self.reader = reader if reader is not None else open_reader(spec)
        self.reader.start()
        self._busy = threading.Event()
        self._thread: threading.Thread | None = None
        self.weighed.connect(self._deliver)
        self.label = QLabel()
        self.label.setObjectName("scaleStatus")
        window.statusBar().addPermanentWidget(self.label)
        self._shown = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._show_state)
        self._timer.start()
        self._show_state()

    def attach(self, runner) -> None:
        runner.attach_scale(True)

    # --- after each outcome of the pack bench ------------------------------------------------
    def after_scan(self, screen) -> None:
        """The bench waits for the scale: read it on a worker thread (once at a time)."""
        if not screen.runner.waiting_for_weight() or self._busy.is_set():
            return
        self._busy.set()

        def work() -> None:
            try:
                settled = self.reader.stable_weight(self.timeout)
            except Exception as exc:  # a reader bug must not end the shift: the bench hears "unstable"
                log.exception("scale %s: reading failed", self.spec)
                settled = Settled(None, type(exc).__name__)
            self.weighed.emit(screen, settled)  # queued to the GUI thread

        self._thread = threading.Thread(target=work, name="pack-scale", daemon=True)
        self._thread.start()

    def _deliver(self, screen, settled: Settled) -> None:
        """The settled reading, as an input of the bench: handled on the main window's scan worker in
        turn with the scans (CANCEL or UNDO may have come first: then nobody waits for it any more)."""
        self._busy.clear()
        runner = screen.runner
        grams = settled.reading.grams if settled.reading is not None else None

        def call():
            if not runner.waiting_for_weight():
                return None
            return runner.weigh(grams, settled.reason)

        self.window.submit_input(screen, f"WEIGHT {grams} g" if grams is not None else "WEIGHT -", call,
                                 source="scale")

    def wait(self, timeout: float = 10.0) -> None:
        """Until the worker has delivered (tests)."""
        if self._thread is not None:
            self._thread.join(timeout)

    # --- the status bar -------------------------------------------------------------------------
    def _show_state(self) -> None:
        state = (self.reader.state, self.reader.reason)
        if state == self._shown:
            return
        self._shown = state
        if self.reader.state == OFFLINE:
            self.label.setText(_("Scale: offline"))
            self.label.setStyleSheet("color: white; background: #b00020; padding: 0 6px;")
            self.label.setToolTip(f"{self.spec}: {self.reader.reason} {self.reader.detail}")
        else:
            self.label.setText(_("Scale: {spec}", spec=str(self.spec)))
            self.label.setStyleSheet("")
            self.label.setToolTip(self.reader.state)

    def close(self) -> None:
        self._timer.stop()
        self.reader.stop()
        self.wait(2)




class ScaleChooser(QWidget):
    """The settings dialog's scale: the spec (``none``, ``serial:…``, ``hid:VID:PID``) and "Weigh to test":
    the scale is read on a worker thread (like the bench reads it) and what it said is shown."""
    tested = Signal(str)  # what "weigh to test" showed (for tests)
    _result = Signal(object)

    def __init__(self, spec_text: str, parent: QWidget | None = None, *, timeout: float = 8.0) -> None:
        super().__init__(parent)
        self.timeout = timeout
        self.edit = QLineEdit(spec_text)
        self.edit.setObjectName("scaleSpec")
        self.edit.setPlaceholderText("none, serial:/dev/ttyUSB0:9600:mt-sics, hid:0922:8003")
        self.test_button = QPushButton(_("&Weigh to test"))
        self.test_button.setObjectName("scaleTest")
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self.start_test)
        self.result = QLabel()
        self.result.setObjectName("scaleTestResult")
        self.result.setWordWrap(True)
        self._thread: threading.Thread | None = None
        self._result.connect(self._show)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.test_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(row)
        box.addWidget(self.result)

    def spec(self) -> ScaleSpec:
        return parse_scale_spec(self.edit.text())

    def validate(self) -> bool:
        try:
            self.spec()
        except ScaleSpecError as exc:
            self._say(str(exc), error=True)
            return False
        return True

    def start_test(self, reader=None) -> None:
        try:
            spec = self.spec()
        except ScaleSpecError as exc:
            self._say(str(exc), error=True)
            return
        if not spec.attached and reader is None:
            self._say(_("No scale set: parcels are packed without weighing"))
            return
        self.test_button.setEnabled(False)
        self._say(_("Put something on the scale…"))
        reader = reader if reader is not None else open_reader(spec)

        def work() -> None:
            try:
                reader.start()
                settled = reader.stable_weight(self.timeout)
            except Exception as exc:
                settled = Settled(None, type(exc).__name__)
            finally:
                reader.stop()
            self._result.emit(settled)

        self._thread = threading.Thread(target=work, name="scale-test", daemon=True)
        self._thread.start()

    def _show(self, settled: Settled) -> None:
        self.test_button.setEnabled(True)
        if settled.reading is not None:
            self._say(_("The scale reads {weight}", weight=f"{settled.reading.grams / 1000:.3f} kg"))
        else:
            self._say(_("No steady weight from the scale: {reason}", reason=settled.reason), error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.result.setText(str(text))
        self.result.setStyleSheet("color: #b00020;" if error else "")
        self.tested.emit(str(text))

    def stop_test(self, timeout: float = 0.0) -> None:
        if self._thread is not None and timeout:
            self._thread.join(timeout)
