"""GUI fixtures: a small warehouse, private settings, a recording dialog service, the main window."""
from __future__ import annotations

import pytest

from station.db import unit_of_work
from station.inventory import ledger
from station.workflows import Bench, Outcome
from tests.support import factories as f

BADGE = "U-1001"
PACKER = "张伟"
TSHIRT_EAN = "6912345000024"
TSHIRT_SKU = "TS01-RD-M"
BIN = "A-01-01-01"


class FakeClock:
    """Monotonic seconds that only move when the test says so: typing speed without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, ms: float) -> None:
        self.now += ms / 1000.0


class RecordingDialogs:
    """The dialog seam, answering as told and remembering what it was asked."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.asked: list[tuple[str, str, str]] = []

    def confirm(self, parent, title, text) -> bool:
        self.asked.append(("confirm", title, text))
        return self.answer

    def inform(self, parent, title, text) -> None:
        self.asked.append(("inform", title, text))

    def error(self, parent, title, text) -> None:
        self.asked.append(("error", title, text))


class EchoBench(Bench):
    """A second bench for switching tests: answers every scan in amber with what it got."""

    name = "echo"
    title = "Echo"

    def handle(self, scan, session, ctx) -> Outcome:
        self.state = {"last": scan.raw}
        return Outcome.warn("echo", f"echo {scan.raw}")


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def warehouse(sessions):
    """张伟 the packer (badge U-1001), a red T-shirt size M with 12 in bin A-01-01-01."""
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        f.user(s, PACKER, BADGE, "packer")
        f.product(s, TSHIRT_SKU, TSHIRT_EAN, name="纯棉圆领T恤", name_en="Cotton crew-neck T-shirt",
                  colour="红色", size="M")
        f.location(s, BIN)
        ledger.move(s, ledger.Move(TSHIRT_SKU, 12, "ADJUSTMENT", BIN, "opening"))
        s.commit()
    return sessions


@pytest.fixture
def settings(tmp_path):
    from station.ui.settings import Settings

    s = Settings(path=tmp_path / "station.ini")
    s.station_name = "bench-7"
    return s


@pytest.fixture
def dialogs():
    return RecordingDialogs()


@pytest.fixture
def echo_bench(monkeypatch):
    """Register a second bench, and its outcome code, for this test only."""
    from station.workflows import BENCHES
    from station.workflows.outcomes import OUTCOMES, OutcomeCode, Level

    monkeypatch.setitem(BENCHES, EchoBench.name, EchoBench)
    monkeypatch.setitem(OUTCOMES, "echo", OutcomeCode("echo", Level.WARN, "the echo bench's answer"))
    return EchoBench


@pytest.fixture
def make_window(qtbot, warehouse, settings, dialogs, sqlite_url, clock):
    """Build (and show) a real MainWindow on the test database; call again for a 'restart'.

    Its scan capture reads the test's `clock` (QTest's key events carry no timestamp): keys
    typed by `qtbot.keyClicks` come 0 ms apart however busy the machine is, and a test types
    like a person by advancing the clock.
    """
    from station.ui.feedback import Feedback
    from station.ui.main_window import MainWindow
    from station.ui.scan_capture import ScanCapture

    def make(**kw):
        kw.setdefault("feedback", Feedback(enabled=False))
        kw.setdefault("capture", ScanCapture(clock=clock))
        window = MainWindow(warehouse, db_label=sqlite_url, settings=settings, dialogs=dialogs, **kw)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture(autouse=True)
def _qt_speaks_english_again():
    """A test that switched the language leaves Qt's own translator behind otherwise."""
    yield
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is not None:
        from station.ui.translator import install_qt_translator

        install_qt_translator("en")
