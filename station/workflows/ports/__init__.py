"""The runner's side of the pure benches: each bench's port over the scan's unit of work.

A port is what a bench may ask of the warehouse during one scan: facts (an order, a product)
and changes (close this order, queue that document). Here they are answered from the
database, in the session the runner opened for the scan; the bench never sees the session.
Add a converted bench: one module here, one line below (``OPEN_PORT``).
"""
from __future__ import annotations

from station.workflows.ports.count import DatabaseCountPort
from station.workflows.ports.handover import DatabaseHandoverPort
from station.workflows.ports.lookup import DatabaseLookupPort
from station.workflows.ports.pack import DatabasePackPort
from station.workflows.ports.putaway import DatabasePutawayPort
from station.workflows.ports.receive import DatabaseReceivePort
from station.workflows.ports.returns import DatabaseReturnsPort

# bench name -> (session, BenchContext) -> the bench's port for one scan
OPEN_PORT = {
    "pack": DatabasePackPort,
    "handover": DatabaseHandoverPort,
    "lookup": DatabaseLookupPort,
    "putaway": DatabasePutawayPort,
    "count": DatabaseCountPort,
    "receive": DatabaseReceivePort,
    "returns": DatabaseReturnsPort,
}

__all__ = ["OPEN_PORT"]
