"""One screen per bench. A bench without its own screen gets the plain `BenchScreen`."""
from __future__ import annotations

from station.ui.benches.base import BenchScreen
from station.ui.benches.lookup import LookupScreen

SCREENS: dict[str, type[BenchScreen]] = {"lookup": LookupScreen}


def screen_class(bench_name: str) -> type[BenchScreen]:
    return SCREENS.get(bench_name, BenchScreen)


__all__ = ["SCREENS", "BenchScreen", "LookupScreen", "screen_class"]
