"""A bench's scan → outcome latency: scans timed through the runner, and the figure they make."""
from __future__ import annotations

import statistics
import time
from typing import Callable, Iterable

from station.workflows.runner import BenchRunner


def timed_scans(runner: BenchRunner, scans: Iterable[str], after_each: Callable[[], object] | None = None
                ) -> list[float]:
    """Each scan through ``BenchRunner.process`` (the path of the GUI and replay), timed alone;
    ``after_each`` runs untimed after every outcome. An error outcome stops the benchmark."""
    timings = []
    for raw in scans:
        t = time.perf_counter()
        _scan, outcome = runner.process(raw)
        timings.append(time.perf_counter() - t)
        if outcome.level == "error":
            raise RuntimeError(f"{raw!r}: {outcome.code} {outcome.message}")
        if after_each is not None:
            after_each()
    return timings


def latency_figure(name: str, timings: list[float], target: str, **extra) -> dict:
    timings = sorted(timings)
    return {"figure": name, "p50_ms": round(statistics.median(timings) * 1000, 2),
            "p99_ms": round(timings[int(len(timings) * 0.99)] * 1000, 2), "unit": "ms", "target": target,
            "scans": len(timings), **extra}
