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
