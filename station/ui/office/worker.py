"""Run one long service call (an import, a batch) off the GUI thread and report by signals.

The service gets a ``progress(done, total)`` callback that emits ``progressed`` from the
worker thread; Qt queues it to the window's thread, so the window only ever touches its
widgets from its own thread. Connect the signals to methods of a QObject (the window),
never to a bare lambda, so Qt knows which thread they belong to.
"""
from __future__ import annotations

import logging
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal

log = logging.getLogger(__name__)

Job = Callable[[Callable[[int, int], None]], Any]  # called with the progress callback


class ServiceThread(QThread):
    progressed = Signal(int, int)  # done, total
    succeeded = Signal(object)  # what the service returned
    failed = Signal(object)  # the exception it raised

    def __init__(self, job: Job, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job = job

    def run(self) -> None:  # the worker thread
        try:
            result = self._job(self._progress)
        except Exception as exc:  # the window says what went wrong; the log keeps where
            log.error("office job failed:\n%s", traceback.format_exc())
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)

    def _progress(self, done: int, total: int) -> None:
        self.progressed.emit(int(done), int(total))


class WindowJobs(QObject):
    """A window's database work, each job on a `ServiceThread`, its result handed to a method of the
    window on the window's thread. Jobs have a kind ("list", "lines", "decide"): of several of one kind
    still running, only the newest one's result is delivered (a list asked for again wins over the
    older read). ``busy(kind)`` while one of that kind runs; ``wait`` at close, so that no thread
    outlives its window (a QThread destroyed while it runs ends the program)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._running: dict[ServiceThread, tuple[str, Callable, Callable | None, Callable | None]] = {}
        self._newest: dict[str, ServiceThread] = {}

    def run(self, kind: str, job: Job, done: Callable[[Any], None], failed: Callable[[Exception], None] | None = None,
            progressed: Callable[[int, int], None] | None = None) -> None:
        thread = ServiceThread(job, self)
        self._running[thread] = (kind, done, failed, progressed)
        self._newest[kind] = thread
        thread.succeeded.connect(self._succeeded)
        thread.failed.connect(self._failed)
        thread.progressed.connect(self._progressed)
        thread.finished.connect(self._finished)
        thread.start()

    def busy(self, kind: str | None = None) -> bool:
        return bool(self._newest) if kind is None else kind in self._newest

    def wait(self, timeout_ms: int = 30_000) -> None:
        for thread in list(self._running):
            thread.wait(timeout_ms)

    def _mine(self) -> tuple[str, Callable, Callable | None, Callable | None] | None:
        """The sender's entry if it is the newest of its kind (it is then no longer running)."""
        thread = self.sender()
        entry = self._running.get(thread)
        if entry is None or self._newest.get(entry[0]) is not thread:
            return None  # an older job of its kind: a newer one is on its way
        del self._newest[entry[0]]
        return entry

    def _succeeded(self, result) -> None:
        entry = self._mine()
        if entry is not None:
            entry[1](result)

    def _failed(self, exc) -> None:
        entry = self._mine()
        if entry is not None and entry[2] is not None:
            entry[2](exc)

    def _progressed(self, done: int, total: int) -> None:
        entry = self._running.get(self.sender())
        if entry is not None and entry[3] is not None:
            entry[3](done, total)

    def _finished(self) -> None:
        thread = self.sender()
        self._running.pop(thread, None)
        thread.deleteLater()
