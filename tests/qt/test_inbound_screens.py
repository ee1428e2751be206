"""The receive and put-away screens: a PO received by scanner, part of a line failed into quarantine,
the rest put away — read off the screens as the receiving clerk sees them.

One test drives the real main window with scanner bursts; the others drive the screens' scan
handler and read banner, colours, tables and labels.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from station.db import unit_of_work
from station.demo import ean13
from station.inbound.models import PurchaseOrder, PurchaseOrderLine
from station.inventory import ledger
from station.ui.benches import PutawayScreen, ReceiveScreen, screen_class
from station.ui.widgets.banner import COLOURS
from station.ui.widgets.receipt_lines import EXPECTED, OUTSTANDING, QUARANTINED, RECEIVED, SKU
from station.workflows.runner import BenchRunner
from tests.support import factories as f

CLERK, CLERK_BADGE = "李娜", "U-1002"
BOSS, BOSS_BADGE = "刘洋", "U-1004"
SHIRT, NOTEBOOK, PEN = ean13(1), ean13(2), ean13(3)
GS = "\x1d"
CARTON = f"020{NOTEBOOK}3724{GS}10NB2611{GS}17280630"  # GS1-128: 24 notebooks, batch NB2611, expiry 2028-06-30
RED, GREEN, AMBER = COLOURS["error"][0], COLOURS["ok"][0], COLOURS["warn"][0]


@pytest.fixture
def warehouse(sessions):
    """李娜 the receiving clerk, 刘洋 the supervisor; T-shirts living in A-01-01-01, notebooks and pens new;
    PO-1 from 杭州织造有限公司 for 10 T-shirts and 24 notebooks."""
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        f.user(s, CLERK, CLERK_BADGE, "receiver")
        f.user(s, BOSS, BOSS_BADGE, "supervisor")
        shirt = f.product(s, "TS01-RD-S", SHIRT, name="纯棉圆领T恤", name_en="Cotton crew-neck T-shirt",
                          colour="红色", size="S", style="TS01")
        book = f.product(s, "NB-001", NOTEBOOK, name="A5线圈笔记本", name_en="A5 spiral notebook", style="NB")
        f.product(s, "PN-001", PEN, name="中性笔", name_en="Gel pen", style="PN")
        f.location(s, "RECV-01", "receiving", "IN")
        f.location(s, "QC-01", "quarantine", "QC")
        for code in ("A-01-01-01", "A-01-01-02", "B-01-01-01"):
            f.location(s, code, "stock", code[0])
        ledger.move(s, ledger.Move("TS01-RD-S", 5, "ADJUSTMENT", "A-01-01-01", "opening"))
        po = PurchaseOrder(po_no="PO-1", supplier="杭州织造有限公司", status="open",
                           created_at=datetime.now(timezone.utc))
        s.add(po)
        s.flush()
        s.add_all([PurchaseOrderLine(po_id=po.id, product_id=shirt.id, qty=10),
                   PurchaseOrderLine(po_id=po.id, product_id=book.id, qty=24)])
        s.commit()
    return sessions


def make_screen(qtbot, sessions, cls, bench):
    screen = cls(BenchRunner(sessions, bench, "dock-1"))
    qtbot.addWidget(screen)
    screen.resize(1280, 760)
    screen.show()
    qtbot.waitExposed(screen)
    assert screen.handle_scan(CLERK_BADGE).code == "logged_in"
    return screen


@pytest.fixture
def receive(qtbot, warehouse) -> ReceiveScreen:
    return make_screen(qtbot, warehouse, ReceiveScreen, "receive")


def burst(qtbot, widget, raw: str) -> None:
    """What a USB scanner types: the characters fast, GS as Ctrl+] (as many scanners send it), then Enter."""
    for n, part in enumerate(raw.split(GS)):
        if n:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_BracketRight,
                                                         Qt.KeyboardModifier.ControlModifier, ""))
        qtbot.keyClicks(widget, part)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def scan(screen, *raws: str) -> list[str]:
    return [screen.handle_scan(raw).code for raw in raws]


def table(screen: ReceiveScreen) -> dict[str, tuple[str, str, str, str]]:
    m = screen.lines_model
    return {m.index(r, SKU).data(): tuple(m.index(r, c).data() for c in (EXPECTED, RECEIVED, OUTSTANDING, QUARANTINED))
            for r in range(m.rowCount())}


def on_hand(sessions, sku: str, location: str) -> int:
    with unit_of_work(sessions) as s:
        return ledger.on_hand(s, sku, location)


def test_a_po_received_by_scanner_bursts_then_part_of_a_line_quarantined_and_the_rest_put_away(
        qtbot, make_window, warehouse):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, getattr(Qt.Key, f"Key_F{window.bench_names.index('receive') + 1}"))
    assert window.current == "receive" and type(window.screen) is ReceiveScreen is screen_class("receive")
    for raw, code in ((CLERK_BADGE, "logged_in"), ("PO-1", "receipt_opened"), (SHIRT, "item_received"),
                      (CARTON, "item_received")):
        with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o, c=code: o.code == c):
            burst(qtbot, window, raw)
    screen = window.screen
    assert screen.receipt_label.text() == "PO PO-1 · 杭州织造有限公司 · RCV-000001"
    assert table(screen) == {"TS01-RD-S": ("10", "1", "9", "0"), "NB-001": ("24", "24", "0", "0")}
    assert "Batch NB2611, expiry 2028-06-30" in screen.banner.details

    assert [window.handle_scan(raw).code for raw in ("QTY:8", SHIRT, "CMD-DONE")] == [
        "quantity_keyed", "item_received", "receipt_closed_variance"]
    assert screen.banner.background().name() == AMBER and "Short: TS01-RD-S -1" in screen.banner.details
    assert screen.qc_box.isVisible() and screen.receipt_label.text() == "Receipt RCV-000001 closed: quality check"

    screen.qc_sku.setText("NB-001")
    screen.qc_failed.setValue(4)
    screen.qc_reason.setText("封面破损 torn covers")
    with qtbot.waitSignal(screen.outcome_shown, check_params_cb=lambda o: o.code == "quality_failed"):
        qtbot.keyClick(screen.qc_reason, Qt.Key.Key_Return)
    assert screen.banner.message == "NB-001: 4 to quarantine, 20 accepted"
    assert table(screen)["NB-001"] == ("24", "24", "0", "4")
    assert (on_hand(warehouse, "NB-001", "RECV-01"), on_hand(warehouse, "NB-001", "QC-01")) == (20, 4)

    window.switch_to("putaway")
    putaway = window.screen
    assert type(putaway) is PutawayScreen
    assert [window.handle_scan(raw).code for raw in ("QTY:20", NOTEBOOK)] == ["quantity_keyed", "put_in_bin"]
    assert putaway.item_label.text().startswith("NB-001 ×20") and putaway.bin_label.text() == "→ A-01-01-02"
    assert window.handle_scan("A-01-01-02").code == "put_away"
    assert putaway.last_label.text() == "Last: NB-001 ×20 in A-01-01-02"
    assert [window.handle_scan(raw).code for raw in ("QTY:9", SHIRT)] == ["quantity_keyed", "put_in_bin"]
    assert putaway.bin_label.text() == "→ A-01-01-01"  # where the T-shirts already live
    assert window.handle_scan("B-01-01-01").code == "other_bin"
    assert putaway.banner.background().name() == AMBER
    assert putaway.next_label.text() == "Next: Scan B-01-01-01 again to confirm"
    assert window.handle_scan("B-01-01-01").code == "put_away"
    assert [on_hand(warehouse, sku, "RECV-01") for sku in ("NB-001", "TS01-RD-S")] == [0, 0]
    assert (on_hand(warehouse, "NB-001", "A-01-01-02"), on_hand(warehouse, "TS01-RD-S", "B-01-01-01")) == (20, 9)
    assert on_hand(warehouse, "NB-001", "QC-01") == 4
    with unit_of_work(warehouse) as s:
        assert ledger.verify(s) == []


@pytest.mark.parametrize("scans, code", [
    (["QTY:11", SHIRT], "over_tolerance"),
    ([PEN], "not_on_po"),
])
def test_a_held_error_stays_red_until_a_supervisors_badge_lets_the_units_in(receive, scans, code):
    assert scan(receive, "PO-1", *scans)[-1] == code
    assert receive.banner.background().name() == RED
    assert receive.banner.action == "Supervisor: scan your badge · CONFIRM: set the item aside"
    assert scan(receive, SHIRT) == ["acknowledge_first"]
    assert receive.banner.background().name() == RED and receive.banner.code == code
    assert scan(receive, CLERK_BADGE) == ["supervisor_required"]
    assert receive.banner.code == code
    assert scan(receive, BOSS_BADGE) == ["supervisor_approved"]
    assert receive.runner.user == CLERK  # the badge approved, it did not log 刘洋 in
    assert receive.banner.background().name() == GREEN and "Let in by 刘洋" in receive.banner.details
    sku = "TS01-RD-S" if code == "over_tolerance" else "PN-001"
    assert table(receive)[sku][1] == ("11" if code == "over_tolerance" else "1")


def test_an_unknown_barcode_is_linked_by_the_supervisor_and_counted(receive):
    assert scan(receive, "PO-1", f"0107032069804988100329{GS}15210526") == ["receipt_opened", "unknown_barcode"]
    assert receive.banner.background().name() == RED
    assert scan(receive, BOSS_BADGE, "TS01-RD-S") == ["link_scan_sku", "barcode_linked"]
    assert table(receive)["TS01-RD-S"] == ("10", "1", "9", "0")
    assert scan(receive, "07032069804988") == ["item_received"]  # the linked GTIN now reads as the T-shirt


def test_a_quarantine_release_needs_a_supervisor_at_the_putaway_screen(qtbot, warehouse):
    with unit_of_work(warehouse) as s:
        ledger.move(s, ledger.Move("NB-001", 3, "ADJUSTMENT", "QC-01", "opening"))
        s.commit()
    screen = make_screen(qtbot, warehouse, PutawayScreen, "putaway")
    assert scan(screen, "QC-01") == ["supervisor_required"]
    assert screen.next_label.text() == "Next: Supervisor: scan your badge"
    assert scan(screen, BOSS_BADGE) == ["release_started"]
    assert screen.release_box.isVisible() and screen.runner.user == CLERK
    assert scan(screen, "QTY:3", NOTEBOOK, "A-01-01-02", "CMD-DONE") == [
        "quantity_keyed", "put_in_bin", "put_away", "release_finished"]
    assert on_hand(warehouse, "NB-001", "A-01-01-02") == 3 and not screen.release_box.isVisible()


def test_any_error_at_the_benches_stays_red_until_confirm_and_counts_nothing_meanwhile(qtbot, receive, warehouse):
    assert scan(receive, "PO-1", "6900000000005") == ["receipt_opened", "bad_check_digit"]
    assert scan(receive, SHIRT) == ["acknowledge_first"]
    assert receive.banner.background().name() == RED and receive.banner.code == "bad_check_digit"
    assert receive.banner.action == "Scan CONFIRM to continue"
    assert table(receive)["TS01-RD-S"][1] == "0"
    assert scan(receive, "CMD-CONFIRM", SHIRT) == ["error_acknowledged", "item_received"]
    assert receive.banner.background().name() == GREEN

    putaway = make_screen(qtbot, warehouse, PutawayScreen, "putaway")
    assert scan(putaway, "A-01-01-01", SHIRT) == ["scan_item_first", "acknowledge_first"]
    assert putaway.banner.code == "scan_item_first" and putaway.banner.background().name() == RED
    assert putaway.next_label.text() == "Next: Scan CONFIRM to continue"
    assert scan(putaway, "CMD-CONFIRM", SHIRT) == ["error_acknowledged", "put_in_bin"]
