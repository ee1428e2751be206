"""A serial / USB-COM scale read on a thread of its own, without Qt (pyserial).

One reader for the GUI and for ``station replay pack --scale``: replay runs without Qt, so the
scale cannot be read through QtSerialPort there, and the bench must judge a weight the same way in
both. ``continuous`` scales send a line per reading; ``mt-sics`` ones are asked ``SI`` every
`POLL_S`. The reader keeps the last reading and since when the scale has shown a stable weight
(within `SETTLE_G`); `stable_weight` waits (up to a timeout) for one that has settled for
`SETTLE_S`. A port that cannot be opened or goes away is tried again every `RETRY_S`; ``state``
and ``reason`` say so (``connected``, ``offline`` with ``missing`` / ``permission`` / ``gone``).
"""
from __future__ import annotations

import errno
import logging
import threading
import time
from dataclasses import dataclass
from decimal import Decimal

from station.weighing.protocols import (HID, MT_SICS, MT_SICS_WEIGH_NOW, Reading, ScaleError, parse_continuous,
                                        parse_hid_report, parse_mt_sics)
from station.weighing.spec import ScaleSpec

log = logging.getLogger(__name__)
POLL_S = 0.2
RETRY_S = 2.0
SETTLE_G = Decimal(2)
SETTLE_S = 0.6  # a stable weight must hold this long before the bench takes it
CONNECTING, CONNECTED, OFFLINE, STOPPED = "connecting", "connected", "offline", "stopped"
HID_REPORT_SIZE = 64  # read up to this much: the scale data report is 6 bytes, other reports may be longer
HID_DATA_REPORT = 3


@dataclass(frozen=True)
class Settled:
    reading: Reading | None  # None: no stable weight in time
    reason: str = ""  # why not: "offline", "unstable", a ScaleError reason (overload…)


class ScaleReader:
    def __init__(self, spec: ScaleSpec, *, clock=time.monotonic) -> None:
        self.spec = spec
        self.state, self.reason, self.detail = STOPPED, "", ""
        self._clock = clock
        self._lock = threading.Condition()
        self._latest: tuple[Reading, float] | None = None
        self._stable_from: float | None = None
        self._refused: str = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- life cycle ---------------------------------------------------------------------
    def start(self) -> "ScaleReader":
        if self._thread is None:
            self._stop.clear()
            self.state = CONNECTING
            self._thread = threading.Thread(target=self._run, name=f"scale {self.spec}", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(3)
            self._thread = None
        self.state = STOPPED

    def _run(self) -> None:
        import serial

        while not self._stop.is_set():
            try:
                port = serial.Serial(self.spec.path, self.spec.baud, bytesize=8, parity="N", stopbits=1,
                                     timeout=POLL_S)
            except (serial.SerialException, OSError) as exc:
                self._offline(exc)
                self._stop.wait(RETRY_S)
                continue
            self.state, self.reason, self.detail = CONNECTED, "", ""
            log.info("scale %s connected", self.spec)
            try:
                self._read(port)
            except (serial.SerialException, OSError) as exc:
                self._offline(exc, gone=True)
            finally:
                try:
                    port.close()
                except Exception:  # the device is gone already
                    pass
            self._stop.wait(RETRY_S)

    def _offline(self, exc: BaseException, gone: bool = False) -> None:
        code = getattr(exc, "errno", None)
        reason = "gone" if gone else "no_hidapi" if isinstance(exc, ImportError) else {errno.ENOENT: "missing", errno.ENODEV: "missing", errno.EACCES: "permission",
                                     errno.EBUSY: "busy"}.get(code, "missing" if "No such file" in str(exc) else "failed")
        if (self.state, self.reason) != (OFFLINE, reason):
            log.warning("scale %s offline: %s (%s)", self.spec, reason, exc)
        self.state, self.reason, self.detail = OFFLINE, reason, str(exc)
        with self._lock:
            self._latest, self._stable_from = None, None
            self._lock.notify_all()

    def _read(self, port) -> None:
        parse = parse_mt_sics if self.spec.protocol == MT_SICS else parse_continuous
        buffer = b""
        asked = 0.0
        while not self._stop.is_set():
            if self.spec.protocol == MT_SICS and self._clock() - asked >= POLL_S:
                port.write(MT_SICS_WEIGH_NOW)
                asked = self._clock()
            chunk = port.read(256)  # returns after POLL_S with what came (maybe nothing)
            if not chunk:
                continue
            buffer += chunk
            *lines, buffer = buffer.replace(b"\r", b"\n").split(b"\n")
            for raw in lines:
                line = raw.decode("ascii", "replace").strip()
                if not line:
                    continue
                try:
                    self._take(parse(line))
                except ScaleError as exc:
                    with self._lock:
                        self._stable_from, self._refused = None, exc.reason
                        self._lock.notify_all()

    def _take(self, reading: Reading) -> None:
        now = self._clock()
        with self._lock:
            last = self._latest[0] if self._latest else None
            if not reading.stable:
                self._stable_from = None
            elif (self._stable_from is None or last is None or not last.stable
                  or abs(last.grams - reading.grams) > SETTLE_G):
                self._stable_from = now
            self._latest, self._refused = (reading, now), ""
            self._lock.notify_all()

    # --- what the bench asks ------------------------------------------------------------
    def latest(self) -> tuple[Reading, float] | None:
        with self._lock:
            return self._latest

    def stable_weight(self, timeout: float = 3.0) -> Settled:
        """The weight once it has held still for `SETTLE_S` (waiting up to ``timeout`` seconds)."""
        deadline = self._clock() + timeout
        with self._lock:
            while True:
                now = self._clock()
                if self.state == OFFLINE:
                    return Settled(None, "offline")
                if self._stable_from is not None and self._latest is not None and now - self._stable_from >= SETTLE_S:
                    return Settled(self._latest[0])
                if now >= deadline:
                    return Settled(None, self._refused or "unstable")
                self._lock.wait(min(0.05, max(0.0, deadline - now)))


class HidScaleReader(ScaleReader):
    """A USB HID point-of-sale scale (usage page 0x8D) read through ``hidapi`` (pip ``hidapi``,
    module ``hid``) on a thread of its own: the scale data reports (report id 3) are parsed by
    ``protocols.parse_hid_report`` and kept exactly as a serial scale's readings, so
    ``stable_weight`` and the bench treat both alike.

    ``open_device(vid, pid)`` returns an object with ``read(size, timeout_ms) -> list[int]`` and
    ``close()`` (hidapi's ``hid.device``); tests give a fake one. Not tried with a real scale here:
    this machine has none, and hidapi itself cannot be exercised without a device."""

    def __init__(self, spec: ScaleSpec, *, clock=time.monotonic, open_device=None) -> None:
        super().__init__(spec, clock=clock)
        self._open_device = open_device or open_hidapi

    def _run(self) -> None:
        vid, pid = (int(part, 16) for part in self.spec.path.split(":"))
        while not self._stop.is_set():
            try:
                device = self._open_device(vid, pid)
            except (OSError, ImportError, ValueError) as exc:  # hidapi says "open failed" as OSError
                self._offline(exc)
                self._stop.wait(RETRY_S)
                continue
            self.state, self.reason, self.detail = CONNECTED, "", ""
            log.info("scale %s connected", self.spec)
            try:
                while not self._stop.is_set():
                    data = device.read(HID_REPORT_SIZE, int(POLL_S * 1000))
                    if not data:
                        continue
                    report = bytes(data)
                    if report[0] != HID_DATA_REPORT:  # a scale status or other report: not a weight
                        continue
                    try:
                        self._take(parse_hid_report(report))
                    except ScaleError as exc:
                        with self._lock:
                            self._stable_from, self._refused = None, exc.reason
                            self._lock.notify_all()
            except (OSError, ValueError) as exc:  # unplugged: hidapi's read raises
                self._offline(exc, gone=True)
            finally:
                try:
                    device.close()
                except Exception:  # the device is gone already
                    pass
            self._stop.wait(RETRY_S)


def open_hidapi(vid: int, pid: int):
    """hidapi's device for the first scale with these USB ids (ImportError: hidapi not installed)."""
    import hid  # pip install hidapi

    device = hid.device()
    device.open(vid, pid)
    return device


def open_reader(spec: ScaleSpec, **kwargs) -> ScaleReader:
    """The reader for a scale spec: serial (pyserial) or USB HID (hidapi); not started."""
    if spec.kind == HID:
        return HidScaleReader(spec, **kwargs)
    return ScaleReader(spec, **kwargs)
