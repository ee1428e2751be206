"""The lookup bench: scan anything and see what it is, where it is stocked and how many.

A pure state machine (issue 14): ``step(state, scan, port)``; the facts come through a
``LookupPort`` (the runner's: ``station.workflows.ports.lookup``). The state is only what was
looked up last, and an unreadable scan waiting for CONFIRM.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Protocol

from station.i18n import N_, _
from station.scanning import Scan, ScanKind
from station.workflows.base import MachineBench, Outcome, Step
from station.workflows.messages import WaitingError, hold_unreadable, unreadable


@dataclass(frozen=True)
class FoundItem:
    sku: str
    description: str  # name, colour and size
    pack_qty: int = 1


class LookupPort(Protocol):
    def product(self, scan: Scan) -> FoundItem | None: ...

    def stock(self, sku: str) -> list[tuple[str, int]]:
        """(location, quantity) of every non-zero balance in a physical location, by location."""

    def courier_name(self, courier: str | None) -> str: ...

    def location_contents(self, code: str) -> list[tuple[str, int]] | None:
        """(sku, quantity) in the location; None if there is no such location."""


@dataclass(frozen=True)
class LookupState:
    last_sku: str | None = None
    last_location: str | None = None
    error: WaitingError | None = None  # an unreadable scan, until CONFIRM
    error_saved: bool = False  # the saved form has an "error" key (null once acknowledged)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.last_sku is not None:
            out["last_sku"] = self.last_sku
        if self.last_location is not None:
            out["last_location"] = self.last_location
        if self.error_saved:
            out["error"] = self.error.to_dict() if self.error else None
        return out

    @classmethod
    def from_dict(cls, saved: dict[str, Any]) -> "LookupState":
        return cls(saved.get("last_sku"), saved.get("last_location"), WaitingError.from_dict(saved.get("error")),
                   "error" in saved)


def step(state: LookupState, scan: Scan, port: LookupPort) -> Step[LookupState]:
    """An unreadable scan (bytes that are no text) waits for CMD-CONFIRM: the scanner needs
    looking at. Every other answer is only information and waits for nothing."""
    return hold_unreadable(state, scan, port, _handle)


def _handle(state: LookupState, scan: Scan, port: LookupPort) -> tuple[LookupState, Outcome]:
    kind = scan.kind
    if kind in (ScanKind.PRODUCT, ScanKind.SKU, ScanKind.GS1):
        found = port.product(scan)
        if found is not None:
            return LookupState(last_sku=found.sku), _product(found, port)
        if kind is ScanKind.GS1 and scan.gtin is None:
            return state, Outcome.ok("gs1", _("GS1 code: {value}", value=scan.value), *gs1_lines(scan))
        if kind is ScanKind.SKU:  # Code128 text that names nothing we know
            return state, replace(unreadable(scan), kind=str(ScanKind.UNKNOWN))
        return state, Outcome.error("unknown_barcode", _("Barcode {code} is not in the catalog", code=scan.value))
    if kind is ScanKind.LOCATION:
        rows = port.location_contents(scan.value)
        if rows is None:
            return state, Outcome.error("unknown_location", _("Location {code} does not exist", code=scan.value))
        total = sum(qty for _sku, qty in rows)
        title = _("Location {code}: {skus} SKUs, {total} units", code=scan.value, skus=len(rows), total=total)
        return LookupState(last_location=scan.value), Outcome.ok("location_found", title,
                                                                 *[f"{sku} ×{qty}" for sku, qty in rows[:12]])
    if kind is ScanKind.TRACKING:
        return state, Outcome.ok("tracking_number", _("Tracking number {number} ({courier})", number=scan.value,
                                                      courier=port.courier_name(scan.courier)))
    if kind is ScanKind.ORDER:
        return state, Outcome.ok("order_slip", _("Packing slip of order {order}", order=scan.value))
    if kind is ScanKind.RETURN_SLIP:
        return state, Outcome.ok("return_slip", _("Return slip of order {order}", order=scan.value))
    if kind is ScanKind.COMMAND:
        return state, Outcome.warn("command_not_used",
                                   _("Command {command} does nothing on the lookup bench", command=scan.value))
    return state, unreadable(scan)


def _product(found: FoundItem, port: LookupPort) -> Outcome:
    rows = port.stock(found.sku)
    total = sum(qty for _location, qty in rows)
    title = _("{sku} {name}: {total} on hand", sku=found.sku, name=found.description, total=total)
    lines = [_("{location}: {qty}", location=location, qty=qty) for location, qty in rows]
    if found.pack_qty > 1:
        lines.insert(0, _("Case barcode: one scan counts {n} units", n=found.pack_qty))
    if not rows:
        lines.append(_("Not stocked anywhere"))
    return Outcome.ok("product_found", title, *lines)


def gs1_lines(scan: Scan) -> list[str]:
    lines = []
    if scan.batch:
        lines.append(_("Batch {batch}", batch=scan.batch))
    if scan.expiry:
        lines.append(_("Expires {date}", date=scan.expiry.isoformat()))
    if scan.best_before:
        lines.append(_("Best before {date}", date=scan.best_before.isoformat()))
    if scan.serial:
        lines.append(_("Serial {serial}", serial=scan.serial))
    if scan.sscc:
        lines.append(_("SSCC {sscc}", sscc=scan.sscc))
    return lines


class LookupBench(MachineBench):
    name = "lookup"
    title = N_("Look up")
    State = LookupState
    step = staticmethod(step)
