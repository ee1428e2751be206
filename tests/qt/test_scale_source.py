"""A serial scale read through QtSerialPort, with a pseudo-terminal pair as the scale (issue 18)."""
from __future__ import annotations

import os
import select
import threading
import tty
from decimal import Decimal

import pytest

from station.ui.scales import source
from station.ui.scales.source import SerialScale
from station.weighing.spec import parse_scale_spec


@pytest.fixture(autouse=True)
def fast(monkeypatch):
    monkeypatch.setattr(source, "RECONNECT_MS", 100)
    monkeypatch.setattr(source, "POLL_MS", 50)


class FakeScale:
    """The scale's end of a pty pair. ``answers``: what it says to each ``SI`` (MT-SICS), in turn."""

    def __init__(self, answers=()) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        tty.setraw(self.slave)
        self.path = os.ttyname(self.slave)
        self.answers = list(answers)
        self.asked = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True) if answers else None
        if self._thread:
            self._thread.start()

    def _serve(self) -> None:
        buffer = b""
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                buffer += os.read(self.master, 256)
            except OSError:
                return
            while b"\r\n" in buffer:
                command, buffer = buffer.split(b"\r\n", 1)
                if command == b"SI":
                    answer = self.answers[min(self.asked, len(self.answers) - 1)]
                    self.asked += 1
                    os.write(self.master, answer.encode() + b"\r\n")

    def send(self, text: str) -> None:
        os.write(self.master, text.encode())

    def close(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(1)
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass


@pytest.fixture
def scales():
    made = []

    def make(answers=()):
        made.append(FakeScale(answers))
        return made[-1]

    yield make
    for scale in made:
        scale.close()


def started(qtbot, spec_text):
    scale = SerialScale(parse_scale_spec(spec_text))
    scale.start()
    qtbot.waitUntil(lambda: scale.state == "connected", timeout=3000)
    return scale


def test_a_continuous_scale_gives_every_reading_and_waits_for_stable(qtbot, scales):
    fake = scales()
    scale = started(qtbot, f"serial:{fake.path}")
    got, refused = [], []
    scale.reading.connect(got.append)
    scale.refused.connect(refused.append)
    fake.send("US,GS,+0001.180kg\r\nST,GS,+0001.2")
    qtbot.waitUntil(lambda: len(got) == 1)
    assert got[0].grams == Decimal(1180) and not got[0].stable and scale.stable_since() is None
    fake.send("50kg\r\nST,GS,+0001.251kg\r\nOL,GS,+9999.999kg\r\n")
    qtbot.waitUntil(lambda: len(got) == 3 and refused == ["overload"])
    assert [r.grams for r in got] == [Decimal(1180), Decimal(1250), Decimal(1251)]
    assert scale.stable_since() is None  # the overload broke the settled run
    fake.send("ST,GS,+0001.250kg\r\n")
    qtbot.waitUntil(lambda: len(got) == 4)
    assert scale.stable_since() is not None and scale.latest()[0].grams == Decimal(1250)
    scale.stop()


def test_an_mt_sics_scale_is_asked_si_and_its_answers_read(qtbot, scales):
    fake = scales(["S D      1.180 kg", "S I", "S S      1.250 kg"])
    scale = started(qtbot, f"serial:{fake.path}:9600:mt-sics")
    got, refused = [], []
    scale.reading.connect(got.append)
    scale.refused.connect(refused.append)
    qtbot.waitUntil(lambda: any(r.stable for r in got), timeout=3000)
    assert fake.asked >= 3
    assert got[0].grams == Decimal(1180) and not got[0].stable
    assert "busy" in refused
    assert scale.latest()[0].grams == Decimal(1250) and scale.latest()[0].stable
    scale.stop()


def test_an_unplugged_scale_goes_offline_and_comes_back(qtbot, scales):
    scale = SerialScale(parse_scale_spec("serial:/dev/station-no-such-scale"))
    scale.start()
    qtbot.waitUntil(lambda: scale.state == "offline")
    assert scale.reason == "missing" and scale.latest() is None
    fake = scales()
    scale.spec = parse_scale_spec(f"serial:{fake.path}")
    qtbot.waitUntil(lambda: scale.state == "connected", timeout=3000)
    scale.stop()
    assert scale.state == "stopped"
