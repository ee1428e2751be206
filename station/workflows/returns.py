"""The returns bench: receive a return parcel, find its order, decide and put away each item.

1. Scan the parcel's tracking number. A return customer service registered is matched at once
   (``return_matched``); otherwise (``parcel_opened``) scan the return slip from our packing
   slip, or enter the customer's note (``NOTE:{json}``: the form on screen sends the same line).
   A note marked freight collect (``"cod": true``) refuses the parcel (``cod_refused``) and
   prints the refusal note. The candidates come back ranked with their evidence
   (``confident_match`` or ``candidates_found``); the clerk confirms one by scanning or typing its order number, or
   CONFIRM for the top one when the engine is confident — never by itself when two are close.
   No candidate: DONE shelves the parcel as unidentified under its tag number (its receipt
   number), with its note kept and searchable; scanning the tag later takes it back.
2. Scan each item out of the parcel: the policy decides it (``item_accepted`` / ``item_refused``)
   and says why and who pays the postage. ``COND:worn`` (washed, tags_missing, stained, damaged,
   altered) records what the inspection found, ``REASON:quality`` (wrong_item, missing_item,
   no_reason) why it came back; both decide again. ``OVERRIDE:{"accept": true, "reason": "…"}``
   then a supervisor's badge overrides the decision, recorded with the reason.
3. Scan where the item goes: a bin restocks it (ledger ``return_restock``; a refused item
   cannot be), a quarantine location quarantines it, a scrap location writes it off.
4. DONE closes the parcel: the registered return is received, an exchange gets its new order,
   the return receipt is printed. The same parcel or unit received again is refused.

An error stays until CONFIRM; every other scan meanwhile is ``acknowledge_first``.
"""
from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.catalog import lookup as catalog
from station.catalog.models import User
from station.fulfilment.models import Order
from station.i18n import N_, _, message_of
from station.inventory.ledger import LedgerError
from station.returns import receiving as rx
from station.returns.handoff import packing_trail
from station.returns.matching import match_note
from station.returns.models import ExpectedReturn
from station.returns.note import NoteError, ReturnNote
from station.returns.policy import REASONS, PolicyError
from station.returns.receipt_models import ReturnItem, ReturnReceipt
from station.scanning import Scan, ScanKind
from station.workflows.base import Bench, BenchContext, Outcome
from station.workflows.outcomes import Level
from station.workflows.messages import item_scan, unreadable

PREFIXES = ("NOTE:", "COND:", "REASON:", "OVERRIDE:", "TRAIL:", "EXCHANGE:")
PAYER = {"shop": N_("shop"), "buyer": N_("buyer")}
BENCH_NOTE_FIELDS = ("text", "reason_code")  # the form's extra fields, beyond a ReturnNote's


class ReturnsBench(Bench):
    name = "returns"
    title = N_("Returns")
    roles = frozenset({"returns", "supervisor"})
    commands = {
        "CONFIRM": N_("Take the order Station proposes from the customer's note (also acknowledges an error)"),
        "DONE": N_("Close the return: the return receipt prints (no order found: shelve the parcel as unidentified)"),
        "UNDO": N_("Take back the last item scan"),
        "CANCEL": N_("Step away: the return stays open"),
    }
    _not_counted: str | None = None  # set by handle(): the scan a confirmed error refused

    @property
    def receipt_no(self) -> str | None:
        return self.state.get("receipt")

    def takes_badge(self) -> bool:
        return bool(self.state.get("override"))

    def _reset(self) -> None:
        self.state = {"receipt": None, "last_receipt": self.state.get("last_receipt") or self.receipt_no}

    # --- one scan --------------------------------------------------------------------
    def handle(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        # The refused scan a held error was confirmed for, kept for the one scan after the CONFIRM:
        # an UNDO then takes back nothing (that scan took nothing in), not the item before it.
        self._not_counted = self.state.pop("not_counted", None)
        try:
            with session.begin_nested():  # a refused action writes nothing, and its error still waits for CONFIRM
                outcome = self._handle(scan, session, ctx)
        except (rx.ReturnError, PolicyError, LedgerError) as exc:
            outcome = Outcome.error(exc.code, message_of(exc))
        if outcome.level is Level.ERROR and self.receipt_no and outcome.code != "acknowledge_first":
            self.state["error"] = {"code": outcome.code, "message": outcome.message, "scan": item_scan(scan)}
        return outcome

    def _handle(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        command = scan.value if scan.kind is ScanKind.COMMAND else None
        if self.receipt_no and self.state.get("error"):
            if command == "CONFIRM":
                self.state["not_counted"] = self.state["error"].get("scan")
                self.state["error"] = None
                return Outcome.ok("error_acknowledged", _("Error acknowledged: carry on"))
            if command != "CANCEL":
                return Outcome.error("acknowledge_first", _("Scan CONFIRM first to acknowledge: {message}",
                                                            message=self.state["error"]["message"]))
        if self.state.get("override") and scan.kind is ScanKind.BADGE:
            return self._approve(scan, session, ctx)
        prefix = next((p for p in PREFIXES if scan.raw.startswith(p)), None)
        if prefix:
            return self._structured(prefix, scan.raw[len(prefix):], session, ctx)
        if command:
            return self._command(command, session, ctx)
        if scan.kind is ScanKind.UNKNOWN:
            return unreadable(scan)
        receipt = rx.find_receipt(session, self.receipt_no) if self.receipt_no else None
        if receipt is None:
            return self._open(scan, session, ctx)
        if receipt.status == "open":
            return self._unmatched(scan, receipt, session, ctx)
        return self._matched(scan, receipt, session, ctx)

    # --- opening a parcel --------------------------------------------------------------
    def _open(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        if scan.kind in (ScanKind.RETURN_SLIP, ScanKind.ORDER):  # our return slip, or the packing slip itself
            receipt = rx.open_without_tracking(session, user=ctx.user, station=ctx.station)
            self._start(receipt)
            return self._slip(scan.value, receipt, session)
        if scan.kind is ScanKind.SKU and scan.value.startswith("RR-"):
            return self._resume_tag(scan.value, session)
        if scan.kind in (ScanKind.PRODUCT, ScanKind.GS1) or (
                scan.kind is ScanKind.SKU and catalog.find_product(session, scan) is not None):
            return Outcome.error("scan_parcel_first", _("Scan the tracking number on the return parcel first"))
        if scan.kind not in (ScanKind.TRACKING, ScanKind.SKU):
            return Outcome.error("scan_parcel_first", _("Scan the tracking number on the return parcel first"))
        receipt, how = rx.open_parcel(session, scan.value, user=ctx.user, station=ctx.station)
        self._start(receipt)
        if how == "registered" or (how == "resumed" and receipt.status == "matched"):
            return self._matched_outcome(receipt, session, "return_matched")
        return Outcome.warn("parcel_opened", _("Parcel {tracking} is not registered: scan the return slip or enter "
                                               "the customer's note", tracking=scan.value),
                            _("Receipt {receipt}", receipt=receipt.receipt_no))

    def _start(self, receipt: ReturnReceipt) -> None:
        self.state = {"receipt": receipt.receipt_no, "last_receipt": self.state.get("last_receipt"),
                      "tracking": receipt.return_tracking, "order": None, "reason": "no_reason",
                      "candidates": [], "confident": False, "loose": [], "items": [], "current": None,
                      "override": None, "error": None, "note": receipt.note or None}

    def _resume_tag(self, tag: str, session: Session) -> Outcome:
        receipt = rx.find_receipt(session, tag)
        if receipt is None:
            return Outcome.error("unknown_receipt", _("No return receipt {receipt}", receipt=tag))
        if receipt.status in ("received", "refused"):
            return Outcome.error("already_received", _("Return {receipt} is closed ({status})",
                                                       receipt=tag, status=receipt.status))
        if receipt.status == "unidentified":
            rx.reopen_unidentified(session, receipt)
        self._start(receipt)
        if receipt.status == "matched":
            return self._matched_outcome(receipt, session, "return_matched")
        return Outcome.warn("parcel_opened", _("Parcel {tag} is back on the bench: enter the note or scan the "
                                               "return slip", tag=tag), *self._note_lines())

    def _matched_outcome(self, receipt: ReturnReceipt, session: Session, code: str) -> Outcome:
        order = session.get(Order, receipt.order_id)
        self.state.update(order=order.order_no, candidates=[], confident=False, type=receipt.type,
                          buyer=order.recipient)
        if receipt.expected_id:
            expected = session.get(ExpectedReturn, receipt.expected_id)
            if expected and expected.reason in REASONS:
                self.state["reason"] = expected.reason
        self._sync_items(receipt)
        details = [_("Receipt {receipt} · {type}", receipt=receipt.receipt_no, type=receipt.type)]
        details += [f"{l.sku} ×{l.qty}" for l in order.lines]
        for barcode in self.state.get("loose") or []:  # items scanned before the order was known
            found = catalog.find_product(session, Scan(barcode, ScanKind.SKU, barcode))
            if found is not None:
                try:
                    rx.add_item(session, receipt, found.product.sku, reason=self.state["reason"])
                except rx.ReturnError as exc:
                    details.append(message_of(exc))
        self.state["loose"] = []
        self._sync_items(receipt)
        return Outcome.ok(code, _("Return of order {order} ({buyer}): scan the items out of the parcel",
                                  order=order.order_no, buyer=order.recipient), *details)

    # --- not matched yet ---------------------------------------------------------------
    def _unmatched(self, scan: Scan, receipt: ReturnReceipt, session: Session, ctx: BenchContext) -> Outcome:
        if scan.kind in (ScanKind.RETURN_SLIP, ScanKind.ORDER):
            return self._slip(scan.value, receipt, session)
        candidates = [c["order_no"] for c in self.state.get("candidates") or []]
        if scan.value in candidates or scan.raw in candidates:
            order = session.scalar(select(Order).where(Order.order_no.in_((scan.value, scan.raw))))
            rx.confirm(session, receipt, order, "note")
            return self._matched_outcome(receipt, session, "return_matched")
        found = catalog.find_product(session, scan) if scan.kind in (ScanKind.PRODUCT, ScanKind.SKU,
                                                                      ScanKind.GS1) else None
        if found is not None:
            self.state["loose"].append(scan.value)
            return Outcome.ok("item_noted", _("{sku} noted: it helps find the order", sku=found.product.sku),
                              _("Enter the note or scan the return slip"))
        if scan.kind in (ScanKind.ORDER, ScanKind.SKU, ScanKind.TRACKING) and candidates:
            return Outcome.error("not_a_candidate", _("{order} is not one of the candidates", order=scan.value))
        return Outcome.error("match_first", _("Find the order first: scan the return slip or enter the note"))

    def _slip(self, order_no: str, receipt: ReturnReceipt, session: Session) -> Outcome:
        order = session.scalar(select(Order).where(Order.order_no == order_no))
        if order is None:
            return Outcome.error("unknown_order", _("No order {order}", order=order_no))
        rx.confirm(session, receipt, order, "slip")
        return self._matched_outcome(receipt, session, "return_matched")

    def _note(self, text: str, session: Session, ctx: BenchContext) -> Outcome:
        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                raise NoteError([_("A note is a JSON object")])
            extra = {k: data.pop(k) for k in BENCH_NOTE_FIELDS if k in data}
            note = ReturnNote.from_dict(data)
        except (ValueError, NoteError) as exc:
            problems = exc.problems if isinstance(exc, NoteError) else [message_of(exc)]
            return Outcome.error("bad_note", _("The note cannot be read"), *problems)
        if extra.get("reason_code") and extra["reason_code"] not in REASONS:
            return Outcome.error("bad_note", _("The note cannot be read"), _(
                "Reason {reason} unknown; allowed: {allowed}", reason=extra["reason_code"], allowed=", ".join(REASONS)))
        receipt = rx.find_receipt(session, self.receipt_no) if self.receipt_no else None
        if receipt is None:
            receipt = rx.open_without_tracking(session, user=ctx.user, station=ctx.station)
            self._start(receipt)
        rx.store_note(receipt, {**data, **extra})
        self.state["note"] = receipt.note
        if extra.get("reason_code"):
            self.state["reason"] = extra["reason_code"]
        if note.cod:
            rx.refuse_cod(session, receipt, user=ctx.user, station=ctx.station)
            number = receipt.receipt_no
            self._reset()
            return Outcome.error("cod_refused", _("Freight collect (到付): refuse parcel {tracking}, the refusal note "
                                                  "is printing", tracking=receipt.return_tracking or number),
                                 _("Receipt {receipt}", receipt=number))
        if receipt.status != "open":
            return Outcome.ok("note_saved", _("Note saved with return {receipt}", receipt=receipt.receipt_no))
        items = tuple(self.state.get("loose") or ()) + note.items
        result = match_note(session, ReturnNote(**{**note.__dict__, "tracking": receipt.return_tracking,
                                                    "items": items}))
        self.state["candidates"] = [{
            "order_no": c.order_no, "score": c.points, "confidence": round(c.confidence, 3),
            "evidence": [f"{e.clue}: {e.how}" + ("" if e.matched is not False else " ✗") for e in c.evidence]}
            for c in result.candidates[:5]]
        self.state["confident"] = result.confident
        if not result.candidates:
            return Outcome.warn("no_candidate", _("No order matches this note: DONE puts the parcel on the "
                                                  "unidentified-returns shelf"), *self._note_lines())
        lines = [f"{n}. {c['order_no']}  {c['score']}  " + ", ".join(c["evidence"])
                 for n, c in enumerate(self.state["candidates"], start=1)]
        if result.confident:
            return Outcome.ok("confident_match", _("Order {order} matches: CONFIRM, or scan another candidate's "
                                                    "order number", order=result.top.order_no), *lines)
        return Outcome.warn("candidates_found", _("{n} possible orders, none certain: scan or type the right "
                                                  "order number", n=len(self.state["candidates"])), *lines)

    def _note_lines(self) -> list[str]:
        note = self.state.get("note") or {}
        return [f"{k}: {note[k]}" for k in ("account", "name", "phone", "order_no", "reason", "text") if note.get(k)]

    # --- matched: items and where they go ----------------------------------------------
    def _matched(self, scan: Scan, receipt: ReturnReceipt, session: Session, ctx: BenchContext) -> Outcome:
        if scan.kind is ScanKind.LOCATION:
            return self._dispose(scan.value, receipt, session, ctx)
        if scan.kind in (ScanKind.PRODUCT, ScanKind.SKU, ScanKind.GS1):
            found = catalog.find_product(session, scan)
            if found is not None:
                item = rx.add_item(session, receipt, found.product.sku, reason=self.state.get("reason", "no_reason"))
                self.state["current"] = item.id
                self._sync_items(receipt)
                return self._decision_outcome(item)
            if scan.kind is ScanKind.SKU and session.scalar(select(ReturnReceipt.id).where(
                    ReturnReceipt.receipt_no == scan.value)) is None and not scan.value.startswith("RR-"):
                return Outcome.error("unknown_barcode", _("Barcode {code} is not in the catalog", code=scan.value))
        if scan.kind is ScanKind.PRODUCT:
            return Outcome.error("unknown_barcode", _("Barcode {code} is not in the catalog", code=scan.value))
        return Outcome.error("receipt_in_progress", _("Finish return {receipt} first (DONE), or scan CANCEL",
                                                      receipt=receipt.receipt_no))

    def _decision_outcome(self, item: ReturnItem) -> Outcome:
        """The policy's decision on the item, when it is scanned and again after ``COND:`` or ``REASON:``."""
        details = [_("Postage: paid by the {payer}", payer=_(PAYER[item.postage])),
                   _("Scan where it goes: a bin, quarantine or scrap")]
        if item.accepted:
            return Outcome.ok("item_accepted", f"{item.sku}: {item.decision_text}", *details)
        return Outcome.warn("item_refused", f"{item.sku}: {item.decision_text}", *details)

    def _current(self, receipt: ReturnReceipt) -> ReturnItem | None:
        waiting = [i for i in receipt.items if not i.disposition]
        return next((i for i in waiting if i.id == self.state.get("current")), waiting[-1] if waiting else None)

    def _dispose(self, location: str, receipt: ReturnReceipt, session: Session, ctx: BenchContext) -> Outcome:
        item = self._current(receipt)
        if item is None:
            return Outcome.error("scan_item_first", _("Scan an item out of the parcel first"))
        disposition = rx.dispose(session, item, location, user=ctx.user, station=ctx.station)
        self.state["current"] = None
        self._sync_items(receipt)
        left = sum(1 for i in receipt.items if not i.disposition)
        more = _("Scan the next item, or DONE") if not left else _("{n} item(s) still to put away", n=left)
        if disposition == "restock":
            return Outcome.ok("item_restocked", _("{sku} back in stock: {location}", sku=item.sku, location=location),
                              more)
        if disposition == "quarantine":
            return Outcome.warn("item_quarantined", _("{sku} to quarantine: {location}", sku=item.sku,
                                                      location=location), more)
        return Outcome.warn("item_scrapped", _("{sku} scrapped (written off): {location}", sku=item.sku,
                                               location=location), more)

    def _sync_items(self, receipt: ReturnReceipt) -> None:
        self.state["items"] = [{"id": i.id, "sku": i.sku, "accepted": i.accepted, "decision": i.decision,
                                "text": i.decision_text, "postage": i.postage, "conditions": i.conditions,
                                "disposition": i.disposition, "location": i.location,
                                "overridden_by": i.overridden_by} for i in receipt.items]

    # --- structured inputs (the note form, inspection, override) ---------------------------
    def _structured(self, prefix: str, text: str, session: Session, ctx: BenchContext) -> Outcome:
        if prefix == "NOTE:":
            return self._note(text, session, ctx)
        if prefix == "TRAIL:":
            return self._trail(text.strip(), session)
        if prefix == "EXCHANGE:":
            return self._exchange(text.strip(), session)
        receipt = rx.find_receipt(session, self.receipt_no) if self.receipt_no else None
        item = self._current(receipt) if receipt is not None else None
        if item is None and receipt is not None and receipt.items and prefix == "OVERRIDE:":
            item = receipt.items[-1]
        if item is None:
            return Outcome.error("scan_item_first", _("Scan an item out of the parcel first"))
        if prefix == "OVERRIDE:":
            try:
                data = json.loads(text)
                accept, reason = bool(data["accept"]), str(data.get("reason") or "").strip()
            except (ValueError, KeyError, TypeError):
                return Outcome.error("bad_override", _('An override is OVERRIDE: and JSON with "accept" (true or false) and "reason"'))
            if not reason:
                return Outcome.error("override_reason_needed", _("Give the reason for the override"))
            self.state["override"] = {"item": item.id, "accept": accept, "reason": reason}
            return Outcome.warn("scan_supervisor_badge", _("Supervisor: scan your badge to override {sku}",
                                                             sku=item.sku), reason)
        if prefix == "COND:":
            rx.inspect(session, item, condition=text.strip().lower())
        else:
            rx.inspect(session, item, reason=text.strip().lower())
        self._sync_items(receipt)
        return self._decision_outcome(item)

    def _exchange(self, sku: str, session: Session) -> Outcome:
        receipt = rx.find_receipt(session, self.receipt_no) if self.receipt_no else None
        if receipt is None or receipt.status != "matched":
            return Outcome.error("match_first", _("Find the order first: scan the return slip or enter the note"))
        rx.exchange_for(session, receipt, sku)
        self.state["type"] = "exchange"
        self.state.setdefault("exchange", []).append(sku)
        return Outcome.ok("exchange_noted", _("Exchange: {skus} will go out in a new order when DONE",
                                              skus=", ".join(self.state["exchange"])))

    def _trail(self, key: str, session: Session) -> Outcome:
        order, _events = packing_trail(session, key)
        if order is None:
            return Outcome.error("unknown_order", _("No order {order}", order=key))
        lines = trail_lines(session, key)
        self.state["trail"] = {"order": order.order_no, "lines": lines}
        if not lines:
            return Outcome.warn("no_trail", _("Order {order} was not packed at a Station bench: no scan trail",
                                              order=order.order_no))
        return Outcome.ok("packing_trail", _("Packing scans of order {order}: {n}", order=order.order_no,
                                             n=len(lines)), *lines)

    def _approve(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        pending = self.state["override"]
        self.state["override"] = None
        user = session.scalar(select(User).where(User.badge == scan.value))
        receipt = rx.find_receipt(session, self.receipt_no)
        item = session.get(ReturnItem, pending["item"])
        try:
            rx.override_item(session, item, user=user.name, roles=user.role_set, accept=pending["accept"],
                             reason=pending["reason"])
        except PolicyError as exc:
            return Outcome.error("not_permitted", _("{name} may not override the return policy", name=user.name),
                                 message_of(exc))
        self._sync_items(receipt)
        return Outcome.ok("policy_overridden", f"{item.sku}: {item.decision_text}",
                          _("Scan where it goes: a bin, quarantine or scrap"))

    # --- commands --------------------------------------------------------------------------
    def _command(self, command: str, session: Session, ctx: BenchContext) -> Outcome:
        receipt = rx.find_receipt(session, self.receipt_no) if self.receipt_no else None
        if receipt is None:
            if command == "CONFIRM":
                return Outcome.ok("nothing_to_confirm", _("Nothing to confirm"))
            return Outcome.error("scan_parcel_first", _("Scan the tracking number on the return parcel first"))
        if command == "CANCEL":
            if self.state.get("override"):
                self.state["override"] = None
                return Outcome.warn("override_cancelled", _("Override cancelled"))
            number = receipt.receipt_no
            self._reset()
            return Outcome.warn("receipt_parked", _("Return {receipt} left open: scan its parcel or tag to go on",
                                                    receipt=number))
        if receipt.status == "open":
            if command == "CONFIRM":
                candidates = self.state.get("candidates") or []
                if not candidates:
                    return Outcome.error("no_candidate_to_confirm", _("No candidate to confirm: enter the note, or DONE to "
                                                           "shelve the parcel as unidentified"))
                if not self.state.get("confident"):
                    return Outcome.error("choose_candidate", _("The candidates are too close to confirm by "
                                                               "themselves: scan or type the right order number"))
                order = session.scalar(select(Order).where(Order.order_no == candidates[0]["order_no"]))
                rx.confirm(session, receipt, order, "note")
                return self._matched_outcome(receipt, session, "return_matched")
            if command == "DONE":
                location = rx.shelve_unidentified(session, receipt, user=ctx.user)
                number = receipt.receipt_no
                self._reset()
                return Outcome.warn("parcel_unidentified", _(
                    "Unidentified: write tag {tag} on the parcel and put it on {location}", tag=number,
                    location=location), _("The note is kept; search it with station returns unidentified"))
            return Outcome.warn("command_not_used", _("Command {command} does nothing here", command=command))
        if command == "UNDO":
            if self._not_counted:  # the last scan was refused and confirmed: nothing of it to take back
                return Outcome.warn("nothing_to_undo",
                                    _("Nothing to undo: {scan} was not counted",
                                      scan=self._not_counted.replace("\x1d", "<GS>")))
            item = self._current(receipt)
            if item is None:
                return Outcome.warn("nothing_to_undo", _("Nothing to undo"))
            sku = item.sku
            receipt.items.remove(item)
            session.flush()
            self._sync_items(receipt)
            return Outcome.warn("undone", _("Took back the last scan: {sku} ×{n}", sku=sku, n=1))
        if command == "DONE":
            exchange = rx.close(session, receipt, user=ctx.user, station=ctx.station,
                                exchange_skus=self.state.get("exchange") or None)
            number, order_no = receipt.receipt_no, self.state.get("order")
            self._reset()
            self.state["last_receipt"] = number
            details = [_("Exchange: new order {order}", order=exchange)] if exchange else []
            return Outcome.ok("return_received", _("Return {receipt} of order {order} received: the receipt is "
                                                   "printing", receipt=number, order=order_no), *details)
        if command == "CONFIRM":
            return Outcome.ok("nothing_to_confirm", _("Nothing to confirm"))
        return Outcome.warn("command_not_used", _("Command {command} does nothing here", command=command))


def trail_lines(session: Session, key: str) -> list[str]:
    """The packing scan trail of an order, one line per scan, for the bench's missing-item check."""
    _order, events = packing_trail(session, key)
    return [f"{e.at.astimezone():%m-%d %H:%M:%S} {e.station} {e.user} {e.scan} → {e.code}" for e in events]
