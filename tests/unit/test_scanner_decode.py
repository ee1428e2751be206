"""Scanners that are not keyboards, the parts without Qt: the --scanner spec, the serial line
splitter, the evdev key decoder (US layout)."""
from __future__ import annotations

import pytest

from station.i18n import set_language
from station.ui.scanners.decode import (EV_KEY, EV_SYN, KEY_DOWN, KEY_REPEAT, KEY_UP, SYN_DROPPED, US_KEYS,
                                        KeyDecoder, LineSplitter, Read)
from station.ui.scanners.spec import ScannerSpec, ScannerSpecError, parse_scanner_spec

from tests.support.scanner_keys import ALT, CAPS, CTRL, ENTER, KPENTER, SHIFT, TAB, key_events


def decode_all(events, decoder=None) -> list[Read]:
    decoder = decoder or KeyDecoder()
    return [r for r in (decoder.feed(*e) for e in events) if r is not None]


# --- the spec --------------------------------------------------------------------------------
@pytest.mark.parametrize("text, spec", [
    ("", ScannerSpec()), (None, ScannerSpec()), ("keyboard", ScannerSpec()), (" KEYBOARD ", ScannerSpec()),
    ("serial:/dev/ttyACM0", ScannerSpec("serial", "/dev/ttyACM0", 9600)),
    ("serial:/dev/ttyUSB1:115200", ScannerSpec("serial", "/dev/ttyUSB1", 115200)),
    ("SERIAL:COM3:19200", ScannerSpec("serial", "COM3", 19200)),
    ("serial:COM3", ScannerSpec("serial", "COM3", 9600)),
    # by-path names hold colons; only digits after the last colon are a baud rate
    ("serial:/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0",
     ScannerSpec("serial", "/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0", 9600)),
    ("serial:/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0:38400",
     ScannerSpec("serial", "/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0", 38400)),
    ("evdev:/dev/input/by-id/usb-Honeywell_Scanner-event-kbd",
     ScannerSpec("evdev", "/dev/input/by-id/usb-Honeywell_Scanner-event-kbd")),
])
def test_a_scanner_spec_names_the_kind_the_port_and_the_baud_rate(text, spec):
    assert parse_scanner_spec(text, platform="linux") == spec


@pytest.mark.parametrize("spec", ["keyboard", "serial:/dev/ttyACM0", "serial:COM3:115200", "evdev:/dev/input/event3"])
def test_a_spec_written_out_reads_back_the_same(spec):
    assert str(parse_scanner_spec(spec, platform="linux")) == spec


@pytest.mark.parametrize("text, words", [
    ("bogus", "Unknown scanner bogus: use one of keyboard, serial:PATH[:BAUD], evdev:PATH"),
    ("usb:/dev/ttyACM0", "Unknown scanner usb:/dev/ttyACM0"),
    ("serial", "Unknown scanner serial"),
    ("serial:", "serial:: name the serial port, e.g. serial:/dev/ttyACM0 or serial:COM3:9600"),
    ("serial::9600", "name the serial port"),
    ("serial:/dev/ttyACM0:12", "Baud rate 12 is out of range: use 300 to 4000000"),
    ("serial:/dev/ttyACM0:99999999", "Baud rate 99999999 is out of range"),
    ("evdev:", "name the scanner's input device"),
])
def test_a_spec_station_cannot_use_is_refused_with_words_that_say_what_would_do(text, words):
    set_language("en")
    with pytest.raises(ScannerSpecError) as caught:
        parse_scanner_spec(text, platform="linux")
    assert words in str(caught.value)


def test_evdev_is_refused_off_linux_and_the_error_speaks_chinese_when_station_does():
    set_language("en")
    with pytest.raises(ScannerSpecError, match="Linux only"):
        parse_scanner_spec("evdev:/dev/input/event3", platform="win32")
    set_language("zh_CN")
    try:
        with pytest.raises(ScannerSpecError) as caught:
            parse_scanner_spec("bogus", platform="linux")
        assert "bogus" in str(caught.value) and "Unknown scanner" not in str(caught.value)
    finally:
        set_language("en")


# --- the serial line splitter ---------------------------------------------------------------------
def test_one_scan_per_line_whatever_ends_it_and_crlf_is_one_end():
    splitter = LineSplitter()
    assert splitter.feed(b"YT7000000000098\r\n6912345000024\rA-01-01-01\nTS01-RD-M\t") == [
        Read("YT7000000000098"), Read("6912345000024"), Read("A-01-01-01"), Read("TS01-RD-M")]
    assert splitter.pending == b""


def test_a_scan_cut_across_reads_is_joined_even_inside_a_utf8_character():
    splitter = LineSplitter()
    data = "SKU-红色-M\r\n".encode()
    reads = []
    for i in range(len(data)):
        reads += splitter.feed(data[i:i + 1])
    assert reads == [Read("SKU-红色-M")]


def test_bytes_that_are_no_utf8_are_kept_as_surrogates_for_the_runner_to_escape():
    (read,) = LineSplitter().feed(b"AB\xffCD\r\n")
    assert read == Read("AB\udcffCD")
    assert read.text.encode("utf-8", "surrogateescape") == b"AB\xffCD"


def test_the_gs1_separator_stays_in_the_scan():
    assert LineSplitter().feed(b"]C101095011015300031714070410AB-123\x1d2112345\r") == [
        Read("]C101095011015300031714070410AB-123\x1d2112345")]


def test_text_without_an_end_waits_and_is_handed_over_as_incomplete():
    splitter = LineSplitter()
    assert splitter.feed(b"69123450") == []
    assert splitter.take_pending() == Read("69123450", complete=False)
    assert splitter.take_pending() is None


def test_a_line_longer_than_any_barcode_is_given_up():
    splitter = LineSplitter(max_bytes=10)
    reads = splitter.feed(b"0123456789ABCDEF\r")
    assert reads[0].complete is False
    assert reads[1:] == [Read("BCDEF")]


# --- the evdev key decoder ---------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["YT7000000000098", "6912345000024", "A-01-01-01", "CMD-CONFIRM", "PS:SO-2024-0001",
                                  "ts01-rd-m", "a!@#$%^&*()_+{}|:\"<>?~", "`-=[]\\;',./ x"])
def test_key_codes_with_shift_give_the_us_characters(text):
    assert decode_all(key_events(text)) == [Read(text)]


def test_enter_keypad_enter_and_tab_each_end_a_scan_and_an_empty_enter_is_no_scan():
    events = key_events("AB12", ENTER) + key_events("CD34", KPENTER) + key_events("EF56", TAB) + key_events("", ENTER)
    assert decode_all(events) == [Read("AB12"), Read("CD34"), Read("EF56")]


def test_right_shift_caps_lock_and_auto_repeat():
    events = [(EV_KEY, 54, KEY_DOWN), (EV_KEY, 30, KEY_DOWN), (EV_KEY, 30, KEY_UP), (EV_KEY, 54, KEY_UP),
              (EV_KEY, CAPS, KEY_DOWN), (EV_KEY, CAPS, KEY_UP), (EV_KEY, 48, KEY_DOWN), (EV_KEY, 48, KEY_REPEAT),
              (EV_KEY, 48, KEY_UP), (EV_KEY, SHIFT, KEY_DOWN), (EV_KEY, 46, KEY_DOWN), (EV_KEY, SHIFT, KEY_UP),
              (EV_KEY, 2, KEY_DOWN), (EV_KEY, ENTER, KEY_DOWN)]
    assert decode_all(events) == [Read("ABc1")]


def test_ctrl_right_bracket_and_alt_029_give_gs():
    ctrl_gs = [(EV_KEY, CTRL, KEY_DOWN), (EV_KEY, 27, KEY_DOWN), (EV_KEY, 27, KEY_UP), (EV_KEY, CTRL, KEY_UP)]
    alt_gs = [(EV_KEY, ALT, KEY_DOWN), (EV_KEY, 82, KEY_DOWN), (EV_KEY, 82, KEY_UP), (EV_KEY, 80, KEY_DOWN),
              (EV_KEY, 80, KEY_UP), (EV_KEY, 73, KEY_DOWN), (EV_KEY, 73, KEY_UP), (EV_KEY, ALT, KEY_UP)]
    events = key_events("0101", None) + ctrl_gs + key_events("10AB", None) + alt_gs + key_events("21X")
    assert decode_all(events) == [Read("0101\x1d10AB\x1d21X")]


def test_ctrl_m_ends_a_scan_like_enter():
    events = key_events("AB12", None) + [(EV_KEY, CTRL, KEY_DOWN), (EV_KEY, 50, KEY_DOWN), (EV_KEY, CTRL, KEY_UP)]
    assert decode_all(events) == [Read("AB12")]


def test_keys_that_type_nothing_are_ignored():
    events = [(EV_KEY, 59, KEY_DOWN), (EV_KEY, 103, KEY_DOWN), (EV_KEY, 1, KEY_DOWN)] + key_events("AB12")
    assert decode_all(events) == [Read("AB12")]


def test_a_scan_during_which_the_kernel_dropped_events_comes_out_incomplete():
    events = key_events("6912", None) + [(EV_SYN, SYN_DROPPED, 0)] + key_events("024") + key_events("OK12")
    assert decode_all(events) == [Read("6912024", complete=False), Read("OK12")]


def test_characters_left_when_the_device_went_away_are_incomplete():
    decoder = KeyDecoder()
    decode_all(key_events("69123", None), decoder)
    assert decoder.take_pending() == Read("69123", complete=False)
    assert decoder.take_pending() is None


def test_our_key_codes_are_the_kernels():
    """Cross-check the table against python-evdev's ecodes (generated from linux/input.h) where it is installed."""
    ecodes = pytest.importorskip("evdev.ecodes")
    names = {2: "KEY_1", 11: "KEY_0", 16: "KEY_Q", 26: "KEY_LEFTBRACE", 27: "KEY_RIGHTBRACE", 30: "KEY_A",
             39: "KEY_SEMICOLON", 41: "KEY_GRAVE", 43: "KEY_BACKSLASH", 44: "KEY_Z", 53: "KEY_SLASH", 57: "KEY_SPACE",
             82: "KEY_KP0", 83: "KEY_KPDOT", 96: "KEY_KPENTER", 98: "KEY_KPSLASH", 117: "KEY_KPEQUAL",
             SHIFT: "KEY_LEFTSHIFT", 54: "KEY_RIGHTSHIFT", CTRL: "KEY_LEFTCTRL", ALT: "KEY_LEFTALT", CAPS: "KEY_CAPSLOCK",
             ENTER: "KEY_ENTER", TAB: "KEY_TAB"}
    for code, name in names.items():
        assert getattr(ecodes, name) == code, name
    for code, (plain, _shifted) in US_KEYS.items():
        if plain.isalpha():
            assert getattr(ecodes, f"KEY_{plain.upper()}") == code
    assert (ecodes.EV_KEY, ecodes.EV_SYN, ecodes.SYN_DROPPED) == (EV_KEY, EV_SYN, SYN_DROPPED)


# --- station --scanner ------------------------------------------------------------------------------
def test_station_scanner_hands_the_parsed_spec_to_the_gui(monkeypatch):
    from click.testing import CliRunner

    import station.ui.app
    from station.cli import main

    started = []
    monkeypatch.setattr(station.ui.app, "run", lambda db_url, lang, scanner=None, camera=None: started.append(scanner) or 0)
    result = CliRunner().invoke(main, ["--scanner", "serial:/dev/ttyACM0:115200"])
    assert result.exit_code == 0, result.output
    assert started == [ScannerSpec("serial", "/dev/ttyACM0", 115200)]


@pytest.mark.parametrize("lang, words", [
    ("en", "Invalid value for --scanner: Unknown scanner usb:/dev/ttyACM0: use one of keyboard, "
           "serial:PATH[:BAUD], evdev:PATH"),
    ("zh_CN", "未知的扫码枪 usb:/dev/ttyACM0"),
])
def test_station_scanner_with_a_spec_it_cannot_use_says_why_and_opens_no_gui(monkeypatch, lang, words):
    from click.testing import CliRunner

    import station.ui.app
    from station.cli import main

    monkeypatch.setattr(station.ui.app, "run", lambda *a, **k: pytest.fail("the GUI was started"))
    try:
        result = CliRunner().invoke(main, ["--lang", lang, "--scanner", "usb:/dev/ttyACM0"])
    finally:
        set_language("en")
    assert result.exit_code == 2
    assert words in result.output


def test_however_the_bytes_are_cut_the_scans_are_the_same():
    from hypothesis import given, settings, strategies as st

    scans = st.lists(st.binary(min_size=1, max_size=30).map(lambda b: bytes(c for c in b if c not in b"\r\n\t"))
                     .filter(bool), min_size=1, max_size=5)

    @settings(max_examples=200, deadline=None)
    @given(scans, st.sampled_from([b"\r", b"\n", b"\r\n", b"\t"]), st.lists(st.integers(0, 200), max_size=8))
    def check(lines, end, cuts):
        data = b"".join(line + end for line in lines)
        points = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
        splitter = LineSplitter()
        reads = []
        for a, b in zip(points, points[1:]):
            reads += splitter.feed(data[a:b])
        assert [r.text.encode("utf-8", "surrogateescape") for r in reads] == lines
        assert all(r.complete for r in reads)

    check()


def test_station_camera_hands_the_checked_spec_to_the_gui_or_says_why(monkeypatch):
    from click.testing import CliRunner

    import station.ui.app
    from station.cli import main

    started = []
    monkeypatch.setattr(station.ui.app, "run", lambda db_url, lang, scanner=None, camera=None:
                        started.append(camera) or 0)
    result = CliRunner().invoke(main, ["--camera", "v4l2:/dev/video0"])
    assert result.exit_code == 0, result.output
    assert started == ["v4l2:/dev/video0"]
    result = CliRunner().invoke(main, ["--camera", "usb:1"])
    assert result.exit_code == 2 and "Unknown camera usb:1" in result.output and started == ["v4l2:/dev/video0"]
