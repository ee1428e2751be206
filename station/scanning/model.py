"""What a scan *is*: the kinds, the immutable `Scan` record, and the fixed vocabulary.

Pure data, no parsing. `classify()` (in `classifier.py`) is the only place that decides the
kind of a scan; everything else in Station reads the `Scan` it returns.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "AIMap",
    "COMMANDS",
    "COMMAND_PREFIX",
    "EMPTY_AI",
    "PACKING_SLIP_PREFIX",
    "RETURN_SLIP_PREFIX",
    "SCANNER_SETUP_CODE",
    "SCAN_ERRORS",
    "Scan",
    "ScanKind",
]

COMMANDS: frozenset[str] = frozenset(
    {"DONE", "CANCEL", "UNDO", "SHORT", "REPRINT", "NEW_PARCEL", "LOGOUT", "HOLD", "SKIP", "CONFIRM"}
    | {"EMPTY", "RECOUNT", "APPROVE"}  # the count bench
    | {"WEIGH"}  # the pack bench's scale (issue 18)
    | {"BLIND"}  # the receive bench: a blind receipt (no PO)
)
"""Command names a `CMD-` barcode may carry (compared upper-cased, `-` read as `_`)."""

PACKING_SLIP_PREFIX = "PS:"
"""Prefix of the order barcode printed on our packing slips / pick lists."""
RETURN_SLIP_PREFIX = "RS:"
"""Prefix of the return-slip barcode (names the original order)."""
COMMAND_PREFIX = "CMD-"
"""Prefix of the command barcodes on the sheet at each bench."""
SCANNER_SETUP_CODE = "CMD-SCANNER-SETUP"
"""The scanner setup code on the command sheet: the application's scan capture takes it itself
(scanned once with a new scanner, it measures how fast that scanner types) and never hands it
to a bench, so it is no command of `COMMANDS` (a bench would call it ``unknown_command``)."""

SCAN_ERRORS: frozenset[str] = frozenset(
    {"empty", "bad_check_digit", "gs1_invalid", "unknown_command", "unreadable", "invalid_characters"}
)
"""Every value `Scan.error` can take (stable codes; translate them, never show them)."""


class ScanKind(StrEnum):
    PRODUCT = "product"
    SKU = "sku"
    GS1 = "gs1"
    LOCATION = "location"
    ORDER = "order"
    RETURN_SLIP = "return_slip"
    TRACKING = "tracking"
    BADGE = "badge"
    COMMAND = "command"
    UNKNOWN = "unknown"


class AIMap(Mapping[str, str]):
    """An immutable, hashable mapping of GS1 Application Identifier -> value (in scan order).

    `Scan` is frozen and hashable, so its `ai` field cannot be a plain dict.
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[str, str] | None = None) -> None:
        self._data: dict[str, str] = dict(data) if data else {}
        self._hash: int | None = None

    def __getitem__(self, key: str) -> str:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AIMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"AIMap({self._data!r})"


EMPTY_AI = AIMap()


@dataclass(frozen=True, slots=True)
class Scan:
    """One classified scan. Build it with `classify()`; this class never parses anything."""

    raw: str
    """The text as received, surrounding CR/LF/Tab/spaces stripped (not NFKC-normalised)."""
    kind: ScanKind
    value: str
    """The normalised meaningful value: GTIN as scanned (PRODUCT), SKU text, location code,
    order number without prefix, tracking number, badge code, command name (`DONE`);
    for GS1 the GTIN-14, else the SSCC, else the HRI `(AI)value...`; for UNKNOWN the
    normalised text."""
    gtin: str | None = None
    """GTIN-14 (zero-padded) for PRODUCT, and for GS1 with AI 01 (or else AI 02)."""
    batch: str | None = None
    expiry: datetime.date | None = None
    best_before: datetime.date | None = None
    serial: str | None = None
    count: int | None = None
    sscc: str | None = None
    net_weight_kg: Decimal | None = None
    courier: str | None = None
    """Courier code for TRACKING, and for a PRODUCT whose digits also fit a courier pattern."""
    error: str | None = None
    """Stable snake_case reason when kind is UNKNOWN; one of `SCAN_ERRORS`."""
    detail: str | None = None
    """Short English technical detail (e.g. biip's message); never shown untranslated."""
    alternatives: tuple[ScanKind, ...] = ()
    """Other readings a bench may try, in order."""
    ai: Mapping[str, str] = EMPTY_AI
    """All GS1 AIs as strings (AIMap), empty for non-GS1 scans."""

    @property
    def ok(self) -> bool:
        """True unless the scan could not be read (kind UNKNOWN)."""
        return self.kind is not ScanKind.UNKNOWN


class _ScanBuilder:
    """Fast-path twin of `Scan` with the same slot layout (used by `_scan()` and `classifier._made()`).

    The dataclass-generated `__init__` of a frozen class sets each of the 16 fields via
    `object.__setattr__`, which costs ~3 us per scan -- more than classifying it. This twin
    assigns the slots directly and then becomes a `Scan` by `__class__` assignment (allowed
    because the layouts are identical). The result is an ordinary, frozen `Scan`.
    A new `Scan` field must be set here too (test_scanning_classify_digits checks).
    """

    __slots__ = Scan.__slots__  # type: ignore[attr-defined]

    def __init__(self, raw: str, kind: ScanKind, value: str, gtin: str | None, courier: str | None,
                 error: str | None, detail: str | None, alternatives: tuple[ScanKind, ...]) -> None:
        self.raw = raw
        self.kind = kind
        self.value = value
        self.gtin = gtin
        self.batch = None
        self.expiry = None
        self.best_before = None
        self.serial = None
        self.count = None
        self.sscc = None
        self.net_weight_kg = None
        self.courier = courier
        self.error = error
        self.detail = detail
        self.alternatives = alternatives
        self.ai = EMPTY_AI


def _scan(raw: str, kind: ScanKind, value: str, gtin: str | None = None, courier: str | None = None,
          error: str | None = None, detail: str | None = None,
          alternatives: tuple[ScanKind, ...] = ()) -> Scan:
    """Build a non-GS1 `Scan` quickly (equal to `Scan(raw, kind, value, gtin=..., ...)`)."""
    obj = _ScanBuilder(raw, kind, value, gtin, courier, error, detail, alternatives)
    obj.__class__ = Scan  # type: ignore[assignment]
    return obj  # type: ignore[return-value]


def _unknown(raw: str, value: str, error: str, detail: str | None = None) -> Scan:
    return _scan(raw, ScanKind.UNKNOWN, value, error=error, detail=detail)
