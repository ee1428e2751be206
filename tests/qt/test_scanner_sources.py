"""Scanners that are not keyboards, end to end: a serial scanner played by a pseudo-terminal pair,
an evdev scanner played by a fake input device (a pipe and a queue of key events), both into the
real MainWindow's benches; offline states, reconnecting, the settings dialog's scan to test.

Not tested here: a real USB scanner, a real /dev/input device and its grab (this machine has no
/dev/uinput to make a virtual one); see docs/scanning.md.
"""
from __future__ import annotations

import errno
import os
import threading
import tty
from collections import deque

import pytest
from PySide6.QtCore import Qt

from station.ui.scanners import sources
from station.ui.scanners.spec import parse_scanner_spec
from tests.qt.conftest import BADGE, PACKER, TSHIRT_EAN, TSHIRT_SKU
from tests.support.scanner_keys import key_events


@pytest.fixture(autouse=True)
def fast_retry(monkeypatch):
    monkeypatch.setattr(sources, "RECONNECT_MS", 100)
    monkeypatch.setattr(sources, "UNTERMINATED_MS", 200)


class Pty:
    """A pseudo-terminal pair: Station opens the slave as its serial port, the test writes into the master."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        self.path = os.ttyname(self.slave)

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> None:
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass


@pytest.fixture
def pty_pair():
    pairs = []

    def make():
        pairs.append(Pty())
        return pairs[-1]

    yield make
    for pair in pairs:
        pair.close()


def outcomes_of(window):
    got = []
    window.outcome_shown.connect(got.append)
    return got


def wait_connected(qtbot, window):
    qtbot.waitUntil(lambda: window.scanner.source is not None and window.scanner.source.state == "connected",
                    timeout=3000)


# --- serial ----------------------------------------------------------------------------------------------
def test_a_serial_scanner_logs_in_and_looks_up_like_the_keyboard_one(qtbot, make_window, pty_pair):
    pty = pty_pair()
    window = make_window(scanner=parse_scanner_spec(f"serial:{pty.path}"))
    wait_connected(qtbot, window)
    assert window.scanner.label.text() == f"Scanner: serial port {pty.path} at 9600 baud"
    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == "logged_in"):
        pty.write(f"{BADGE}\r\n".encode())
    assert window.screen.runner.user == PACKER
    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == "product_found"):
        pty.write(f"{TSHIRT_EAN}\r\n".encode())
    assert TSHIRT_SKU in window.screen.banner.message


def test_several_scans_in_one_write_and_one_scan_across_many_writes(qtbot, make_window, pty_pair):
    pty = pty_pair()
    window = make_window(scanner=parse_scanner_spec(f"serial:{pty.path}:115200"))
    wait_connected(qtbot, window)
    got = outcomes_of(window)
    pty.write(f"{BADGE}\r\n{TSHIRT_EAN}\r\nYT7000000000098\r\n".encode())
    qtbot.waitUntil(lambda: len(got) == 3, timeout=3000)
    assert [o.code for o in got][:2] == ["logged_in", "product_found"]
    assert got[2].code != "unknown" or "YT7000000000098" in got[2].message
    for piece in (TSHIRT_EAN[:3].encode(), TSHIRT_EAN[3:9].encode(), TSHIRT_EAN[9:].encode() + b"\r", b"\n"):
        pty.write(piece)
        qtbot.wait(30)
    qtbot.waitUntil(lambda: len(got) == 4, timeout=3000)
    assert got[3].code == "product_found"
    qtbot.wait(100)
    assert len(got) == 4  # CR LF is one end, not a second (empty) scan


def test_bytes_that_are_no_text_are_answered_unreadable_with_the_bytes_shown(qtbot, make_window, pty_pair):
    pty = pty_pair()
    window = make_window(scanner=parse_scanner_spec(f"serial:{pty.path}"))
    wait_connected(qtbot, window)
    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == "logged_in"):
        pty.write(f"{BADGE}\r".encode())
    with qtbot.waitSignal(window.outcome_shown) as blocker:
        pty.write(b"69\xff\xfe45\r\n")
    assert blocker.args[0].code == "unreadable_scan"
    assert "69\\xff\\xfe45" in window.screen.banner.message


def test_text_without_an_end_of_line_is_reported_not_lost_and_not_guessed(qtbot, make_window, pty_pair):
    pty = pty_pair()
    window = make_window(scanner=parse_scanner_spec(f"serial:{pty.path}"))
    wait_connected(qtbot, window)
    got = outcomes_of(window)
    pty.write(b"691234500")
    qtbot.waitUntil(lambda: "Scan not read completely (691234500)" in window.statusBar().currentMessage(),
                    timeout=3000)
    assert got == []
    assert window.feedback.played[-1] == "warn"


def test_a_missing_serial_port_shows_offline_and_the_keyboard_scanner_still_works(qtbot, make_window, tmp_path):
    window = make_window(scanner=parse_scanner_spec(f"serial:{tmp_path}/ttyACM9"))
    qtbot.waitUntil(lambda: window.scanner.source.state == "offline", timeout=3000)
    label = window.scanner.label
    assert label.isVisible()
    assert label.text() == (f"Scanner offline: {tmp_path}/ttyACM9, not connected (check the cable). "
                            "The keyboard scanner still works")
    assert label.toolTip() == f"serial port {tmp_path}/ttyACM9 at 9600 baud: No such file or directory"
    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == "logged_in"):
        qtbot.keyClicks(window.focusWidget() or window, BADGE)
        qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_Return)


def test_an_unplugged_serial_scanner_goes_offline_and_comes_back_by_itself(qtbot, make_window, pty_pair, tmp_path):
    """/dev/serial/by-id/… is a link to the tty the scanner gets; unplugged, it goes; plugged in, it comes back."""
    link = tmp_path / "usb-Scanner-if00"
    first = pty_pair()
    link.symlink_to(first.path)
    window = make_window(scanner=parse_scanner_spec(f"serial:{link}"))
    wait_connected(qtbot, window)
    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == "logged_in"):
        first.write(f"{BADGE}\r".encode())

    link.unlink()
    first.close()  # the USB cable pulled: reads fail, the tty goes away
    qtbot.waitUntil(lambda: window.scanner.source.state == "offline", timeout=3000)
    assert "Scanner offline" in window.scanner.label.text()
    assert window.feedback.played[-1] == "warn"

    second = pty_pair()
    link.symlink_to(second.path)
    wait_connected(qtbot, window)
    assert window.scanner.label.text().startswith("Scanner: serial port")
    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == "product_found"):
        second.write(f"{TSHIRT_EAN}\r\n".encode())


def test_the_offline_message_speaks_chinese_after_a_language_switch(qtbot, make_window, tmp_path, settings):
    window = make_window(scanner=parse_scanner_spec(f"serial:{tmp_path}/nothing"))
    qtbot.waitUntil(lambda: window.scanner.source.state == "offline", timeout=3000)
    settings.language = "zh_CN"
    try:
        window.apply_settings({"language": ("", "zh_CN")})
        assert window.scanner.label.text().startswith("扫码枪离线")
        assert "键盘式扫码枪仍可使用" in window.scanner.label.text()
    finally:
        settings.language = "en"
        window.apply_settings({"language": ("zh_CN", "en")})


def test_the_scanner_comes_from_the_settings_and_an_invalid_setting_says_so(qtbot, make_window, settings, pty_pair):
    pty = pty_pair()
    settings.scanner = f"serial:{pty.path}"
    window = make_window()
    wait_connected(qtbot, window)
    window.close()
    settings.scanner = "usb:/dev/ttyACM0"
    again = make_window()
    assert again.scanner.source is None  # the keyboard
    assert again.scanner.label.text().startswith("Scanner setting not valid: Unknown scanner usb:/dev/ttyACM0")


# --- the settings dialog ------------------------------------------------------------------------------------
def test_settings_choose_a_serial_scanner_after_scan_to_test(qtbot, make_window, settings, pty_pair):
    from station.ui.scanners.spec import SERIAL

    pty = pty_pair()
    window = make_window()
    assert window.scanner.source is None and not window.scanner.label.isVisible()
    window.open_settings()
    dialog = window.settings_dialog
    chooser = dialog.scanner
    chooser.kind.setCurrentIndex(chooser.kind.findData(SERIAL))
    chooser.device.setCurrentText(pty.path)
    chooser.baud.setCurrentText("19200")
    qtbot.mouseClick(chooser.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: chooser.test_source is not None and chooser.test_source.state == "connected",
                    timeout=3000)
    with qtbot.waitSignal(chooser.tested):
        pty.write(b"YT7000000000098\r\n")
    assert chooser.result.text() == "Read: YT7000000000098 (15 characters)"
    with qtbot.waitSignal(chooser.tested):
        pty.write(b"AB\xffCD\r")
    assert chooser.result.text() == "Read: AB\\xffCD (5 characters)"

    dialog.accept()
    assert settings.scanner == f"serial:{pty.path}:19200"
    assert chooser.test_source is None  # the test let go of the port ...
    wait_connected(qtbot, window)  # ... and the window took it
    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == "logged_in"):
        pty.write(f"{BADGE}\r".encode())


def test_settings_refuse_a_serial_scanner_without_a_port(qtbot, make_window, settings):
    from station.ui.scanners.spec import SERIAL

    window = make_window()
    window.open_settings()
    dialog = window.settings_dialog
    dialog.scanner.kind.setCurrentIndex(dialog.scanner.kind.findData(SERIAL))
    dialog.scanner.device.setCurrentText("")
    dialog.accept()
    assert dialog.isVisible()
    assert "name the serial port" in dialog.scanner.result.text()
    assert settings.scanner == "keyboard"
    dialog.reject()


def test_the_window_lets_go_of_its_scanner_while_the_settings_are_open(qtbot, make_window, pty_pair):
    pty = pty_pair()
    window = make_window(scanner=parse_scanner_spec(f"serial:{pty.path}"))
    wait_connected(qtbot, window)
    window.open_settings()
    assert window.scanner.source is None
    window.settings_dialog.reject()
    wait_connected(qtbot, window)


def test_scan_to_test_with_the_keyboard_reads_a_scanner_burst(qtbot, make_window):
    window = make_window()
    window.open_settings()
    chooser = window.settings_dialog.scanner
    qtbot.mouseClick(chooser.test_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(chooser.tested):
        qtbot.keyClicks(chooser.test_button, "CMD-CONFIRM")
        qtbot.keyClick(chooser.test_button, Qt.Key.Key_Return)
    assert chooser.result.text() == "Read: CMD-CONFIRM (11 characters)"
    window.settings_dialog.reject()


# --- evdev, with a fake device ----------------------------------------------------------------------------
class Event:
    __slots__ = ("type", "code", "value")

    def __init__(self, type_, code, value):
        self.type, self.code, self.value = type_, code, value


class FakeInputDevice:
    """What `evdev.InputDevice` gives the reader: an fd to wait on, read() of the queued events
    (BlockingIOError when none), grab/ungrab; ENODEV once unplugged."""

    def __init__(self) -> None:
        self._r, self._w = os.pipe()
        os.set_blocking(self._r, False)
        self.events: deque = deque()
        self.grabbed = self.closed = self.gone = False

    @property
    def fd(self) -> int:
        return self._r

    def push(self, events) -> None:
        self.events.extend(Event(*e) for e in events)
        os.write(self._w, b".")

    def unplug(self) -> None:
        self.gone = True
        os.write(self._w, b".")

    def read(self):
        try:
            os.read(self._r, 4096)
        except BlockingIOError:
            pass
        if self.gone:
            raise OSError(errno.ENODEV, "No such device")
        if not self.events:
            raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")
        while self.events:
            yield self.events.popleft()

    def grab(self) -> None:
        if self.grabbed:
            raise OSError(errno.EBUSY, "Device or resource busy")
        self.grabbed = True

    def ungrab(self) -> None:
        self.grabbed = False

    def close(self) -> None:
        self.closed = True
        for fd in (self._r, self._w):
            try:
                os.close(fd)
            except OSError:
                pass


class FakeDevices:
    """/dev/input as the test says: a path opens the device plugged in there, else ENOENT."""

    def __init__(self) -> None:
        self.plugged: dict[str, FakeInputDevice] = {}
        self.opened: list[FakeInputDevice] = []

    def plug(self, path: str) -> FakeInputDevice:
        self.plugged[path] = FakeInputDevice()
        return self.plugged[path]

    def __call__(self, path: str) -> FakeInputDevice:
        if path not in self.plugged:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        self.opened.append(self.plugged[path])
        return self.plugged[path]


@pytest.fixture
def devices(monkeypatch):
    fake = FakeDevices()
    monkeypatch.setattr(sources, "open_evdev", fake)
    return fake


SCANNER = "/dev/input/by-id/usb-Newland_HR32-event-kbd"


def test_an_evdev_scanner_is_grabbed_and_its_keys_become_scans_at_the_bench(qtbot, make_window, devices):
    device = devices.plug(SCANNER)
    window = make_window(scanner=parse_scanner_spec(f"evdev:{SCANNER}"))
    wait_connected(qtbot, window)
    assert device.grabbed
    assert window.scanner.label.text() == f"Scanner: input device {SCANNER}"
    got = outcomes_of(window)
    threads = []
    window.outcome_shown.connect(lambda _o: threads.append(threading.get_ident()))
    device.push(key_events(BADGE) + key_events(TSHIRT_EAN))
    qtbot.waitUntil(lambda: len(got) == 2, timeout=3000)
    assert [o.code for o in got] == ["logged_in", "product_found"]
    assert threads == [threading.main_thread().ident] * 2  # read in the worker, handled in the GUI thread
    window.close()
    assert not device.grabbed and device.closed  # let go when Station closes


def test_an_evdev_scanner_held_by_another_program_is_offline_and_says_why(qtbot, make_window, devices):
    device = devices.plug(SCANNER)
    device.grabbed = True
    window = make_window(scanner=parse_scanner_spec(f"evdev:{SCANNER}"))
    qtbot.waitUntil(lambda: window.scanner.source.state == "offline", timeout=3000)
    assert window.scanner.label.text() == (f"Scanner offline: {SCANNER}, in use by another program. "
                                           "The keyboard scanner still works")


def test_an_unplugged_evdev_scanner_reports_its_half_scan_and_comes_back(qtbot, make_window, devices):
    device = devices.plug(SCANNER)
    window = make_window(scanner=parse_scanner_spec(f"evdev:{SCANNER}"))
    wait_connected(qtbot, window)
    got = outcomes_of(window)
    device.push(key_events("69123", end=None))
    qtbot.wait(50)
    del devices.plugged[SCANNER]
    device.unplug()
    qtbot.waitUntil(lambda: window.scanner.source.state == "offline", timeout=3000)
    assert "disconnected; reconnects by itself" in window.scanner.label.text()
    assert "Scan not read completely (69123)" in window.statusBar().currentMessage()
    assert got == []

    again = devices.plug(SCANNER)
    wait_connected(qtbot, window)
    assert again.grabbed
    again.push(key_events(BADGE))
    qtbot.waitUntil(lambda: len(got) == 1, timeout=3000)
    assert got[0].code == "logged_in"


def test_without_python_evdev_the_scanner_is_offline_and_says_so(qtbot, make_window, monkeypatch):
    def no_evdev(path):
        raise sources.EvdevUnavailable("No module named 'evdev'")

    monkeypatch.setattr(sources, "open_evdev", no_evdev)
    window = make_window(scanner=parse_scanner_spec(f"evdev:{SCANNER}"))
    qtbot.waitUntil(lambda: window.scanner.source.state == "offline", timeout=3000)
    assert "python-evdev is not installed" in window.scanner.label.text()


def test_opening_a_device_that_is_not_there_is_missing_with_or_without_python_evdev(tmp_path):
    try:
        import evdev  # noqa: F401
    except ImportError:
        with pytest.raises(sources.EvdevUnavailable) as caught:
            sources.open_evdev(str(tmp_path / "event99"))
        assert sources._reason(caught.value) == sources.NO_EVDEV
    else:
        with pytest.raises(OSError) as caught:
            sources.open_evdev(str(tmp_path / "event99"))
        assert sources._reason(caught.value) == sources.MISSING
