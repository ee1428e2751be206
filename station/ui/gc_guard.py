"""Python's cyclic garbage collector runs on the GUI thread only, once the GUI runs threads of its own.

The collector starts in whichever thread happens to allocate when a generation's threshold is
passed. The scan worker (station.ui.scan_worker) and the printing threads allocate a lot (every
scan is a transaction), so without this the collector often runs there; a cycle it frees that holds
a Qt object owned by Python (a dialog, a timer, a model) then deletes that object on the wrong
thread, and Qt crashes later, somewhere else (the GUI test suite did, a few tests after the scan
worker came in). So: automatic collection off, and a timer on the GUI thread collects, by
generation, when the counts pass the same thresholds (the recipe of PyQt/PySide applications that
run Python threads).
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500

_guard: "GcGuard | None" = None


class GcGuard(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        count = gc.get_count()
        for generation in (2, 1, 0):
            if count[generation] > self.threshold[generation]:
                gc.collect(generation)
                return


def install() -> None:
    """Once per application, on its thread (idempotent)."""
    global _guard
    app = QCoreApplication.instance()
    if app is None or (_guard is not None and _guard.parent() is app):
        return
    _guard = GcGuard(app)
