"""The receive bench: scan the PO (or a receipt number), then the goods; DONE closes the receipt.

Goods: an EAN/UPC or SKU label counts 1, a case barcode its pack quantity, a GS1-128 carton
label its count (AI 37/30, times the pack quantity of its GTIN) and records batch and expiry;
``QTY:N`` keys the quantity of the next scan (bulk goods). Every unit counted is booked into
the receiving location through the ledger at once, so a crash loses nothing.

Every error while a receipt is open stays until CONFIRM (every other scan is ``acknowledge_first``).
What stops the clerk and needs more than CONFIRM:
``not_on_po`` and ``over_tolerance`` (more than the PO quantity plus the tolerance) wait for a
supervisor's badge, which lets the units in, or CONFIRM, which leaves them out;
``unknown_barcode`` waits for CONFIRM (set the item aside) or a supervisor's badge and then the
SKU label of the product the barcode belongs to (the barcode is linked and the unit counted).
Commands: DONE (close: short and over lines listed), UNDO (the last scan back), CANCEL (park the
receipt; scan the PO again to go on), REPRINT (product labels for the units of the last scan; once
the receipt is closed, its receiving note again, e.g. after the quality check).
"""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.catalog import lookup as catalog
from station.catalog.models import Barcode, Product, User
from station.i18n import N_, _, message_of
from station.inbound import receiving
from station.inbound.labels import label_reference, per_case
from station import outbox
from station.scanning import Scan, ScanKind
from station.workflows.base import Bench, BenchContext, Outcome
from station.workflows.outcomes import Level
from station.workflows.messages import item_scan, unreadable

QTY_RE = re.compile(r"(?i)QTY:(\d{1,6})")
APPROVAL = ("over_tolerance", "not_on_po", "unknown_barcode")
PRODUCT_CACHE = 5000  # barcodes remembered per bench
UNDO_DEPTH = 20  # scans UNDO can take back
PROGRESS_LINES = 8  # progress lines in an outcome's details (the screen shows the whole table)


class ReceiveBench(Bench):
    name = "receive"
    title = N_("Receive")
    roles = frozenset({"receiver", "supervisor"})
    commands = {
        "DONE": N_("Close the receipt: the receiving note prints"),
        "UNDO": N_("Take back the last scan's units"),
        "REPRINT": N_("Labels for the last scan's units (after closing: the receiving note again)"),
        "CANCEL": N_("Park the receipt: scan the PO again to go on"),
    }
    _not_counted: str | None = None  # set by handle(): the scan a confirmed error refused

    @property
    def receipt_no(self) -> str | None:
        return self.state.get("receipt")

    def takes_badge(self) -> bool:
        pending = self.state.get("pending")
        return bool(pending) and pending["code"] in APPROVAL

    # --- state ---------------------------------------------------------------------
    def _load(self, session: Session, receipt) -> None:
        self.state = {
            "receipt": receipt.receipt_no, "po": receipt.po.po_no if receipt.po else None,
            "supplier": receipt.supplier, "blind": receipt.po is None, "qty": None, "pending": None,
            "history": [], "last_receipt": self.state.get("last_receipt"),
            "tolerance_pct": receiving.over_tolerance_pct(session),
            "receipt_id": receipt.id, "location": receipt.location,
            "lines": [{"sku": l.sku, "name": l.name, "expected": l.expected, "received": l.received,
                       "on_po": l.on_po, "id": l.id} for l in receiving.summary(session, receipt)],
        }

    def _line(self, sku: str) -> dict | None:
        return next((l for l in self.state["lines"] if l["sku"] == sku), None)

    def progress_lines(self, first: str | None = None) -> list[str]:
        """``✓/□ SKU received/expected``: the line just scanned, then lines still open (at most PROGRESS_LINES)."""
        lines = self.state.get("lines", [])
        shown = [l for l in lines if l["sku"] == first]
        shown += [l for l in lines if l["sku"] != first and l["received"] < l["expected"]][:PROGRESS_LINES - len(shown)]
        out = []
        for l in shown:
            mark = "✓" if l["received"] >= l["expected"] and l["received"] else "□"
            out.append(f"{mark} {l['sku']}  {l['received']}/{l['expected']}")
        return out

    # --- one scan ------------------------------------------------------------------
    def handle(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        # The refused scan a held error was confirmed for, kept for the one scan after the CONFIRM:
        # an UNDO then takes back nothing (that scan counted nothing), not the good units before it.
        self._not_counted = self.state.pop("not_counted", None)
        waited = bool(self.state.get("pending"))
        outcome = self._handle(scan, session, ctx)
        if (outcome.level is Level.ERROR and self.receipt_no and not self.state.get("pending")
                and outcome.code != "acknowledge_first"):
            self.state["pending"] = {"code": outcome.code, "message": outcome.message}  # stays until CONFIRM
        if self.state.get("pending") and not waited:
            self.state["pending"].setdefault("scan", item_scan(scan))
        return outcome

    def _handle(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        command = scan.value if scan.kind is ScanKind.COMMAND else None
        pending = self.state.get("pending") if self.receipt_no else None
        if pending:
            return self._pending(pending, scan, command, session, ctx)
        if command:
            return self._command(command, session, ctx)
        if scan.kind is ScanKind.UNKNOWN:
            return unreadable(scan)
        if not self.receipt_no:
            return self._open(scan, session, ctx)
        keyed = QTY_RE.fullmatch(scan.value) if scan.kind is ScanKind.SKU else None
        if keyed:
            qty = int(keyed.group(1))
            if qty <= 0:
                return Outcome.error("bad_quantity", _("A quantity must be at least 1"))
            self.state["qty"] = qty
            return Outcome.ok("quantity_keyed", _("Quantity {qty}: now scan the item", qty=qty))
        if scan.kind in (ScanKind.PRODUCT, ScanKind.SKU, ScanKind.GS1):
            found = self._find(session, scan)
            if found is None:
                if scan.kind is ScanKind.SKU and (receiving.find_po(session, scan.value)
                                                  or receiving.find_receipt(session, scan.value)):
                    return Outcome.error("receipt_in_progress", _("Finish receipt {receipt} first (DONE), or CANCEL",
                                                                  receipt=self.receipt_no))
                if scan.kind is ScanKind.GS1 and not scan.gtin:
                    return Outcome.error("unknown_barcode", _("Scan the carton label with the GTIN, not {code}",
                                                              code=scan.value))
                return self._hold("unknown_barcode", _("Barcode {code} is not in the catalog: set the item aside "
                                                       "(CONFIRM) or a supervisor links it (badge)", code=scan.value),
                                  barcode=scan.gtin if scan.kind is ScanKind.GS1 else scan.value,
                                  qty=self._quantity(scan, 1), **self._lot(scan))
            keyed = bool(self.state.get("qty"))
            cases = 1 if not keyed and (found.pack_qty > 1 or (scan.kind is ScanKind.GS1 and scan.count)) else 0
            return self._item(found.product, self._quantity(scan, found.pack_qty), scan, session, ctx, cases=cases)
        if scan.kind is ScanKind.ORDER:
            return Outcome.error("receipt_in_progress", _("Finish receipt {receipt} first (DONE), or CANCEL",
                                                          receipt=self.receipt_no))
        return Outcome.error("wrong_bench", _("{kind} scans are not used at the receive bench", kind=str(scan.kind)))

    def _find(self, session: Session, scan: Scan) -> catalog.FoundProduct | None:
        """The product a barcode names; remembered for this bench (barcodes are only ever added, never moved),
        so the tenth scan of a carton's units costs no query."""
        cache = self.__dict__.setdefault("_products", {})
        found = cache.get(scan.value)
        if found is None:
            found = catalog.find_product(session, scan)
            if found is not None and len(cache) < PRODUCT_CACHE:
                cache[scan.value] = found
        return found

    def _quantity(self, scan: Scan, pack_qty: int) -> int:
        keyed = self.state.get("qty")
        self.state["qty"] = None
        if keyed:
            return keyed
        if scan.kind is ScanKind.GS1 and scan.count:
            return scan.count * pack_qty
        return pack_qty

    @staticmethod
    def _lot(scan: Scan) -> dict:
        """Batch and expiry of a GS1 carton label (best-before when it has no expiry date)."""
        when = scan.expiry or scan.best_before
        return {"batch": scan.batch, "expiry": when.isoformat() if when else None}

    # --- opening -------------------------------------------------------------------
    def _open(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        if scan.kind not in (ScanKind.SKU, ScanKind.ORDER, ScanKind.PRODUCT):
            return Outcome.error("scan_po_first", _("Scan the PO number on the delivery note first"))
        po = receiving.find_po(session, scan.value)
        if po is not None:
            receipt = receiving.open_receipt(session, po, user=ctx.user, station=ctx.station)
        else:
            receipt = receiving.find_receipt(session, scan.value)
            if receipt is None:
                if catalog.find_product(session, scan) is not None:
                    return Outcome.error("scan_po_first", _("Scan the PO number on the delivery note first"))
                return Outcome.error("unknown_po", _("No purchase order {po}", po=scan.value))
            if receipt.status != "open":
                return Outcome.error("receipt_already_closed", _("Receipt {receipt} is closed",
                                                         receipt=receipt.receipt_no))
        self._load(session, receipt)
        total = sum(l["expected"] for l in self.state["lines"])
        if receipt.po is None:
            return Outcome.ok("receipt_opened", _("Blind receipt {receipt} from {supplier}: scan the goods",
                                                  receipt=receipt.receipt_no, supplier=receipt.supplier),
                              _("Reason: {reason}", reason=receipt.blind_reason or ""), *self.progress_lines())
        return Outcome.ok("receipt_opened", _("PO {po} from {supplier}: {n} units expected",
                                              po=receipt.po.po_no, supplier=receipt.supplier, n=total),
                          _("Receipt {receipt}", receipt=receipt.receipt_no), *self.progress_lines())

    # --- items ---------------------------------------------------------------------
    def _item(self, product: Product, qty: int, scan: Scan, session: Session, ctx: BenchContext,
              approved_by: str | None = None, cases: int = 0) -> Outcome:
        line = self._line(product.sku)
        lot = {**self._lot(scan), "cases": cases}
        if approved_by is None and not self.state["blind"]:
            if line is None or not line["on_po"]:
                return self._hold("not_on_po", _("{sku} {name} is not on PO {po}: a supervisor lets it in (badge) "
                                                 "or set it aside (CONFIRM)", sku=product.sku,
                                                 name=catalog.describe(product), po=self.state["po"]),
                                  sku=product.sku, qty=qty, **lot)
            line["received"] = receiving.line_received(session, line["id"])  # another station may share the PO
            over = line["received"] + qty - line["expected"]
            allowed = receiving.allowed_over(line["expected"], self.state.get("tolerance_pct", 0))
            if over > allowed:
                return self._hold("over_tolerance", _("Too many {sku}: {received} of {expected} would be received, "
                                                      "{allowed} over allowed; a supervisor's badge lets them in",
                                                      sku=product.sku, received=line["received"] + qty,
                                                      expected=line["expected"], allowed=allowed),
                                  sku=product.sku, qty=qty, **lot)
            return self._count(product, qty, lot, session, ctx, approved_by, limit=line["expected"] + allowed)
        return self._count(product, qty, lot, session, ctx, approved_by)

    def _count(self, product: Product, qty: int, lot: dict, session: Session, ctx: BenchContext,
               approved_by: str | None, limit: int | None = None) -> Outcome:
        ref = receiving.ReceiptRef(self.state["receipt_id"], self.receipt_no, self.state["location"])
        expiry = date.fromisoformat(lot["expiry"]) if lot.get("expiry") else None
        line = self._line(product.sku)
        try:
            line_id, received = receiving.receive(session, ref, product.sku, qty, batch=lot.get("batch"),
                                                  expiry=expiry, user=ctx.user, station=ctx.station,
                                                  approved_by=approved_by, line_id=line["id"] if line else None,
                                                  limit=limit)
        except receiving.InboundError as exc:
            if exc.code == "over_tolerance":  # another station counted the last units a moment ago
                return self._hold("over_tolerance", message_of(exc), sku=product.sku, qty=qty, **lot)
            if exc.code != "receipt_already_closed":
                raise
            self.state = {"receipt": None, "last_receipt": self.receipt_no}  # closed at another station
            return Outcome.error(exc.code, message_of(exc))
        if line is None:
            line = {"sku": product.sku, "name": catalog.describe(product), "expected": 0, "received": 0,
                    "on_po": False, "id": line_id}
            self.state["lines"].append(line)
        line["received"] = received
        history = self.state["history"]
        history.append([product.sku, qty, lot.get("batch"), lot.get("expiry"), lot.get("cases", 0)])
        del history[:-UNDO_DEPTH]  # the state is saved with every scan: keep it small
        details = []
        if lot.get("batch") or lot.get("expiry"):
            details.append(_("Batch {batch}, expiry {expiry}", batch=lot.get("batch") or "-",
                             expiry=lot.get("expiry") or "-"))
        details += self.progress_lines(product.sku)
        message = _("{sku} {name} +{qty}: {received}/{expected}", sku=product.sku, name=catalog.describe(product),
                    qty=qty, received=line["received"], expected=line["expected"])
        if approved_by:
            return Outcome.ok("supervisor_approved", message, _("Let in by {name}", name=approved_by), *details)
        if line["expected"] and line["received"] > line["expected"]:
            return Outcome.warn("over_within_tolerance", message,
                                _("More than ordered, within the tolerance"), *details)
        return Outcome.ok("item_received", message, *details)

    # --- held errors ---------------------------------------------------------------
    def _hold(self, code: str, message: str, **what) -> Outcome:
        self.state["qty"] = None
        self.state["pending"] = {"code": code, "message": message, **what}
        return Outcome.error(code, message)

    def _pending(self, pending: dict, scan: Scan, command: str | None, session: Session,
                 ctx: BenchContext) -> Outcome:
        if command == "CONFIRM":
            self.state["pending"] = None
            self.state["not_counted"] = pending.get("scan")
            if pending["code"] == "link":
                return Outcome.warn("link_cancelled", _("Not linked: set the item aside"), *self.progress_lines())
            if pending["code"] in APPROVAL:
                return Outcome.warn("set_aside", _("Not counted: set the item aside"), *self.progress_lines())
            return Outcome.ok("error_acknowledged", _("Error acknowledged: carry on"), *self.progress_lines())
        if scan.kind is ScanKind.BADGE and pending["code"] in APPROVAL:
            supervisor = session.scalar(select(User).where(User.badge == scan.value))
            if supervisor is None or "supervisor" not in supervisor.role_set:
                return Outcome.error("supervisor_required", _("{name} is not a supervisor: a supervisor's badge is "
                                                              "needed", name=supervisor.name if supervisor else "?"))
            if pending["code"] == "unknown_barcode":
                pending.update(code="link", supervisor=supervisor.name)
                return Outcome.warn("link_scan_sku", _("{name}: scan the SKU label of the product barcode {code} "
                                                       "belongs to", name=supervisor.name, code=pending["barcode"]))
            self.state["pending"] = None
            product = session.scalar(select(Product).where(Product.sku == pending["sku"]))
            return self._count(product, pending["qty"], pending, session, ctx, supervisor.name)
        if pending["code"] == "link" and scan.kind in (ScanKind.SKU, ScanKind.PRODUCT):
            found = catalog.find_product(session, scan)
            if found is None:
                return Outcome.error("unknown_sku", _("Unknown SKU {sku}", sku=scan.value))
            session.add(Barcode(code=pending["barcode"], product_id=found.product.id, pack_qty=1))
            session.flush()
            self.state["pending"] = None
            outcome = self._count(found.product, pending["qty"], pending, session, ctx, pending["supervisor"])
            if outcome.level is not Level.OK:  # not counted after all (e.g. the receipt was closed meanwhile)
                return outcome
            return Outcome.ok("barcode_linked",
                              _("Barcode {code} is now {sku}; counted", code=pending["barcode"], sku=found.product.sku),
                              *outcome.details)
        return Outcome.error("acknowledge_first", _("Scan CONFIRM first to acknowledge: {message}",
                                                    message=pending["message"]))

    # --- commands ------------------------------------------------------------------
    def _command(self, command: str, session: Session, ctx: BenchContext) -> Outcome:
        if command == "REPRINT":
            return self._labels(session, ctx)
        if not self.receipt_no:
            if command == "CONFIRM":
                return Outcome.ok("nothing_to_confirm", _("Nothing to confirm"))
            return Outcome.error("scan_po_first", _("Scan the PO number on the delivery note first"))
        receipt = receiving.find_receipt(session, self.receipt_no)
        if command == "DONE":
            lines = receiving.close_receipt(session, receipt, user=ctx.user)
            outbox.defer(session, "receiving-note", receipt.receipt_no, user=ctx.user, station=ctx.station)
            short = [f"{l.sku} -{l.short}" for l in lines if l.short]
            over = [f"{l.sku} +{l.over}" for l in lines if l.over]
            details = []
            if short:
                details.append(_("Short: {lines}", lines=", ".join(short)))
            if over:
                details.append(_("Over: {lines}", lines=", ".join(over)))
            # The closed receipt's lines stay for the quality check on the screen.
            self.state = {"receipt": None, "last_receipt": receipt.receipt_no,
                          "last_lines": [{"sku": l.sku, "name": l.name, "expected": l.expected, "received": l.received,
                                          "quarantined": l.quarantined} for l in lines]}
            message = _("Receipt {receipt} closed: {n} units received", receipt=receipt.receipt_no,
                        n=sum(l.received for l in lines))
            if details:
                return Outcome.warn("receipt_closed_variance", message, *details)
            return Outcome.ok("receipt_closed", message, _("Everything as ordered"))
        if command == "CANCEL":
            self.state = {"receipt": None, "last_receipt": self.state.get("last_receipt")}
            return Outcome.warn("receipt_parked", _("Receipt {receipt} parked: scan the PO again to go on",
                                                    receipt=receipt.receipt_no))
        if command == "UNDO":
            if self._not_counted:  # the last scan was refused and confirmed: nothing of it to take back
                return Outcome.warn("nothing_to_undo",
                                    _("Nothing to undo: {scan} was not counted",
                                      scan=self._not_counted.replace("\x1d", "<GS>")),
                                    *self.progress_lines())
            if not self.state.get("history"):
                return Outcome.warn("nothing_to_undo", _("Nothing to undo"))
            sku, qty, batch, expiry, _cases = self.state["history"].pop()
            receiving.take_back(session, receipt, sku, qty, batch=batch,
                                expiry=date.fromisoformat(expiry) if expiry else None,
                                user=ctx.user, station=ctx.station)
            self._line(sku)["received"] -= qty
            return Outcome.warn("undone", _("Took back the last scan: {sku} ×{n}", sku=sku, n=qty),
                                *self.progress_lines(sku))
        if command == "CONFIRM":
            return Outcome.ok("nothing_to_confirm", _("Nothing to confirm"))
        return Outcome.warn("command_not_used", _("Command {command} does nothing here", command=command))

    def _labels(self, session: Session, ctx: BenchContext) -> Outcome:
        """With a receipt open: labels for the last scan. Once closed: the receiving note again (after the check)."""
        if not self.receipt_no and self.state.get("last_receipt"):
            number = self.state["last_receipt"]
            outbox.defer(session, "receiving-note", number, user=ctx.user, station=ctx.station, reprint=True)
            return Outcome.ok("note_reprinted", _("Receiving note {receipt} sent to the printer", receipt=number))
        history = self.state.get("history") or []
        if not history:
            return Outcome.warn("nothing_to_reprint", _("Scan an item first: its labels print for the units received"))
        sku, qty, cases = history[-1][0], history[-1][1], history[-1][4]
        if cases and per_case(session):
            outbox.defer(session, "product-label", label_reference(sku, qty, cases), user=ctx.user,
                         station=ctx.station)
            return Outcome.ok("labels_printed", _("{n} case labels for {sku} sent to the printer", n=cases, sku=sku))
        outbox.defer(session, "product-label", label_reference(sku, qty), user=ctx.user, station=ctx.station)
        return Outcome.ok("labels_printed", _("{n} labels for {sku} sent to the printer", n=qty, sku=sku))
