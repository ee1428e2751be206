"""The lookup bench: scan anything and see what it is, where it is stocked and how many."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from station.catalog import lookup as catalog
from station.i18n import N_, _
from station.inventory import ledger
from station.inventory.lookup import find_location, location_contents
from station.scanning import Scan, ScanKind
from station.workflows.base import Bench, BenchContext, Outcome
from station.workflows.messages import held_error, hold, unreadable


class LookupBench(Bench):
    name = "lookup"
    title = N_("Look up")

    def handle(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        """An unreadable scan (bytes that are no text) waits for CMD-CONFIRM: the scanner needs
        looking at. Every other answer is only information and waits for nothing."""
        waiting = held_error(self.state, scan)
        if waiting is not None:
            return waiting
        outcome = self._handle(scan, session, ctx)
        return hold(self.state, outcome, frozenset({"unreadable_scan"}))

    def _handle(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        kind = scan.kind
        if kind in (ScanKind.PRODUCT, ScanKind.SKU, ScanKind.GS1):
            found = catalog.find_product(session, scan)
            if found is not None:
                return self._product(session, found)
            if kind is ScanKind.GS1 and scan.gtin is None:
                return Outcome.ok("gs1", _("GS1 code: {value}", value=scan.value), *gs1_lines(scan))
            if kind is ScanKind.SKU:  # Code128 text that names nothing we know
                return replace(unreadable(scan), kind=str(ScanKind.UNKNOWN))
            return Outcome.error("unknown_barcode",
                                 _("Barcode {code} is not in the catalog", code=scan.value))
        if kind is ScanKind.LOCATION:
            return self._location(session, scan.value)
        if kind is ScanKind.TRACKING:
            name = catalog.courier_name(session, scan.courier)
            return Outcome.ok("tracking_number",
                              _("Tracking number {number} ({courier})", number=scan.value, courier=name))
        if kind is ScanKind.ORDER:
            return Outcome.ok("order_slip", _("Packing slip of order {order}", order=scan.value))
        if kind is ScanKind.RETURN_SLIP:
            return Outcome.ok("return_slip", _("Return slip of order {order}", order=scan.value))
        if kind is ScanKind.COMMAND:
            return Outcome.warn("command_not_used",
                                _("Command {command} does nothing on the lookup bench", command=scan.value))
        return unreadable(scan)

    def _product(self, session: Session, found: catalog.FoundProduct) -> Outcome:
        p = found.product
        rows = ledger.stock_rows(session, p.sku)
        total = sum(r.qty for r in rows)
        self.state = {"last_sku": p.sku}
        title = _("{sku} {name}: {total} on hand", sku=p.sku, name=catalog.describe(p), total=total)
        lines = [_("{location}: {qty}", location=r.location, qty=r.qty) for r in rows]
        if found.pack_qty > 1:
            lines.insert(0, _("Case barcode: one scan counts {n} units", n=found.pack_qty))
        if not rows:
            lines.append(_("Not stocked anywhere"))
        return Outcome.ok("product_found", title, *lines)

    def _location(self, session: Session, code: str) -> Outcome:
        location = find_location(session, code)
        if location is None:
            return Outcome.error("unknown_location", _("Location {code} does not exist", code=code))
        rows = location_contents(session, location.id)
        total = sum(qty for _sku, qty in rows)
        self.state = {"last_location": code}
        title = _("Location {code}: {skus} SKUs, {total} units", code=code, skus=len(rows), total=total)
        return Outcome.ok("location_found", title, *[f"{sku} ×{qty}" for sku, qty in rows[:12]])


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
