"""The put-away bench: scan an item, Station suggests a bin, scan the bin, the units move.

Items come from the receiving location (``QTY:N`` keys a quantity; a case or GS1 carton counts
its units); several scans of the same SKU are carried together. A bin other than the suggested
one is ``other_bin``: scan it again to confirm, or scan the suggested bin. Scanning the
quarantine location starts a quarantine release, which only a supervisor may do (logged in, or
their badge scanned now): items then come out of quarantine into the bin. CANCEL drops what is
carried (nothing moved) or ends the release; DONE ends the release. An error stays until CONFIRM
(every other scan is ``acknowledge_first``).
"""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.catalog import lookup as catalog
from station.catalog.models import User
from station.i18n import N_, _
from station.inbound import putaway
from station.inventory.lookup import find_location
from station.scanning import Scan, ScanKind
from station.workflows.base import Bench, BenchContext, Outcome
from station.workflows.outcomes import Level
from station.workflows.messages import unreadable

QTY_RE = re.compile(r"(?i)QTY:(\d{1,6})")


class PutawayBench(Bench):
    name = "putaway"
    title = N_("Put away")
    roles = frozenset({"receiver", "supervisor"})
    commands = {
        "CANCEL": N_("Drop what you carry (nothing is moved), or end a quarantine release"),
        "DONE": N_("End a quarantine release"),
    }

    def takes_badge(self) -> bool:
        return bool(self.state.get("awaiting_supervisor"))

    @property
    def source_kind(self) -> str:
        return "quarantine" if self.state.get("release_by") else "receiving"

    def handle(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        command = scan.value if scan.kind is ScanKind.COMMAND else None
        error = self.state.get("error")
        if error:
            if command == "CONFIRM":
                self.state["error"] = None
                return Outcome.ok("error_acknowledged", _("Error acknowledged: carry on"))
            return Outcome.error("acknowledge_first", _("Scan CONFIRM first to acknowledge: {message}",
                                                        message=error["message"]))
        outcome = self._handle(scan, command, session, ctx)
        if outcome.level is Level.ERROR and outcome.code not in ("acknowledge_first", "supervisor_required"):
            self.state["error"] = {"code": outcome.code, "message": outcome.message}  # stays until CONFIRM
        return outcome

    def _handle(self, scan: Scan, command: str | None, session: Session, ctx: BenchContext) -> Outcome:
        if self.state.get("awaiting_supervisor"):
            return self._supervisor(scan, command, session)
        if command:
            return self._command(command)
        if scan.kind is ScanKind.UNKNOWN:
            return unreadable(scan)
        keyed = QTY_RE.fullmatch(scan.value) if scan.kind is ScanKind.SKU else None
        if keyed:
            self.state["qty"] = int(keyed.group(1)) or None
            if not self.state["qty"]:
                return Outcome.error("bad_quantity", _("A quantity must be at least 1"))
            return Outcome.ok("quantity_keyed", _("Quantity {qty}: now scan the item", qty=self.state["qty"]))
        if scan.kind is ScanKind.LOCATION:
            return self._location(scan.value, session, ctx)
        if scan.kind in (ScanKind.PRODUCT, ScanKind.SKU, ScanKind.GS1):
            found = catalog.find_product(session, scan)
            if found is None:
                return Outcome.error("unknown_barcode", _("Barcode {code} is not in the catalog", code=scan.value))
            keyed_qty = self.state.pop("qty", None)
            qty = keyed_qty or ((scan.count or 1) * found.pack_qty if scan.kind is ScanKind.GS1 else found.pack_qty)
            return self._item(found.product.sku, catalog.describe(found.product), qty, session)
        return Outcome.error("wrong_bench", _("{kind} scans are not used at the put-away bench", kind=str(scan.kind)))

    # --- items and bins ----------------------------------------------------------------
    def _item(self, sku: str, name: str, qty: int, session: Session) -> Outcome:
        carrying = self.state.get("carrying")
        if carrying and carrying["sku"] != sku:
            return Outcome.error("finish_first", _("Put the {sku} away first: scan its bin {bin}, or CANCEL",
                                                   sku=carrying["sku"], bin=self.state.get("suggested") or "?"))
        total = qty + (carrying["qty"] if carrying else 0)
        waiting = putaway.waiting(session, sku, self.source_kind)
        if waiting is None or waiting[1] < total:
            have = waiting[1] if waiting else 0
            if self.source_kind == "quarantine":
                return Outcome.error("not_in_quarantine", _("Only {n} {sku} in quarantine", n=have, sku=sku))
            return Outcome.error("not_in_receiving", _("Only {n} {sku} waiting to be put away", n=have, sku=sku))
        suggested = putaway.suggest_bin(session, sku)
        self.state.update(carrying={"sku": sku, "name": name, "qty": total, "source": waiting[0]},
                          suggested=suggested, other_bin=None)
        if suggested is None:
            return Outcome.warn("no_bin_suggested", _("{sku} ×{qty}: no empty bin; scan any bin", sku=sku, qty=total))
        return Outcome.ok("put_in_bin", _("{sku} ×{qty}: put it in {bin}", sku=sku, qty=total, bin=suggested),
                          name)

    def _location(self, code: str, session: Session, ctx: BenchContext) -> Outcome:
        location = find_location(session, code)
        if location is None:
            return Outcome.error("unknown_location", _("No location {code}", code=code))
        carrying = self.state.get("carrying")
        if carrying is None:
            if location.kind == "quarantine":
                if self.state.get("release_by"):
                    return Outcome.ok("release_started", _("Quarantine release by {name}: scan the items to release, "
                                                           "then their bin; DONE to finish",
                                                           name=self.state["release_by"]))
                if "supervisor" in ctx.roles:
                    return self._release(ctx.user)
                self.state["awaiting_supervisor"] = True
                return Outcome.error("supervisor_required", _("A quarantine release needs a supervisor: scan a "
                                                              "supervisor's badge, or CONFIRM to go on without"))
            return Outcome.error("scan_item_first", _("Scan the item first, then its bin"))
        if location.kind != "stock":
            return Outcome.error("not_a_bin", _("{code} is not a stock bin", code=code))
        suggested = self.state.get("suggested")
        if suggested is not None and code != suggested and code != self.state.get("other_bin"):
            self.state["other_bin"] = code
            return Outcome.warn("other_bin", _("{code} is not the suggested bin {bin}: scan {code} again to put it "
                                               "there, or scan {bin}", code=code, bin=suggested))
        release = self.state.get("release_by")
        putaway.put_away(session, carrying["sku"], carrying["qty"], carrying["source"], code, user=ctx.user,
                         station=ctx.station, released_by=release)
        self.state.update(carrying=None, suggested=None, other_bin=None, last=[carrying["sku"], carrying["qty"], code])
        return Outcome.ok("put_away", _("{sku} ×{qty} put away in {bin}", sku=carrying["sku"], qty=carrying["qty"],
                                        bin=code))

    # --- release and commands ----------------------------------------------------------
    def _release(self, supervisor: str) -> Outcome:
        self.state.update(release_by=supervisor, awaiting_supervisor=False, carrying=None)
        return Outcome.ok("release_started", _("Quarantine release by {name}: scan the items to release, "
                                               "then their bin; DONE to finish", name=supervisor))

    def _supervisor(self, scan: Scan, command: str | None, session: Session) -> Outcome:
        if command in ("CONFIRM", "CANCEL"):
            self.state["awaiting_supervisor"] = False
            return Outcome.warn("release_cancelled", _("No quarantine release"))
        if scan.kind is ScanKind.BADGE:
            user = session.scalar(select(User).where(User.badge == scan.value))
            if user is not None and "supervisor" in user.role_set:
                return self._release(user.name)
            return Outcome.error("supervisor_required", _("{name} is not a supervisor: a supervisor's badge is "
                                                          "needed", name=user.name if user else "?"))
        return Outcome.error("acknowledge_first", _("Scan a supervisor's badge, or CONFIRM to go on without"))

    def _command(self, command: str) -> Outcome:
        if command == "CANCEL" and self.state.get("carrying"):
            carrying = self.state["carrying"]
            self.state.update(carrying=None, suggested=None, other_bin=None)
            return Outcome.warn("putaway_cancelled", _("{sku} ×{qty} not put away: nothing was moved",
                                                       sku=carrying["sku"], qty=carrying["qty"]))
        if command in ("CANCEL", "DONE") and self.state.get("release_by"):
            self.state.update(release_by=None, carrying=None, suggested=None, other_bin=None)
            return Outcome.ok("release_finished", _("Quarantine release finished"))
        if command == "CONFIRM":
            return Outcome.ok("nothing_to_confirm", _("Nothing to confirm"))
        return Outcome.warn("command_not_used", _("Command {command} does nothing here", command=command))
