"""The receive bench as a pure state machine, driven through a fake port (no database)."""
from __future__ import annotations

from dataclasses import dataclass, field

from station.scanning import ScanKind
from station.workflows.receive import (ClosedLine, Item, Line, NotReceived, ReceiptFacts, ReceiveState, Received,
                                       step)
from tests.support.machines import Badges, driver, scanner

SHIRT, PENS_CASE, STRANGER = "6900000000011", "16900000000066", "0590123412345"


@dataclass
class FakeReceivePort(Badges):
    """PO-1 expects 10 shirts and 24 pens; tolerance 10 %; 刘洋 is a supervisor."""
    lines_of: dict = field(default_factory=lambda: {"TS01-RD-S": Line("TS01-RD-S", "T恤 红 S", 10, 0, True, 1),
                                                    "PN-001": Line("PN-001", "笔", 24, 0, True, 2)})
    catalog: dict = field(default_factory=lambda: {SHIRT: Item("TS01-RD-S", "T恤 红 S"),
                                                   PENS_CASE: Item("PN-001", "笔", 12),
                                                   "TS01-RD-S": Item("TS01-RD-S", "T恤 红 S"),
                                                   "TS01-RD-M": Item("TS01-RD-M", "T恤 红 M"),
                                                   "HD01-BK-L": Item("HD01-BK-L", "卫衣 黑 L")})
    linked: dict = field(default_factory=dict)
    booked: list = field(default_factory=list)
    closed_elsewhere: bool = False
    asked: list = field(default_factory=list)

    def product(self, scan):
        return self.catalog.get(scan.value) or self.catalog.get(self.linked.get(scan.value))

    product_now = product

    def product_by_sku(self, sku):
        return next(i for i in self.catalog.values() if i.sku == sku)

    def po_or_receipt_exists(self, key):
        return key in ("PO-1", "RCV-1")

    def open_receipt(self, key):
        return ReceiptFacts("RCV-1", "open", "PO-1", "杭州织造", None, 7, "RECV-01") if key == "PO-1" else None

    def lines(self, receipt_id):
        return list(self.lines_of.values())

    def tolerance_pct(self):
        return 10

    def line_received(self, line_id):
        return next(l.received for l in self.lines_of.values() if l.id == line_id)

    def receive(self, receipt, sku, qty, *, batch, expiry, approved_by, line_id, limit):
        if self.closed_elsewhere:
            return NotReceived("receipt_already_closed", "Receipt RCV-1 is closed")
        line = self.lines_of.get(sku) or Line(sku, sku, 0, 0, False, 9)
        self.lines_of[sku] = Line(line.sku, line.name, line.expected, line.received + qty, line.on_po, line.id)
        self.booked.append((sku, qty, batch, expiry, approved_by))
        return Received(line.id, line.received + qty)

    def link_barcode(self, barcode, sku):
        self.linked[barcode] = sku

    def close(self, receipt_no):
        return [ClosedLine(l.sku, l.name, l.expected, l.received, 0, max(l.expected - l.received, 0),
                           max(l.received - l.expected, 0)) for l in self.lines_of.values()]

    def take_back(self, receipt_no, sku, qty, batch, expiry):
        self.asked.append(("take_back", sku, qty))

    def reprint_note(self, receipt_no):
        self.asked.append(("note", receipt_no))

    def labels_per_case(self):
        return False

    def print_labels(self, sku, qty, cases):
        self.asked.append(("labels", sku, qty, cases))

    label_skus: tuple = ()  # products marked "needs labels"
    label_suppliers: tuple = ()

    def quarantine(self, receipt_no, sku, qty, reason):
        line = self.lines_of.get(sku)
        failed = sum(q for (r, s, q, _why) in self.quarantined if s == sku) + qty
        if line is None or failed > line.received:
            return NotReceived("bad_quantity", f"{sku}: {failed} failed but {line.received if line else 0} received")
        self.quarantined.append((receipt_no, sku, qty, reason))
        return failed, line.received

    quarantined: list = field(default_factory=list)

    def open_blind(self, sku):
        self.asked.append(("open_blind", sku))
        return ReceiptFacts("RCV-2", "open", None, "杭州织造", "CMD-BLIND", 8, "RECV-01")

    def needs_labels(self, sku, supplier):
        return sku in self.label_skus or supplier in self.label_suppliers


scan = scanner()
run = driver(step, ReceiveState, scan)


def test_a_delivery_is_booked_as_scanned_and_done_lists_what_is_short():
    port = FakeReceivePort()
    state, codes = run(port, SHIRT, "PO-1", SHIRT, "QTY:9", "TS01-RD-S", PENS_CASE, "CMD-DONE")
    assert codes == ["scan_po_first", "receipt_opened", "item_received", "quantity_keyed", "item_received",
                     "item_received", "receipt_closed_variance"]
    assert port.booked == [("TS01-RD-S", 1, None, None, None), ("TS01-RD-S", 9, None, None, None),
                           ("PN-001", 12, None, None, None)]
    assert state.to_dict() == {"receipt": None, "last_receipt": "RCV-1", "last_lines": [
        {"sku": "TS01-RD-S", "name": "T恤 红 S", "expected": 10, "received": 10, "quarantined": 0},
        {"sku": "PN-001", "name": "笔", "expected": 24, "received": 12, "quarantined": 0}]}


def test_over_the_tolerance_waits_for_a_supervisors_badge_who_lets_the_units_in():
    port = FakeReceivePort()
    state, codes = run(port, "PO-1", "QTY:12", SHIRT, "U-1005", "U-1004")
    assert codes == ["receipt_opened", "quantity_keyed", "over_tolerance", "supervisor_required", "supervisor_approved"]
    assert port.booked == [("TS01-RD-S", 12, None, None, "刘洋")] and state.pending is None


def test_an_unknown_barcode_is_linked_by_a_supervisor_to_the_sku_label_and_counted():
    port = FakeReceivePort()
    state, codes = run(port, "PO-1", STRANGER, "U-1004", "HD01-BK-L")
    assert codes == ["receipt_opened", "unknown_barcode", "link_scan_sku", "barcode_linked"]
    assert port.linked == {STRANGER: "HD01-BK-L"} and port.booked == [("HD01-BK-L", 1, None, None, "刘洋")]


def test_an_item_not_on_the_po_set_aside_is_not_taken_back_by_undo_and_the_next_undo_takes_the_last_scan():
    port = FakeReceivePort()
    state, codes = run(port, "PO-1", SHIRT, "TS01-RD-M", "CMD-CONFIRM", "CMD-UNDO", "CMD-UNDO")
    assert codes == ["receipt_opened", "item_received", "not_on_po", "set_aside", "nothing_to_undo", "undone"]
    assert port.asked == [("take_back", "TS01-RD-S", 1)] and state.line("TS01-RD-S").received == 0


def test_the_pending_error_keeps_its_keys_in_order_with_the_refused_scan():
    port = FakeReceivePort()
    state, _ = run(port, "PO-1", "TS01-RD-M")
    assert state.to_dict()["pending"] == {"code": "not_on_po", "message": state.pending.message, "sku": "TS01-RD-M",
                                          "qty": 1, "batch": None, "expiry": None, "cases": 0, "scan": "TS01-RD-M"}
    assert ReceiveState.from_dict(state.to_dict()) == state


def test_a_receipt_closed_at_another_station_takes_no_more_units_and_reprint_then_gives_its_note():
    port = FakeReceivePort()
    state, _ = run(port, "PO-1")
    port.closed_elsewhere = True
    state, codes = run(port, SHIRT, "CMD-REPRINT", state=state)
    assert codes == ["receipt_already_closed", "note_reprinted"]
    assert state.to_dict() == {"receipt": None, "last_receipt": "RCV-1"} and port.asked == [("note", "RCV-1")]


def test_reprint_prints_a_label_per_unit_of_the_last_scan():
    port = FakeReceivePort()
    _state, codes = run(port, "PO-1", "CMD-REPRINT", "QTY:3", SHIRT, "CMD-REPRINT")
    assert codes == ["receipt_opened", "nothing_to_reprint", "quantity_keyed", "item_received", "labels_printed"]
    assert port.asked == [("labels", "TS01-RD-S", 3, None)]


def test_a_product_marked_needs_labels_gets_its_labels_as_it_is_received_and_others_do_not():
    port = FakeReceivePort(label_skus=("TS01-RD-S",))
    state, codes = run(port, "PO-1", SHIRT, PENS_CASE)
    assert codes == ["receipt_opened", "item_received", "item_received"]
    assert [a for a in port.asked if a[0] == "labels"] == [("labels", "TS01-RD-S", 1, None)]


def test_a_supplier_marked_needs_labels_gets_labels_for_every_scan_per_unit_or_per_case():
    port = FakeReceivePort(label_suppliers=("杭州织造",))
    port.labels_per_case = lambda: True
    done = step(run(port, "PO-1")[0], scan(PENS_CASE), port)
    assert done.outcome.code == "item_received" and "1 labels printing: stick one on each" in done.outcome.details
    assert port.asked == [("labels", "PN-001", 12, 1)]


def test_a_blind_receipt_opens_by_command_and_its_first_item_counts_without_a_po():
    port = FakeReceivePort()
    state, codes = run(port, "CMD-BLIND", "TS01-RD-M", SHIRT, "CMD-DONE")
    assert codes == ["blind_receipt_started", "item_received", "item_received", "receipt_closed_variance"]
    assert port.asked[0] == ("open_blind", "TS01-RD-M")
    assert [b[:2] for b in port.booked] == [("TS01-RD-M", 1), ("TS01-RD-S", 1)]  # not on any PO: no supervisor asked


def test_the_first_item_of_a_blind_receipt_says_which_receipt_it_opened():
    port = FakeReceivePort()
    state = run(port, "CMD-BLIND")[0]
    done = step(state, scan("TS01-RD-M"), port)
    assert done.outcome.details[0].startswith("Blind receipt RCV-2 from 杭州织造")
    assert (done.state.receipt, done.state.blind, done.state.has("blind_next")) == ("RCV-2", True, False)


def test_cancel_after_blind_goes_back_to_waiting_for_a_po():
    state, codes = run(FakeReceivePort(), "CMD-BLIND", "CMD-CANCEL", "TS01-RD-M")
    assert codes == ["blind_receipt_started", "blind_receipt_cancelled", "scan_po_first"]


def test_the_quality_check_by_scan_a_reason_code_then_each_failed_unit_to_quarantine():
    port = FakeReceivePort()
    state, codes = run(port, "PO-1", SHIRT, SHIRT, SHIRT, "CMD-DONE", "QC:damaged", SHIRT, SHIRT, "CMD-DONE")
    assert codes[-5:] == ["receipt_closed_variance", "qc_reason_set", "unit_quarantined", "unit_quarantined",
                          "qc_finished"]
    assert port.quarantined == [("RCV-1", "TS01-RD-S", 1, "damaged"), ("RCV-1", "TS01-RD-S", 1, "damaged")]
    assert not state.has("qc_reason")
    assert {l.sku: l.quarantined for l in state.last_lines}["TS01-RD-S"] == 2  # the screen's table shows it


def test_more_failed_units_than_received_is_refused_and_an_unknown_reason_code_too():
    port = FakeReceivePort()
    state, codes = run(port, "PO-1", SHIRT, "QC:mouldy", "CMD-CONFIRM", "QC:stained", SHIRT, SHIRT, "CMD-CONFIRM",
                       "CMD-DONE", "CMD-DONE")
    assert codes == ["receipt_opened", "item_received", "unknown_qc_reason", "error_acknowledged", "qc_reason_set",
                     "unit_quarantined", "bad_quantity", "error_acknowledged", "qc_finished", "receipt_closed_variance"]
    assert len(port.quarantined) == 1


def test_a_quality_check_needs_a_receipt():
    assert run(FakeReceivePort(), "QC:damaged")[1] == ["scan_po_first"]


def test_an_unknown_barcode_in_the_quality_check_is_set_aside_not_linked_and_counted_in():
    """Found by the dead-end walk: as unknown_barcode it waited for a supervisor's badge, then counted nothing known."""
    port = FakeReceivePort()
    state, codes = run(port, "PO-1", SHIRT, "QC:damaged", STRANGER, "U-1004", "CMD-CONFIRM", SHIRT)
    assert codes == ["receipt_opened", "item_received", "qc_reason_set", "not_on_receipt", "acknowledge_first",
                     "error_acknowledged", "unit_quarantined"]
    assert [b[0] for b in port.booked] == ["TS01-RD-S"]
