"""A serial / USB-COM scale read through QtSerialPort.

``continuous``: the scale sends a line per reading (``ST,GS,+0001.250kg``); ``mt-sics``: the
station asks ``SI`` every `POLL_MS` and reads the answer (``S S      1.250 kg``). Either way the
source emits ``reading(Reading)`` for every line it understood, ``refused(reason)`` for a line that
is no weight (``overload``, ``busy``…, see `station.weighing.ScaleError`) and ``state_changed()`` when
it connects or goes offline; an unplugged scale is tried again every `RECONNECT_MS`. ``latest()`` is
the last reading and when it came; ``stable_since()`` how long the scale has shown a stable weight
within `SETTLE_G` of it, which the pack bench waits for before it judges the parcel.
"""
from __future__ import annotations

import logging
import time
from decimal import Decimal

from PySide6.QtCore import QIODevice, QObject, QTimer, Signal
from PySide6.QtSerialPort import QSerialPort

from station.ui.scanners.decode import LineSplitter
from station.weighing import MT_SICS, Reading, ScaleError, parse_continuous, parse_mt_sics
from station.weighing.protocols import MT_SICS_WEIGH_NOW
from station.weighing.spec import ScaleSpec

log = logging.getLogger(__name__)
RECONNECT_MS = 2000
POLL_MS = 200
SETTLE_G = Decimal(2)  # readings this close count as the same weight while it settles

CONNECTING, CONNECTED, OFFLINE, STOPPED = "connecting", "connected", "offline", "stopped"

_REASONS = {
    QSerialPort.SerialPortError.DeviceNotFoundError: "missing",
    QSerialPort.SerialPortError.PermissionError: "permission",
    QSerialPort.SerialPortError.OpenError: "busy",
    QSerialPort.SerialPortError.ResourceError: "gone",
    QSerialPort.SerialPortError.ReadError: "gone",
}


class SerialScale(QObject):
    reading = Signal(object)  # Reading
    refused = Signal(str)  # ScaleError.reason
    state_changed = Signal()

    def __init__(self, spec: ScaleSpec, parent: QObject | None = None, *, clock=time.monotonic) -> None:
        super().__init__(parent)
        self.spec = spec
        self.state = STOPPED
        self.reason = ""
        self.detail = ""
        self._clock = clock
        self._splitter = LineSplitter()
        self._port: QSerialPort | None = None
        self._latest: tuple[Reading, float] | None = None
        self._stable_from: float | None = None
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._open)
        self._poll = QTimer(self)
        self._poll.timeout.connect(self._ask)

    # --- life cycle ---------------------------------------------------------------------
    def start(self) -> None:
        if self._port is None and not self._retry.isActive():
            self._set_state(CONNECTING)
            self._open()

    def stop(self) -> None:
        self._retry.stop()
        self._close()
        self._set_state(STOPPED)

    def _open(self) -> None:
        port = QSerialPort(self)
        port.setPortName(self.spec.path)
        port.setBaudRate(self.spec.baud)
        port.setDataBits(QSerialPort.DataBits.Data8)
        port.setParity(QSerialPort.Parity.NoParity)
        port.setStopBits(QSerialPort.StopBits.OneStop)
        port.setFlowControl(QSerialPort.FlowControl.NoFlowControl)
        if not port.open(QIODevice.OpenModeFlag.ReadWrite):
            reason, detail = _REASONS.get(port.error(), "failed"), port.errorString()
            port.deleteLater()
            self._offline(reason, detail)
            return
        port.readyRead.connect(self._read)
        port.errorOccurred.connect(self._error)
        self._port = port
        self._set_state(CONNECTED)
        if self.spec.protocol == MT_SICS:
            self._poll.start(POLL_MS)
            self._ask()

    def _close(self) -> None:
        self._poll.stop()
        port, self._port = self._port, None
        if port is not None:
            port.blockSignals(True)
            if port.isOpen():
                port.close()
            port.deleteLater()

    def _offline(self, reason: str, detail: str) -> None:
        self._set_state(OFFLINE, reason, detail)
        self._latest, self._stable_from = None, None
        self._retry.start(RECONNECT_MS)

    def _error(self, error) -> None:
        if error == QSerialPort.SerialPortError.NoError or self._port is None:
            return
        if error in (QSerialPort.SerialPortError.ResourceError, QSerialPort.SerialPortError.ReadError):
            detail = self._port.errorString()
            self._close()
            self._offline("gone", detail)
        else:
            log.warning("scale %s: %s", self.spec, self._port.errorString())

    def _set_state(self, state: str, reason: str = "", detail: str = "") -> None:
        if (state, reason, detail) == (self.state, self.reason, self.detail):
            return
        if state == OFFLINE:
            log.warning("scale %s offline: %s %s", self.spec, reason, detail)
        self.state, self.reason, self.detail = state, reason, detail
        self.state_changed.emit()

    # --- readings -----------------------------------------------------------------------
    def _ask(self) -> None:
        if self._port is not None and self._port.isOpen():
            self._port.write(MT_SICS_WEIGH_NOW)

    def _read(self) -> None:
        if self._port is None:
            return
        parse = parse_mt_sics if self.spec.protocol == MT_SICS else parse_continuous
        for line in self._splitter.feed(bytes(self._port.readAll().data())):
            try:
                reading = parse(line.text)
            except ScaleError as exc:
                self._stable_from = None
                self.refused.emit(exc.reason)
                continue
            self._take(reading)

    def _take(self, reading: Reading) -> None:
        now = self._clock()
        last = self._latest[0] if self._latest else None
        if not reading.stable:
            self._stable_from = None
        elif (self._stable_from is None or last is None or not last.stable
              or abs(last.grams - reading.grams) > SETTLE_G):
            self._stable_from = now
        self._latest = (reading, now)
        self.reading.emit(reading)

    def latest(self) -> tuple[Reading, float] | None:
        """The last reading and the clock when it came (None before the first, or offline)."""
        return self._latest

    def stable_since(self) -> float | None:
        """Seconds the scale has shown this stable weight, or None while it moves or says nothing."""
        return None if self._stable_from is None else self._clock() - self._stable_from
