"""Scans are handled on the scan worker, not on the GUI thread (issue 13: "the scan path keeps the
event loop free"): the window goes on while a scan waits for the database, scans come out in the
order they went in, a failure is shown in red and the next scan still works, and a scan that came
before the window closed is saved."""
from __future__ import annotations

import sqlite3
import threading
import time

from PySide6.QtCore import QTimer
from sqlalchemy import func, select

from station.audit.models import ScanEvent
from station.db import unit_of_work
from tests.qt.conftest import BADGE, BIN, TSHIRT_EAN


def test_the_gui_thread_goes_on_while_a_scan_waits_for_a_locked_database(qtbot, make_window, sqlite_url):
    window = make_window()
    window.handle_scan(BADGE)
    # Another program holds the database's write lock for 0.8 s (a batch, another station).
    path = sqlite_url.removeprefix("sqlite:///")
    blocker = sqlite3.connect(path, timeout=5, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    threading.Timer(0.8, lambda: (blocker.rollback(), blocker.close())).start()
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    started = time.monotonic()
    job = window.submit_scan(BIN)
    assert not job.shown.is_set()  # submit returns at once: the scan is the worker's now
    qtbot.waitUntil(job.shown.is_set, timeout=10_000)
    timer.stop()
    assert time.monotonic() - started >= 0.7  # it did wait for the lock ...
    assert job.outcome.code == "location_found"
    during = [t for t in ticks if t < started + 0.7]
    assert len(during) >= 15  # ... and meanwhile the event loop ran its timer (35 ticks at most)
    assert max(b - a for a, b in zip(during, during[1:])) < 0.3


def test_scans_are_handled_one_at_a_time_in_the_order_they_came(qtbot, make_window, warehouse):
    window = make_window()
    raws = [BADGE, BIN, TSHIRT_EAN, "6912345000000", BIN, TSHIRT_EAN]
    shown = []
    window.outcome_shown.connect(lambda o: shown.append(o.code))
    jobs = [window.submit_scan(raw) for raw in raws]
    qtbot.waitUntil(lambda: all(j.shown.is_set() for j in jobs), timeout=10_000)
    assert shown == ["logged_in", "location_found", "product_found", "unknown_barcode", "location_found",
                     "product_found"]
    with unit_of_work(warehouse) as s:
        assert list(s.scalars(select(ScanEvent.raw).order_by(ScanEvent.id))) == raws


def test_a_failure_on_the_worker_is_shown_in_red_and_the_next_scan_still_works(qtbot, make_window, monkeypatch):
    window = make_window()
    window.handle_scan(BADGE)
    runner = window.screen.runner
    real = runner.process

    def broken(raw, source="scan"):
        if raw == "BOOM-1":
            raise ZeroDivisionError("a bug")
        return real(raw, source=source)

    monkeypatch.setattr(runner, "process", broken)
    assert window.handle_scan("BOOM-1").code == "station_error"
    assert window.screen.banner.level == "error" and "ZeroDivisionError" in window.screen.banner.message
    assert window.handle_scan(BIN).code == "location_found"


def test_scans_queued_when_the_window_closes_are_still_saved(qtbot, make_window, warehouse):
    window = make_window()
    window.handle_scan(BADGE)
    for _ in range(30):
        window.submit_scan(TSHIRT_EAN)
    window.close()  # at once: most of the 30 are still queued
    with unit_of_work(warehouse) as s:
        assert s.scalar(select(func.count()).select_from(ScanEvent).where(ScanEvent.raw == TSHIRT_EAN)) == 30
