"""What the classifier knows about this warehouse: couriers, badges, bin locations.

Built once by the caller (from the database) and passed to `classify()`; regexes are
compiled here, once, never per scan.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

from station.scanning.couriers import DEFAULT_COURIERS, CourierPattern

__all__ = ["DEFAULT_LEXICON", "DEFAULT_LOCATION_PATTERN", "Lexicon"]

DEFAULT_LOCATION_PATTERN = r"[A-Z]{1,2}-\d{2}-\d{2}-\d{2}"
"""Bin codes like `A-01-02-03` (zone-aisle-shelf-bin)."""


@dataclass(frozen=True)
class Lexicon:
    couriers: tuple[CourierPattern, ...] = DEFAULT_COURIERS
    badges: frozenset[str] = frozenset()
    locations: frozenset[str] = frozenset()
    location_pattern: str = DEFAULT_LOCATION_PATTERN
    _location_re: re.Pattern[str] = field(init=False, repr=False, compare=False, hash=False)
    _location_min: int = field(init=False, repr=False, compare=False, hash=False)
    _location_max: int = field(init=False, repr=False, compare=False, hash=False)
    _courier_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False, hash=False)
    _courier_codes: dict[str, str] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        # Accept any iterable from the caller, store immutable values (keeps the Lexicon hashable).
        _set = object.__setattr__
        _set(self, "couriers", tuple(self.couriers))
        _set(self, "badges", _frozen(self.badges))
        _set(self, "locations", _frozen(self.locations))
        _set(self, "_location_re", re.compile(self.location_pattern))
        # Lengths the pattern can match: most scans (EAN-13s, waybills) are too long to be a
        # bin code and skip the regex call.
        low, high = _pattern_width(self.location_pattern)
        _set(self, "_location_min", low)
        _set(self, "_location_max", high)
        # All courier patterns as one alternation: one regex call per scan instead of one per
        # courier. Each alternative is wrapped in a named group; `lastgroup` names the courier.
        # The regex engine tries alternatives left to right, so the first courier whose whole
        # pattern matches wins, exactly as a loop would. Patterns with their own groups (whose
        # numbering would shift) or a global flag such as (?i) fall back to the loop.
        codes: dict[str, str] = {}
        parts: list[str] = []
        combinable = True
        for index, courier in enumerate(self.couriers):
            if re.compile(courier.pattern).groups:
                combinable = False
            codes[f"c{index}"] = courier.code
            parts.append(f"(?P<c{index}>(?:{courier.pattern}))")
        combined: re.Pattern[str] | None = None
        if combinable and parts:
            try:
                combined = re.compile("|".join(parts))
            except re.error:  # e.g. a global flag like (?i) that is only legal at the start
                combined = None
        _set(self, "_courier_codes", codes)
        _set(self, "_courier_re", combined)

    def courier_for(self, text: str) -> str | None:
        """Code of the first courier whose pattern matches the whole text, else None."""
        regex = self._courier_re
        if regex is not None:
            match = regex.fullmatch(text)
            return None if match is None else self._courier_codes[match.lastgroup]  # type: ignore[index]
        for courier in self.couriers:
            if courier.matches(text):
                return courier.code
        return None

    def is_location(self, text: str) -> bool:
        """Exact member of `locations`, or a full match of `location_pattern`."""
        return text in self.locations or (
            self._location_min <= len(text) <= self._location_max
            and self._location_re.fullmatch(text) is not None)


def _pattern_width(pattern: str) -> tuple[int, int]:
    """(shortest, longest) text the regex can match; (0, maxsize) if it cannot be worked out."""
    try:
        import re._parser as sre_parser  # noqa: PLC0415 - CPython's regex parser (3.11+)

        low, high = sre_parser.parse(pattern).getwidth()
        return int(low), int(high)
    except Exception:  # noqa: BLE001 - private module; fall back to "any length"
        return 0, sys.maxsize


def _frozen(values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):  # a single code passed by mistake would become its letters
        raise TypeError("expected a collection of codes, got a str")
    return values if isinstance(values, frozenset) else frozenset(values)


DEFAULT_LEXICON = Lexicon()
