"""ScanCapture tells a scanner burst from a person typing, wherever the focus is."""
from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget

from station.ui.scan_capture import CALIBRATION_CODE, GS, ScanCapture, calibrated_gap, key_char, scan_text

HUMAN_MS = 150  # a quick typist still leaves ~100-200 ms between keys


@pytest.fixture
def form(qtbot):
    """A small window with a line edit (focused) and a label, as in any dialog."""
    window = QWidget()
    layout = QVBoxLayout(window)
    window.field = QLineEdit()
    window.label = QLabel("not focusable")
    layout.addWidget(window.field)
    layout.addWidget(window.label)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.field.setFocus()
    return window


@pytest.fixture
def capture(qapp, clock):
    capture = ScanCapture(clock=clock).install(qapp)
    yield capture
    capture.uninstall()
    capture.deleteLater()


def type_like_a_person(qtbot, widget, text, clock, ms=HUMAN_MS):
    for ch in text:
        clock.advance(ms)
        qtbot.keyClick(widget, ch)


def send_key(widget, key, text="", modifiers=Qt.KeyboardModifier.NoModifier):
    """A press and release as a keyboard (or input method) would send them, with any text."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers, text))


def commit(widget, text):
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_a_scanner_burst_into_a_focused_line_edit_is_a_scan_and_the_field_stays_empty(qtbot, form, capture):
    with qtbot.waitSignal(capture.scanned, check_params_cb=lambda text: text == "6912345000024"):
        qtbot.keyClicks(form.field, "6912345000024")
        qtbot.keyClick(form.field, Qt.Key.Key_Return)
    assert form.field.text() == ""


def test_slow_human_typing_reaches_the_field_unchanged_and_emits_no_scan(qtbot, form, capture, clock):
    returned = []
    form.field.returnPressed.connect(lambda: returned.append(form.field.text()))
    with qtbot.assertNotEmitted(capture.scanned):
        type_like_a_person(qtbot, form.field, "Box 12-B", clock)
        clock.advance(HUMAN_MS)
        qtbot.keyClick(form.field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: returned == ["Box 12-B"])
    assert form.field.text() == "Box 12-B"


def test_the_last_key_a_person_types_is_given_back_without_a_next_key(qtbot, form, capture):
    qtbot.keyClick(form.field, "7")
    assert capture.holding
    qtbot.waitUntil(lambda: form.field.text() == "7")
    assert not capture.holding


def test_a_fast_short_word_and_enter_is_typing_not_a_scan(qtbot, form, capture):
    """Three characters are fewer than a scan has: they reach the field, and so does the Enter."""
    returned = []
    form.field.returnPressed.connect(lambda: returned.append(form.field.text()))
    with qtbot.assertNotEmitted(capture.scanned):
        qtbot.keyClicks(form.field, "yes")
        qtbot.keyClick(form.field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: returned == ["yes"])


def test_a_burst_at_scanner_speed_without_terminator_is_reported_incomplete_not_typed(qtbot, form, capture):
    """A scanner's burst that lost its Enter (or a scanner set to send none) never vanishes silently."""
    with qtbot.assertNotEmitted(capture.scanned), \
            qtbot.waitSignal(capture.incomplete, check_params_cb=lambda text: text == "ABC-123"):
        qtbot.keyClicks(form.field, "ABC-123")
    assert form.field.text() == ""


def test_a_short_fast_burst_without_terminator_is_still_typing(qtbot, form, capture):
    with qtbot.assertNotEmitted(capture.scanned), qtbot.assertNotEmitted(capture.incomplete):
        qtbot.keyClicks(form.field, "abc")
        qtbot.waitUntil(lambda: form.field.text() == "abc")


def test_a_key_that_is_no_scan_character_is_delivered_after_the_held_keys(qtbot, form, capture, clock):
    qtbot.keyClicks(form.field, "ab")
    qtbot.keyClick(form.field, Qt.Key.Key_Left)  # the person moves the cursor between a and b
    clock.advance(HUMAN_MS)
    qtbot.keyClick(form.field, "X")
    qtbot.waitUntil(lambda: form.field.text() == "aXb")


@pytest.mark.parametrize("terminator", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab])
def test_enter_return_and_tab_each_end_a_scan(qtbot, form, capture, terminator):
    with qtbot.waitSignal(capture.scanned, check_params_cb=lambda text: text == "A-01-01-01"):
        qtbot.keyClicks(form.field, "A-01-01-01")
        qtbot.keyClick(form.field, terminator)
    assert form.field.text() == ""
    assert form.field.hasFocus() or not form.isActiveWindow()  # the Tab did not move the focus


def test_a_scan_comes_through_where_no_widget_takes_keys(qtbot, form, capture):
    """Keys a label ignores propagate to its parents; each key still counts once."""
    with qtbot.waitSignal(capture.scanned) as blocker:
        qtbot.keyClicks(form.label, "U-1001")
        qtbot.keyClick(form.label, Qt.Key.Key_Tab)
    assert blocker.args == ["U-1001"]


def test_two_scans_in_a_row_arrive_in_order(qtbot, form, capture):
    got = []
    capture.scanned.connect(got.append)
    qtbot.keyClicks(form.field, "U-1001\r6912345000024\r")
    qtbot.waitUntil(lambda: got == ["U-1001", "6912345000024"])


def test_the_gs1_group_separator_is_kept_as_ctrl_bracket_or_as_text(qtbot, form, capture):
    with qtbot.waitSignal(capture.scanned) as blocker:
        qtbot.keyClicks(form.field, "010950110153000310ABC")
        send_key(form.field, Qt.Key.Key_BracketRight, "", Qt.KeyboardModifier.ControlModifier)  # Ctrl+]
        qtbot.keyClicks(form.field, "17251231")
        send_key(form.field, 0, GS)  # a scanner that sends the character itself
        qtbot.keyClicks(form.field, "21X9")
        qtbot.keyClick(form.field, Qt.Key.Key_Return)
    assert blocker.args == [f"010950110153000310ABC{GS}17251231{GS}21X9"]
    assert form.field.text() == ""


def test_full_width_digits_from_a_chinese_input_method_are_normalised(qtbot, form, capture):
    with qtbot.waitSignal(capture.scanned) as blocker:
        for ch in "６９１２３４５００００２４":
            send_key(form.field, 0, ch)
        qtbot.keyClick(form.field, Qt.Key.Key_Return)
    assert blocker.args == ["6912345000024"]
    assert form.field.text() == ""


def test_keys_whose_text_an_input_method_swallowed_are_read_from_the_key_code(qtbot, form, capture):
    with qtbot.waitSignal(capture.scanned) as blocker:
        send_key(form.field, Qt.Key.Key_U, "", Qt.KeyboardModifier.ShiftModifier)
        send_key(form.field, Qt.Key.Key_Minus, "")
        for key in (Qt.Key.Key_1, Qt.Key.Key_0, Qt.Key.Key_0, Qt.Key.Key_1):
            send_key(form.field, key, "")
        qtbot.keyClick(form.field, Qt.Key.Key_Return)
    assert blocker.args == ["U-1001"]


def test_fast_input_method_commits_are_part_of_a_burst(qtbot, form, capture):
    with qtbot.waitSignal(capture.scanned) as blocker:
        for piece in ("Ｕ", "－", "１００", "１"):
            commit(form.field, piece)
        qtbot.keyClick(form.field, Qt.Key.Key_Return)
    assert blocker.args == ["U-1001"]
    assert form.field.text() == ""


def test_a_person_typing_chinese_through_the_input_method_is_left_alone(qtbot, form, capture):
    with qtbot.assertNotEmitted(capture.scanned):
        commit(form.field, "纯棉")
        commit(form.field, "圆领")
        qtbot.keyClick(form.field, Qt.Key.Key_Return)
    assert form.field.text() == "纯棉圆领"


def preedit(widget, text):
    QApplication.sendEvent(widget, QInputMethodEvent(text, []))


def release_only(widget, key, text):
    """The release of a key whose press the input method kept (as ibus-libpinyin does with a scan's Enter)."""
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyRelease, key, Qt.KeyboardModifier.NoModifier, text))


def test_a_scan_eaten_by_a_pinyin_input_method_is_reported_and_leaves_the_field_alone(qtbot, form, capture):
    """What ibus-libpinyin in pinyin mode made of YT7000000000098 + Enter under X (scripts/ime-check.sh):
    a commit "YT" nobody composed, then the Enter's release without its press."""
    form.field.setText("张")
    with qtbot.assertNotEmitted(capture.scanned), \
            qtbot.waitSignal(capture.input_method_took, check_params_cb=lambda text: text == "YT"):
        commit(form.field, "YT")
        release_only(form.field, Qt.Key.Key_Return, "\r")
    assert form.field.text() == "张"
    assert not capture.holding


def test_a_person_committing_pinyin_letters_with_enter_is_typing(qtbot, form, capture, clock):
    """A person types n, i (the preedit shows 你), then Enter: the input method commits "ni" and keeps
    the Enter's press, as for a scan; the preedit they watched tells them apart."""
    with qtbot.assertNotEmitted(capture.input_method_took), qtbot.assertNotEmitted(capture.scanned):
        preedit(form.field, "年")
        clock.advance(HUMAN_MS)
        preedit(form.field, "你")
        clock.advance(HUMAN_MS)
        commit(form.field, "ni")
        release_only(form.field, Qt.Key.Key_Return, "\r")
        qtbot.waitUntil(lambda: form.field.text() == "ni")


def test_an_uncomposed_commit_long_after_the_last_preedit_is_a_scan_eaten_again(qtbot, form, capture, clock):
    preedit(form.field, "你")
    commit(form.field, "你")
    clock.advance(5000)
    with qtbot.waitSignal(capture.input_method_took, check_params_cb=lambda text: text == "CMDCONFIRM"):
        commit(form.field, "CMDCONFIRM")
        release_only(form.field, Qt.Key.Key_Return, "\r")
    assert form.field.text() == "你"


def test_a_disabled_capture_lets_every_key_through(qtbot, form, capture):
    capture.setEnabled(False)
    with qtbot.assertNotEmitted(capture.scanned):
        qtbot.keyClicks(form.field, "6912345000024")
        qtbot.keyClick(form.field, Qt.Key.Key_Return)
    assert form.field.text() == "6912345000024"


def test_shortcuts_and_auto_repeat_are_not_scan_characters():
    ctrl_c = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier, "\x03")
    repeat = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a", True)
    shifted = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier, "")
    assert key_char(ctrl_c) is None
    assert key_char(repeat) == "a"  # a character, but the capture treats auto-repeat as a person
    assert key_char(shifted) == "A"
    assert scan_text("Ａ－０１") == "A-01"
    assert scan_text("纯棉") is None


def test_a_held_key_repeating_is_typing(qtbot, form, capture):
    with qtbot.assertNotEmitted(capture.scanned):
        qtbot.keyClick(form.field, "x")
        for _ in range(5):
            QTest.sendKeyEvent(QTest.KeyAction.Press, form.field, Qt.Key.Key_X, "x", Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(form.field, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_X,
                                                     Qt.KeyboardModifier.NoModifier, "x", True))
        qtbot.keyClick(form.field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: form.field.text().startswith("xxxxxx"))


def test_a_linefeed_ends_a_scan_like_enter(qtbot, form, capture):
    """Some scanners and tools send Linefeed, a key Qt has no name for, with the text LF."""
    with qtbot.waitSignal(capture.scanned) as blocker:
        qtbot.keyClicks(form.field, "CMD-DONE")
        send_key(form.field, 0, "\n")
    assert blocker.args == ["CMD-DONE"]


def test_a_button_pressed_with_space_right_after_a_scan_still_clicks(qtbot, form, capture, clock):
    """Held key presses and releases are given back together, so a button sees a whole click."""
    from PySide6.QtWidgets import QPushButton

    button = QPushButton("Print", form)
    button.show()
    with qtbot.waitSignal(capture.scanned):
        qtbot.keyClicks(form.field, "U-1001")
        qtbot.keyClick(form.field, Qt.Key.Key_Return)
    clock.advance(HUMAN_MS)
    with qtbot.waitSignal(button.clicked):
        qtbot.keyClick(button, Qt.Key.Key_Space)


# --- timing from the event, shortcuts, slow scanners (issue 13) --------------------------------
@pytest.fixture
def bench(qtbot):
    """A window whose focus is a widget that takes no text, as a bench screen, with two shortcuts."""
    window = QWidget()
    window.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    window.fired = []
    for keys in ("Shift+R", "Return"):
        shortcut = QShortcut(QKeySequence(keys), window)
        shortcut.activated.connect(lambda keys=keys: window.fired.append(keys))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    window.setFocus()
    return window


def stamped_key(kind, key, text, stamp, modifiers=Qt.KeyboardModifier.NoModifier):
    event = QKeyEvent(kind, key, modifiers, text)
    event.setTimestamp(stamp)
    return event


def burst(text, start_ms, gap_ms):
    """Press/release events for ``text`` + Return, stamped ``gap_ms`` apart by the 'window system'."""
    events, stamp = [], start_ms
    for ch in text:
        key = ord(ch.upper())
        mods = Qt.KeyboardModifier.ShiftModifier if ch.isupper() else Qt.KeyboardModifier.NoModifier
        events += [stamped_key(QEvent.Type.KeyPress, key, ch, stamp, mods),
                   stamped_key(QEvent.Type.KeyRelease, key, ch, stamp + 1, mods)]
        stamp += gap_ms
    events += [stamped_key(QEvent.Type.KeyPress, Qt.Key.Key_Return, "\r", stamp),
               stamped_key(QEvent.Type.KeyRelease, Qt.Key.Key_Return, "\r", stamp + 1)]
    return events


def test_a_burst_queued_behind_a_stalled_gui_thread_keeps_its_event_time_gaps(qtbot, form, capture, clock):
    """The loop saw the keys 800 ms apart (a waybill rendering), but they were typed 5 ms apart."""
    with qtbot.waitSignal(capture.scanned, check_params_cb=lambda text: text == "A-01-01-01"):
        for event in burst("A-01-01-01", 1_000_000, 5):
            clock.advance(800)
            QApplication.sendEvent(form.field, event)
    assert form.field.text() == ""


def test_a_pause_by_the_event_stamps_is_a_pause_even_when_the_loop_saw_the_keys_together(qtbot, form, capture):
    with qtbot.assertNotEmitted(capture.scanned):
        for event in burst("1234", 1_000_000, 300):  # a person, 300 ms a key, delivered all at once
            QApplication.sendEvent(form.field, event)
        qtbot.waitUntil(lambda: form.field.text() == "1234")


def test_the_hold_timer_never_ends_a_burst_while_its_keys_wait_in_the_queue(qtbot, form, qapp):
    """Real clock: the first keys arrive, the GUI thread stalls past the hold timer, the rest were queued."""
    capture = ScanCapture().install(qapp)
    try:
        events = burst("YT7000000000098", 5_000_000, 5)
        with qtbot.waitSignal(capture.scanned, timeout=3000) as blocker:
            for event in events[:6]:
                QApplication.sendEvent(form.field, event)
            for event in events[6:]:
                QApplication.postEvent(form.field, event)
            time.sleep(0.3)  # the stall: the 55 ms hold timer is long due when the loop runs again
        assert blocker.args == ["YT7000000000098"]
        assert form.field.text() == ""
    finally:
        capture.uninstall()
        capture.deleteLater()


def test_a_scan_never_triggers_a_one_letter_shortcut_or_the_enter_shortcut(qtbot, bench, capture):
    with qtbot.waitSignal(capture.scanned, check_params_cb=lambda text: text == "RET-01"):
        qtbot.keyClicks(bench, "RET-01")
        qtbot.keyClick(bench, Qt.Key.Key_Return)
    qtbot.wait(100)
    assert bench.fired == []


def test_a_shortcut_a_person_presses_still_works(qtbot, bench, capture):
    with qtbot.assertNotEmitted(capture.scanned):
        qtbot.keyClick(bench, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(lambda: bench.fired == ["Shift+R"])
        qtbot.keyClick(bench, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bench.fired == ["Shift+R", "Return"])


def test_a_40_ms_scanner_at_a_bench_still_scans_and_the_scanner_sheet_code_calibrates_it(qtbot, bench, capture,
                                                                                         clock):
    """Nobody types at a bench: a slow scanner's burst there is its scan, with a hint to calibrate."""
    with qtbot.waitSignal(capture.scanned, check_params_cb=lambda text: text == "YT7000000000098"), \
            qtbot.waitSignal(capture.too_slow, check_params_cb=lambda text: text == "YT7000000000098"):
        type_like_a_person(qtbot, bench, "YT7000000000098", clock, ms=40)
        qtbot.keyClick(bench, Qt.Key.Key_Return)
    with qtbot.assertNotEmitted(capture.scanned), \
            qtbot.waitSignal(capture.calibrated, check_params_cb=lambda ms: ms == calibrated_gap(40)):
        type_like_a_person(qtbot, bench, CALIBRATION_CODE, clock, ms=40)
        qtbot.keyClick(bench, Qt.Key.Key_Return)
    assert 40 < capture.max_gap_ms <= 150
    with qtbot.waitSignal(capture.scanned, check_params_cb=lambda text: text == "YT7000000000098"), \
            qtbot.assertNotEmitted(capture.too_slow):
        type_like_a_person(qtbot, bench, "YT7000000000098", clock, ms=40)
        qtbot.keyClick(bench, Qt.Key.Key_Return)
    assert bench.fired == []


def test_a_40_ms_scanner_in_a_text_field_types_until_calibrated(qtbot, form, capture, clock):
    with qtbot.assertNotEmitted(capture.scanned):
        type_like_a_person(qtbot, form.field, "YT7000000000098", clock, ms=40)
        qtbot.keyClick(form.field, Qt.Key.Key_Return)
    assert form.field.text() == "YT7000000000098"
    form.field.clear()
    capture.configure(max_gap_ms=calibrated_gap(40))
    with qtbot.waitSignal(capture.scanned, check_params_cb=lambda text: text == "YT7000000000098"):
        type_like_a_person(qtbot, form.field, "YT7000000000098", clock, ms=40)
        qtbot.keyClick(form.field, Qt.Key.Key_Return)
    assert form.field.text() == ""


def test_a_person_typing_into_a_field_and_pressing_enter_is_no_slow_scanner(qtbot, form, capture, clock):
    with qtbot.assertNotEmitted(capture.too_slow), qtbot.assertNotEmitted(capture.scanned):
        type_like_a_person(qtbot, form.field, "order 1005", clock, ms=60)
        qtbot.keyClick(form.field, Qt.Key.Key_Return)
    assert form.field.text() == "order 1005"


def stalled_burst(text, start_ms, gap_ms, stall_after, stall_ms):
    """``burst`` with one longer gap after ``stall_after`` characters: the PC held the scanner up."""
    events = burst(text, start_ms, gap_ms)
    for event in events[2 * stall_after:]:
        event.setTimestamp(event.timestamp() + stall_ms)
    return events


@pytest.mark.parametrize("stall_after,stall_ms", [(3, 36), (3, 120), (7, 60), (1, 140)])
def test_a_scan_held_up_for_a_moment_at_a_bench_arrives_whole_not_cut_in_two(qtbot, bench, capture, stall_after,
                                                                              stall_ms):
    """Soak, load 3-4: xdotool's `6912345000581` came as `691`, a 36 ms pause, `2345000581`: the bench
    logged `2345000581` (the first keys went nowhere). At a bench nobody types: the burst goes on."""
    got = []
    capture.scanned.connect(got.append)
    with qtbot.assertNotEmitted(capture.too_slow), qtbot.assertNotEmitted(capture.incomplete):
        for event in stalled_burst("6912345000581", 2_000_000, 5, stall_after, stall_ms):
            QApplication.sendEvent(bench, event)
        qtbot.waitUntil(lambda: got == ["6912345000581"])
        qtbot.wait(200)
    assert got == ["6912345000581"] and bench.fired == []


def test_in_a_text_field_a_pause_still_ends_the_burst_so_typing_reaches_the_field(qtbot, form, capture):
    got = []
    capture.scanned.connect(got.append)
    for event in stalled_burst("6912345000581", 2_000_000, 5, 3, 60):
        QApplication.sendEvent(form.field, event)
    qtbot.waitUntil(lambda: got == ["2345000581"])
    assert form.field.text() == "691"


def test_a_pause_longer_than_a_slow_scanner_at_a_bench_still_splits(qtbot, bench, capture):
    got = []
    capture.scanned.connect(got.append)
    for event in stalled_burst("6912345000581", 2_000_000, 5, 5, 400):
        QApplication.sendEvent(bench, event)
    qtbot.waitUntil(lambda: got == ["45000581"])
    qtbot.wait(100)
    assert got == ["45000581"]  # 69123 then 400 ms: another burst (or a person): not joined


def test_typing_after_the_field_typed_into_before_was_deleted_does_not_crash(qtbot, capture, clock):
    """The 5,000-scan soak: Station died (segmentation fault) when a key came after the widget that
    last got typing (a dialog's field) had been deleted: the capture asked the dead widget its address."""
    first = QLineEdit()
    qtbot.addWidget(first)
    first.show()
    first.setFocus()
    type_like_a_person(qtbot, first, "ab", clock)
    qtbot.waitUntil(lambda: first.text() == "ab")
    first.deleteLater()
    QApplication.processEvents()
    import shiboken6
    qtbot.waitUntil(lambda: not shiboken6.isValid(first))
    second = QLineEdit()
    qtbot.addWidget(second)
    second.show()
    second.setFocus()
    type_like_a_person(qtbot, second, "cd", clock)
    qtbot.waitUntil(lambda: second.text() == "cd")
    with qtbot.waitSignal(capture.scanned, check_params_cb=lambda text: text == "6912345000024"):
        qtbot.keyClicks(second, "6912345000024")
        qtbot.keyClick(second, Qt.Key.Key_Return)
