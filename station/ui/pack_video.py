"""The pack video at the pack bench (issue 18): recording follows the bench's outcomes.

``order_opened`` opens a clip; every later scan of that order is burned in as a caption (time,
scan, what the bench said); ``order_packed`` closes it with the close's message, ``order_released``
(CANCEL) and ``short_pick`` (SHORT) close it too. The camera and the encoder live in the recorder
process (`station.video.recorder`); here are only small messages, so recording never holds up a
scan. A finished clip is filed by tracking number and the folder pruned to its budget on a
thread of its own (`station.video.clips`). A camera that is missing or unplugged shows in red in
the status bar; packing goes on.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow

from station.i18n import _
from station.video.clips import file_clip, prune, working_name
from station.video.recorder import CameraState, ClipDone, Recorder
from station.workflows import Outcome

log = logging.getLogger(__name__)
POLL_MS = 250
CLOSING = frozenset({"order_packed", "order_released", "short_pick"})


def open_order(screen) -> str | None:
    """The order the pack bench has open (None when none)."""
    state = getattr(screen, "state", None) or screen.runner.bench.snapshot()
    return state.get("order") if isinstance(state, dict) else getattr(state, "order", None)


def last_order(screen) -> str | None:
    state = getattr(screen, "state", None) or screen.runner.bench.snapshot()
    return state.get("last_order") if isinstance(state, dict) else getattr(state, "last_order", None)


class PackVideo(QObject):
    filed = Signal(object)  # station.video.clips.Filed, once a clip is on the books

    def __init__(self, window: QMainWindow, camera: str, folder: Path, *, station: str, budget_mb: int,
                 keep_days: int) -> None:
        super().__init__(window)
        self.window = window
        self.folder = Path(folder)
        self.station = station
        self.budget_bytes = int(budget_mb) * 1024 * 1024
        self.keep_days = int(keep_days)
        self.recorder = Recorder(camera, self.folder)
        self.recording: dict[str, tuple[str, datetime]] = {}  # order -> (working file name, started)
        self.label = QLabel()
        self.label.setObjectName("cameraStatus")
        window.statusBar().addPermanentWidget(self.label)
        self._show_camera(self.recorder.camera)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        self._threads: list[threading.Thread] = []

    # --- the bench's outcomes ------------------------------------------------------------
    def after_scan(self, screen, raw: str, outcome: Outcome) -> None:
        now = datetime.now().astimezone()
        caption = f"{now:%H:%M:%S} {raw[:32]}  {str(outcome.message)[:60]}"
        if outcome.code == "order_opened":
            order = open_order(screen)
            if order:
                for other in [k for k in self.recording if k != order]:
                    self.recorder.stop(other)
                if order not in self.recording:
                    name = working_name(order, now)
                    self.recording[order] = (name, now)
                    self.recorder.start(order, name)
                self.recorder.caption(order, caption)
            return
        order = open_order(screen) or (last_order(screen) if outcome.code in CLOSING else None)
        if order not in self.recording:
            return
        if outcome.code in CLOSING:
            self.recorder.stop(order, caption)
        else:
            self.recorder.caption(order, caption)

    # --- what the recorder says ----------------------------------------------------------
    def poll(self) -> None:
        for message in self.recorder.poll():
            if isinstance(message, CameraState):
                self._show_camera(message)
            elif isinstance(message, ClipDone):
                self._file(message)

    def _show_camera(self, state: CameraState) -> None:
        if state.online:
            self.label.setText(_("Camera: on"))
            self.label.setStyleSheet("")
            self.label.setToolTip("")
        elif state.reason == "starting":
            self.label.setText(_("Camera: starting"))
        else:
            self.label.setText(_("Camera: offline, packing goes on without video"))
            self.label.setStyleSheet("color: white; background: #b00020; padding: 0 6px;")
            self.label.setToolTip(state.reason)
            log.warning("pack video: camera offline: %s", state.reason)

    def _file(self, done: ClipDone) -> None:
        entry = self.recording.pop(done.key, None)
        if entry is None:
            return
        name, started = entry
        sessions = self.window.sessions

        def work() -> None:  # database and files: not on the GUI thread
            try:
                filed = file_clip(sessions, self.folder, order_no=done.key, working=name, started=started,
                                  station=self.station, frames=done.frames, seconds=done.seconds, size=done.bytes,
                                  complete=done.complete, stills=done.stills)
                prune(sessions, self.station, budget_bytes=self.budget_bytes, keep_days=self.keep_days,
                      now=datetime.now(timezone.utc))
                self.filed.emit(filed)
            except Exception:  # a clip that cannot be filed must not end the shift
                log.exception("pack video: filing the clip of %s failed", done.key)

        thread = threading.Thread(target=work, name="pack-video-file", daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def close(self, timeout: float = 8.0) -> None:
        """Close the open clip (kept and filed: the order is still open), then the recorder."""
        self._timer.stop()
        for order in list(self.recording):
            self.recorder.stop(order)
        deadline = time.monotonic() + timeout
        while self.recording and time.monotonic() < deadline:
            self.poll()
            time.sleep(0.05)
        self.recorder.close()
        for thread in self._threads:
            thread.join(5)
