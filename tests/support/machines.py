"""What the fake-port tests of the pure benches share (``tests/unit/test_<bench>_machine.py``): a
scan made from a short text, a driver that steps a bench through scans, and the badges.

A fake port is the bench's port in memory (as Cosmic Python tests its handlers with a fake unit of
work); what differs from bench to bench (the warehouse it pretends) stays in the test."""
from __future__ import annotations

from typing import Callable

from station.scanning import Scan, ScanKind

BADGES = {"U-1004": ("刘洋", frozenset({"supervisor"})), "U-1005": ("Tom", frozenset({"packer"}))}


class Badges:
    """A fake port's ``badge``: U-1004 is 刘洋, a supervisor; U-1005 is Tom, a packer; others nobody."""

    def badge(self, badge):
        return BADGES.get(badge)


Rule = tuple  # (prefixes, kind) or (prefixes, kind, True): the value without the prefix


def scanner(*rules: Rule, product: Callable[[str], bool] = str.isdigit,
            other: ScanKind = ScanKind.SKU) -> Callable[[str], Scan]:
    """How a test's short texts classify: ``CMD-X`` is the command X, ``U-…`` a badge, a text with
    ``\\x`` bytes that are no text (the runner's ``invalid_characters``), then `rules` in order,
    `product` (a product barcode), and anything else `other`."""
    def scan(raw: str) -> Scan:
        if raw.startswith("CMD-"):
            return Scan(raw, ScanKind.COMMAND, raw[4:])
        if raw.startswith("U-"):
            return Scan(raw, ScanKind.BADGE, raw)
        if "\\x" in raw:
            return Scan(raw, ScanKind.UNKNOWN, raw, error="invalid_characters")
        for prefixes, kind, *strip in rules:
            for prefix in (prefixes,) if isinstance(prefixes, str) else prefixes:
                if raw.startswith(prefix):
                    return Scan(raw, kind, raw[len(prefix):] if strip and strip[0] else raw)
        if product(raw):
            return Scan(raw, ScanKind.PRODUCT, raw)
        return Scan(raw, other, raw)
    return scan


def driver(step, start: Callable[[], object], scan: Callable[[str], Scan]):
    """``run(port, *raws, state=None) -> (state, codes)``: `step` the bench through each scan from
    `state` (else ``start()``), and the outcome code of each."""
    def run(port, *raws: str, state=None):
        state, codes = state or start(), []
        for raw in raws:
            done = step(state, scan(raw), port)
            state = done.state
            codes.append(done.outcome.code)
        return state, codes
    return run
