"""Starting the GUI: font, language, database errors, the cold-start probe."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QFontMetrics

from station.i18n import language
from station.ui.app import application, build
from station.ui.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_cjk_font_comes_first_so_chinese_never_shows_as_boxes(qapp):
    app = application()
    font = app.font()
    assert font.families()[0] == "WenQuanYi Micro Hei"
    metrics = QFontMetrics(font)
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "纯棉圆领T恤红色张伟")


def test_a_database_station_cannot_open_gives_a_readable_dialog_and_exit_code_2(qapp, tmp_path, settings, dialogs):
    broken = tmp_path / "not-a-database.db"
    broken.write_bytes(b"this is a spreadsheet, not SQLite" * 100)
    result = build(f"sqlite:///{broken}", settings=settings, dialogs=dialogs)
    assert result == 2
    kind, title, text = dialogs.asked[0]
    assert kind == "error" and title == "Station cannot open its database"
    assert str(broken) in text


def test_the_language_comes_from_the_settings(qtbot, qapp, sqlite_url, settings, dialogs):
    settings.language = "zh_CN"
    window = build(sqlite_url, settings=settings, dialogs=dialogs)
    qtbot.addWidget(window)
    assert language() == "zh_CN"
    window.engine.dispose()


def test_the_window_opens_on_the_bench_used_last(qtbot, qapp, sqlite_url, settings, dialogs):
    settings.last_bench = "lookup"
    window = build(sqlite_url, settings=settings, dialogs=dialogs)
    qtbot.addWidget(window)
    assert window.current == "lookup"
    window.engine.dispose()


def test_an_unknown_last_bench_falls_back_to_the_first(qtbot, qapp, sqlite_url, settings, dialogs):
    settings.last_bench = "a-bench-that-was-removed"
    window = build(sqlite_url, settings=settings, dialogs=dialogs)
    qtbot.addWidget(window)
    assert window.current == window.bench_names[0]
    window.engine.dispose()


def test_settings_have_declared_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("STATION_NAME", "pack-3")
    settings = Settings(path=tmp_path / "fresh.ini")
    assert {name: s.default for name, s in Settings.declared().items()} == {
        "language": "", "station_name": "", "last_bench": "lookup", "acknowledge_key": "F12", "max_gap_ms": 35,
        "min_chars": 4, "sound": True, "camera": "none", "video_folder": "", "video_budget_mb": 20000,
        "video_keep_days": 90, "scale": "none", "scanner": "keyboard"}
    assert settings.station == "pack-3"
    assert settings.language_choice is None
    settings.max_gap_ms = 50
    settings.sound = False
    again = Settings(path=tmp_path / "fresh.ini")
    assert again.max_gap_ms == 50 and again.sound is False


def test_the_startup_probe_prints_the_seconds_until_the_window_is_on_screen(sqlite_url, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", STATION_SETTINGS=str(tmp_path / "probe.ini"))
    out = subprocess.run([sys.executable, "-m", "station.ui.startup_probe", "--db", sqlite_url], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    figure = json.loads(out.stdout.strip().splitlines()[-1])
    assert 0 < figure["startup_s"] < 30


# The GUI started as `station` starts it, driven by scanner bursts, then closed. PySide6 6.12 on
# Python 3.11 took a reference to None and to True on every such call without owning one, so a
# working day ended in "Fatal Python error: none_dealloc" (or bool_dealloc) at exit.
_DRIVE_THE_APP = """
import sys
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from station.ui import app as station_app

BURSTS = int(sys.argv[2])
qapp = station_app.application()

def drive():
    window = next(w for w in qapp.topLevelWidgets() if w.isVisible())
    target = qapp.focusWidget() or window
    for _ in range(BURSTS):
        QTest.keyClicks(target, "6912345000024")
        QTest.keyClick(target, Qt.Key.Key_Return)
        qapp.processEvents()
    window.close()

QTimer.singleShot(0, drive)
sys.exit(station_app.run(sys.argv[1]))
"""


def test_the_app_started_scanned_into_and_closed_exits_0_without_a_fatal_error(sqlite_url, tmp_path):
    from sqlalchemy import create_engine, text

    from station.db import open_database

    engine, _ = open_database(sqlite_url)  # a migrated, empty database
    engine.dispose()
    bursts = 400
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", STATION_SETTINGS=str(tmp_path / "app.ini"))
    out = subprocess.run([sys.executable, "-c", _DRIVE_THE_APP, sqlite_url, str(bursts)], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=300)
    assert "Fatal Python error" not in out.stderr, out.stderr[-3000:]
    assert out.returncode == 0, out.stderr[-3000:]
    engine = create_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            scans = conn.execute(text("select count(*) from scan_event")).scalar_one()
    finally:
        engine.dispose()
    assert scans == bursts  # every burst reached a bench as one scan, and was saved


def test_the_qt_bindings_keep_the_references_they_hand_out(qapp):
    """A binding that returns None or True without owning a reference underflows their refcount
    (fatal at exit on Python < 3.12). Measured directly, so the cause is named when it fails."""
    import gc

    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    class Swallow(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802
            return True

    holder, widget, swallow = QObject(), QWidget(), Swallow()
    widget.installEventFilter(swallow)

    def drift(obj, call, times=500) -> int:
        gc.collect()
        before = sys.getrefcount(obj)
        for _ in range(times):
            call()
        gc.collect()
        return sys.getrefcount(obj) - before

    try:
        assert drift(None, lambda: holder.setObjectName("x")) >= 0, "a void call steals a None reference"
        assert drift(None, holder.parent) >= 0, "returning a null pointer as None steals a reference"
        assert drift(True, lambda: QApplication.sendEvent(widget, QEvent(QEvent.Type.User))) >= 0, \
            "an event filter returning True loses a reference to True"
    finally:
        widget.removeEventFilter(swallow)
        widget.deleteLater()
