"""Measure GUI cold start: ``python -m station.ui.startup_probe --db URL``.

Builds the real application and main window, the same way ``station`` does, and when
the main window is first exposed on screen prints ``{"startup_s": seconds}`` and exits 0.
The clock starts at ``$STATION_T0`` (a ``time.time()`` float set by the caller before it
started this process, so interpreter start-up counts) or else when this module started.
"""
from __future__ import annotations

import time

PROBE_T0 = time.time()  # before the imports below: they are part of the start-up

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

TIMEOUT_MS = 60_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m station.ui.startup_probe")
    parser.add_argument("--db", default=None, metavar="URL")
    args = parser.parse_args(argv)
    t0 = float(os.environ.get("STATION_T0") or PROBE_T0)

    from PySide6.QtCore import QEvent, QObject, QTimer

    from station.ui.app import application, build

    app = application()
    window = build(args.db)
    if isinstance(window, int):
        return window
    result: dict[str, float] = {}

    def report() -> None:
        if not result:
            result["startup_s"] = round(time.time() - t0, 4)
            print(json.dumps(result), flush=True)
            app.exit(0)

    class ExposeWatcher(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Expose and obj.isExposed():
                report()
            return False

    watcher = ExposeWatcher()
    window.winId()  # create the native window now, so the first Expose cannot be missed
    window.windowHandle().installEventFilter(watcher)
    window.show()
    if window.windowHandle().isExposed():
        QTimer.singleShot(0, report)

    def give_up() -> None:
        print(json.dumps({"error": "the main window was never exposed"}), file=sys.stderr, flush=True)
        app.exit(1)

    QTimer.singleShot(TIMEOUT_MS, give_up)
    code = app.exec()
    window.engine.dispose()
    return code


if __name__ == "__main__":
    sys.exit(main())
