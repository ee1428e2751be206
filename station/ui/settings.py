"""Every GUI setting, declared once with its type and default, read through one QSettings wrapper.

Settings live where Qt keeps them for organisation "station", application "station"
(on Linux ``~/.config/station/station.conf``), or in the INI file named by
``$STATION_SETTINGS``. Tests pass their own file.
"""
from __future__ import annotations

import os
import socket
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QSettings

from station.i18n import LANGUAGES
from station.ui.scan_capture import DEFAULT_MAX_GAP_MS, DEFAULT_MIN_CHARS

T = TypeVar("T")
ENV_FILE = "STATION_SETTINGS"


class Setting(Generic[T]):
    """One declared setting: a typed attribute of `Settings`, with its default."""

    def __init__(self, key: str, type_: type[T], default: T, doc: str = "") -> None:
        self.key, self.type, self.default, self.__doc__ = key, type_, default, doc

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj: "Settings | None", owner=None):
        if obj is None:
            return self
        return obj.read(self)

    def __set__(self, obj: "Settings", value: T) -> None:
        obj.write(self, value)


class Settings:
    """The GUI's settings. Read and write them as attributes: ``settings.language = "zh_CN"``."""

    language = Setting("language", str, "", "en or zh_CN; empty follows the system (or --lang)")
    station_name = Setting("station_name", str, "", "this bench PC's name; empty: $STATION_NAME or host name")
    last_bench = Setting("last_bench", str, "lookup", "the bench shown at start: the one used last")
    acknowledge_key = Setting("keys/acknowledge", str, "F12",
                              "the key that acknowledges an error like scanning CONFIRM (a Qt key name)")
    max_gap_ms = Setting("scan/max_gap_ms", int, DEFAULT_MAX_GAP_MS, "longest pause between a scanner's keys")
    min_chars = Setting("scan/min_chars", int, DEFAULT_MIN_CHARS, "fewest characters in a scan")
    sound = Setting("sound", bool, True, "play a sound per outcome")
    camera = Setting("video/camera", str, "none",
                     "the pack bench's camera: none | v4l2:/dev/video0 | dshow:NAME | file:PATH (station.video.sources)")
    video_folder = Setting("video/folder", str, "", "where pack videos go; empty: clips in the database's files folder")
    video_budget_mb = Setting("video/budget_mb", int, 20000, "the most disk the pack videos may take (oldest go first)")
    video_keep_days = Setting("video/keep_days", int, 90, "pack videos older than this are deleted (not disputed ones)")
    scale = Setting("scale/source", str, "none",
                    "the pack bench's scale: none | serial:PATH[:BAUD][:continuous|mt-sics] | hid:VID:PID "
                    "(station.weighing.spec); packaging weight and tolerance are station-wide (weighing.*)")
    scanner = Setting("scan/source", str, "keyboard",
                      "keyboard | serial:PATH[:BAUD] | evdev:PATH (station.ui.scanners.spec); --scanner overrides")

    def __init__(self, store: QSettings | None = None, *, path: str | os.PathLike | None = None) -> None:
        if store is None:
            path = path or os.environ.get(ENV_FILE)
            store = QSettings(str(path), QSettings.Format.IniFormat) if path else QSettings("station", "station")
        self.store = store

    @classmethod
    def declared(cls) -> dict[str, Setting]:
        return {name: s for name, s in vars(cls).items() if isinstance(s, Setting)}

    def read(self, setting: Setting[T]) -> T:
        raw: Any = self.store.value(setting.key, None)
        if raw is None:
            return setting.default
        try:
            if setting.type is bool:
                return raw if isinstance(raw, bool) else str(raw).strip().lower() in ("1", "true", "yes", "on")
            return setting.type(raw)
        except (TypeError, ValueError):  # a hand-edited file: fall back rather than refuse to start
            return setting.default

    def write(self, setting: Setting[T], value: T) -> None:
        self.store.setValue(setting.key, setting.type(value))

    def sync(self) -> None:
        self.store.sync()

    # --- derived values ----------------------------------------------------------------
    @property
    def station(self) -> str:
        """The station name Station records with every scan."""
        return self.station_name.strip() or os.environ.get("STATION_NAME") or socket.gethostname()

    @property
    def language_choice(self) -> str | None:
        """The chosen language, or None to follow the system."""
        return self.language if self.language in LANGUAGES else None
