"""Scan sources that are not the keyboard wedge: a serial port (QtSerialPort) and, on Linux, the
scanner's own HID keyboard device (python-evdev), grabbed so its keys reach nobody else.

Every source is a QObject with the signals of the keyboard wedge (`ScanCapture.scanned`) plus
what a device can add: ``incomplete(text)`` for text that did not end as a scan, and
``state_changed()`` when it connects or goes offline (`state`, `reason`, `detail`). A source that
loses its device (USB unplugged) says so and tries again every `RECONNECT_MS` until it is back.
"""
from __future__ import annotations

import errno
import logging
import os
import select
import threading
from typing import Callable, Protocol

from PySide6.QtCore import QCoreApplication, QIODevice, QObject, QThread, QTimer, Signal
from PySide6.QtSerialPort import QSerialPort

from station.ui.scanners.decode import KeyDecoder, LineSplitter, Read
from station.ui.scanners.spec import EVDEV, SERIAL, ScannerSpec

log = logging.getLogger(__name__)
RECONNECT_MS = 2000
UNTERMINATED_MS = 1000  # text without CR/LF this long after its last byte: reported as incomplete

CONNECTING, CONNECTED, OFFLINE, STOPPED = "connecting", "connected", "offline", "stopped"
# why a source is offline (translated by the status bar, so a language switch applies)
MISSING, PERMISSION, BUSY, GONE, NO_EVDEV, FAILED = "missing", "permission", "busy", "gone", "no_evdev", "failed"


class ScanSource(QObject):
    # object, not str: a str signal goes through QString, which drops the lone surrogates that
    # stand for bytes that are no UTF-8; the runner must see them to answer ``unreadable_scan``.
    scanned = Signal(object)
    incomplete = Signal(object)
    state_changed = Signal()

    def __init__(self, spec: ScannerSpec, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.state = STOPPED
        self.reason = ""  # one of MISSING ... FAILED while offline
        self.detail = ""  # the system's words for it (errorString, strerror), for the tooltip and the log

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def _set_state(self, state: str, reason: str = "", detail: str = "") -> None:
        if (state, reason, detail) == (self.state, self.reason, self.detail):
            return
        if state == OFFLINE:
            log.warning("scanner %s offline: %s %s", self.spec, reason, detail)
        elif state == CONNECTED:
            log.info("scanner %s connected", self.spec)
        self.state, self.reason, self.detail = state, reason, detail
        self.state_changed.emit()

    def _deliver(self, read: Read) -> None:
        if read.complete:
            self.scanned.emit(read.text)
        else:
            log.warning("scanner %s: incomplete read %r", self.spec, read.text)
            self.incomplete.emit(read.text)


# --- serial ------------------------------------------------------------------------------------
_SERIAL_REASONS = {
    QSerialPort.SerialPortError.DeviceNotFoundError: MISSING,
    QSerialPort.SerialPortError.PermissionError: PERMISSION,  # also: another program has the port
    QSerialPort.SerialPortError.OpenError: BUSY,
    QSerialPort.SerialPortError.ResourceError: GONE,
    QSerialPort.SerialPortError.ReadError: GONE,
}


class SerialScanSource(ScanSource):
    """A scanner in serial / USB-COM (CDC-ACM) mode: 8 data bits, no parity, 1 stop bit, no flow
    control, at the spec's baud rate. One scan per line ended by CR, LF or Tab."""

    def __init__(self, spec: ScannerSpec, parent: QObject | None = None) -> None:
        super().__init__(spec, parent)
        self.splitter = LineSplitter()
        self.port: QSerialPort | None = None
        self.retry = QTimer(self)
        self.retry.setSingleShot(True)
        self.retry.setInterval(RECONNECT_MS)
        self.retry.timeout.connect(self._open)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(UNTERMINATED_MS)
        self.idle.timeout.connect(self._flush_pending)

    def start(self) -> None:
        if self.port is None and not self.retry.isActive():
            self._set_state(CONNECTING)
            self._open()

    def stop(self) -> None:
        self.retry.stop()
        self._close()
        self._set_state(STOPPED)

    def _open(self) -> None:
        port = QSerialPort(self)
        port.setPortName(self.spec.path)  # a path starting with / is used as it is; else COM3, ttyACM0
        port.setBaudRate(self.spec.baud)
        port.setDataBits(QSerialPort.DataBits.Data8)
        port.setParity(QSerialPort.Parity.NoParity)
        port.setStopBits(QSerialPort.StopBits.OneStop)
        port.setFlowControl(QSerialPort.FlowControl.NoFlowControl)
        if not port.open(QIODevice.OpenModeFlag.ReadOnly):
            reason = _SERIAL_REASONS.get(port.error(), FAILED)
            detail = port.errorString()
            port.deleteLater()
            self._offline(reason, detail)
            return
        port.readyRead.connect(self._read)
        port.errorOccurred.connect(self._error)
        self.port = port
        self._set_state(CONNECTED)
        if port.bytesAvailable():
            self._read()

    def _read(self) -> None:
        port = self.port
        if port is None:
            return
        data = bytes(port.readAll().data())
        for read in self.splitter.feed(data):
            self._deliver(read)
        if self.splitter.pending:
            self.idle.start()
        else:
            self.idle.stop()

    def _flush_pending(self) -> None:
        read = self.splitter.take_pending()
        if read:
            self._deliver(read)

    def _error(self, error) -> None:
        if error == QSerialPort.SerialPortError.NoError or self.port is None:
            return
        if error in (QSerialPort.SerialPortError.ResourceError, QSerialPort.SerialPortError.ReadError):
            detail = self.port.errorString()
            self._read()  # whatever arrived before the device went
            self._close()
            self._offline(GONE, detail)
        else:
            log.warning("scanner %s: %s", self.spec, self.port.errorString())

    def _close(self) -> None:
        self.idle.stop()
        self._flush_pending()
        port, self.port = self.port, None
        if port is not None:
            port.blockSignals(True)
            if port.isOpen():
                port.close()
            port.deleteLater()

    def _offline(self, reason: str, detail: str) -> None:
        self._set_state(OFFLINE, reason, detail)
        self.retry.start()


# --- evdev -------------------------------------------------------------------------------------
class InputDeviceLike(Protocol):
    """What the reader needs of `evdev.InputDevice` (tests give a fake)."""
    fd: int

    def grab(self) -> None: ...
    def ungrab(self) -> None: ...
    def read(self): ...  # iterable of events with .type .code .value; BlockingIOError when none
    def close(self) -> None: ...


class EvdevUnavailable(OSError):
    """python-evdev is not installed (or this is not Linux)."""


def open_evdev(path: str) -> InputDeviceLike:
    try:
        import evdev
    except ImportError as exc:
        raise EvdevUnavailable(str(exc)) from exc
    return evdev.InputDevice(path)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, EvdevUnavailable):
        return NO_EVDEV
    code = getattr(exc, "errno", None)
    if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return MISSING
    if code in (errno.EACCES, errno.EPERM):
        return PERMISSION
    if code == errno.EBUSY:
        return BUSY
    return FAILED


class EvdevReader(QThread):
    """The worker: opens and grabs the device, reads its events as they come (the GUI thread may be
    busy rendering a PDF; the kernel's event buffer is small), decodes them, and hands each read
    to the GUI thread through a queued signal. Reopens the device after it went away."""

    got = Signal(object)  # Read
    state = Signal(str, str, str)  # state, reason, detail

    def __init__(self, path: str, opener: Callable[[str], InputDeviceLike] = open_evdev,
                 retry_s: float = RECONNECT_MS / 1000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path, self.opener, self.retry_s = path, opener, retry_s
        self._stopping = threading.Event()
        self._wake_r, self._wake_w = os.pipe()

    def request_stop(self) -> None:
        self._stopping.set()
        try:
            os.write(self._wake_w, b"x")
        except OSError:
            pass

    def close_pipe(self) -> None:
        for fd in (self._wake_r, self._wake_w):
            try:
                os.close(fd)
            except OSError:
                pass

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                device = self.opener(self.path)
            except OSError as exc:
                self.state.emit(OFFLINE, _reason(exc), exc.strerror or str(exc))
                self._sleep()
                continue
            try:
                device.grab()
            except OSError as exc:  # EBUSY: another program (or Station) holds it
                self.state.emit(OFFLINE, _reason(exc), exc.strerror or str(exc))
                _quietly(device.close)
                self._sleep()
                continue
            self.state.emit(CONNECTED, "", "")
            try:
                self._read(device)
            finally:
                _quietly(device.ungrab)
                _quietly(device.close)

    def _read(self, device: InputDeviceLike) -> None:
        decoder = KeyDecoder()
        try:
            while not self._stopping.is_set():
                ready, _w, _x = select.select([device.fd, self._wake_r], [], [])
                if self._wake_r in ready:
                    return
                try:
                    events = list(device.read())
                except BlockingIOError:
                    continue
                for event in events:
                    read = decoder.feed(event.type, event.code, event.value)
                    if read is not None:
                        self.got.emit(read)
        except OSError as exc:  # ENODEV: unplugged
            pending = decoder.take_pending()
            if pending:
                self.got.emit(pending)
            self.state.emit(OFFLINE, GONE, exc.strerror or str(exc))
            self._sleep()

    def _sleep(self) -> None:
        select.select([self._wake_r], [], [], self.retry_s)


def _quietly(call) -> None:
    try:
        call()
    except OSError:
        pass


class EvdevScanSource(ScanSource):
    """The scanner's HID keyboard device (``/dev/input/by-id/…-event-kbd``), read directly and
    grabbed exclusively: its keys reach no window and no input method, whatever has the focus."""

    def __init__(self, spec: ScannerSpec, parent: QObject | None = None, *,
                 opener: Callable[[str], InputDeviceLike] | None = None, retry_s: float | None = None) -> None:
        super().__init__(spec, parent)
        self.opener = opener or open_evdev
        self.retry_s = RECONNECT_MS / 1000 if retry_s is None else retry_s
        self.reader: EvdevReader | None = None

    def start(self) -> None:
        if self.reader is not None:
            return
        self._set_state(CONNECTING)
        reader = EvdevReader(self.spec.path, self.opener, self.retry_s)
        reader.got.connect(self._deliver)
        reader.state.connect(self._set_state)
        self.reader = reader
        app = QCoreApplication.instance()
        if app is not None:  # never leave the thread running into the interpreter's exit
            app.aboutToQuit.connect(self.stop)
        reader.start()

    def stop(self) -> None:
        reader, self.reader = self.reader, None
        if reader is not None:
            reader.request_stop()
            reader.wait()
            reader.close_pipe()
            reader.deleteLater()  # reads it handed over before it stopped are still delivered
        self._set_state(STOPPED)


def make_source(spec: ScannerSpec, parent: QObject | None = None) -> ScanSource | None:
    """The source for a spec; None for the keyboard (the wedge, `ScanCapture`, is always on)."""
    if spec.kind == SERIAL:
        return SerialScanSource(spec, parent)
    if spec.kind == EVDEV:
        return EvdevScanSource(spec, parent)
    return None
