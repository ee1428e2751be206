"""The returns bench as a pure state machine, driven through a fake port (no database)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from station.scanning import ScanKind
from station.workflows.returns import (Candidate, Item, Matched, Matches, Receipt, Refused, ReturnsState, step)
from tests.support.machines import driver, scanner

SHIRT, HOODIE = "6900000000011", "6900000000028"


@dataclass
class FakeReturnsPort:
    """YT1 is registered for order R1 (a shirt, quality: accepted); YT2 is not; a note names 王芳 (order R3)."""
    receipts: dict = field(default_factory=dict)
    orders: dict = field(default_factory=lambda: {"R1": ("张伟", (("TS01-RD-M", 1),)),
                                                  "R3": ("王芳", (("HD01-BK-L", 1),))})
    matched_to: dict = field(default_factory=dict)
    next_id: int = 1
    asked: list = field(default_factory=list)

    def all_or_nothing(self, work):
        kept = {k: replace(v) for k, v in self.receipts.items()}
        try:
            return work()
        except Refused:
            self.receipts = kept
            raise

    def _new(self, tracking):
        number = f"RR-{len(self.receipts) + 1:06d}"
        self.receipts[number] = Receipt(number, "open", tracking, None)
        return self.receipts[number]

    def receipt(self, receipt_no):
        return self.receipts.get(receipt_no)

    def open_parcel(self, tracking):
        for r in self.receipts.values():
            if r.tracking == tracking:
                if r.status == "received":
                    raise Refused("already_received", f"Parcel {tracking} was received already")
                return r, "resumed"
        receipt = self._new(tracking)
        if tracking == "YT1":
            self.matched_to[receipt.receipt_no] = "R1"
            self.receipts[receipt.receipt_no] = replace(receipt, status="matched")
            return self.receipts[receipt.receipt_no], "registered"
        return receipt, "opened"

    def open_without_tracking(self):
        return self._new(None)

    def reopen_unidentified(self, receipt_no):
        self.receipts[receipt_no] = replace(self.receipts[receipt_no], status="open")

    def is_product(self, scan):
        return scan.value in (SHIRT, HOODIE)

    def product_sku(self, scan):
        return {SHIRT: "TS01-RD-M", HOODIE: "HD01-BK-L"}.get(scan.value)

    def is_return_receipt(self, number):
        return number in self.receipts

    def matched(self, receipt_no):
        order = self.matched_to[receipt_no]
        return Matched(order, self.orders[order][0], "refund", "quality" if order == "R1" else None,
                       self.orders[order][1])

    def confirm(self, receipt_no, order_nos, how):
        order = next((o for o in order_nos if o in self.orders), None)
        if order is None:
            return False
        self.matched_to[receipt_no] = order
        self.receipts[receipt_no] = replace(self.receipts[receipt_no], status="matched")
        return True

    def add_item(self, receipt_no, sku, reason):
        receipt = self.receipts[receipt_no]
        if any(i.sku == sku for i in receipt.items):
            raise Refused("already_returned", f"{sku}: every unit ordered is already returned")
        item = Item(self.next_id, sku, reason == "quality", "defect_accepted" if reason == "quality" else "sale",
                    "Accepted: quality problem" if reason == "quality" else "Refused: sale", "shop", "", None, None,
                    None)
        self.next_id += 1
        self.receipts[receipt_no] = replace(receipt, items=(*receipt.items, item))
        return item

    def add_loose_item(self, receipt_no, barcode, reason):
        return None

    def store_note(self, receipt_no, note):
        self.receipts[receipt_no] = replace(self.receipts[receipt_no], note=note)
        return note

    def refuse_cod(self, receipt_no):
        self.asked.append(("refuse_cod", receipt_no))

    def match(self, note):
        if note.name == "王芳":
            return Matches((Candidate("R3", 60, 0.9, ("name: exact",)),), True)
        return Matches((), False)

    def dispose(self, item_id, location):
        for number, r in self.receipts.items():
            for i in r.items:
                if i.id == item_id:
                    if location.startswith("A-") and not i.accepted:
                        raise Refused("policy_refused", f"{i.sku} was refused: it cannot go back in stock")
                    done = replace(i, disposition="restock" if location.startswith("A-") else "quarantine",
                                   location=location)
                    self.receipts[number] = replace(r, items=tuple(done if x.id == item_id else x for x in r.items))
                    return done.disposition
        raise AssertionError(item_id)

    def inspect(self, item_id, condition=None, reason=None):
        self.asked.append(("inspect", item_id, condition, reason))

    def override(self, item_id, badge, accept, reason):
        return ("Tom", "Tom may not") if badge != "U-1004" else ("刘洋", None)

    def exchange_for(self, receipt_no, sku):
        self.asked.append(("exchange", sku))

    def trail(self, key):
        return ("R1", ["12-03 10:00:00 pack-1 张伟 PS:R1 → order_opened"]) if key == "R1" else (None, [])

    def shelve_unidentified(self, receipt_no, loose):
        self.receipts[receipt_no] = replace(self.receipts[receipt_no], status="unidentified", shelved=tuple(loose))
        return "RET-SHELF"

    def remove_item(self, receipt_no, item_id):
        r = self.receipts[receipt_no]
        self.receipts[receipt_no] = replace(r, items=tuple(i for i in r.items if i.id != item_id))

    def close(self, receipt_no, exchange_skus):
        self.receipts[receipt_no] = replace(self.receipts[receipt_no], status="received")
        return "R1-EX1" if exchange_skus else None


scan = scanner(("YT", ScanKind.TRACKING), (("A-", "QC-"), ScanKind.LOCATION), ("RS:", ScanKind.RETURN_SLIP, True))
run = driver(step, ReturnsState, scan)


def test_a_registered_return_is_matched_received_and_the_same_parcel_is_refused_after():
    port = FakeReturnsPort()
    state, codes = run(port, "YT1", SHIRT, "A-01-01-01", "CMD-DONE", "YT1")
    assert codes == ["return_matched", "item_accepted", "item_restocked", "return_received", "already_received"]
    assert state.to_dict() == {"receipt": None, "last_receipt": "RR-000001"}


def test_a_refused_item_cannot_go_to_a_bin_and_the_refusal_changes_nothing_until_confirmed():
    port = FakeReturnsPort()
    state, _ = run(port, "YT2", "RS:R3", HOODIE)
    state, codes = run(port, "A-01-01-01", "QC-01", "CMD-CONFIRM", "QC-01", state=state)
    assert codes == ["policy_refused", "acknowledge_first", "error_acknowledged", "item_quarantined"]
    assert state.items[0].disposition == "quarantine" and state.error is None


def test_a_note_finds_a_confident_candidate_that_confirm_takes():
    port = FakeReturnsPort()
    state, codes = run(port, "YT2", 'NOTE:{"name": "王芳", "phone": "137 0000 2222"}', "CMD-CONFIRM")
    assert codes == ["parcel_opened", "confident_match", "return_matched"]
    assert state.order == "R3" and state.candidates == () and state.note == {"name": "王芳", "phone": "137 0000 2222"}


def test_no_candidate_shelves_the_parcel_as_unidentified_and_its_tag_brings_it_back():
    port = FakeReturnsPort()
    state, codes = run(port, "YT2", 'NOTE:{"name": "孙悟空"}', "CMD-DONE", "RR-000001")
    assert codes == ["parcel_opened", "no_candidate", "parcel_unidentified", "parcel_opened"]
    assert state.receipt == "RR-000001" and port.receipts["RR-000001"].status == "open"


def test_freight_collect_is_refused_and_nothing_waits():
    port = FakeReturnsPort()
    state, codes = run(port, "YT2", 'NOTE:{"name": "钱多多", "cod": true}')
    assert codes == ["parcel_opened", "cod_refused"] and state.receipt is None and state.error is None
    assert port.asked == [("refuse_cod", "RR-000001")]


def test_an_override_needs_a_supervisors_badge():
    port = FakeReturnsPort()
    state, codes = run(port, "YT2", "RS:R3", HOODIE, 'OVERRIDE:{"accept": true, "reason": "老客户"}', "U-1005",
                       "CMD-CONFIRM", 'OVERRIDE:{"accept": true, "reason": "老客户"}', "U-1004")
    assert codes == ["parcel_opened", "return_matched", "item_refused", "scan_supervisor_badge", "not_permitted",
                     "error_acknowledged", "scan_supervisor_badge", "policy_overridden"]
    assert state.override is None


def test_undo_takes_the_item_back_but_not_after_a_refused_scan_was_confirmed():
    port = FakeReturnsPort()
    state, codes = run(port, "YT1", SHIRT, "A-01-01-01", SHIRT, "CMD-CONFIRM", "CMD-UNDO")
    assert codes == ["return_matched", "item_accepted", "item_restocked", "already_returned", "error_acknowledged",
                     "nothing_to_undo"]
    assert [i.disposition for i in state.items] == ["restock"]
    state, codes = run(port, "YT2", "RS:R3", HOODIE, "CMD-UNDO")
    assert codes[-2:] == ["item_refused", "undone"] and state.items == ()


def test_the_saved_form_keeps_its_keys_and_reads_back():
    port = FakeReturnsPort()
    state, _ = run(port, "YT2", "RS:R3", "EXCHANGE:HD01-BK-M", "TRAIL:R1")
    saved = state.to_dict()
    assert list(saved)[:13] == ["receipt", "last_receipt", "tracking", "order", "reason", "candidates", "confident",
                                "loose", "items", "current", "override", "error", "note"]
    assert list(saved)[13:] == ["type", "buyer", "exchange", "trail"] and saved["exchange"] == ["HD01-BK-M"]
    assert ReturnsState.from_dict(saved) == state


def test_a_refused_item_left_without_a_place_is_found_again_by_scanning_it():
    """The dead end of issue 17: the refused item refused by the bin, the clerk moved on to the next item;
    scanning the refused item again makes it wait for its place (it said "already returned")."""
    port = FakeReturnsPort()
    state, codes = run(port, "YT2", "RS:R3", HOODIE, "A-01-01-01", "CMD-CONFIRM", SHIRT, "QC-01", HOODIE,
                       "QC-01", "CMD-DONE")
    assert codes == ["parcel_opened", "return_matched", "item_refused", "policy_refused", "error_acknowledged",
                     "item_refused", "item_quarantined", "item_waiting_place", "item_quarantined", "return_received"]
    items = port.receipts["RR-000001"].items
    assert [(i.sku, i.disposition) for i in items] == [("HD01-BK-L", "quarantine"), ("TS01-RD-M", "quarantine")]


def test_done_with_an_item_without_a_place_says_which_and_its_place_is_the_next_scan():
    port = FakeReturnsPort()
    state, codes = run(port, "YT2", "RS:R3", HOODIE, "A-01-01-01", "CMD-CONFIRM", SHIRT, "QC-01", "CMD-DONE")
    assert codes[-1] == "not_disposed" and state.error.code == "not_disposed"
    step_done = step(state, scan("CMD-CONFIRM"), port)
    assert step_done.outcome.code == "error_acknowledged"
    state, codes = run(port, "QC-01", "CMD-DONE", state=step_done.state)
    assert codes == ["item_quarantined", "return_received"]


def test_done_names_the_item_still_to_place_and_what_to_scan():
    port = FakeReturnsPort()
    state, _codes = run(port, "YT2", "RS:R3", HOODIE)
    done = step(state, scan("CMD-DONE"), port).outcome
    assert done.code == "not_disposed" and "HD01-BK-L" in done.message
    assert any("quarantine or scrap" in d for d in done.details)
