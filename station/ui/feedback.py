"""A distinct sound per outcome level, so a packer hears a wrong item without looking up.

ok: a short beep; warn: two tones; error: a low buzz (``resources/sounds/*.wav``, made
by ``scripts/make_sounds.py``). A PC without an audio device, without QtMultimedia or
without the sound files runs silently: feedback never stops a scan.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QUrl

from station.ui.paths import SOUNDS
from station.workflows.outcomes import Level

log = logging.getLogger(__name__)

SOUND_FILES = {Level.OK: "ok.wav", Level.WARN: "warn.wav", Level.ERROR: "error.wav"}


def _import_multimedia():
    """QtMultimedia's sound effect and device list; raises ImportError where it is missing."""
    from PySide6.QtCore import QLoggingCategory

    # Its backend probes (pipewire, VA-API) are noise on a bench PC's terminal.
    QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver=false")
    from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

    return QSoundEffect, QMediaDevices


def audio_outputs() -> list:
    _effect, devices = _import_multimedia()
    return list(devices.audioOutputs())


class Feedback(QObject):
    """Plays the sound for an outcome level. ``silent`` says why it cannot, if it cannot."""

    def __init__(self, parent: QObject | None = None, *, enabled: bool = True, folder: Path = SOUNDS) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.folder = folder
        self._effects: dict[Level, object] = {}
        self.silent: str | None = None
        self.played: list[Level] = []  # what was asked for, for tests and the status bar
        self._loaded = False

    def load(self) -> None:
        """Load the sounds now (the main window calls this once it is on screen, to start fast)."""
        if self._loaded:
            return
        self._loaded = True
        try:
            effect_cls, _devices = _import_multimedia()
            if not audio_outputs():
                self.silent = "no audio device"
                return
            for level, name in SOUND_FILES.items():
                path = self.folder / name
                if not path.exists():
                    log.warning("sound %s missing: run scripts/make_sounds.py", path)
                    continue
                effect = effect_cls(self)
                effect.setSource(QUrl.fromLocalFile(str(path)))
                effect.setVolume(0.9)
                self._effects[level] = effect
        except Exception as exc:  # ImportError, a broken audio backend: run silently
            self.silent = f"sound unavailable: {exc}"
            self._effects.clear()
            log.info("running silently: %s", exc)

    def play(self, level: Level | str) -> None:
        level = Level(level)
        self.played.append(level)
        if not self.enabled:
            return
        self.load()
        effect = self._effects.get(level)
        if effect is None:
            return
        try:
            effect.stop()  # a new scan interrupts the previous sound rather than queueing behind it
            effect.play()
        except Exception as exc:  # an audio device unplugged mid-shift
            self.silent = f"sound failed: {exc}"
            log.info("sound failed: %s", exc)
