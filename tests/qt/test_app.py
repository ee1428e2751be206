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
        "language": "", "station_name": "", "last_bench": "lookup", "max_gap_ms": 35, "min_chars": 4, "sound": True}
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
