"""The pack bench: scan the order, scan every item into the box, close the parcel.

States (saved after every scan): no order → scanning items → (waiting for the pre-printed
waybill) → closed. An error stays on screen until the packer scans CONFIRM; until then
every other scan is refused with ``acknowledge_first`` so nothing is counted by mistake.
Commands: UNDO (last item), CANCEL (order back to the queue, nothing moved), SHORT (item
missing: order on hold ``short_pick``), NEW_PARCEL (close this box, start the next),
REPRINT (the waybills of the current or last order, marked as a reprint), DONE (close when
complete), CONFIRM (acknowledge an error).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from sqlalchemy.orm import Session

from station.catalog import lookup as catalog
from station.fulfilment import packing
from station.fulfilment.models import Order
from station.fulfilment.orders import hold_text, put_on_hold
from station.fulfilment.waybills import WaybillError
from station.i18n import N_, _, message_of
from station import outbox
from station.scanning import Scan, ScanKind
from station.workflows.base import Bench, BenchContext, Outcome
from station.workflows.outcomes import Level
from station.workflows.messages import item_scan, unreadable

ORDER_KINDS = (ScanKind.ORDER, ScanKind.TRACKING, ScanKind.SKU, ScanKind.PRODUCT)


class PackBench(Bench):
    name = "pack"
    title = N_("Pack")
    roles = frozenset({"packer", "supervisor"})
    commands = {
        "DONE": N_("Finish the order once every item is scanned"),
        "UNDO": N_("Take back the last item scan"),
        "SHORT": N_("An item is missing: the order goes on hold for customer service"),
        "NEW_PARCEL": N_("This box is full: start the order's next parcel"),
        "REPRINT": N_("Reprint the open order's packing slip, or the last order's waybills"),
        "CANCEL": N_("Put the order back in the queue: nothing is moved"),
    }
    _not_counted: str | None = None  # set by handle(): the scan an acknowledged error refused

    # --- state helpers -------------------------------------------------------------
    @property
    def order_no(self) -> str | None:
        return self.state.get("order")

    def _reset(self, last_order: str | None = None) -> None:
        self.state = {"order": None, "last_order": last_order or self.state.get("last_order")}

    def _start(self, order: Order, lines: list[packing.PackLine]) -> None:
        notes = [["buyer_message", order.buyer_message], ["seller_memo", order.seller_memo]]
        self.state = {
            "order": order.order_no, "last_order": self.state.get("last_order"),
            "lines": [{"sku": l.sku, "name": l.name, "colour": l.colour, "size": l.size, "qty": l.qty,
                       "gift": l.gift} for l in lines],
            "notes": [n for n in notes if n[1]],
            "expected": {l.sku: self.expected_qty(lines, l.sku) for l in lines},
            "gifts": sorted({l.sku for l in lines if l.gift}),
            "styles": {l.sku: l.style for l in lines if l.style},
            "parcels": [{}], "history": [], "awaiting_waybill": False, "error": None,
        }

    @staticmethod
    def expected_qty(lines: list[packing.PackLine], sku: str) -> int:
        return sum(l.qty for l in lines if l.sku == sku)

    def counted(self) -> dict[str, int]:
        total: dict[str, int] = defaultdict(int)
        for parcel in self.state.get("parcels", []):
            for sku, qty in parcel.items():
                total[sku] += qty
        return total

    def remaining(self) -> dict[str, int]:
        counted = self.counted()
        return {sku: qty - counted.get(sku, 0) for sku, qty in self.state.get("expected", {}).items()
                if qty - counted.get(sku, 0) > 0}

    def progress_lines(self) -> list[str]:
        counted = self.counted()
        gifts = set(self.state.get("gifts", []))
        lines = []
        for sku, qty in sorted(self.state.get("expected", {}).items(), key=lambda kv: counted.get(kv[0], 0) >= kv[1]):
            mark = "✓" if counted.get(sku, 0) >= qty else "□"
            gift = " " + _("GIFT") if sku in gifts else ""
            lines.append(f"{mark} {sku}{gift}  {counted.get(sku, 0)}/{qty}")
        return lines

    # --- one scan ------------------------------------------------------------------
    def handle(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        # The refused scan an error was acknowledged for, kept for the one scan after the CONFIRM.
        self._not_counted = self.state.pop("not_counted", None)
        outcome = self._handle(scan, session, ctx)
        if outcome.level is Level.ERROR and self.order_no and outcome.code != "acknowledge_first":
            self.state["error"] = {"code": outcome.code, "message": outcome.message, "scan": item_scan(scan)}
        return outcome

    def _handle(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        command = scan.value if scan.kind is ScanKind.COMMAND else None
        if self.order_no and self.state.get("error"):
            if command == "CONFIRM":
                # The scan that made the error counted nothing: an UNDO right after takes back nothing
                # (the packer means that scan), not the good item before it.
                self.state["not_counted"] = self.state["error"].get("scan")
                self.state["error"] = None
                return Outcome.ok("error_acknowledged", _("Error acknowledged: carry on"), *self.progress_lines())
            if command != "CANCEL":
                err = self.state["error"]
                err["refused"] = [*err.get("refused", []), scan.raw]  # every one, in order: none was counted
                return Outcome.error("acknowledge_first",
                                     _("Scan CONFIRM first to acknowledge: {message}", message=err["message"]))
        if command:
            return self._command(command, session, ctx)
        if scan.kind is ScanKind.UNKNOWN:
            return unreadable(scan)
        if not self.order_no:
            return self._open(scan, session)
        if self.state.get("awaiting_waybill"):
            return self._waybill(scan, session, ctx)
        if scan.kind in (ScanKind.PRODUCT, ScanKind.SKU, ScanKind.GS1):
            found = catalog.find_product(session, scan)
            if found is not None:
                return self._item(found, session, ctx)
            if scan.kind is ScanKind.SKU and packing.find_order(session, scan.value) is not None:
                return self._other_order(scan.value)
            if scan.kind is ScanKind.SKU:
                return replace(unreadable(scan), kind=str(ScanKind.UNKNOWN))
            return Outcome.error("unknown_barcode", _("Barcode {code} is not in the catalog", code=scan.value))
        if scan.kind in (ScanKind.ORDER, ScanKind.TRACKING):
            if scan.value == self.order_no:
                return Outcome.ok("order_opened", _("Order {order} is open", order=scan.value), *self.progress_lines())
            return self._other_order(scan.value)
        return Outcome.error("wrong_bench", _("{kind} scans are not used at the pack bench",
                                              kind=str(scan.kind)))

    def _other_order(self, key: str) -> Outcome:
        return Outcome.error("order_in_progress",
                             _("Finish order {order} first, or scan CANCEL", order=self.order_no))

    # --- opening an order ------------------------------------------------------------
    def _open(self, scan: Scan, session: Session) -> Outcome:
        if scan.kind not in ORDER_KINDS and scan.kind is not ScanKind.RETURN_SLIP:
            return Outcome.error("scan_order_first", _("Scan the packing slip or the order number first"))
        order = packing.find_order(session, scan.value)
        if order is None:
            if scan.kind is ScanKind.PRODUCT or (scan.kind is ScanKind.SKU and catalog.find_product(session, scan)):
                return Outcome.error("scan_order_first", _("Scan the packing slip or the order number first"))
            return Outcome.error("unknown_order", _("No order {order}", order=scan.value))
        if order.status == "cancelled":
            return Outcome.error("order_cancelled", _("Order {order} was cancelled: do not pack it",
                                                      order=order.order_no))
        if order.status == "on_hold":
            reasons = [hold_text(h.code) + (f": {h.detail}" if h.detail else "")
                       for h in order.holds if h.resolved_at is None]
            return Outcome.error("order_on_hold", _("Order {order} is on hold: do not pack it",
                                                    order=order.order_no), *reasons)
        if order.status != "ready":
            return Outcome.error("already_packed", _("Order {order} is already packed", order=order.order_no))
        lines = packing.pack_lines(session, order)
        self._start(order, lines)
        details = []
        if order.buyer_message:
            details.append(_("Buyer message: {text}", text=order.buyer_message))
        if order.seller_memo:
            details.append(_("Seller memo: {text}", text=order.seller_memo))
        gifts = [l for l in lines if l.gift]
        if gifts:
            details.append(_("Gift: {items}", items=", ".join(f"{g.name} ×{g.qty}" for g in gifts)))
        details += [f"□ {l.sku} {l.name} {l.colour or ''} {l.size or ''}  0/{l.qty}".replace("  ", " ")
                    for l in lines]
        total = sum(l.qty for l in lines)
        return Outcome.ok("order_opened", _("Order {order}: scan {n} items", order=order.order_no, n=total),
                          *details)

    # --- items ---------------------------------------------------------------------
    def _item(self, found: catalog.FoundProduct, session: Session, ctx: BenchContext) -> Outcome:
        p, n = found.product, found.pack_qty
        expected = self.state["expected"]
        remaining = self.remaining()
        if p.sku not in expected:
            twin = next((sku for sku in remaining if p.style and self.state["styles"].get(sku) == p.style), None)
            if twin:
                return Outcome.error("wrong_variant", _("Wrong colour or size: scanned {scanned}, the order needs {needed}",
                                                        scanned=f"{p.sku} {catalog.describe(p)}", needed=twin))
            return Outcome.error("wrong_item", _("Wrong item: {scanned} is not in order {order}",
                                                 scanned=f"{p.sku} {catalog.describe(p)}", order=self.order_no))
        if remaining.get(p.sku, 0) < n:
            return Outcome.error("over_scan", _("Too many {sku}: {qty} ordered, all already scanned",
                                                sku=p.sku, qty=expected[p.sku]) if remaining.get(p.sku, 0) == 0 else
                                 _("Too many {sku}: this case holds {n} but only {left} are still needed",
                                   sku=p.sku, n=n, left=remaining.get(p.sku, 0)))
        parcel = self.state["parcels"][-1]
        parcel[p.sku] = parcel.get(p.sku, 0) + n
        self.state["history"].append([p.sku, n])
        if not self.remaining():
            return self._complete(session, ctx)
        counted = self.counted()[p.sku]
        return Outcome.ok("item_ok", _("{sku} {name}: {counted}/{qty}", sku=p.sku, name=catalog.describe(p),
                                       counted=counted, qty=expected[p.sku]), *self.progress_lines())

    def _complete(self, session: Session, ctx: BenchContext) -> Outcome:
        order = packing.find_order(session, self.order_no)
        if packing.needs_manual_waybill(session, order):
            self.state["awaiting_waybill"] = True
            self.state["waybills"] = []
            return self._ask_waybill(order, session)
        return self._close(order, session, ctx, [])

    def _manual_count(self, order: Order, session: Session) -> int:
        """How many waybills the packer scans: the batch's pre-printed one (checked), and one for
        each further parcel when the courier's numbers are not in a pool."""
        parcels = len([p for p in self.state["parcels"] if p])
        pre = packing.printed_parcel(order) is not None
        pool = bool(order.courier) and packing.waybills.uses_pool(session, order.courier)
        return int(pre) + (0 if pool else parcels - int(pre))

    def _ask_waybill(self, order: Order, session: Session) -> Outcome:
        got, needed = len(self.state["waybills"]), self._manual_count(order, session)
        pre = packing.printed_parcel(order)
        if got == 0 and pre is not None:
            return Outcome.warn("scan_waybill", _("All items scanned: scan the waybill {number} on the parcel",
                                                  number=pre.tracking_no))
        if needed > 1:
            return Outcome.warn("scan_waybill", _("Scan the pre-printed waybill of parcel {n}/{count}",
                                                  n=got + 1, count=needed))
        return Outcome.warn("scan_waybill", _("All items scanned: scan the pre-printed waybill"))

    def _waybill(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        order = packing.find_order(session, self.order_no)
        pre = packing.printed_parcel(order)
        scanned: list[str] = self.state.setdefault("waybills", [])
        if scan.kind not in (ScanKind.TRACKING, ScanKind.SKU, ScanKind.PRODUCT):
            return self._ask_waybill(order, session)
        if pre is not None and not scanned:
            if scan.value != pre.tracking_no:
                return Outcome.error("waybill_mismatch", _("Waybill {scanned} is not this order's: it needs {number}",
                                                           scanned=scan.value, number=pre.tracking_no))
        elif scan.kind is not ScanKind.TRACKING:
            return Outcome.error("waybill_mismatch", _("{scanned} is not a waybill number", scanned=scan.value))
        elif scan.value in scanned:
            return Outcome.error("waybill_mismatch", _("Waybill {scanned} is already on parcel {n} of this order",
                                                       scanned=scan.value, n=scanned.index(scan.value) + 1))
        else:
            try:
                packing.waybills.check_manual(session, order.courier, scan.value)
            except WaybillError as exc:
                return Outcome.error("waybill_mismatch", message_of(exc))
        scanned.append(scan.value)
        if len(scanned) < self._manual_count(order, session):
            return self._ask_waybill(order, session)
        manual = scanned[1:] if pre is not None else list(scanned)
        return self._close(order, session, ctx, manual)

    def _close(self, order: Order, session: Session, ctx: BenchContext, manual: list[str]) -> Outcome:
        pre = packing.printed_parcel(order)  # the batch already printed this parcel's waybill
        try:
            parcels = packing.close_order(session, order, [p for p in self.state["parcels"] if p],
                                          user=ctx.user, station=ctx.station, scanned_waybills=manual)
        except (packing.PackError, WaybillError) as exc:
            # All of the close or none of it: this scan wrote nothing before the close, so the
            # transaction is rolled back whole (cheaper than a savepoint); the runner then logs
            # the scan and the bench's state in a new one.
            session.rollback()
            session.refresh(order)
            if isinstance(exc, WaybillError) and self.state.get("waybills"):
                self.state["waybills"] = []  # scan them again, from the first parcel
            return Outcome.error(exc.code, message_of(exc))
        if any(p is not pre and p.tracking_no not in manual for p in parcels):  # numbers from the pool
            packing.print_waybills(session, order, user=ctx.user, station=ctx.station)
        numbers = ", ".join(p.tracking_no or "-" for p in parcels)
        order_no = self.order_no
        self._reset(order_no)
        return Outcome.ok("order_packed", _("Order {order} packed: {n} parcel(s), waybill {numbers}",
                                            order=order_no, n=len(parcels), numbers=numbers),
                          _("Scan the next packing slip"))

    # --- commands ------------------------------------------------------------------
    def _command(self, command: str, session: Session, ctx: BenchContext) -> Outcome:
        if command == "REPRINT":
            return self._reprint(session, ctx)
        if not self.order_no:
            if command == "CONFIRM":
                return Outcome.ok("nothing_to_confirm", _("Nothing to confirm"))
            return Outcome.error("scan_order_first", _("Scan the packing slip or the order number first"))
        if command == "CANCEL":
            order_no = self.order_no
            self._reset()
            return Outcome.warn("order_released", _("Order {order} put back in the queue: nothing was moved",
                                                    order=order_no))
        if command == "UNDO":
            refused = self._not_counted
            if refused:  # the last scan was refused and acknowledged: there is nothing of it to take back
                return Outcome.warn("nothing_to_undo",
                                    _("Nothing to undo: {scan} was not counted. Take it out of the parcel if it went in",
                                      scan=refused.replace("\x1d", "<GS>")), *self.progress_lines())
            if not self.state["history"]:
                return Outcome.warn("nothing_to_undo", _("Nothing to undo"))
            sku, n = self.state["history"].pop()
            for parcel in reversed(self.state["parcels"]):
                if parcel.get(sku):
                    parcel[sku] -= n
                    if parcel[sku] <= 0:
                        del parcel[sku]
                    break
            self.state["awaiting_waybill"] = False
            self.state["waybills"] = []
            return Outcome.warn("undone", _("Took back the last scan: {sku} ×{n}", sku=sku, n=n), *self.progress_lines())
        if command == "SHORT":
            order = packing.find_order(session, self.order_no)
            missing = ", ".join(f"{sku} ×{qty}" for sku, qty in self.remaining().items())
            put_on_hold(order, "short_pick", missing, ctx.user)
            order_no = self.order_no
            self._reset()
            return Outcome.warn("short_pick", _("Order {order} on hold, missing {items}: customer service is told",
                                                order=order_no, items=missing))
        if command == "NEW_PARCEL":
            if not self.state["parcels"][-1]:
                return Outcome.warn("parcel_empty", _("This parcel is still empty"))
            self.state["parcels"].append({})
            return Outcome.ok("new_parcel", _("Parcel {n} started: scan what goes in it",
                                              n=len(self.state["parcels"])), *self.progress_lines())
        if command == "DONE":
            if self.remaining():
                missing = ", ".join(f"{sku} ×{qty}" for sku, qty in self.remaining().items())
                return Outcome.error("not_complete", _("Still to scan: {items}", items=missing))
            return self._complete(session, ctx)
        return Outcome.warn("command_not_used", _("Command {command} does nothing here", command=command))

    def _reprint(self, session: Session, ctx: BenchContext) -> Outcome:
        """With an order open: its packing slip (and the batch's waybill). Otherwise the last order's waybills."""
        if self.order_no:
            order = packing.find_order(session, self.order_no)
            outbox.defer(session, "packing-slip", order.order_no, user=ctx.user, station=ctx.station, reprint=True)
            if packing.printed_parcel(order) is not None:
                packing.print_waybills(session, order, user=ctx.user, station=ctx.station, reprint=True)
            return Outcome.ok("reprinted", _("Packing slip of order {order} reprinted", order=order.order_no))
        order_no = self.state.get("last_order")
        order = packing.find_order(session, order_no) if order_no else None
        parcels = packing.parcels_of(session, order) if order else []
        if not parcels:
            return Outcome.warn("nothing_to_reprint", _("No waybill to reprint yet"))
        packing.print_waybills(session, order, user=ctx.user, station=ctx.station, reprint=True)
        return Outcome.ok("reprinted", _("Waybills of order {order} reprinted", order=order.order_no))
