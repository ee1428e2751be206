"""The main window: scans from anywhere reach the current bench, and the banner shows the outcome."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from station.i18n import language, translate
from tests.qt.conftest import BADGE, BIN, PACKER, TSHIRT_EAN, TSHIRT_SKU


def scan(qtbot, window, text):
    """What a scanner does: a burst of keys and Enter, into whatever has the focus."""
    target = window.focusWidget() or window
    with qtbot.waitSignal(window.outcome_shown) as blocker:
        qtbot.keyClicks(target, text)
        qtbot.keyClick(target, Qt.Key.Key_Return)
    return blocker.args[0]


def test_a_badge_burst_logs_in_and_a_product_burst_is_looked_up_while_an_unrelated_line_edit_has_the_focus(
        qtbot, make_window):
    window = make_window()
    note = QLineEdit()
    note.setObjectName("unrelatedNote")
    window.statusBar().addWidget(note)
    note.setFocus()
    qtbot.waitUntil(lambda: window.focusWidget() is note)

    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == "logged_in"):
        qtbot.keyClicks(note, BADGE)
        qtbot.keyClick(note, Qt.Key.Key_Return)
    assert window.screen.runner.user == PACKER
    assert window.user_label.text() == f"User: {PACKER}"

    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == "product_found"):
        qtbot.keyClicks(note, TSHIRT_EAN)
        qtbot.keyClick(note, Qt.Key.Key_Return)
    banner = window.screen.banner
    assert banner.level == "ok"
    assert TSHIRT_SKU in banner.message and "12" in banner.message
    assert f"{BIN}: 12" in banner.details
    assert banner.code == "product_found"
    assert note.text() == ""
    assert window.focusWidget() is note


def test_before_login_the_screen_says_scan_your_badge(make_window):
    window = make_window()
    assert window.screen.banner.message == "Scan your badge"
    assert window.screen.banner.level == "prompt"
    assert window.screen.next_label.text() == "Next: Scan your badge"
    assert window.user_label.text() == "Not logged in"


def test_a_product_scanned_before_login_is_refused_in_red(qtbot, make_window):
    window = make_window()
    outcome = scan(qtbot, window, TSHIRT_EAN)
    assert outcome.code == "login_required"
    assert window.screen.banner.level == "error"
    assert window.screen.banner.background().name() == "#c62828"


def test_each_scan_plays_the_sound_of_its_level(qtbot, make_window):
    window = make_window()
    scan(qtbot, window, BADGE)
    scan(qtbot, window, "CMD-DONE")
    scan(qtbot, window, "6912345000000")
    assert [str(level) for level in window.feedback.played] == ["ok", "warn", "error"]


def test_the_recent_scans_list_shows_newest_first(qtbot, make_window):
    window = make_window()
    scan(qtbot, window, BADGE)
    scan(qtbot, window, BIN)
    entries = window.screen.scan_log.entries()
    assert BIN in entries[0] and BADGE in entries[1]


def test_a_restarted_window_comes_back_on_the_last_bench_with_the_same_person(
        qtbot, make_window, echo_bench, settings):
    first = make_window()
    scan(qtbot, first, BADGE)
    first.switch_to("echo")
    # the same person moved to the other bench: logged in there by the scan worker, in turn
    qtbot.waitUntil(lambda: first.screen.runner.user == PACKER)
    scan(qtbot, first, "hello-world")
    first.close()

    second = make_window()
    assert second.current == "echo"
    assert second.screen.runner.user == PACKER
    assert second.screen.runner.bench.snapshot() == {"last": "hello-world"}
    assert second.switcher.currentIndex() == second.bench_names.index("echo")
    assert second.user_label.text() == f"User: {PACKER}"
    assert second.screen.banner.message != "Scan your badge"


def test_function_keys_and_ctrl_tab_switch_benches_without_the_mouse(qtbot, make_window, echo_bench):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    names = window.bench_names
    echo = names.index("echo")
    assert window.current == names[0] == "lookup"
    qtbot.keyClick(window, getattr(Qt.Key, f"Key_F{echo + 1}"))
    assert window.current == "echo"
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.current == "lookup"
    qtbot.keyClick(window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.current == names[1]
    for _ in range(len(names) - 1):
        qtbot.keyClick(window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.current == "lookup"  # Ctrl+Tab wraps around
    assert window.switcher.tabText(echo) == f"F{echo + 1}  Echo"


def test_a_scan_goes_to_the_bench_on_screen(qtbot, make_window, echo_bench):
    window = make_window()
    scan(qtbot, window, BADGE)
    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == "logged_in"):
        window.switch_to("echo")  # the same person, logged in there by the scan worker
    outcome = scan(qtbot, window, "ABCD-42")
    assert outcome.code == "echo"
    assert window.screen.banner.level == "warn"
    assert window.screens["lookup"].banner.code == "logged_in"


def test_ctrl_comma_opens_the_settings_and_the_language_changes_at_once(qtbot, make_window, settings):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.settings_dialog is not None and window.settings_dialog.isVisible())
    dialog = window.settings_dialog
    assert window.capture.isEnabled()  # a scan still goes to the bench (issue 13)
    dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
    with qtbot.waitSignal(window.language_changed):
        dialog.accept()
    assert language() == "zh_CN"
    assert settings.language == "zh_CN"
    assert window.capture.isEnabled()
    assert window.windowTitle() == translate("Station — {bench}", "zh_CN", bench=translate("Look up", "zh_CN"))
    assert window.screen.banner.message == translate("Scan your badge", "zh_CN")


def test_a_new_station_name_is_announced_for_the_next_start(qtbot, make_window, settings, dialogs):
    window = make_window()
    window.open_settings()
    dialog = window.settings_dialog
    dialog.station_name.setText("packing-2")
    dialog.accept()
    assert settings.station_name == "packing-2"
    assert window.station == "bench-7"
    assert dialogs.asked and dialogs.asked[0][0] == "inform" and "packing-2" in dialogs.asked[0][2]


def test_the_status_bar_names_the_station_and_the_database(make_window, sqlite_url):
    window = make_window()
    assert window.station_label.text() == "Station: bench-7"
    assert window.db_status.text() == f"Database: {sqlite_url}"


def test_a_gs1_scan_keeps_its_group_separator_on_the_way_to_the_bench(qtbot, make_window):
    window = make_window()
    scan(qtbot, window, BADGE)
    target = window.focusWidget() or window
    with qtbot.waitSignal(window.outcome_shown) as blocker:
        qtbot.keyClicks(target, f"010{TSHIRT_EAN}10LOT7")
        qtbot.keyClick(target, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)  # GS, as scanners send it
        qtbot.keyClicks(target, "17271231")
        qtbot.keyClick(target, Qt.Key.Key_Return)
    assert blocker.args[0].code == "product_found"
    assert f"010{TSHIRT_EAN}10LOT7<GS>17271231" in window.screen.scan_log.entries()[0]


# --- nothing vanishes silently (issue 13) ---------------------------------------------------
def test_a_burst_without_enter_shows_amber_scan_not_read_completely(qtbot, make_window, clock):
    from station.ui.scan_capture import ScanCapture

    window = make_window(capture=ScanCapture(clock=clock))  # the keys come 0 ms apart, however busy the PC
    target = window.focusWidget() or window
    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == "scan_incomplete"):
        qtbot.keyClicks(target, BADGE)  # the scanner lost its Enter
    assert window.screen.banner.level == "warn"
    assert window.screen.banner.message == "Scan not read completely: scan again"
    assert window.screen.runner.user is None  # nothing reached the bench


def test_a_scan_a_pinyin_input_method_ate_in_a_name_field_shows_amber_and_how_to_go_on(qtbot, make_window, clock):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QInputMethodEvent, QKeyEvent
    from PySide6.QtWidgets import QApplication, QLineEdit

    from station.ui.scan_capture import ScanCapture

    window = make_window(capture=ScanCapture(clock=clock))
    field = QLineEdit(window.screen)  # a field for names, as on the returns bench's note form
    field.show()
    field.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString("YT")  # what ibus-libpinyin passed on of YT7000000000098 (scripts/ime-check.sh)
    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == "scan_input_method"):
        QApplication.sendEvent(field, event)
        QApplication.sendEvent(field, QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_Return,
                                                Qt.KeyboardModifier.NoModifier, "\r"))
    assert window.screen.banner.level == "warn"
    assert window.screen.banner.message == "Scan not read: the Chinese input method took it"
    assert field.text() == ""


def test_the_scanner_setup_code_sets_and_saves_this_stations_key_gap(qtbot, make_window, settings, clock):
    from station.ui.scan_capture import CALIBRATION_CODE, ScanCapture, calibrated_gap

    window = make_window(capture=ScanCapture(clock=clock))
    target = window.focusWidget() or window
    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == "scanner_calibrated"):
        qtbot.keyClicks(target, CALIBRATION_CODE)
        qtbot.keyClick(target, Qt.Key.Key_Return)
    assert settings.max_gap_ms == window.capture.max_gap_ms == calibrated_gap(0)
    assert window.screen.runner.user is None


def test_losing_the_keyboard_to_another_program_shows_a_warning_until_station_has_it_again(qtbot, make_window):
    window = make_window()
    window._application_state(Qt.ApplicationState.ApplicationInactive)
    qtbot.waitUntil(lambda: window.keyboard_warning.isVisible(), timeout=3000)
    assert "scans are going to another program" in window.keyboard_warning.label.text()
    window._application_state(Qt.ApplicationState.ApplicationActive)
    assert not window.keyboard_warning.isVisible()


def test_a_scan_with_the_settings_open_goes_to_the_bench_and_shows_over_the_dialog(qtbot, make_window):
    window = make_window()
    window.open_settings()
    dialog = window.settings_dialog
    qtbot.waitUntil(dialog.isVisible)
    field = dialog.focusWidget() or dialog
    before = field.text() if hasattr(field, "text") else None
    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == "logged_in"):
        qtbot.keyClicks(field, BADGE)
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.screen.runner.user == PACKER
    assert dialog.isVisible() and window.overlay.isVisible() and window.overlay.banner.code == "logged_in"
    assert (field.text() if hasattr(field, "text") else None) == before  # nothing typed into the dialog
    dialog.reject()
    qtbot.waitUntil(lambda: window.settings_dialog is None)


def test_a_status_message_is_not_drawn_over_the_sound_note(qtbot, make_window):
    """"No scale set" (15 s at start) was painted on top of "No sound on this PC": both unreadable."""
    window = make_window()
    window.sound_label.setText("Sound off")
    window.statusBar().showMessage("No scale set: parcels are packed without weighing", 10_000)
    assert window.sound_label.isHidden()
    window.statusBar().clearMessage()
    assert not window.sound_label.isHidden()
