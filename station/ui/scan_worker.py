"""The scan worker: the benches handle scans on a thread of their own, never on the GUI thread.

A scan is a database transaction (a few milliseconds on a quiet PC; tens, or a second's wait for
a write lock, when another station or a batch is writing). On the GUI thread that time would hold
the event loop: keys queued behind it, the banner and the clock not painted, the window greyed by
the desktop. So the main window hands every input of a bench (a scan from any scanner, a typed
scan, F10/F12, a weight, the login when the person moves to another bench) to this worker as a
`ScanJob`:

1. ``submit`` queues the job and returns at once (the GUI thread goes back to its keys);
2. the worker thread runs ``job.call`` (``BenchRunner.process`` and friends: the runner's sessions
   are guarded, so its printing thread and this one never share a connection);
3. ``done`` is emitted from the worker and delivered on the GUI thread (a queued connection), where
   ``job.on_done`` shows the outcome, sounds it, starts the printing;
4. only then does the worker take the next job: the screens draw the bench's state after each
   outcome, so the runner must not move on while they read it. Scans are handled one at a time,
   in the order they came, whatever bench they were for.

A failure inside ``job.call`` is kept on the job (``error``, ``trace``) and shown by ``on_done``:
a bug must not end the shift. ``wait`` runs a local event loop until a job is shown (tests, and the
few callers that need the outcome there and then).
"""
from __future__ import annotations

import logging
import queue
import threading
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal

log = logging.getLogger(__name__)
SHOWN_POLL_S = 0.5  # the worker checks this often whether it is being stopped while an outcome waits


@dataclass(eq=False)
class ScanJob:
    screen: Any  # the BenchScreen the input was for (chosen when it came, not when it is handled)
    raw: str
    source: str
    call: Callable[[], Any]  # on the worker: returns (scan, outcome), or None for "nothing to show"
    on_done: Callable[["ScanJob"], None] | None = None  # on the GUI thread
    then: Callable[[Any], None] | None = None  # on the GUI thread, after on_done, with the outcome
    result: Any = None
    error: BaseException | None = None
    trace: str = ""
    outcome: Any = None  # what was shown (set by on_done)
    shown: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        """Drop the references to widgets and their methods: called on the GUI thread, so that the
        worker thread, which keeps the job a moment longer, never holds a widget's last reference
        (a Qt object freed on another thread is a crash)."""
        self.screen = self.call = self.on_done = self.then = None


class ScanWorker(QObject):
    done = Signal(object)  # a ScanJob, emitted on the worker thread, handled on the GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.Queue[ScanJob | None] = queue.Queue()
        self._stopping = threading.Event()
        self._drained: list[ScanJob] = []  # jobs the worker let go of while stopping
        self.done.connect(self._finish)  # emitted from another thread: queued to this object's thread
        self._thread = threading.Thread(target=self._loop, name="scan-worker", daemon=True)
        self._thread.start()

    # --- the GUI thread -------------------------------------------------------------------------
    def submit(self, job: ScanJob) -> ScanJob:
        if self._stopping.is_set():  # after closeEvent: the worker is draining or gone
            log.error("scan %r came after the window closed: not handled", job.raw)
            job.release()
            job.shown.set()
            return job
        self._queue.put(job)
        return job

    def pending(self) -> int:
        """Jobs not yet taken by the worker (the one it handles now not counted)."""
        return self._queue.qsize()

    def wait(self, job: ScanJob, timeout_ms: int = 30_000) -> bool:
        """Until ``job`` is shown (a local event loop: the GUI goes on meanwhile); False on timeout."""
        if job.shown.is_set():
            return True
        loop = QEventLoop()
        poll = QTimer()  # timers of our own, stopped before the loop goes: no call after it is gone
        poll.setInterval(5)
        poll.timeout.connect(lambda: job.shown.is_set() and loop.quit())
        give_up = QTimer()
        give_up.setSingleShot(True)
        give_up.timeout.connect(loop.quit)
        poll.start()
        give_up.start(timeout_ms)
        loop.exec()
        poll.stop()
        give_up.stop()
        return job.shown.is_set()

    def stop(self, timeout: float = 30.0) -> None:
        """The window closes: no more jobs are taken, and those already queued are still handled
        (saved in the scan log and the bench's state, not shown): a scan that came is never lost."""
        self._stopping.set()
        self._queue.put(None)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.error("the scan worker did not finish within %.0f s (%d scans queued)", timeout, self.pending())
        drained, self._drained = self._drained, []
        for job in drained:  # their widgets' references go here, on the GUI thread
            job.release()

    def _finish(self, job: ScanJob) -> None:
        try:
            if self._stopping.is_set():  # the window is closing or closed: its widgets may be gone
                return
            if job.on_done is not None:
                job.on_done(job)
            if job.then is not None and job.outcome is not None:
                job.then(job.outcome)
        except Exception:  # showing an outcome failed: log it, the next scan must still come
            log.exception("showing the outcome of %r failed", job.raw)
        finally:
            job.release()
            job.shown.set()

    # --- the worker thread ----------------------------------------------------------------------
    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            try:
                job.result = job.call()
            except BaseException as exc:  # noqa: BLE001 - shown in red by on_done, the worker goes on
                job.error, job.trace = exc, traceback.format_exc()
                if self._stopping.is_set():
                    log.error("scan %r failed while closing:\n%s", job.raw, job.trace)
            if self._stopping.is_set():  # closing: handled and saved, nobody to show it to
                self._drained.append(job)  # released by `stop` on the GUI thread
                job.shown.set()
                job = None
                continue
            self.done.emit(job)
            while not job.shown.wait(SHOWN_POLL_S):  # the screens read the bench's state: wait for them
                if self._stopping.is_set():
                    self._drained.append(job)
                    break
            job = None
