"""The count bench screen: two bins counted by scanner bursts, a counter refused, a supervisor's badge approves."""
from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from station.db import unit_of_work
from station.inventory import count_review, counts, ledger
from station.ui.benches import CountScreen, screen_class
from station.ui.widgets.banner import COLOURS
from tests.support import factories as f

COUNTER, COUNTER_BADGE = "李娜", "U-1002"
SUPERVISOR, SUPERVISOR_BADGE = "刘洋", "U-1004"
TSHIRT, TSHIRT_EAN = "TS01-RD-M", "6912345000024"
PEN, PEN_EAN = "PN-001", "6912345001038"
RED, GREEN, AMBER = COLOURS["error"][0], COLOURS["ok"][0], COLOURS["warn"][0]


@pytest.fixture
def warehouse(sessions):
    """Replaces the conftest shop: a counter and a supervisor, two bins with T-shirts and pens, an open count."""
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        f.user(s, COUNTER, COUNTER_BADGE, "counter")
        f.user(s, SUPERVISOR, SUPERVISOR_BADGE, "supervisor;counter")
        f.product(s, TSHIRT, TSHIRT_EAN, name="纯棉圆领T恤", colour="红色", size="M", unit_cost=Decimal("39.00"))
        f.product(s, PEN, PEN_EAN, name="中性笔0.5mm", unit_cost=Decimal("1.50"))
        f.location(s, "A-01-01-01", zone="A")
        f.location(s, "A-01-01-02", zone="A")
        ledger.move(s, ledger.Move(TSHIRT, 3, "ADJUSTMENT", "A-01-01-01", "opening"))
        ledger.move(s, ledger.Move(PEN, 12, "ADJUSTMENT", "A-01-01-02", "opening"))
        counts.create_count(s, "zone", zone="A", user=SUPERVISOR)
        s.commit()
    return sessions


def burst(qtbot, window, target, raw: str, code: str) -> None:
    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == code):
        qtbot.keyClicks(target, raw)
        qtbot.keyClick(target, Qt.Key.Key_Return)


def test_two_bins_counted_by_scanner_bursts_and_approved_by_a_supervisors_badge(qtbot, make_window, warehouse):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, getattr(Qt.Key, f"Key_F{window.bench_names.index('count') + 1}"))
    screen = window.screen
    assert window.current == "count" and type(screen) is CountScreen is screen_class("count")
    note = QLineEdit()  # a focused text field must not swallow the scans
    window.statusBar().addWidget(note)
    note.setFocus()
    qtbot.waitUntil(lambda: window.focusWidget() is note)

    for raw, code in ((COUNTER_BADGE, "logged_in"), ("CNT-000001", "count_opened"), ("A-01-01-01", "bin_opened"),
                      (TSHIRT_EAN, "item_counted"), (TSHIRT_EAN, "item_counted")):
        burst(qtbot, window, note, raw, code)
    assert screen.bin_label.text() == "Bin A-01-01-01" and screen.count_label.text() == "Count CNT-000001"
    assert [screen.items_table.item(0, c).text() for c in (0, 2)] == [TSHIRT, "2"]
    assert screen.items_table.item(0, 1).text().startswith("纯棉圆领T恤")  # the line says what it is (issue 17)
    assert screen.units_label.text() == "2 units counted"
    # Never a book quantity: the three T-shirts of the books appear nowhere on the screen.
    assert "3" not in screen.units_label.text() + screen.items_table.item(0, 2).text()

    # The next bin closes the first; twelve pens: one scanned, the quantity typed on the keyboard.
    burst(qtbot, window, note, "A-01-01-02", "bin_opened")
    burst(qtbot, window, note, PEN_EAN, "item_counted")
    screen.setFocus()
    qtbot.waitUntil(lambda: window.focusWidget() is screen)
    qtbot.keyClicks(screen, "13")
    qtbot.keyClick(screen, Qt.Key.Key_Backspace)
    qtbot.keyClicks(screen, "2")
    qtbot.waitUntil(lambda: screen.keyed_label.text() == "Quantity: 12")
    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == "quantity_keyed"):
        qtbot.keyClick(screen, Qt.Key.Key_Return)
    assert [screen.items_table.item(0, c).text() for c in (0, 2)] == [PEN, "12"]
    assert screen.keyed_label.text() == ""
    burst(qtbot, window, note, "CMD-DONE", "bin_counted")
    assert screen.banner.background().name() == GREEN
    assert "2 of 2 bins counted" in " ".join(screen.banner.details)
    assert screen.bin_label.text() == "No bin open" and screen.items_table.rowCount() == 0

    # The counter's own badge is no approval: red, and it stays red until CONFIRM.
    burst(qtbot, window, note, "CMD-APPROVE", "scan_supervisor_badge")
    assert screen.banner.background().name() == AMBER
    assert screen.next_step_text() == "Supervisor: scan your badge to approve"
    burst(qtbot, window, note, COUNTER_BADGE, "not_permitted")
    assert screen.banner.background().name() == RED
    burst(qtbot, window, note, "A-01-01-01", "acknowledge_first")
    assert screen.banner.background().name() == RED and screen.banner.action == "Scan CONFIRM to continue"
    burst(qtbot, window, note, "CMD-CONFIRM", "error_acknowledged")

    burst(qtbot, window, note, "CMD-APPROVE", "scan_supervisor_badge")
    burst(qtbot, window, note, SUPERVISOR_BADGE, "count_approved")
    assert screen.banner.background().name() == GREEN
    assert "approved by 刘洋" in screen.banner.message

    with unit_of_work(warehouse) as s:
        count = counts.find_count(s, "CNT-000001")
        assert count.status == "closed" and count.closed_by == SUPERVISOR
        assert ledger.on_hand(s, TSHIRT, "A-01-01-01") == 2  # one T-shirt lost, posted
        assert ledger.on_hand(s, PEN, "A-01-01-02") == 12
        assert [(e.user, e.outcome) for e in count_review.events(s, count)] == [(COUNTER, "refused"),
                                                                              (SUPERVISOR, "approved")]
