"""One scan-driven state machine per bench. Add a bench: one module here, one line below."""
from __future__ import annotations

from station.workflows.base import Bench, BenchContext, Outcome
from station.workflows.outcomes import Level
from station.workflows.lookup import LookupBench
from station.workflows.handover import HandoverBench
from station.workflows.count import CountBench
from station.workflows.pack import PackBench
from station.workflows.putaway import PutawayBench
from station.workflows.receive import ReceiveBench
from station.workflows.returns import ReturnsBench

BENCHES: dict[str, type[Bench]] = {b.name: b for b in (LookupBench, PackBench, HandoverBench, ReceiveBench, CountBench,
                                                  PutawayBench, ReturnsBench)}

__all__ = ["BENCHES", "Bench", "BenchContext", "Level", "Outcome"]
