"""``station bench``: the figures the issues ask for, one JSON object each.

Targets (issue 3): scan classification >= 200,000 scans/s; stock on hand for one SKU
<= 2 ms median with 1,000,000 ledger rows on SQLite; GUI cold start <= 2 s. The other
areas' targets are in their modules. Each area is imported only when it runs.
"""
from __future__ import annotations

import os
import platform
from typing import Iterator


def machine() -> str:
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def run_all(quick: bool = False, only: str | None = None, pg_url: str | None = None) -> Iterator[dict]:
    yield {"figure": "machine", "value": machine()}
    if only in (None, "foundation"):
        from station.perf.scanning import classify_figure
        from station.perf.startup import startup_figure
        from station.perf.stock import on_hand_figure

        yield classify_figure()
        yield on_hand_figure(100_000 if quick else 1_000_000)
        yield startup_figure(1 if quick else 3)
    if only in (None, "printing"):
        from station.perf.raw_print import run as raw_print_run
        from station.perf.waybills import waybill_figure

        yield waybill_figure()
        yield from raw_print_run(quick=quick)
    if only in (None, "pack"):
        from station.perf.pack import run as pack_run

        yield from pack_run(quick=quick, pg_url=pg_url)
    if only in (None, "inbound"):
        from station.perf.inbound import run as inbound_run

        yield from inbound_run(quick=quick)
    if only in (None, "returns"):
        from station.perf.returns import run as returns_run

        yield from returns_run(quick=quick)
    if only in (None, "counts"):
        from station.perf.counts import run as counts_run

        yield from counts_run(quick=quick)
    if only in (None, "video"):
        from station.perf.video import run as video_run

        yield from video_run(quick=quick)
