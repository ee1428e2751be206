"""A trace of every scan for the soak (``scripts/scan-soak.sh``): off unless STATION_SCAN_TRACE is set.

With ``STATION_SCAN_TRACE=/path/trace.jsonl`` the main window appends one JSON line per event:

* ``{"ev": "scan", "raw", "bench", "first_key_x", "last_key_x", "first_key_seen", "handled", "shown",
  "painted", "active"}`` per scan the capture emitted: the X server time (ms) of the first and the
  last (terminator) key of the burst that carried it (null where the platform gives none, or the
  scan came without keys), when the application first saw that key, when the bench got the scan, when its outcome
  was set on the screen and when an outcome banner next painted (``time.monotonic()`` seconds),
  and the class of the active window then (the banner is in front only if that is the main window);
* ``{"ev": "key", "x", "k", "seen"}`` for every key press the application saw (its X time and when),
  so the reader can map X time to the monotonic clock;
* ``{"ev": "delivered", "window", "key", "text", "seen"}`` for a key press the scan capture let
  through to a widget of another top-level window than the main window (a dialog got keys);
* ``{"ev": "leaked", ...}`` the same for a printable key or Return let through to the main window;
* ``{"ev": "shown" | "hidden", "window", "name", "wid", "seen"}`` when a top-level window shows or
  hides (``wid`` is its X window id: the soak gives it the focus as a window manager would);
* ``{"ev": "shortcut", "keys", "x", "receiver", "name", "window"}`` when a key sequence triggers a
  shortcut or an action (a scanner's Enter or Shift+R taken as a command);
* ``{"ev": "bench", "bench", "seen"}`` when the bench changes;
* ``{"ev": "tick", "seen"}`` every 100 ms while the event loop runs.

Two application event filters do this: one in front of the scan capture (every key as it
arrives, window shows and hides, banner paints) and one behind it (what the capture let through).
Nothing here changes what the application does with an event.
"""
from __future__ import annotations

import json
import os
import time
from typing import TYPE_CHECKING

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from station.ui.main_window import MainWindow

log = logging.getLogger(__name__)
ENV = "STATION_SCAN_TRACE"
TICK_MS = 100
BURST_GAP_S = 0.25  # a key this long after the previous one starts a new burst
_KEY_PRESS, _PAINT = QEvent.Type.KeyPress, QEvent.Type.Paint
_OVERRIDE, _SHORTCUT = QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut
_SHOW, _HIDE = QEvent.Type.Show, QEvent.Type.Hide
_MODIFIERS = {0x01000020, 0x01000021, 0x01000022, 0x01000023, 0x01001103}  # Shift, Ctrl, Meta, Alt, AltGr
_RETURNS = {0x01000004, 0x01000005, 0x01000001, 0x0A}  # Return, Enter, Tab, Linefeed


def from_env(window: "MainWindow") -> "ScanTrace | None":
    """Start the trace if STATION_SCAN_TRACE names a file; call it just before the capture is installed."""
    path = os.environ.get(ENV)
    if not path:
        return None
    return ScanTrace(window, path)


def _window_name(widget: QWidget) -> tuple[str, str]:
    top = widget.window()
    return type(top).__name__, top.objectName()


class _Front(QObject):
    def __init__(self, trace: "ScanTrace") -> None:
        super().__init__(trace)
        self.trace = trace

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        try:
            kind = event.type()
            if kind == _KEY_PRESS or kind == _OVERRIDE:  # a key a shortcut takes comes as an override only
                self.trace.key_seen(obj, event)
            elif kind == _SHORTCUT:
                self.trace.shortcut(obj, event)
            elif kind == _PAINT:
                if obj.objectName() == "outcomeBanner":
                    self.trace.banner_painted()
            elif kind in (_SHOW, _HIDE) and isinstance(obj, QWidget) and obj.isWindow():
                self.trace.window_event(obj, "shown" if kind == _SHOW else "hidden")
        except Exception:  # the trace never gets in the application's way
            log.exception("scan trace")
        return False


class _Behind(QObject):
    def __init__(self, trace: "ScanTrace") -> None:
        super().__init__(trace)
        self.trace = trace

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        try:
            if event.type() == _KEY_PRESS and isinstance(obj, QWidget):
                self.trace.key_delivered(obj, event)
        except Exception:  # the trace never gets in the application's way
            log.exception("scan trace")
        return False


class ScanTrace(QObject):
    def __init__(self, window: "MainWindow", path: str) -> None:
        super().__init__(window)
        self.window = window
        self.file = open(path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - lives with the window
        self.bursts: list[dict] = []  # key bursts not yet matched to a scan, oldest first
        self.pending: list[dict] = []  # scans whose banner has not painted yet
        self._last_key = 0.0
        self._last_delivered: tuple | None = None
        self._last_behind: tuple | None = None
        self._last_x: int | None = None  # the X time of the last key seen (a shortcut has none of its own)
        app = QApplication.instance()
        self.front, self.behind = _Front(self), _Behind(self)
        capture = window.capture
        # The application asks the filter installed last first: ours behind the capture now (before
        # the window installs the capture), ours in front of it once the window is built.
        app.installEventFilter(self.behind)
        app.installEventFilter(self.front)  # sees the window show; moved in front of the capture below
        QTimer.singleShot(0, self._front_first)
        self.delivered: list[tuple[str, dict | None]] = []  # (text, its burst) the capture emitted, in order
        deliver = getattr(capture, "_deliver", None)  # emitted inside the filter, at the terminator key
        if deliver is not None:
            deliver.connect(self.scan_recognised, Qt.ConnectionType.DirectConnection)
        capture.scanned.connect(self.scan_started)  # before the window's own slot: connect us first
        window.outcome_shown.connect(self.outcome_shown)
        QTimer.singleShot(0, self._window_built)  # its bench switcher does not exist yet
        self.ticks = QTimer(self)  # the event loop is free: the soak waits for this before it presses F-keys
        self.ticks.timeout.connect(lambda: self.write(ev="tick"))
        self.ticks.start(TICK_MS)
        app.aboutToQuit.connect(self.close)

    def _front_first(self) -> None:
        app = QApplication.instance()
        app.removeEventFilter(self.front)
        app.installEventFilter(self.front)

    def _window_built(self) -> None:
        self.window.switcher.currentChanged.connect(lambda _i: self.write(ev="bench", bench=self.window.current))
        self.write(ev="bench", bench=self.window.current)

    def close(self) -> None:
        for record in self.pending:  # scans whose banner never painted
            record.setdefault("shown", None)
            self.write(**record, painted=None, active=None)
        self.pending = []
        self.file.flush()

    def write(self, **record) -> None:
        record.setdefault("seen", time.monotonic())
        self.file.write(json.dumps(record, ensure_ascii=False) + "\n")

    # --- keys -------------------------------------------------------------------------
    def key_seen(self, obj, event) -> None:
        if event.isAutoRepeat() or event.key() in _MODIFIERS:
            return
        signature = (event.key(), event.timestamp(), event.text())
        if signature == self._last_delivered:
            return  # the same event propagating to a parent
        self._last_delivered = signature
        now = time.monotonic()
        x = event.timestamp() or None
        self._last_x = x
        self.write(ev="key", x=x, k=event.key(), seen=now)
        if not self.bursts or now - self._last_key > BURST_GAP_S or self.bursts[-1].get("ended"):
            self.bursts.append({"x": x, "seen": now, "text": ""})
            del self.bursts[:-64]
        burst = self.bursts[-1]
        burst["last_x"], burst["last_seen"] = x, now
        if event.key() in _RETURNS:
            burst["ended"] = True
        else:
            burst["text"] += event.text()
        self._last_key = now

    def key_delivered(self, obj: QWidget, event) -> None:
        if event.isAutoRepeat() or event.key() in _MODIFIERS:
            return
        signature = (event.key(), event.timestamp(), event.text())
        if signature == self._last_behind:
            return  # the same event propagating to a parent
        self._last_behind = signature
        text = event.text()
        printable = (len(text) == 1 and " " <= text <= "~") or event.key() in _RETURNS
        cls, name = _window_name(obj)
        record = dict(window=cls, name=name, key=event.key(), text=text, x=event.timestamp() or None,
                      receiver=type(obj).__name__)
        if obj.window() is not self.window:
            self.write(ev="delivered", **record)
        elif printable:
            self.write(ev="leaked", **record)

    def shortcut(self, obj, event) -> None:
        parent = obj.parent()
        window = parent.window() if isinstance(parent, QWidget) else None
        self.write(ev="shortcut", keys=event.key().toString(), x=self._last_x, receiver=type(obj).__name__,
                   name=obj.objectName() or (obj.text() if hasattr(obj, "text") else ""),
                   window=type(window).__name__ if window is not None else None)

    # --- scans ------------------------------------------------------------------------
    def scan_recognised(self, text: str) -> None:
        """The capture recognised a scan at its terminator key: the burst that key ended carried it."""
        burst = self.bursts[-1] if self.bursts and text in self.bursts[-1]["text"] else None
        self.delivered.append((text, burst))
        del self.delivered[:-256]
        self.bursts = []

    def scan_started(self, raw: str) -> None:
        record = {"ev": "scan", "raw": raw, "bench": self.window.current, "first_key_x": None,
                  "first_key_seen": None, "handled": time.monotonic()}
        burst = None
        for i, (text, candidate) in enumerate(self.delivered):
            if text == raw:
                burst = candidate
                del self.delivered[: i + 1]
                break
        else:  # a capture without the signal we listen to: the oldest burst that typed this text
            for i, candidate in enumerate(self.bursts):
                if raw and raw in candidate["text"]:
                    burst = candidate
                    del self.bursts[: i + 1]
                    break
        if burst is not None:
            record["first_key_x"], record["first_key_seen"] = burst["x"], burst["seen"]
            record["last_key_x"] = burst.get("last_x")
        self.pending.append(record)

    def outcome_shown(self, _outcome) -> None:
        for record in self.pending:
            record.setdefault("shown", time.monotonic())

    def banner_painted(self) -> None:
        if not self.pending:
            return
        now = time.monotonic()
        active = QApplication.activeWindow()
        overlay = getattr(self.window, "overlay", None)  # the outcome laid over a dialog in front
        for record in self.pending:
            record["painted"] = now
            record["active"] = type(active).__name__ if active is not None else None
            record["overlay"] = bool(overlay is not None and overlay.isVisible())
            record.setdefault("shown", None)
            self.write(**record)
        self.pending = []

    # --- windows ----------------------------------------------------------------------
    def window_event(self, widget: QWidget, what: str) -> None:
        try:
            wid = int(widget.winId()) if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Created) else None
        except RuntimeError:
            wid = None
        self.write(ev=what, window=type(widget).__name__, name=widget.objectName(), wid=wid,
                   main=widget is self.window)
