"""The supervisor numbers (Ctrl+K): packers hour by hour, a bar chart, and the late orders in red.

The numbers come from real work: two packers pack orders at the pack bench through the
bench runner, one scanning a wrong item on the way; L1 of `build_shop` was paid 50 hours
ago and is not shipped.
"""
from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt

from station.fulfilment.review import supervisor_numbers
from station.ui.office.common import RED
from station.ui.office.kpi_models import (ERRORS, ITEMS, LATE_ORDER, LATE_OVERDUE, ORDERS, PACKER, RATE, SCANS,
                                          LateOrdersModel, PackerHoursModel)
from station.ui.office.kpi_window import KpiWindow
from station.workflows.runner import BenchRunner
from tests.qt.conftest import BADGE
from tests.qt.conftest import PACKER as ZHANG
from tests.qt.test_office_orders import CODE, SECOND_BADGE, SECOND_PACKER, build_shop


def pack(sessions, badge: str, *scans: str) -> list[str]:
    runner = BenchRunner(sessions, "pack", "pack-1")
    return [runner.process(raw)[1].code for raw in (badge, *scans)]


def packed_shop(sessions, tmp_path):
    build_shop(sessions, tmp_path)
    assert pack(sessions, BADGE, "PS:R1", CODE["MUG-WH"], "CMD-CONFIRM", CODE["TS01-RD-M"]) == [
        "logged_in", "order_opened", "wrong_item", "error_acknowledged", "order_packed"]
    assert pack(sessions, SECOND_BADGE, "PS:R2", CODE["MUG-WH"]) == ["logged_in", "order_opened", "order_packed"]
    return sessions


@pytest.fixture
def shop(sessions, tmp_path):
    return packed_shop(sessions, tmp_path)


@pytest.fixture
def warehouse(sessions, tmp_path):
    """Replaces the conftest shop, so `make_window` opens on this one."""
    return packed_shop(sessions, tmp_path)


def open_kpi(qtbot, sessions) -> KpiWindow:
    window = KpiWindow(sessions)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def cells(model, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_the_kpi_models_keep_the_qt_model_rules_empty_and_full(qtmodeltester, shop):
    from datetime import datetime, timedelta, timezone

    numbers = supervisor_numbers(shop, datetime.now(timezone.utc) - timedelta(hours=24))
    for model, rows in ((PackerHoursModel(), numbers.hours), (LateOrdersModel(), numbers.late)):
        qtmodeltester.check(model)
        model.set_rows(rows)
        assert model.rowCount() > 0
        qtmodeltester.check(model)


def test_each_packer_shows_a_row_with_orders_items_scans_errors_and_error_rate(qtbot, shop):
    window = open_kpi(qtbot, shop)
    model = window.hours_model
    rows = {model.index(r, PACKER).data(): r for r in range(model.rowCount())}
    assert set(rows) == {ZHANG, SECOND_PACKER}
    zhang = rows[ZHANG]
    assert [model.index(zhang, c).data() for c in (ORDERS, ITEMS, SCANS, ERRORS, RATE)] == [
        "1", "1", "5", "1", "20.0 %"]
    assert [model.index(rows[SECOND_PACKER], c).data() for c in (ORDERS, ERRORS, RATE)] == ["1", "0", "0.0 %"]
    assert model.headerData(RATE, Qt.Orientation.Horizontal) == "Error rate"


def test_an_order_past_the_48_hour_promise_is_listed_in_red(qtbot, shop):
    window = open_kpi(qtbot, shop)
    model = window.late_model
    assert [model.index(r, LATE_ORDER).data() for r in range(model.rowCount())] == ["L1"]
    assert model.index(0, LATE_OVERDUE).data() == "Overdue"
    assert model.index(0, LATE_ORDER).data(Qt.ItemDataRole.ForegroundRole).color().name() == RED
    assert model.index(0, LATE_ORDER).data(Qt.ItemDataRole.FontRole).bold()
    assert window.late_count.text() == "Late: 1, past 48 h: 1"


def test_the_chart_has_one_bar_set_per_packer_with_their_orders_per_hour(qtbot, shop):
    window = open_kpi(qtbot, shop)
    assert window.chart is not None
    assert len(window.chart.categories) == 1  # both packed in this hour
    assert window.chart.values == {ZHANG: [1], SECOND_PACKER: [1]}
    [series] = window.chart.chart().series()
    assert sorted(s.label() for s in series.barSets()) == sorted([ZHANG, SECOND_PACKER])


def test_without_qtcharts_the_window_shows_the_tables_only(qtbot, shop, monkeypatch):
    monkeypatch.setitem(sys.modules, "PySide6.QtCharts", None)  # import fails as on a build without it
    monkeypatch.delitem(sys.modules, "station.ui.office.kpi_chart", raising=False)
    window = open_kpi(qtbot, shop)
    assert window.chart is None
    assert window.hours_model.rowCount() == 2 and window.late_model.rowCount() == 1


def test_f5_shows_work_done_since_the_window_opened(qtbot, shop):
    window = open_kpi(qtbot, shop)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert pack(shop, SECOND_BADGE, "PS:L1", CODE["MUG-WH"], CODE["MUG-WH"])[-1] == "order_packed"
    qtbot.keyClick(window.hours_table, Qt.Key.Key_F5)
    model = window.hours_model
    row = next(r for r in range(model.rowCount()) if model.index(r, PACKER).data() == SECOND_PACKER)
    assert model.index(row, ORDERS).data() == "2" and model.index(row, ITEMS).data() == "3"
    assert cells(window.late_model, 0)[:2] == ["L1", "Packed"]  # packed is not shipped: still late

def test_ctrl_k_opens_the_supervisor_numbers_from_the_main_window(qtbot, make_window):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    kpi = window.office.kpi_window
    assert kpi is not None and kpi.isVisible()
    assert kpi.hours_model.rowCount() == 2 and kpi.late_model.rowCount() == 1
