"""Print a batch from the orders window (Ctrl+B): a live count, then the batch number and its jobs.

Ready orders of `build_shop`: R1 and R2 (SF, one item each), R3 (ZTO, three pens), L1 (SF,
two mugs, paid 50 hours ago). SF has a number pool, ZTO has none (pre-printed waybills).
"""
from __future__ import annotations

import re
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from station.db import unit_of_work
from station.fulfilment.batches import BatchCriteria, select_ready
from station.fulfilment.review import count_ready
from station.ui.office.batch_dialog import BatchDialog
from station.ui.office.orders_window import OrdersWindow
from tests.qt.conftest import PACKER
from tests.qt.test_office_orders import build_shop


@pytest.fixture
def shop(sessions, tmp_path):
    return build_shop(sessions, tmp_path)


def open_batch(qtbot, sessions, dialogs) -> tuple[OrdersWindow, BatchDialog]:
    window = OrdersWindow(sessions, who=lambda: PACKER, dialogs=dialogs, station="office-1")
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.table, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    dialog = window.batch_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.isActiveWindow)
    return window, dialog


def print_and_wait(qtbot, dialog: BatchDialog) -> None:
    qtbot.keyClick(dialog.courier_box, Qt.Key.Key_Return)

    def finished():
        assert not dialog.running and dialog.outcome.text()

    qtbot.waitUntil(finished)


@pytest.mark.parametrize("criteria", [BatchCriteria(), BatchCriteria(courier="SF"), BatchCriteria(items="single"),
                                      BatchCriteria(items="multi", shop="大象文具"), BatchCriteria(courier="EMS")])
def test_the_live_count_agrees_with_the_batch_selection(shop, criteria):
    with unit_of_work(shop) as s:
        assert count_ready(shop, criteria) == len(select_ready(s, replace(criteria, limit=None)))


def test_the_count_of_matching_ready_orders_follows_every_choice(qtbot, shop, dialogs):
    _window, dialog = open_batch(qtbot, shop, dialogs)
    assert dialog.count_label.text() == "Matching ready orders: 4"
    couriers = [dialog.courier_box.itemText(i) for i in range(dialog.courier_box.count())]
    assert couriers == ["Any courier", "SF SF Express (3)", "ZTO ZTO Express (1)"]
    dialog.set_criteria(courier="SF")
    assert dialog.count_label.text() == "Matching ready orders: 3"
    dialog.set_criteria(courier="SF", items="single")
    assert dialog.count_label.text() == "Matching ready orders: 2"
    dialog.set_criteria(courier="SF", items="single", limit=1)
    assert dialog.count_label.text() == "Matching ready orders: 2; this batch takes the 1 paid first"
    dialog.set_criteria(shop="大象文具", items="single")
    assert dialog.count_label.text() == "No ready orders match"


def test_printing_a_batch_shows_its_number_and_its_print_jobs(qtbot, shop, dialogs):
    _window, dialog = open_batch(qtbot, shop, dialogs)
    dialog.set_criteria(courier="SF", items="single")
    print_and_wait(qtbot, dialog)

    assert dialog.result is not None and set(dialog.result.orders) == {"R1", "R2"}
    assert re.fullmatch(r"Batch B\d{8}-\d{4} printed: 2 orders, 2 waybills", dialog.outcome.text())
    assert dialog.result.batch_no in dialog.outcome.text()
    jobs = [dialog.jobs.item(i).text() for i in range(dialog.jobs.count())]
    assert [j.split(":")[0] for j in jobs] == ["Pick list", "Packing slips", "Waybills"]
    assert jobs[0] == f"Pick list: print job {dialog.result.jobs[0]}"
    assert dialog.progress.value() == dialog.progress.maximum()
    assert dialog.count_label.text() == "No ready orders match"  # the count follows: both are in the batch
    assert (dialog.courier_box.currentData(), dialog.items_box.currentData()) == ("SF", "single")


def test_a_batch_nothing_matches_is_refused_in_red_and_prints_nothing(qtbot, shop, dialogs):
    _window, dialog = open_batch(qtbot, shop, dialogs)
    dialog.set_criteria(shop="大象文具", items="single")
    print_and_wait(qtbot, dialog)
    assert dialog.result is None
    assert dialog.outcome.text() == "Nothing was printed: No ready orders match: nothing to print"
    assert "color: #b71c1c" in dialog.outcome.styleSheet()
    assert dialog.jobs.isHidden()
    with unit_of_work(shop) as s:
        assert len(select_ready(s, BatchCriteria())) == 4


def test_a_courier_whose_orders_all_went_stays_chosen_with_none_left_instead_of_widening_to_any(
        qtbot, shop, dialogs):
    _window, dialog = open_batch(qtbot, shop, dialogs)
    dialog.set_criteria(courier="ZTO")
    print_and_wait(qtbot, dialog)
    assert dialog.result is not None and dialog.result.orders == ("R3",)
    assert dialog.result.waybills == 0  # no ZTO number pool: the packer scans a pre-printed waybill
    assert (dialog.courier_box.currentData(), dialog.courier_box.currentText()) == ("ZTO", "ZTO (0)")
    assert dialog.count_label.text() == "No ready orders match"


def test_an_order_whose_name_no_font_prints_is_held_and_the_dialog_says_so(qtbot, shop, dialogs):
    from sqlalchemy import update

    from station.fulfilment.models import Order

    with unit_of_work(shop) as s:
        s.execute(update(Order).where(Order.order_no == "R1").values(recipient="李\U000F0001"))
        s.commit()
    _window, dialog = open_batch(qtbot, shop, dialogs)
    dialog.set_criteria(courier="SF", items="single")
    print_and_wait(qtbot, dialog)
    assert dialog.result is not None and dialog.result.orders == ("R2",) and dialog.result.held == ("R1",)
    assert dialog.outcome.text().endswith("On hold (unprintable characters): R1")
