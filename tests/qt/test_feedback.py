"""Sounds: a distinct one per level, and silence (never a crash) where there is no audio."""
from __future__ import annotations

import wave

import pytest

from station.ui import feedback as feedback_module
from station.ui.feedback import SOUND_FILES, Feedback
from station.ui.paths import SOUNDS
from station.workflows import Level
from tests.qt.conftest import BADGE


def seconds(path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def test_each_level_has_its_own_short_sound_file():
    files = {level: SOUNDS / name for level, name in SOUND_FILES.items()}
    assert all(path.exists() for path in files.values())
    assert len({path.read_bytes() for path in files.values()}) == 3
    assert seconds(files[Level.OK]) < 0.2 < seconds(files[Level.WARN]) < seconds(files[Level.ERROR]) < 1.0


class FakeEffect:
    played: list[str] = []

    def __init__(self, parent=None):
        self.source = None

    def setSource(self, url):  # noqa: N802
        self.source = url.fileName()

    def setVolume(self, volume):  # noqa: N802
        pass

    def stop(self):
        pass

    def play(self):
        FakeEffect.played.append(self.source)


def test_each_level_plays_its_own_sound(qapp, monkeypatch):
    FakeEffect.played = []
    monkeypatch.setattr(feedback_module, "_import_multimedia", lambda: (FakeEffect, None))
    monkeypatch.setattr(feedback_module, "audio_outputs", lambda: ["speaker"])
    sounds = Feedback()
    for level in (Level.OK, Level.WARN, Level.ERROR):
        sounds.play(level)
    assert FakeEffect.played == ["ok.wav", "warn.wav", "error.wav"]
    assert sounds.silent is None


def test_sound_switched_off_plays_nothing(qapp, monkeypatch):
    FakeEffect.played = []
    monkeypatch.setattr(feedback_module, "_import_multimedia", lambda: (FakeEffect, None))
    monkeypatch.setattr(feedback_module, "audio_outputs", lambda: ["speaker"])
    sounds = Feedback(enabled=False)
    sounds.play(Level.ERROR)
    assert FakeEffect.played == []
    assert sounds.played == [Level.ERROR]


def test_this_machine_plays_every_level_without_raising(qapp):
    sounds = Feedback()
    for level in Level:
        sounds.play(level)
    assert sounds.played == list(Level)


def no_multimedia():
    raise ImportError("No module named 'PySide6.QtMultimedia'")


@pytest.mark.parametrize("patch", [
    pytest.param(("audio_outputs", lambda: []), id="no audio device"),
    pytest.param(("_import_multimedia", no_multimedia), id="no QtMultimedia"),
])
def test_without_audio_the_window_runs_silently_and_scans_still_work(qtbot, make_window, monkeypatch, patch):
    monkeypatch.setattr(feedback_module, *patch)
    window = make_window(feedback=Feedback())
    qtbot.waitUntil(lambda: window.sound_label.text() == "No sound on this PC")
    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == "logged_in"):
        window.handle_scan(BADGE)
    assert window.feedback.silent
    assert window.feedback.played == [Level.OK]
