"""The supervisor's count window (Ctrl+T): variances, decisions by key, refusals in red and on record."""
from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from station.db import unit_of_work
from station.inventory import count_review, counts, ledger
from station.ui.office.common import RED
from station.ui.office.counts_window import GREEN, CountsWindow
from tests.support import factories as f


@pytest.fixture
def counted(sessions):
    """Two bins counted by 李娜: two T-shirts missing in one, a spare pen in the other."""
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        f.user(s, "李娜", "U-1002", "counter")
        f.user(s, "刘洋", "U-1004", "supervisor")
        f.product(s, "TS01-RD-M", "6912345000024", name="纯棉圆领T恤", colour="红色", size="M",
                  unit_cost=Decimal("39.00"))
        f.product(s, "PN-001", "6912345001038", name="中性笔", unit_cost=Decimal("1.50"))
        f.location(s, "A-01-01-01", zone="A")
        f.location(s, "A-01-01-02", zone="A")
        ledger.move(s, ledger.Move("TS01-RD-M", 5, "ADJUSTMENT", "A-01-01-01", "opening"))
        ledger.move(s, ledger.Move("PN-001", 12, "ADJUSTMENT", "A-01-01-02", "opening"))
        count = counts.create_count(s, "zone", zone="A", tolerance_qty=5, tolerance_value=Decimal("500"))
        counts.record_bin(s, count, "A-01-01-01", {"TS01-RD-M": 3}, user="李娜")
        counts.record_bin(s, count, "A-01-01-02", {"PN-001": 13}, user="李娜")
        s.commit()
    return sessions


def open_window(qtbot, sessions, who):
    window = CountsWindow(sessions, who=lambda: who)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.loading)  # the counts and lines load on a thread
    return window


def decide(qtbot, window, action: str, whole: bool = False):
    """A decision runs on a thread: its Decision (None if refused before), with the lines reloaded."""
    with qtbot.waitSignal(window.decided, timeout=10_000) as blocker:
        window.decide(action, whole=whole)
    qtbot.waitUntil(lambda: not window.loading)
    return blocker.args[0]


def cells(window, row):
    return [window.table.item(row, c).text() for c in range(window.table.columnCount())]


def test_the_supervisor_reads_every_variance_with_book_counted_and_value(qtbot, counted):
    window = open_window(qtbot, counted, "刘洋")
    assert window.count_box.currentData() == "CNT-000001"
    assert window.table.rowCount() == 2
    assert cells(window, 0)[:8] == ["A-01-01-01", "TS01-RD-M", "纯棉圆领T恤 红色 M", "5", "3", "-2", "-78.00",
                                    "To approve"]
    assert cells(window, 1)[3:7] == ["12", "13", "+1", "1.50"]
    assert window.table.item(0, 5).foreground().color().name() == RED


def test_a_selected_line_is_approved_by_key_and_posted(qtbot, counted):
    window = open_window(qtbot, counted, "刘洋")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.table.selectRow(0)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "1 lines approved by 刘洋" in window.result_label.text())
    qtbot.waitUntil(lambda: not window.loading)  # the lines reload on a thread
    assert GREEN in window.result_label.styleSheet()
    assert cells(window, 0)[7] == "Approved" and cells(window, 1)[7] == "To approve"
    with unit_of_work(counted) as s:
        assert ledger.on_hand(s, "TS01-RD-M", "A-01-01-01") == 3
        assert ledger.on_hand(s, "PN-001", "A-01-01-02") == 12


def test_a_counter_at_the_desk_is_refused_in_red_and_the_refusal_is_recorded(qtbot, counted):
    window = open_window(qtbot, counted, "李娜")
    decision = decide(qtbot, window, "approve", whole=True)
    assert decision is not None and decision.code == "not_permitted"
    assert "not a supervisor" in window.result_label.text() and RED in window.result_label.styleSheet()
    with unit_of_work(counted) as s:
        count = counts.find_count(s, "CNT-000001")
        assert count.status == "open"
        assert [(e.user, e.action, e.outcome) for e in count_review.events(s, count)] == [
            ("李娜", "approve", "refused")]


def test_a_doubtful_bin_goes_back_for_a_recount_and_blocks_the_whole_approval(qtbot, counted):
    window = open_window(qtbot, counted, "刘洋")
    window.table.selectRow(1)
    assert decide(qtbot, window, "recount").code == "recount_requested"
    assert cells(window, 1)[7] == "Recount"
    refused = decide(qtbot, window, "approve", whole=True)
    assert refused.code == "recount_pending" and "A-01-01-02/PN-001" in window.result_label.text()


def test_nothing_is_decided_without_someone_logged_in(qtbot, counted):
    window = open_window(qtbot, counted, None)
    window.table.selectRow(0)
    assert decide(qtbot, window, "approve") is None
    assert "Scan your badge" in window.result_label.text()


# --- planning and printing from the window (issue 17: these were CLI-only) ---------------------------------
def _accept_later(dialog, fill):
    from PySide6.QtCore import QTimer

    def go():
        fill(dialog)
        dialog.accept()

    QTimer.singleShot(50, go)
    return dialog


def test_ctrl_n_plans_a_zone_count_and_prints_its_sheet(qtbot, counted, tmp_path):
    from station import outbox
    from station.audit.models import AuditEntry
    from station.ui.office.count_plan_dialog import PlanCountDialog

    with unit_of_work(counted) as s:
        outbox.set_printer(s, outbox.DEFAULT, f"pdf:{tmp_path}", 1)
        s.commit()
    window = open_window(qtbot, counted, "刘洋")
    dialog = PlanCountDialog(window)
    assert not dialog.form.isRowVisible(dialog.zone)  # a full count takes no field

    def fill(d):
        d.kind.setCurrentIndex(d.kind.findData("zone"))
        assert d.form.isRowVisible(d.zone) and not d.form.isRowVisible(d.days)
        d.zone.setText("A")

    with qtbot.waitSignal(window.planned, timeout=10_000) as blocker:  # made on a thread
        window.plan_count(_accept_later(dialog, fill))
    assert blocker.args == ["CNT-000002"]
    qtbot.waitUntil(lambda: window.count_no == "CNT-000002")  # the list of counts reloads on a thread
    qtbot.waitUntil(lambda: "Printed" in window.result_label.text(), timeout=20000)
    sheets = list(tmp_path.glob("*count-sheet-CNT-000002*.pdf"))
    assert len(sheets) == 1 and sheets[0].read_bytes().startswith(b"%PDF")
    with unit_of_work(counted) as s:
        count = counts.find_count(s, "CNT-000002")
        assert (count.kind, count.created_by, count.status) == ("zone", "刘洋", "open")
        assert s.query(AuditEntry).filter_by(action="counts.plan", user="刘洋", outcome="permitted").count() == 1


def test_a_counter_may_not_plan_a_count_and_the_refusal_is_recorded(qtbot, counted):
    from station.audit.models import AuditEntry
    from station.ui.office.count_plan_dialog import PlanCountDialog

    window = open_window(qtbot, counted, "李娜")
    assert window.plan_count(_accept_later(PlanCountDialog(window), lambda d: None)) is None
    assert "needs the role" in window.result_label.text() and RED in window.result_label.styleSheet()
    with unit_of_work(counted) as s:
        from station.inventory.count_models import StockCount

        assert [c.count_no for c in s.query(StockCount)] == ["CNT-000001"]
        assert s.query(AuditEntry).filter_by(action="counts.plan", user="李娜", outcome="not_permitted").count() == 1


def test_the_variance_report_and_the_write_off_print_from_the_window(qtbot, counted, tmp_path):
    from station import outbox

    with unit_of_work(counted) as s:
        outbox.set_printer(s, outbox.DEFAULT, f"pdf:{tmp_path}", 1)
        s.commit()
    window = open_window(qtbot, counted, "刘洋")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.table, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(list(tmp_path.glob("*variance-report-CNT-000001*.pdf"))), timeout=20000)
    qtbot.waitUntil(lambda: window.printing is not None and not window.printing.isRunning())
    qtbot.keyClick(window.table, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(list(tmp_path.glob("*write-off-CNT-000001*.pdf"))), timeout=20000)
    assert "Printed" in window.result_label.text()


def test_a_decision_runs_off_the_gui_thread_and_a_second_one_waits_its_turn(qtbot, counted, monkeypatch):
    """Posting a 10,000-bin count takes seconds: the window (and the benches' scans) go on meanwhile."""
    import threading
    import time

    window = open_window(qtbot, counted, "刘洋")
    real, threads = count_review.decide, []

    def slow_decide(*args, **kw):
        threads.append(threading.current_thread())
        time.sleep(0.5)
        return real(*args, **kw)

    monkeypatch.setattr(count_review, "decide", slow_decide)
    decisions = []
    window.decided.connect(decisions.append)
    started = time.monotonic()
    window.decide("approve", whole=True)
    assert time.monotonic() - started < 0.3 and window.result_label.text() == "Working on it…"
    window.decide("approve", whole=True)  # pressed again meanwhile: refused, not run twice
    assert decisions == [None] and "Still working" in window.result_label.text()
    qtbot.waitUntil(lambda: len(decisions) == 2, timeout=10_000)
    assert decisions[1].ok and threads and threading.main_thread() not in threads and len(threads) == 1
    qtbot.waitUntil(lambda: not window.loading)
    assert [cells(window, r)[7] for r in range(window.table.rowCount())] == ["Approved", "Approved"]
