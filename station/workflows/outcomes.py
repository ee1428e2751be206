"""Every outcome code a bench, the runner or a bench screen can give: each once, with its level
and a one-line meaning (English, for docs/replay.md's generated table).

A code is a stable snake_case string that tests, ``station replay``, the scan log and the manual
share; it is never translated. A code has one level: where one situation can end two ways (a
receipt closed as ordered, or with short and over lines) the two ways have two codes.

``Outcome`` (``station.workflows.base``) checks every code it is built with against this
registry. With ``STATION_STRICT_OUTCOMES=1`` (the tests set it) or Python's development mode a
code not registered here, or given at another level, raises ``UnregisteredOutcome``; otherwise it
is logged once and the scan goes on as before. ``tests/unit/test_outcomes.py`` also scans the
source for codes used and checks docs/replay.md against ``markdown_table()``.
"""
from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from enum import StrEnum

log = logging.getLogger(__name__)


class Level(StrEnum):
    OK = "ok"
    WARN = "warn"
    ERROR = "error"


OK, WARN, ERROR = Level.OK, Level.WARN, Level.ERROR


@dataclass(frozen=True)
class OutcomeCode:
    code: str
    level: Level
    meaning: str  # one line, English, for the docs


_CODES: tuple[tuple[str, Level, str], ...] = (
    # --- every bench: logging in, unreadable scans, failures (the runner, scanning.messages) ------
    ("logged_in", OK, "a badge was scanned: the person is logged in"),
    ("logged_out", OK, "`CMD-LOGOUT`: nobody is logged in"),
    ("login_required", ERROR, "a scan before anyone logged in"),
    ("unknown_user", ERROR, "`--user` names nobody (replay exits with status 2)"),
    ("not_permitted", ERROR, "the person's roles do not allow this: the bench (at login and at every scan), "
                             "or an approval or override their badge was scanned for"),
    ("unknown", ERROR, "the scan is no code Station knows (or is empty)"),
    ("bad_check_digit", ERROR, "digits of an EAN/UPC/GTIN length with a wrong check digit"),
    ("gs1_invalid", ERROR, "a GS1 element string that does not parse"),
    ("unknown_command", ERROR, "`CMD-` followed by no known command"),
    ("unreadable_scan", ERROR, "the scan held bytes that are not UTF-8 text, or control characters"),
    ("database_unavailable", ERROR, "the database did not answer; nothing was saved"),
    ("station_error", ERROR, "an unexpected failure inside Station; nothing was saved"),
    ("refused", ERROR, "a warehouse service refused the action without a code of its own; nothing was saved"),
    # --- the GUI's scan capture (never reaches a bench: nothing is saved) ---------------------------
    ("scan_incomplete", WARN, "GUI: a burst at scanner speed stopped without Enter or Tab; scan again"),
    ("scan_input_method", WARN, "GUI: a Chinese input method in a text field ate a scan; switch it to English or type it (F9)"),
    ("scanner_calibrated", OK, "GUI: the scanner setup code was scanned: this station's key gap is set"),
    # --- said by several benches ------------------------------------------------------------------
    ("unknown_barcode", ERROR, "a well-formed barcode that is not in the catalog"),
    ("unknown_sku", ERROR, "a SKU that is not in the catalog"),
    ("unknown_location", ERROR, "shaped like a location code, but no such location"),
    ("unknown_order", ERROR, "no such order"),
    ("not_a_bin", ERROR, "a location that is not a stock bin where a bin is needed"),
    ("wrong_bench", ERROR, "a kind of scan this bench does not use"),
    ("command_not_used", WARN, "a command barcode this bench has no use for (in this state)"),
    ("acknowledge_first", ERROR, "an error is waiting for `CMD-CONFIRM`; the scan counted nothing"),
    ("error_acknowledged", OK, "`CMD-CONFIRM`: the waiting error is acknowledged"),
    ("nothing_to_confirm", OK, "`CMD-CONFIRM` with no error waiting"),
    ("undone", WARN, "`CMD-UNDO`: the last scan taken back"),
    ("nothing_to_undo", WARN, "`CMD-UNDO` with nothing to take back (also right after a refused scan was confirmed: "
                              "it counted nothing)"),
    ("nothing_to_reprint", WARN, "`CMD-REPRINT` with nothing to reprint yet"),
    ("quantity_keyed", OK, "`QTY:N` (or a number at the count bench): the quantity of the next or last item"),
    ("bad_quantity", ERROR, "a keyed or entered quantity that cannot be taken"),
    ("scan_item_first", ERROR, "a bin, location or keyed number before an item"),
    ("finish_first", ERROR, "something new while the item carried or the bin open is not finished"),
    ("scan_supervisor_badge", WARN, "the next badge scanned approves (it does not log in)"),
    ("supervisor_required", ERROR, "a badge that is not a supervisor's where a supervisor's is needed"),
    ("receipt_parked", WARN, "`CMD-CANCEL`: the receipt or return stays open; scan it again to go on"),
    ("receipt_in_progress", ERROR, "another PO, order or parcel while a receipt or return is open"),
    ("insufficient_stock", ERROR, "the ledger refused a movement: not enough stock where it would come from"),
    ("ledger_error", ERROR, "the ledger refused a movement (reason, quantity or locations)"),
    # --- lookup -----------------------------------------------------------------------------------
    ("product_found", OK, "a product: SKU, name, total on hand; details list each location"),
    ("gs1", OK, "a GS1 string without a GTIN (e.g. an SSCC)"),
    ("location_found", OK, "a location: SKUs and units held"),
    ("tracking_number", OK, "a courier tracking number, with the courier"),
    ("order_slip", OK, "a packing-slip barcode"),
    ("return_slip", OK, "a return-slip barcode"),
    # --- pack -------------------------------------------------------------------------------------
    ("order_opened", OK, "the order is on the bench; details list messages, gifts and lines"),
    ("item_ok", OK, "a right item scanned into the parcel"),
    ("wrong_item", ERROR, "the product is not in the order"),
    ("wrong_variant", ERROR, "the order's style in another colour or size"),
    ("over_scan", ERROR, "more than ordered"),
    ("scan_waybill", WARN, "all items scanned: scan the waybill on the parcel"),
    ("waybill_mismatch", ERROR, "the scanned waybill is not this order's (or not a usable waybill)"),
    ("order_packed", OK, "parcels closed, stock moved to packing, waybills queued"),
    ("order_cancelled", ERROR, "the order was cancelled or refunded"),
    ("order_on_hold", ERROR, "the order is held; details give the reasons"),
    ("unprintable_text", ERROR, "held: the recipient's name, phone or address has a character no print "
                                "font has (a batch holds it before anything prints)"),
    ("already_packed", ERROR, "the order was packed already, here or at another station"),
    ("order_in_progress", ERROR, "another order while one is open"),
    ("scan_order_first", ERROR, "an item or command before any order"),
    ("order_released", WARN, "`CMD-CANCEL`: the order is back in the queue, nothing moved"),
    ("short_pick", WARN, "`CMD-SHORT`: the order is held `short_pick` for customer service"),
    ("new_parcel", OK, "`CMD-NEW_PARCEL`: this box is closed, the next starts"),
    ("parcel_empty", WARN, "`CMD-NEW_PARCEL` while this box is empty"),
    ("not_complete", ERROR, "`CMD-DONE` before every item is scanned"),
    ("reprinted", OK, "`CMD-REPRINT`: the open order's slip, or the last order's waybills"),
    ("stock_missing", ERROR, "the books show fewer units in the bins than were packed"),
    ("pack_error", ERROR, "the order could not be closed (e.g. no packing location)"),
    ("waybill_error", ERROR, "no waybill number could be given or taken"),
    ("waybill_pool_empty", ERROR, "the courier's pool of waybill numbers is used up"),
    ("order_error", ERROR, "the order could not be held or changed"),
    # --- the pack bench's scale (issue 18) --------------------------------------------------------
    ("weigh_parcel", WARN, "all items scanned (or `CMD-WEIGH`, `CMD-NEW_PARCEL`) at a bench with a scale: "
                           "put the parcel on the scale"),
    ("weight_ok", OK, "the parcel's weight fits what is expected; a close that follows answers `order_packed`"),
    ("weight_mismatch", ERROR, "the parcel's weight is outside the expected band: held until it is weighed again "
                               "(`CMD-WEIGH`) or a supervisor's badge lets it go"),
    ("weight_held", ERROR, "a scan while a weight mismatch is held; it counted nothing"),
    ("weight_released", WARN, "a supervisor's badge let a parcel go whose weight did not fit (or was not read); "
                              "in the audit"),
    ("weight_unstable", WARN, "the scale gave no settled weight in time (moving, overload): weigh again"),
    ("scale_offline", WARN, "the scale does not answer: check it, then `CMD-WEIGH`; a supervisor may let the parcel go"),
    ("weight_not_expected", WARN, "a scale reading while nothing waits for one: not used"),
    # --- handover ---------------------------------------------------------------------------------
    ("parcel_added", OK, "the parcel is on the open list of its courier"),
    ("already_scanned", ERROR, "the parcel is on this list already"),
    ("already_handed_over", ERROR, "the parcel is on another handover list"),
    ("wrong_courier", ERROR, "the list is another courier's"),
    ("not_packed", ERROR, "the parcel was never packed"),
    ("unknown_parcel", ERROR, "no parcel with that waybill"),
    ("handover_closed", OK, "`CMD-DONE`: parcels shipped, the list printed"),
    ("handover_empty", ERROR, "`CMD-DONE` on a list without parcels"),
    ("handover_error", ERROR, "the handover refused the parcel"),
    ("parcel_removed", WARN, "`CMD-UNDO`: the last parcel taken off the list"),
    ("handover_reprinted", OK, "`CMD-REPRINT`: the list closed last at this bench prints again"),
    ("handover_left_open", WARN, "`CMD-CANCEL`: the list stays open"),
    ("no_handover", WARN, "a command before the first parcel"),
    # --- receive ----------------------------------------------------------------------------------
    ("receipt_opened", OK, "the PO's receipt (or a blind receipt) is open"),
    ("qc_reason_set", OK, "a `QC:` reason code from the sheet: the next items scanned failed the quality check"),
    ("unit_quarantined", WARN, "a unit scanned after a `QC:` reason code: it failed the check, moved to quarantine"),
    ("qc_finished", OK, "`CMD-DONE` or `CMD-CANCEL` during the quality check: it ends (the receipt stays as it was)"),
    ("unknown_qc_reason", ERROR, "`QC:` with a code that is not on the sheet"),
    ("blind_receipt_started", OK, "`CMD-BLIND`: the next item opens a blind receipt (no PO) from its supplier"),
    ("blind_receipt_cancelled", WARN, "`CMD-CANCEL` after `CMD-BLIND`, before the first item"),
    ("receipt_busy", ERROR, "the PO's receipt is being opened at another station: scan the PO again"),
    ("unknown_po", ERROR, "no such PO or receipt"),
    ("scan_po_first", ERROR, "goods or a command before a PO"),
    ("receipt_already_closed", ERROR, "the receipt is closed (also: closed meanwhile at another station)"),
    ("po_already_received", ERROR, "nothing is outstanding on the PO"),
    ("no_receiving_location", ERROR, "there is no location of kind receiving"),
    ("item_received", OK, "units counted into the receiving location"),
    ("over_within_tolerance", WARN, "counted; more than ordered, within the tolerance"),
    ("not_on_po", ERROR, "the product is not on the PO: held for a supervisor's badge or `CMD-CONFIRM`"),
    ("over_tolerance", ERROR, "more than the PO and its tolerance: held for a supervisor's badge or `CMD-CONFIRM`"),
    ("supervisor_approved", OK, "a supervisor's badge let the held units in"),
    ("link_scan_sku", WARN, "linking an unknown barcode: scan the product's SKU label"),
    ("barcode_linked", OK, "the barcode now belongs to that product; the unit is counted"),
    ("set_aside", WARN, "`CMD-CONFIRM` on a held error: not counted, set the item aside"),
    ("link_cancelled", WARN, "`CMD-CONFIRM` while linking: not linked, set the item aside"),
    ("receipt_closed", OK, "`CMD-DONE`: closed, everything as ordered; the receiving note prints"),
    ("receipt_closed_variance", WARN, "`CMD-DONE`: closed with short or over lines (details); the receiving note prints"),
    ("cannot_undo", ERROR, "`CMD-UNDO`: the last scan's units cannot be taken back (receipt closed or units gone)"),
    ("labels_printed", OK, "`CMD-REPRINT`: product labels for the last scan"),
    ("note_reprinted", OK, "`CMD-REPRINT` after the receipt was closed: its receiving note again"),
    ("quality_passed", OK, "the quality check form: every unit of the line passed"),
    ("quality_failed", WARN, "the quality check form: failed units moved to quarantine"),
    ("not_on_receipt", ERROR, "the quality check names a SKU not on the receipt"),
    ("reason_required", ERROR, "the quality check needs a reason for the failed units"),
    ("already_quarantined", ERROR, "the quality check: those units are in quarantine already"),
    ("unknown_receipt", ERROR, "no such receipt (receiving receipt or return receipt)"),
    ("no_quarantine_location", ERROR, "there is no location of kind quarantine"),
    # --- putaway ----------------------------------------------------------------------------------
    ("put_in_bin", OK, "the suggested bin for the item carried"),
    ("no_bin_suggested", WARN, "no empty bin to suggest: scan any bin"),
    ("other_bin", WARN, "not the suggested bin: scan it again to confirm"),
    ("put_away", OK, "moved into the bin"),
    ("not_in_receiving", ERROR, "fewer units waiting in receiving than scanned"),
    ("not_in_quarantine", ERROR, "fewer units in quarantine than scanned"),
    ("release_started", OK, "a quarantine release by a supervisor starts"),
    ("release_finished", OK, "`CMD-DONE` or `CMD-CANCEL`: the quarantine release ends"),
    ("release_cancelled", WARN, "no supervisor's badge: no quarantine release"),
    ("putaway_cancelled", WARN, "`CMD-CANCEL`: what was carried is not put away, nothing moved"),
    # --- count ------------------------------------------------------------------------------------
    ("count_opened", OK, "a count sheet's number: the count is on the bench"),
    ("bin_opened", OK, "a bin of the open count"),
    ("bin_already_open", WARN, "the open bin scanned again"),
    ("item_counted", OK, "an item: the counter's running count of that SKU in this bin"),
    ("bin_counted", OK, "`CMD-DONE`: the bin's counts are saved"),
    ("count_progress", OK, "`CMD-DONE` with no bin open: the count's progress"),
    ("bin_empty", OK, "`CMD-EMPTY`: the bin is confirmed empty"),
    ("already_counted", WARN, "the bin was counted already: `CMD-RECOUNT` opens it again"),
    ("recount_started", WARN, "`CMD-RECOUNT` in an open bin: its items start from zero"),
    ("recount_same_counter", ERROR, "a line beyond tolerance must be recounted by another counter"),
    ("nothing_to_recount", WARN, "`CMD-RECOUNT` with no bin to recount"),
    ("bin_left", WARN, "`CMD-CANCEL`: the open bin is left without saving"),
    ("nothing_to_cancel", WARN, "`CMD-CANCEL` with no bin open"),
    ("approval_cancelled", WARN, "`CMD-CANCEL` instead of the supervisor's badge"),
    ("count_approved", OK, "a supervisor's badge: adjustments posted"),
    ("recount_pending", ERROR, "the count cannot be approved: lines wait for a recount"),
    ("bins_not_counted", ERROR, "the count cannot be approved: bins not counted yet"),
    ("already_decided", ERROR, "the count's lines were approved or rejected already"),
    ("bin_not_empty", ERROR, "`CMD-EMPTY` after items were counted"),
    ("bin_not_counted", ERROR, "`CMD-DONE` with nothing counted in the bin"),
    ("bin_not_in_count", ERROR, "the bin is not in the open count"),
    ("bin_decided", ERROR, "a supervisor has decided lines of this bin already"),
    ("no_open_count", ERROR, "no open count holds the bin"),
    ("scan_bin_first", ERROR, "an item before a bin"),
    ("not_in_count", WARN, "a SKU outside a SKU count: not counted"),
    ("count_closed", ERROR, "the count is closed"),
    ("unknown_count", ERROR, "no such count"),
    ("no_count", WARN, "no count on the bench: scan a count sheet or a bin"),
    ("nothing_to_approve", ERROR, "`CMD-APPROVE` with no count on the bench"),
    # --- returns ----------------------------------------------------------------------------------
    ("return_matched", OK, "the parcel's order is known; details list the order's lines"),
    ("parcel_opened", WARN, "not registered: scan the return slip or enter the note"),
    ("confident_match", OK, "the note's candidates, the top one certain: `CMD-CONFIRM` takes it"),
    ("candidates_found", WARN, "the note's candidates, none certain: scan or type the right order number"),
    ("no_candidate", WARN, "no order fits the note: `CMD-DONE` shelves the parcel"),
    ("no_candidate_to_confirm", ERROR, "`CMD-CONFIRM` before a note found any candidate"),
    ("parcel_unidentified", WARN, "shelved under its tag number; the note is kept"),
    ("cod_refused", ERROR, "freight collect: the parcel is refused whole"),
    ("note_saved", OK, "a note for a return whose order is known already: kept with it"),
    ("item_noted", OK, "an item before the order is known: used as a clue"),
    ("item_accepted", OK, "the policy accepts the item (also after `COND:` or `REASON:`)"),
    ("item_refused", WARN, "the policy refuses the item (also after `COND:` or `REASON:`)"),
    ("policy_overridden", OK, "a supervisor's badge overrode the policy on the item"),
    ("override_cancelled", WARN, "`CMD-CANCEL` instead of the supervisor's badge"),
    ("item_restocked", OK, "the item is back in a bin"),
    ("item_quarantined", WARN, "the item went to quarantine"),
    ("item_scrapped", WARN, "the item was written off to scrap"),
    ("return_received", OK, "`CMD-DONE`: the return is received; the receipt prints"),
    ("exchange_noted", OK, "`EXCHANGE:SKU` taken"),
    ("packing_trail", OK, "`TRAIL:`: the order's pack-bench scans"),
    ("no_trail", WARN, "`TRAIL:`: the order was not packed at a Station bench"),
    ("already_received", ERROR, "the parcel or receipt was received or refused already"),
    ("already_returned", ERROR, "every unit of that SKU in the order came back already"),
    ("already_disposed", ERROR, "the item was put away already"),
    ("items_scanned", ERROR, "items of this parcel were received already"),
    ("order_not_shipped", ERROR, "the order has not shipped: it cannot come back"),
    ("no_returns_location", ERROR, "there is no location of kind returns"),
    ("not_in_order", ERROR, "the item is not in the matched order"),
    ("policy_refused", ERROR, "a refused item scanned to a bin"),
    ("not_a_return_location", ERROR, "a location that is no bin, quarantine or scrap location"),
    ("not_disposed", ERROR, "`CMD-DONE` while an item has no place: the first of them waits for its place"),
    ("item_waiting_place", WARN, "an item of this parcel without a place scanned again: it waits for its place"),
    ("nothing_received", ERROR, "`CMD-DONE` before any item"),
    ("choose_candidate", ERROR, "`CMD-CONFIRM` while the candidates are too close"),
    ("not_a_candidate", ERROR, "an order number that is not one of the candidates"),
    ("match_first", ERROR, "an item or `EXCHANGE:` before the order is known"),
    ("scan_parcel_first", ERROR, "a scan or command before the parcel"),
    ("bad_note", ERROR, "a `NOTE:` line that cannot be read"),
    ("bad_override", ERROR, "an `OVERRIDE:` line that cannot be read"),
    ("override_reason_needed", ERROR, "an override without a reason"),
    ("bad_condition", ERROR, "a `COND:` that is not a known condition"),
    ("bad_reason", ERROR, "a `REASON:` that is not a known reason"),
    ("no_ship_date", ERROR, "the order has neither a delivered nor a ship date: the policy cannot decide"),
    ("supervisor_needed", ERROR, "only a supervisor can override the return policy"),
    ("bad_postage", ERROR, "postage is paid by the shop or the buyer"),
)

# Codes no longer given, and what is given instead (docs/replay.md, "Renamed codes"; the codes
# split there whose old name stayed at one of its levels are not listed).
RENAMED: dict[str, str] = {
    "qty_keyed": "quantity_keyed",
    "finish_bin_first": "finish_first",
    "supervisor_badge_needed": "scan_supervisor_badge",
    "not_for_counting": "wrong_bench",
    "internal_error": "station_error",
    "item_inspected": "item_accepted / item_refused",
    "quality_checked": "quality_passed / quality_failed",
}


def _register(rows: tuple[tuple[str, Level, str], ...]) -> dict[str, OutcomeCode]:
    codes: dict[str, OutcomeCode] = {}
    for code, level, meaning in rows:
        if code in codes:
            raise ValueError(f"outcome code {code!r} registered twice")
        codes[code] = OutcomeCode(code, level, meaning)
    return codes


OUTCOMES: dict[str, OutcomeCode] = _register(_CODES)


class UnregisteredOutcome(AssertionError):
    """A code that is not in the registry, or given at another level than registered (a bug)."""


def strict() -> bool:
    return os.environ.get("STATION_STRICT_OUTCOMES") == "1" or sys.flags.dev_mode


VIOLATIONS: list[str] = []  # what strict checks found, for the tests to fail on
_logged: set[str] = set()


def check(code: str, level: Level) -> None:
    """Refuse (strict) or log once (otherwise) a code not registered, or at another level."""
    known = OUTCOMES.get(code)
    if known is not None and known.level == level:
        return
    problem = (f"outcome code {code!r} is not registered in station.workflows.outcomes" if known is None
               else f"outcome code {code!r} is registered as {known.level}, given as {level}")
    if strict():
        VIOLATIONS.append(problem)
        raise UnregisteredOutcome(problem)
    if problem not in _logged:
        _logged.add(problem)
        log.error("%s", problem)


def markdown_table() -> str:
    """docs/replay.md's table of every outcome code, alphabetical."""
    rows = ["| code | level | meaning |", "|---|---|---|"]
    rows += [f"| `{c.code}` | {c.level} | {c.meaning} |" for c in sorted(OUTCOMES.values(), key=lambda c: c.code)]
    return "\n".join(rows) + "\n"

