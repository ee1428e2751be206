"""One screen per bench. A bench without its own screen gets the plain `BenchScreen`."""
from __future__ import annotations

from station.ui.benches.base import BenchScreen
from station.ui.benches.count import CountScreen
from station.ui.benches.handover import HandoverScreen
from station.ui.benches.lookup import LookupScreen
from station.ui.benches.pack import PackScreen
from station.ui.benches.putaway import PutawayScreen
from station.ui.benches.receive import ReceiveScreen
from station.ui.benches.returns import ReturnsScreen

SCREENS: dict[str, type[BenchScreen]] = {"lookup": LookupScreen, "pack": PackScreen, "count": CountScreen,
                                     "receive": ReceiveScreen, "putaway": PutawayScreen, "returns": ReturnsScreen,
                                     "handover": HandoverScreen}


def screen_class(bench_name: str) -> type[BenchScreen]:
    return SCREENS.get(bench_name, BenchScreen)


__all__ = ["SCREENS", "BenchScreen", "CountScreen", "HandoverScreen", "LookupScreen", "PackScreen", "PutawayScreen",
           "ReceiveScreen", "ReturnsScreen", "screen_class"]
