"""No dead ends (issue 17): every state a bench can reach has a way back and a way forward by scan.

Each bench's pure state machine is walked through its fake port (the one its own machine tests use):
breadth-first from the bench's first state, every scan of a small alphabet (its own codes, the
commands on its sheet, CONFIRM, a stranger's code) from every state reached, to a depth. For every
state found:

* **a way back**: a few scans (at most ``BACK``) bring the bench to rest: nothing open, no error waiting;
* **a way forward**: some scan other than CANCEL or UNDO is not refused (no error): the person can go on,
  never only back;
* **a way through**: the work in hand can be finished, not abandoned: at most ``FORWARD`` scans, none of
  them CANCEL or UNDO, bring the bench to rest.

A state is told apart from another by its saved form (what the runner saves and the screen draws).
"""
from __future__ import annotations

import copy
import json
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable

import pytest

from station.i18n import stored
from station.workflows import count, handover, lookup, pack, putaway, receive, returns
from tests.unit import (test_count_machine as count_t, test_handover_machine as handover_t,
                        test_lookup_machine as lookup_t, test_pack_machine as pack_t,
                        test_putaway_machine as putaway_t, test_receive_machine as receive_t,
                        test_returns_machine as returns_t)

BACK = 3  # scans to come back to rest from anywhere
MAX_STATES = 600  # per bench: the walk stops there (it reaches every kind of state long before)
FORWARD = 4  # scans to finish the work in hand (never by CANCEL or UNDO)
BACKWARD = {"CMD-CANCEL", "CMD-UNDO"}


@dataclass(frozen=True)
class Walk:
    name: str
    step: Callable
    first: Any
    port: Callable[[], Any]
    scan: Callable[[str], Any]
    alphabet: tuple[str, ...]
    at_rest: Callable[[Any], bool]
    depth: int = 5


def _pack_port():
    """P1: a T-shirt and a gift sticker; P7 on hold."""
    from station.workflows.pack import ItemToPack, OrderFacts, ProductFacts

    return pack_t.FakePackPort(
        orders={"P1": OrderFacts("P1", "ready", "SF"), "P7": OrderFacts("P7", "on_hold", "SF", holds=("Address",))},
        items_of={"P1": [ItemToPack("TS01-RD-M", 1, "圆领T恤", "红", "M", style="TS01"),
                         ItemToPack("SP-01", 1, "贴纸", gift=True)]},
        products={pack_t.RED_M: ProductFacts("TS01-RD-M", "圆领T恤 红 M", "TS01"),
                  pack_t.RED_L: ProductFacts("TS01-RD-L", "圆领T恤 红 L", "TS01"),
                  pack_t.GIFT_PEN: ProductFacts("SP-01", "贴纸")})


def _lookup_scan(raw: str):
    if raw[:2] in ("A-", "Z-", "Q-"):
        return lookup_t.Scan(raw, lookup_t.ScanKind.LOCATION, raw)
    if raw.startswith("CMD-") or "\\x" in raw:
        return handover_t.scan(raw)  # a command, or an unreadable scan
    return lookup_t.Scan(raw, lookup_t.ScanKind.PRODUCT, raw)


WALKS = (
    Walk("pack", pack.step, pack.PackState(blank=True), _pack_port, pack_t.scan,
         ("PS:P1", "PS:P7", pack_t.RED_M, pack_t.RED_L, pack_t.GIFT_PEN, "YT1000000000001", "CMD-DONE", "CMD-UNDO",
          "CMD-SHORT", "CMD-NEW_PARCEL", "CMD-REPRINT", "CMD-CANCEL", "CMD-CONFIRM"),
         lambda s: s.order is None and s.error is None, depth=4),
    Walk("receive", receive.step, receive.ReceiveState(), receive_t.FakeReceivePort, receive_t.scan,
         ("PO-1", receive_t.SHIRT, receive_t.PENS_CASE, receive_t.STRANGER, "TS01-RD-M", "U-1004", "CMD-DONE",
          "CMD-UNDO", "CMD-REPRINT", "CMD-CANCEL", "CMD-CONFIRM", "CMD-BLIND", "QC:damaged"),
         lambda s: s.receipt is None and s.pending is None and not s.blind_next and not s.qc_reason, depth=4),
    Walk("putaway", putaway.step, putaway.PutawayState(), putaway_t.FakePutawayPort, putaway_t.scan,
         (putaway_t.NOTEBOOK, "C-04-05-02", "C-04-05-03", "QC-01", "U-1004", "U-1005", "CMD-DONE", "CMD-CANCEL",
          "CMD-CONFIRM"),
         lambda s: s.carrying is None and s.error is None and not s.awaiting_supervisor and not s.release_by),
    Walk("count", count.step, count.CountState(), count_t.FakeCountPort, count_t.scan,
         ("C-1", "E-1", "E-3", count_t.SHIRT, "7", "U-1004", "CMD-DONE", "CMD-EMPTY", "CMD-UNDO", "CMD-RECOUNT",
          "CMD-APPROVE", "CMD-CANCEL", "CMD-CONFIRM"),
         lambda s: s.bin is None and s.error is None and s.awaiting is None, depth=4),
    Walk("returns", returns.step, returns.ReturnsState(), returns_t.FakeReturnsPort, returns_t.scan,
         ("YT1", "YT2", "RS:R3", returns_t.SHIRT, returns_t.HOODIE, "A-01-01-01", "QC-01", "CMD-DONE", "CMD-UNDO",
          "CMD-CANCEL", "CMD-CONFIRM"),
         lambda s: s.receipt is None and s.error is None and s.override is None),
    Walk("handover", handover.step, handover.HandoverState(), handover_t.FakeHandoverPort, handover_t.scan,
         ("SF1001", "SF1002", "YT2001", "SF9999", "CMD-DONE", "CMD-UNDO", "CMD-REPRINT", "CMD-CANCEL", "CMD-CONFIRM"),
         lambda s: s.handover is None and s.error is None),
    Walk("lookup", lookup.step, lookup.LookupState(), lookup_t.FakeLookupPort, _lookup_scan,
         ("6900000000011", "16900000000042", "A-01-01-01", "Q-01", "ab\\xffcd", "CMD-CONFIRM"),
         lambda s: s.error is None),
)


def _key(state) -> str:
    return json.dumps(stored(state.to_dict()), sort_keys=True, ensure_ascii=False, default=str)


def _step(walk: Walk, state, port, raw: str):
    port = copy.deepcopy(port)
    done = walk.step(state, walk.scan(raw), port)
    return done.state, port, done.outcome


def reachable(walk: Walk) -> list[tuple[Any, Any, tuple[str, ...]]]:
    """Every state the alphabet reaches from the first one: (state, port as it then was, the scans that led there)."""
    seen = {_key(walk.first)}
    found = [(walk.first, walk.port(), ())]
    queue = deque(found)
    while queue and len(found) < MAX_STATES:
        state, port, path = queue.popleft()
        if len(path) >= walk.depth:
            continue
        for raw in walk.alphabet:
            after, port_after, _outcome = _step(walk, state, port, raw)
            key = _key(after)
            if key not in seen:
                seen.add(key)
                found.append((after, port_after, (*path, raw)))
                queue.append(found[-1])
    return found


def way_back(walk: Walk, state, port, limit: int = BACK, without: frozenset[str] = frozenset()) -> tuple[str, ...] | None:
    """The fewest scans (at most `limit`, none of `without`) that bring the bench to rest, or None."""
    if walk.at_rest(state):
        return ()
    alphabet = [raw for raw in walk.alphabet if raw not in without]
    seen = {_key(state)}
    queue = deque([(state, port, ())])
    while queue:
        state, port, path = queue.popleft()
        if len(path) >= limit:
            continue
        for raw in alphabet:
            after, port_after, _outcome = _step(walk, state, port, raw)
            if walk.at_rest(after):
                return (*path, raw)
            key = _key(after)
            if key not in seen:
                seen.add(key)
                queue.append((after, port_after, (*path, raw)))
    return None


def way_through(walk: Walk, state, port) -> tuple[str, ...] | None:
    """The work in hand finished, not abandoned: to rest in at most FORWARD scans, never CANCEL or UNDO."""
    return way_back(walk, state, port, FORWARD, frozenset(BACKWARD))


def way_forward(walk: Walk, state, port) -> str | None:
    """A scan (not CANCEL or UNDO) that the bench takes without an error, or None."""
    for raw in walk.alphabet:
        if raw in BACKWARD:
            continue
        if str(_step(walk, state, port, raw)[2].level) != "error":
            return raw
    return None


@pytest.mark.parametrize("walk", WALKS, ids=[w.name for w in WALKS])
def test_every_state_of_the_bench_has_a_way_back_and_a_way_forward_by_scan(walk):
    states = reachable(walk)
    assert len(states) > 5, f"the walk of {walk.name} found too little to prove anything"
    stuck = [(path, "no way back") for state, port, path in states if way_back(walk, state, port) is None]
    stuck += [(path, "no way forward") for state, port, path in states if way_forward(walk, state, port) is None]
    stuck += [(path, "cannot be finished") for state, port, path in states if way_through(walk, state, port) is None]
    assert not stuck, f"{walk.name}: dead ends after {stuck[:5]}"


def test_the_walk_finds_a_dead_end_when_there_is_one():
    """The test above can fail: a bench whose every scan after an error is refused, CANCEL included."""
    from station.workflows.base import Outcome, Step

    @dataclass(frozen=True)
    class Stuck:
        broken: bool = False

        def to_dict(self):
            return {"broken": self.broken}

    def stuck_step(state, scan, port):
        if state.broken or scan.value == "BREAK":
            return Step(Stuck(True), Outcome.error("unknown", "stuck"))
        return Step(state, Outcome.ok("nothing_to_confirm", "fine"))

    walk = Walk("stuck", stuck_step, Stuck(), dict, handover_t.scan, ("BREAK", "CMD-CANCEL", "CMD-CONFIRM"),
                lambda s: not s.broken)
    states = reachable(walk)
    broken = next((s, p) for s, p, _path in states if s.broken)
    assert way_back(walk, *broken) is None and way_forward(walk, *broken) is None


def test_the_returns_walk_reaches_the_refused_item_left_without_a_place():
    """The returns dead end of issue 17 is among the states walked: a refused item left without a place while
    the clerk went on with the next item (rescanning it said "already returned", DONE "not placed")."""
    walk = next(w for w in WALKS if w.name == "returns")
    left_behind = [path for state, _port, path in reachable(walk)
                   if any(not i.accepted and not i.disposition and i.id != state.current for i in state.items)]
    assert left_behind, "the walk never left a refused item behind"
