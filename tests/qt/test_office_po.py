"""The purchase orders window: POs with ordered/received/outstanding, a PO file imported all or nothing,
and a blind receipt opened with its reason."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from station.db import unit_of_work
from station.inbound.receiving import find_receipt
from station.ui.office.po_window import PoWindow
from tests.support import factories as f

HEADER = "po_no,supplier,sku,qty,unit_cost,expected_date\n"


@pytest.fixture
def desk(qtbot, sessions, tmp_path):
    with unit_of_work(sessions) as s:
        f.product(s, "TS01-RD-S", "6912345000017", name="纯棉圆领T恤", colour="红色", size="S")
        f.product(s, "NB-001", "6912345001137", name="A5线圈笔记本")
        f.location(s, "RECV-01", "receiving")
        f.user(s, "李娜", "U-1002", "receiver;counter")
        f.user(s, "张伟", "U-1001", "packer")
        s.commit()
    files = {}

    def choose(_parent, _title):
        return str(files["next"])

    answers = []
    window = PoWindow(sessions, who=lambda: "李娜", station="desk-1", choose_file=choose,
                      ask_blind=lambda: answers.pop(0))
    qtbot.addWidget(window)
    window.show()
    return window, files, answers, tmp_path


def settle(qtbot, window) -> None:
    """Until the window's reads, imports and documents (on threads) are done and shown."""
    qtbot.waitUntil(lambda: not window.busy, timeout=20_000)


def cells(model, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_a_po_file_shows_each_po_and_its_lines_with_what_is_outstanding(qtbot, desk):
    window, files, _answers, tmp = desk
    files["next"] = tmp / "po.csv"
    files["next"].write_text(HEADER + "PO-1,杭州织造有限公司,TS01-RD-S,10,18.5,2026-11-30\n"
                                      "PO-1,杭州织造有限公司,NB-001,48,,\n", encoding="utf-8")
    window.import_action.trigger()
    settle(qtbot, window)
    assert window.message.text() == "1 purchase orders added, 0 replaced"
    assert cells(window.po_model, 0) == ["PO-1", "杭州织造有限公司", "Open", "2", "58", "0", "58"]
    assert window.lines_title.text() == "PO PO-1 · 杭州织造有限公司"
    assert cells(window.lines_model, 0) == ["TS01-RD-S", "纯棉圆领T恤 红色 S", "10", "18.50", "2026-11-30", "0", "10"]


def test_a_bad_po_file_imports_nothing_and_the_window_lists_every_bad_row(qtbot, desk):
    window, files, _answers, tmp = desk
    files["next"] = tmp / "bad.csv"
    files["next"].write_text(HEADER + "PO-1,杭州织造有限公司,TS01-RD-S,ten,,\nPO-1,杭州织造有限公司,NOPE,1,,\n",
                             encoding="utf-8")
    window.import_action.trigger()
    settle(qtbot, window)
    assert window.message.text().startswith("Rejected: nothing was imported")
    assert [window.rejected.item(i).text() for i in range(window.rejected.count())] == [
        "line 2: qty: 'ten' is not a whole number", "line 3: Unknown SKU NOPE"]
    assert window.po_model.rowCount() == 0


def test_a_blind_receipt_needs_a_reason_and_gives_the_number_to_scan(desk, sessions):
    window, _files, answers, _tmp = desk
    answers += [("宁波文具厂", ""), ("宁波文具厂", "供应商补发 replacement")]
    assert window.blind_receipt() is None
    assert window.message.text() == "A blind receipt needs a reason"
    number = window.blind_receipt()
    assert window.message.text() == f"Blind receipt {number} opened: scan {number} at the receive bench"
    with unit_of_work(sessions) as s:
        receipt = find_receipt(s, number)
        assert (receipt.supplier, receipt.blind_reason, receipt.opened_by) == ("宁波文具厂", "供应商补发 replacement",
                                                                              "李娜")


def test_ctrl_u_in_the_main_window_opens_the_purchase_orders(qtbot, make_window):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert window.office.po_window is not None and window.office.po_window.isVisible()


def test_a_po_typed_in_is_checked_like_a_file_and_saved_whole(qtbot, sessions, tmp_path):
    with unit_of_work(sessions) as s:
        f.product(s, "TS01-RD-S", "6912345000017", name="纯棉圆领T恤")
        f.product(s, "NB-001", "6912345001137", name="A5线圈笔记本")
        f.user(s, "李娜", "U-1002", "receiver;counter")
        s.commit()
    answers = [("PO-7", "宁波文具厂", "NB-001 24 3.20\nNOPE 2\nTS01-RD-S zero\n"),
               ("PO-7", "宁波文具厂", "NB-001 24 3.20\n\nTS01-RD-S 5 18.5 2026-12-01\n")]
    window = PoWindow(sessions, who=lambda: "李娜", station="desk-1", ask_new_po=lambda: answers.pop(0))
    qtbot.addWidget(window)
    window.new_action.trigger()
    settle(qtbot, window)
    assert window.message.text() == "Not saved: fix these lines and save again:"
    assert [window.rejected.item(i).text() for i in range(window.rejected.count())] == [
        "line 2: Unknown SKU NOPE", "line 3: qty: 'zero' is not a whole number"]
    assert window.po_model.rowCount() == 0
    window.new_action.trigger()
    settle(qtbot, window)
    assert window.message.text() == "PO PO-7 saved" and window.rejected.count() == 0
    assert cells(window.po_model, 0) == ["PO-7", "宁波文具厂", "Open", "2", "29", "0", "29"]
    assert cells(window.lines_model, 1) == ["TS01-RD-S", "纯棉圆领T恤", "5", "18.50", "2026-12-01", "0", "5"]


def test_the_requisition_and_the_monthly_summary_are_saved_as_pdf_and_csv(qtbot, sessions, tmp_path):
    from datetime import datetime

    from station.inventory import ledger

    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        f.location(s, "A-01-01-01")
        f.product(s, "BAG-L", "6912345009997", name="快递袋 大号", reorder_point=200, supplier="包装厂")
        ledger.move(s, ledger.Move("BAG-L", 150, "ADJUSTMENT", "A-01-01-01", "opening"))
        s.commit()
    month = datetime.now().astimezone().strftime("%Y-%m")
    months = [month, "2026-13"]
    window = PoWindow(sessions, who=lambda: "刘洋", station="desk-1", ask_month=lambda: months.pop(0),
                      choose_save=lambda _title, name: str(tmp_path / name))
    qtbot.addWidget(window)
    window.requisition_action.trigger()
    settle(qtbot, window)
    assert window.message.text().startswith("Requisition of 1 items saved")
    assert "BAG-L,快递袋 大号,,150,200,0,250" in (tmp_path / "requisition.csv").read_text(encoding="utf-8-sig")
    assert (tmp_path / "requisition.pdf").read_bytes().startswith(b"%PDF")
    window.summary_action.trigger()
    settle(qtbot, window)
    assert window.message.text().startswith(f"Summary of {month} (1 SKUs) saved")
    assert f"{month},BAG-L,快递袋 大号,0,150,150,0,150" in (tmp_path / f"summary-{month}.csv").read_text(
        encoding="utf-8-sig")
    window.summary_action.trigger()
    settle(qtbot, window)
    assert window.message.text() == "'2026-13' is not a month like 2026-11"


def test_a_packer_may_neither_open_a_blind_receipt_nor_import_a_po_and_both_refusals_are_recorded(
        qtbot, desk, sessions):
    from station.catalog.roles import audit_rows

    _window, files, _answers, tmp = desk
    files["next"] = tmp / "po.csv"
    files["next"].write_text(HEADER + "PO-1,杭州织造有限公司,TS01-RD-S,10,18.5,2026-11-30\n", encoding="utf-8")
    window = PoWindow(sessions, who=lambda: "张伟", station="desk-1", choose_file=lambda _p, _t: str(files["next"]),
                      ask_blind=lambda: ("宁波文具厂", "供应商补发"))
    qtbot.addWidget(window)
    assert window.blind_receipt() is None
    assert "张伟 may not open a receipt without a PO" in window.message.text()
    window.import_action.trigger()
    settle(qtbot, window)
    assert "张伟 may not import or enter purchase orders" in window.message.text()
    assert window.po_model.rowCount() == 0
    with unit_of_work(sessions) as s:
        assert [(r.user, r.action, r.outcome) for r in audit_rows(s)] == [
            ("张伟", "receive.blind", "not_permitted"), ("张伟", "import.po", "not_permitted")]


@pytest.mark.parametrize("keys", ["Esc", "Ctrl+W"])
def test_esc_and_ctrl_w_close_the_po_window_like_every_office_window(desk, qtbot, keys):
    from PySide6.QtGui import QKeySequence

    window = desk[0]
    assert QKeySequence(keys) in window.close_action.shortcuts()
    window.activateWindow()
    qtbot.waitActive(window)
    sequence = QKeySequence(keys)[0]
    qtbot.keyClick(window.po_view, sequence.key(), sequence.keyboardModifiers())
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)
