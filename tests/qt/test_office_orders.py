"""The orders window: held orders with their reasons in words, released, held and cancelled by key.

Data goes in through the services (import, pack bench), as in the shop. Release and cancel
ask the `DialogService` (the conftest's recording fake) and record the person logged in at
the bench. `build_shop` is shared with the other office tests.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from station.catalog.couriers import seed_couriers
from station.db import unit_of_work
from station.demo import ean13
from station.fulfilment import waybills
from station.fulfilment.models import Order, OrderHold
from station.fulfilment.orders import import_orders, list_orders
from station.inventory import ledger
from station.ui.office.orders_model import DETAILS, ORDER, REASONS, STATUS, OrdersModel
from station.ui.office.orders_window import OrdersWindow
from tests.qt.conftest import BADGE, PACKER, RecordingDialogs
from tests.support import factories as f

SECOND_BADGE, SECOND_PACKER = "U-1002", "李娜"
PRODUCTS = {"TS01-RD-M": ("纯棉圆领T恤", 60), "MUG-WH": ("白色马克杯", 60), "PEN-BK": ("中性笔0.5mm", 60),
            "SCARF-GY": ("羊毛围巾", 1)}
CODE = {sku: ean13(n) for n, sku in enumerate(PRODUCTS, start=1)}
INVOICE = "请开增值税普通发票，抬头：杭州小蜜蜂科技有限公司"
MEMO = "老客户\n送运费险"
ADDRESS = "广东省,广州市,越秀区,中山五路33号"
HEADER = ("order_no,shop,recipient,phone,province,city,district,address,courier,sku,qty,paid_at,"
          "buyer_message,seller_memo\n")


def paid(hours_ago: float) -> str:
    return (datetime.now().astimezone() - timedelta(hours=hours_ago)).isoformat(timespec="seconds")


def orders_csv() -> str:
    """R1–R3 ready, H1 a buyer's invoice request and a memo, H2 an unknown SKU, H3 a scarf we have
    one of, H4 a phone too short; L1 paid 50 hours ago and not shipped."""
    rows = [
        f"R1,小鹿家居,王小明,13812345678,{ADDRESS},SF,TS01-RD-M,1,{paid(3)},,",
        f"R2,小鹿家居,李雷,13900001111,{ADDRESS},SF,MUG-WH,1,{paid(2.5)},,",
        f"R3,大象文具,韩梅梅,13700002222,{ADDRESS},ZTO,PEN-BK,3,{paid(2)},,",
        f"H1,小鹿家居,周杰,13600003333,{ADDRESS},SF,TS01-RD-M,2,{paid(5)},{INVOICE},\"{MEMO}\"",
        f"H2,大象文具,吴芳,13500004444,{ADDRESS},ZTO,NOPE-01,1,{paid(4)},,",
        f"H3,小鹿家居,郑一,13800009999,{ADDRESS},SF,SCARF-GY,2,{paid(4.5)},,",
        f"H4,小鹿家居,孙八,1234,{ADDRESS},SF,MUG-WH,1,{paid(1)},,",
        f"L1,小鹿家居,钱七,13800004444,{ADDRESS},SF,MUG-WH,2,{paid(50)},,",
    ]
    return HEADER + "\n".join(rows) + "\n"


def build_shop(sessions, tmp_path):
    """Two packers (the first also prints orders: role office), four products in bin A-01-01-01, a packing
    place, an SF number pool, and the orders."""
    seed_couriers(sessions)
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        f.user(s, PACKER, BADGE, "packer;office")
        f.user(s, SECOND_PACKER, SECOND_BADGE, "packer")
        f.location(s, "A-01-01-01")
        f.location(s, "PACK-01", "packing", "OUT")
        for sku, (name, qty) in PRODUCTS.items():
            f.product(s, sku, CODE[sku], name=name)
            ledger.move(s, ledger.Move(sku, qty, "ADJUSTMENT", "A-01-01-01", "opening"))
        assert waybills.add_numbers(s, "SF", waybills.number_range("SF", 300000000000, 20, 13)).added == 20
        s.commit()
    path = tmp_path / "office_orders.csv"
    path.write_text(orders_csv(), encoding="utf-8")
    report = import_orders(sessions, path, "generic")
    assert report.ok and report.created == 8 and report.on_hold == 4, report.as_dict()
    return sessions


@pytest.fixture
def warehouse(sessions, tmp_path):
    """Replaces the conftest shop, so `make_window` opens on this one."""
    return build_shop(sessions, tmp_path)


def status_of(sessions, order_no: str) -> str:
    return {o.order_no: o.status for o in list_orders(sessions)}[order_no]


def open_orders(qtbot, sessions, dialogs, user=PACKER, **kw) -> OrdersWindow:
    window = OrdersWindow(sessions, who=lambda: user, dialogs=dialogs, **kw)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: not window.loading)  # the list loads on a thread
    return window


def loaded(qtbot, window: OrdersWindow):
    """Until the list the last key or filter asked for is on screen (it loads on a thread)."""
    return qtbot.waitSignal(window.loaded)


def column(window: OrdersWindow, col: int) -> dict[str, str]:
    model = window.model
    return {model.index(r, ORDER).data(): model.index(r, col).data() for r in range(model.rowCount())}


# --- the model, alone ----------------------------------------------------------------------

def test_the_orders_model_keeps_the_qt_model_rules_empty_and_full(qtmodeltester, warehouse):
    model = OrdersModel()
    qtmodeltester.check(model)
    model.set_orders(list_orders(warehouse))
    assert model.rowCount() == 8
    qtmodeltester.check(model)
    model.set_orders([])
    qtmodeltester.check(model)


def test_held_orders_say_why_in_words_and_show_what_the_buyer_and_seller_wrote(qapp, warehouse):
    model = OrdersModel()
    model.set_orders(list_orders(warehouse, "on_hold"))
    reasons = {model.index(r, ORDER).data(): model.index(r, REASONS).data() for r in range(model.rowCount())}
    assert reasons == {"H1": "Buyer message: read it · Seller memo: read it", "H2": "Unknown SKU",
                       "H3": "Not enough stock", "H4": "Phone number missing or too short"}
    row = model.row_of("H1")
    assert model.index(row, DETAILS).data() == f"{INVOICE} · 老客户 / 送运费险"
    assert INVOICE in model.index(row, REASONS).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row, STATUS).data() == "On hold"
    assert model.index(model.row_of("H2"), DETAILS).data() == "NOPE-01"
    assert model.headerData(REASONS, Qt.Orientation.Horizontal) == "Why held"


# --- the window ----------------------------------------------------------------------------

def test_the_window_opens_on_held_orders_with_the_first_selected_and_its_holds_spelt_out(qtbot, warehouse,
                                                                                       dialogs):
    window = open_orders(qtbot, warehouse, dialogs)
    assert window.status_filter == "on_hold"
    assert list(column(window, STATUS)) == ["H1", "H3", "H2", "H4"]  # oldest payment first
    assert window.selected().order_no == "H1"
    assert window.holds_label.text().splitlines() == [
        "Order H1 is held because:", "Buyer message: read it", f"    {INVOICE}", "Seller memo: read it",
        "    老客户", "    送运费险"]
    assert window.count_label.text() == "Orders: 4"


def test_ctrl_number_keys_pick_the_status_shown(qtbot, warehouse, dialogs):
    window = open_orders(qtbot, warehouse, dialogs)
    with loaded(qtbot, window):
        qtbot.keyClick(window.table, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.status_filter == "ready"
    assert sorted(column(window, STATUS)) == ["L1", "R1", "R2", "R3"]
    with loaded(qtbot, window):
        qtbot.keyClick(window.table, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.status_filter is None and window.model.rowCount() == 8


def test_r_releases_the_selected_held_order_after_showing_what_the_buyer_wrote_and_records_who(
        qtbot, warehouse, dialogs):
    window = open_orders(qtbot, warehouse, dialogs)
    assert window.selected().order_no == "H1"
    with loaded(qtbot, window):
        qtbot.keyClick(window.table, Qt.Key.Key_R)
    [(kind, title, text)] = dialogs.asked
    assert (kind, title) == ("confirm", "Release order")
    assert text.startswith("Release order H1 for 周杰?") and INVOICE in text
    assert status_of(warehouse, "H1") == "ready"
    with unit_of_work(warehouse) as s:
        holds = s.scalars(select(OrderHold).join(Order).where(Order.order_no == "H1")).all()
        assert {(h.resolution, h.resolved_by) for h in holds} == {("released", PACKER)}
    assert "H1" not in column(window, STATUS)  # it left the held list; the next one is selected
    assert window.selected().order_no == "H3"
    assert window.statusBar().currentMessage() == f"Order H1 released by {PACKER}"


def test_a_release_not_confirmed_changes_nothing(qtbot, warehouse):
    dialogs = RecordingDialogs(answer=False)
    window = open_orders(qtbot, warehouse, dialogs)
    qtbot.keyClick(window.table, Qt.Key.Key_R)
    assert [kind for kind, *_rest in dialogs.asked] == ["confirm"]
    assert status_of(warehouse, "H1") == "on_hold"


def test_nobody_logged_in_means_no_release_and_a_clear_message(qtbot, warehouse, dialogs):
    window = open_orders(qtbot, warehouse, dialogs, user=None)
    qtbot.keyClick(window.table, Qt.Key.Key_R)
    [(kind, title, text)] = dialogs.asked
    assert (kind, title) == ("error", "Nobody is logged in")
    assert "Scan your badge" in text
    assert status_of(warehouse, "H1") == "on_hold"


@pytest.mark.parametrize("key, order_no", [(Qt.Key.Key_R, "H1"), (Qt.Key.Key_H, "R2"), (Qt.Key.Key_Delete, "H2")],
                         ids=["release", "hold", "cancel"])
@pytest.mark.parametrize("user", [SECOND_PACKER, "nobody-at-all"], ids=["packer", "unknown"])
def test_a_person_without_the_office_role_changes_no_order_and_the_refusal_is_recorded(
        qtbot, warehouse, dialogs, key, order_no, user):
    from station.catalog.roles import audit_rows

    before = status_of(warehouse, order_no)
    window = open_orders(qtbot, warehouse, dialogs, user=user)
    with loaded(qtbot, window):
        window.set_filter(None)
    window.select(order_no)
    qtbot.keyClick(window.table, key)
    [(kind, title, text)] = dialogs.asked  # refused before any "are you sure?"
    assert (kind, title) == ("error", "Order not changed")
    assert user in text and ("needs the role" in text if user == SECOND_PACKER else "not a known Station user" in text)
    assert status_of(warehouse, order_no) == before
    with unit_of_work(warehouse) as s:
        [row] = audit_rows(s)
        action = {Qt.Key.Key_R: "orders.release", Qt.Key.Key_H: "orders.hold", Qt.Key.Key_Delete: "orders.cancel"}
        assert (row.user, row.action, row.outcome, row.target) == (
            user, action[key], "not_permitted" if user == SECOND_PACKER else "unknown_user", order_no)


@pytest.mark.parametrize("answer, status", [(True, "cancelled"), (False, "on_hold")], ids=["yes", "no"])
def test_delete_cancels_the_selected_order_only_after_a_yes(qtbot, warehouse, answer, status):
    dialogs = RecordingDialogs(answer=answer)
    window = open_orders(qtbot, warehouse, dialogs)
    window.select("H2")
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    [(kind, title, text)] = dialogs.asked
    assert (kind, title) == ("confirm", "Cancel order")
    assert "H2" in text and "cannot be undone" in text
    assert status_of(warehouse, "H2") == status
    expected = f"Order H2 cancelled by {PACKER}" if answer else "Order H2 not cancelled"
    assert window.statusBar().currentMessage() == expected


def test_h_holds_a_ready_order_by_hand_and_it_shows_as_held_by_hand(qtbot, warehouse, dialogs):
    window = open_orders(qtbot, warehouse, dialogs)
    with loaded(qtbot, window):
        window.set_filter("ready")
    assert window.select("R2")
    qtbot.keyClick(window.table, Qt.Key.Key_H)
    assert status_of(warehouse, "R2") == "on_hold"
    assert dialogs.asked == []  # holding is harmless: nothing to confirm
    with loaded(qtbot, window):
        window.set_filter("on_hold")
    assert column(window, REASONS)["R2"] == "Held by hand"


def test_a_refusal_of_the_service_is_shown_in_its_own_words(qtbot, warehouse, dialogs):
    window = open_orders(qtbot, warehouse, dialogs)
    with loaded(qtbot, window):
        window.set_filter("ready")
    window.select("R1")
    qtbot.keyClick(window.table, Qt.Key.Key_R)
    assert dialogs.asked[-1] == ("error", "Order not changed", "Order R1 is not on hold")
    assert status_of(warehouse, "R1") == "ready"


def test_f5_reloads_what_changed_elsewhere(qtbot, warehouse, dialogs):
    from station.fulfilment.orders import release_order

    window = open_orders(qtbot, warehouse, dialogs)
    release_order(warehouse, "H3", user="cs")
    assert "H3" in column(window, STATUS)
    with loaded(qtbot, window):
        qtbot.keyClick(window.table, Qt.Key.Key_F5)
    assert "H3" not in column(window, STATUS)


# --- from the main window ------------------------------------------------------------------

def test_ctrl_o_opens_the_orders_window_and_r_records_the_person_logged_in_at_the_bench(qtbot, make_window,
                                                                                      dialogs):
    window = make_window()
    assert window.handle_scan(BADGE).code == "logged_in"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    orders = window.office.orders_window
    assert orders is not None and orders.isVisible()
    qtbot.waitUntil(orders.isActiveWindow)
    qtbot.waitUntil(lambda: not orders.loading)
    qtbot.keyClick(orders.table, Qt.Key.Key_R)  # a one-letter key comes ~55 ms late: it might be a scan
    qtbot.waitUntil(lambda: bool(dialogs.asked))
    assert dialogs.asked[0][:2] == ("confirm", "Release order")
    assert status_of(window.sessions, "H1") == "ready"
    assert orders.statusBar().currentMessage() == f"Order H1 released by {PACKER}"
    qtbot.keyClick(orders.table, Qt.Key.Key_Escape)
    assert not orders.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert window.office.orders_window is orders and orders.isVisible()  # one window, brought back


def test_a_scan_with_the_orders_window_in_front_goes_to_the_bench_and_presses_no_order_key(qtbot, make_window,
                                                                                         dialogs):
    """'RH-1001' holds an R (release) and an H (hold): typed by a scanner, neither may act (issue 13)."""
    window = make_window()
    assert window.handle_scan(BADGE).code == "logged_in"
    window.office.orders_action.trigger()
    orders = window.office.orders_window
    orders.activateWindow()
    qtbot.waitUntil(orders.isActiveWindow)
    statuses = {no: status_of(window.sessions, no) for no in ("H1",)}
    with qtbot.waitSignal(window.outcome_shown) as blocker:
        qtbot.keyClicks(orders.table, "RH-1001")
        qtbot.keyClick(orders.table, Qt.Key.Key_Return)
    qtbot.wait(150)
    assert dialogs.asked == []  # no release or hold question
    assert {no: status_of(window.sessions, no) for no in statuses} == statuses
    assert window.overlay.isVisible() and window.overlay.banner.code == blocker.args[0].code
    assert orders.isVisible()


def test_the_list_loads_on_a_thread_and_a_newer_load_wins_over_an_older_one(qtbot, warehouse, dialogs, monkeypatch):
    """The GUI thread is the scans' too (issue 13): a slow list read never holds it."""
    import threading
    import time

    from station.ui.office import orders_window

    window = open_orders(qtbot, warehouse, dialogs)
    real = orders_window.list_orders
    slow = {"ready": 0.6, None: 0.05}
    threads = []

    def list_slowly(sessions, status=None, limit=500):
        threads.append(threading.current_thread())
        time.sleep(slow.get(status, 0))
        return real(sessions, status, limit=limit)

    monkeypatch.setattr(orders_window, "list_orders", list_slowly)
    started = time.monotonic()
    window.set_filter("ready")  # slow ...
    window.set_filter(None)  # ... and overtaken by a quick one
    assert time.monotonic() - started < 0.3 and window.loading  # neither held the GUI thread
    assert window.status_filter is None and "H1" in column(window, STATUS) and "R1" not in column(window, STATUS)
    with qtbot.waitSignal(window.loaded, timeout=5000):
        pass
    assert window.model.rowCount() == 8 and not window.loading  # all orders: the newer load's list
    qtbot.wait(800)  # the slow "ready" load ends too, and is not shown over it
    assert window.model.rowCount() == 8
    assert threading.main_thread() not in threads and len(threads) == 2
