"""Import from the orders window (Ctrl+I): a worker thread, a bar that fills, all or nothing.

The file dialog is a seam: the window takes ``choose_file`` and the tests hand it a path.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from station.db import unit_of_work
from station.fulfilment.orders import list_orders
from station.ui.office.import_dialog import ImportDialog, guess_format
from station.ui.office.orders_window import OrdersWindow
from tests.qt.conftest import BADGE, PACKER
from tests.qt.test_office_orders import build_shop
from tests.support import factories as f

DATA = Path(__file__).resolve().parents[1] / "data" / "orders"


def order_printer(sessions) -> None:
    """The person at the desk: 张伟, who also prints orders (role office)."""
    with unit_of_work(sessions) as s:
        f.user(s, PACKER, BADGE, "packer;office")
        s.commit()


def open_import(qtbot, sessions, dialogs, path: Path) -> tuple[OrdersWindow, ImportDialog]:
    asked = []

    def choose_file(parent, title):
        asked.append(title)
        return str(path)

    window = OrdersWindow(sessions, who=lambda: PACKER, dialogs=dialogs, choose_file=choose_file)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: not window.loading)  # the list loads on a thread
    qtbot.keyClick(window.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = window.import_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)  # no file yet: Enter asks for one
    assert asked == ["Choose an order export"]
    assert dialog.path_edit.text() == str(path)
    return window, dialog


def import_and_wait(qtbot, dialog: ImportDialog) -> None:
    seen = []
    dialog.progress.valueChanged.connect(seen.append)
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)

    def finished():
        assert not dialog.running and dialog.report is not None

    qtbot.waitUntil(finished)
    return seen


def test_the_format_is_guessed_from_the_shops_own_file_names():
    assert guess_format("/tmp/ExportOrderList202105131200.csv") == "taobao"
    assert guess_format("orders_export_1.csv") == "shopify"
    assert guess_format("today.xlsx") == "generic"
    assert guess_format("Unshipped Orders 2024-11-11.txt") == "amazon"


def test_importing_the_generic_example_fills_the_bar_to_100_percent_and_lists_the_new_orders(
        qtbot, sessions, dialogs):
    order_printer(sessions)
    window, dialog = open_import(qtbot, sessions, dialogs, DATA / "generic_orders.csv")
    assert dialog.format == "generic"
    seen = import_and_wait(qtbot, dialog)

    assert dialog.report.ok
    assert dialog.last_progress == (5, 5)  # the service's progress callback reached the bar
    assert 5 in seen
    assert dialog.progress.value() == dialog.progress.maximum() > 0
    assert dialog.progress.text() == "100%"
    assert dialog.summary.text() == ("Imported 3 orders from 5 rows of generic_orders.csv: 3 new, 0 updated, "
                                     "0 unchanged; 1 on hold, 0 cancelled.")
    assert dialog.rejected.isHidden()
    qtbot.waitUntil(lambda: not window.loading)  # the reload after the import
    with qtbot.waitSignal(window.loaded):
        window.set_filter(None)
    assert sorted(window.model.index(r, 0).data() for r in range(window.model.rowCount())) == [
        "GEN-1001", "GEN-1002", "GEN-1003"]


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row_with_its_file_and_line(
        qtbot, sessions, dialogs):
    order_printer(sessions)
    _window, dialog = open_import(qtbot, sessions, dialogs, DATA / "generic_bad.csv")
    import_and_wait(qtbot, dialog)

    assert not dialog.report.ok
    assert dialog.summary.text() == ("Rejected: nothing was imported. "
                                     "Fix these rows and import the file again:")
    assert "color: #b71c1c" in dialog.summary.styleSheet()
    assert dialog.rejected.isVisible()
    rows = [dialog.rejected.item(i).text() for i in range(dialog.rejected.count())]
    assert rows[:2] == ["generic_bad.csv line 2: Missing sku",
                        "generic_bad.csv line 3: qty: '两' is not a whole number"]
    assert [r.split(":")[0] for r in rows] == [f"generic_bad.csv line {n}" for n in (2, 3, 5, 6, 7, 7)]
    assert dialog.progress.value() == 0
    assert list_orders(sessions) == []


def test_a_file_that_is_not_there_is_refused_in_words(qtbot, sessions, dialogs, tmp_path):
    order_printer(sessions)
    _window, dialog = open_import(qtbot, sessions, dialogs, tmp_path / "missing.csv")
    import_and_wait(qtbot, dialog)
    rows = [dialog.rejected.item(i).text() for i in range(dialog.rejected.count())]
    assert len(rows) == 1 and "No such file" in rows[0]
    assert list_orders(sessions) == []


def test_an_import_that_updates_held_orders_reloads_the_orders_window(qtbot, sessions, dialogs, tmp_path):
    build_shop(sessions, tmp_path)
    fixed = tmp_path / "fixed.csv"
    fixed.write_text("order_no,shop,recipient,phone,province,city,district,address,courier,sku,qty\n"
                     "H4,小鹿家居,孙八,13811112222,广东省,广州市,越秀区,中山五路33号,SF,MUG-WH,1\n",
                     encoding="utf-8")
    window, dialog = open_import(qtbot, sessions, dialogs, fixed)
    assert "H4" in [o.order_no for o in window.model.orders]
    with qtbot.waitSignal(window.loaded):  # the window reloads its list after the import
        import_and_wait(qtbot, dialog)
    assert dialog.report.ok and dialog.report.updated == 1
    assert "H4" not in [o.order_no for o in window.model.orders]  # a real phone now: no longer held


def test_a_packer_imports_no_orders_and_is_told_why(qtbot, sessions, dialogs):
    with unit_of_work(sessions) as s:
        f.user(s, PACKER, BADGE, "packer")
        s.commit()
    _window, dialog = open_import(qtbot, sessions, dialogs, DATA / "generic_orders.csv")
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)
    assert not dialog.running and dialog.report is None
    assert f"{PACKER} may not import orders" in dialog.summary.text()
    assert list_orders(sessions) == []
