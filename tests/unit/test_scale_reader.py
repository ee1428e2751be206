"""The scale reader (pyserial, no Qt) with a pseudo-terminal pair as the scale (issue 18)."""
from __future__ import annotations

import os
import select
import threading
import time
import tty
from decimal import Decimal

import pytest

from station.weighing import reader as scale_reader
from station.weighing.reader import ScaleReader
from station.weighing.spec import parse_scale_spec

pytest.importorskip("serial")


@pytest.fixture(autouse=True)
def fast(monkeypatch):
    monkeypatch.setattr(scale_reader, "RETRY_S", 0.2)
    monkeypatch.setattr(scale_reader, "POLL_S", 0.05)
    monkeypatch.setattr(scale_reader, "SETTLE_S", 0.3)


class FakeScale:
    """The scale's end of a pty pair: sends lines, or answers each ``SI`` from ``answers`` in turn.

    Its file descriptors are closed only once no thread of it can touch them again: a number closed
    while a thread still writes to it is soon a database socket of the next test, and the scale's
    lines went into a PostgreSQL connection (the CI run hung in test_roles_cli). Writes never block
    (a scale whose lines nobody reads loses them) and never come after ``close``."""

    def __init__(self, answers=()) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        tty.setraw(self.slave)
        os.set_blocking(self.master, False)
        self.path = os.ttyname(self.slave)
        self.answers, self.asked = list(answers), 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _write(self, data: bytes) -> None:
        with self._lock:
            if self._closed:
                return
            try:
                os.write(self.master, data)
            except (BlockingIOError, OSError):
                pass  # nobody reads the other end: the line is lost, as a real scale's would be

    def _serve(self) -> None:
        buffer = b""
        while not self._stop.is_set():
            with self._lock:
                if self._closed:
                    return
                ready = select.select([self.master], [], [], 0)[0]
                try:
                    chunk = os.read(self.master, 256) if ready else b""
                except (BlockingIOError, OSError):
                    chunk = b""
            if not chunk:
                time.sleep(0.02)
                continue
            buffer += chunk
            while b"\r\n" in buffer:
                command, buffer = buffer.split(b"\r\n", 1)
                if command == b"SI" and self.answers:
                    answer = self.answers[min(self.asked, len(self.answers) - 1)]
                    self.asked += 1
                    self._write(answer.encode() + b"\r\n")

    def send(self, text: str) -> None:
        self._write(text.encode())

    def close(self) -> None:
        self._stop.set()
        with self._lock:  # after this no thread of ours uses the numbers: they may be closed
            self._closed = True
            for fd in (self.master, self.slave):
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._thread.join(5)


@pytest.fixture
def scales():
    made = []

    def make(answers=()):
        made.append(FakeScale(answers))
        return made[-1]

    yield make
    for scale in made:
        scale.close()


def connected(spec: str) -> ScaleReader:
    reader = ScaleReader(parse_scale_spec(spec)).start()
    deadline = time.monotonic() + 5
    while reader.state != "connected" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert reader.state == "connected", (reader.state, reader.reason, reader.detail)
    return reader


def test_a_continuous_scale_settles_before_its_weight_is_taken(scales):
    fake = scales()
    reader = connected(f"serial:{fake.path}")
    try:
        fake.send("US,GS,+0001.180kg\r\n")
        assert reader.stable_weight(timeout=0.4).reason == "unstable"
        assert reader.latest()[0].grams == Decimal(1180)

        def feed():
            for _ in range(12):
                fake.send("ST,GS,+0001.250kg\r\n")
                time.sleep(0.05)

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        settled = reader.stable_weight(timeout=3)
        assert settled.reading is not None and settled.reading.grams == Decimal(1250), settled
        feeder.join()
        fake.send("OL,GS,+9999.999kg\r\n")
        time.sleep(0.2)
        assert reader.stable_weight(timeout=0.2).reason == "overload"
    finally:
        reader.stop()


def test_an_mt_sics_scale_is_asked_si_until_it_is_stable(scales):
    fake = scales(["S D      1.180 kg", "S I", "S S      1.250 kg"])
    reader = connected(f"serial:{fake.path}:9600:mt-sics")
    try:
        settled = reader.stable_weight(timeout=3)
        assert settled.reading is not None and settled.reading.grams == Decimal(1250) and fake.asked >= 3
    finally:
        reader.stop()


def test_a_missing_scale_is_offline_and_found_when_it_comes(scales, tmp_path):
    link = tmp_path / "ttyScale"
    reader = ScaleReader(parse_scale_spec(f"serial:{link}")).start()
    try:
        deadline = time.monotonic() + 3
        while reader.state != "offline" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert (reader.state, reader.reason) == ("offline", "missing")
        assert reader.stable_weight(timeout=0.1).reason == "offline"
        fake = scales()
        link.symlink_to(fake.path)
        deadline = time.monotonic() + 3
        while reader.state != "connected" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert reader.state == "connected"
    finally:
        reader.stop()


# --- USB HID POS scales through hidapi (a fake device: hidapi needs a real one) -----------------------------------
class FakeHidDevice:
    """What hidapi's ``hid.device`` gives the reader: ``read(size, timeout_ms)`` and ``close()``."""

    def __init__(self, reports) -> None:
        self.reports = list(reports)
        self.closed = False
        self.unplug_after: int | None = None

    def read(self, size, timeout_ms=0):
        if self.unplug_after is not None:
            self.unplug_after -= 1
            if self.unplug_after < 0:
                raise OSError("read error")
        if self.reports:
            return list(self.reports.pop(0))
        time.sleep(timeout_ms / 1000)
        return []

    def close(self):
        self.closed = True


def hid_report(status: int, grams: int, unit: int = 2, exponent: int = 0) -> bytes:
    return bytes([3, status, unit, exponent & 0xFF]) + grams.to_bytes(2, "little")


def test_a_hid_pos_scale_is_read_through_hidapi_and_settles_like_a_serial_one():
    from station.weighing.reader import HidScaleReader

    moving, stable = hid_report(3, 1180), hid_report(4, 1250)
    device = FakeHidDevice([moving, bytes([1, 0, 0]), *[stable] * 3])  # report 1: not a weight, skipped
    opened = []

    def open_device(vid, pid):
        opened.append((vid, pid))
        return device

    reader = HidScaleReader(parse_scale_spec("hid:0922:8003"), open_device=open_device).start()
    try:
        settled = reader.stable_weight(timeout=3)
        assert settled.reading is not None and settled.reading.grams == Decimal(1250), settled
        assert opened == [(0x0922, 0x8003)] and reader.state == "connected"
        device.reports.append(hid_report(6, 0))  # over weight
        time.sleep(0.2)
        assert reader.stable_weight(timeout=0.2).reason == "overload"
    finally:
        reader.stop()
    assert device.closed


def test_a_hid_scale_unplugged_is_offline_and_one_never_found_says_why():
    from station.weighing.reader import HidScaleReader

    device = FakeHidDevice([hid_report(4, 500)] * 3)
    device.unplug_after = 2
    reader = HidScaleReader(parse_scale_spec("hid:0922:8003"), open_device=lambda vid, pid: device).start()
    try:
        deadline = time.monotonic() + 3
        while reader.state != "offline" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert (reader.state, reader.reason) == ("offline", "gone")
        assert reader.stable_weight(timeout=0.1).reason == "offline"
    finally:
        reader.stop()

    def missing(vid, pid):
        raise OSError("open failed")

    reader = HidScaleReader(parse_scale_spec("hid:0922:8003"), open_device=missing).start()
    try:
        deadline = time.monotonic() + 3
        while reader.state != "offline" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert reader.state == "offline" and reader.detail == "open failed"
    finally:
        reader.stop()
