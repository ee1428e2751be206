"""The returns bench screen: a return parcel from its scanned tracking number to restock and quarantine,
the note form typed as with a Chinese input method, candidates confirmed by key, errors that wait for CONFIRM."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from station.db import unit_of_work
from station.demo import ean13
from station.fulfilment.orders import import_orders
from station.inventory import ledger
from station.returns.expected import ReturnRequest, register_return
from station.ui.benches import ReturnsScreen, screen_class
from station.ui.widgets.banner import COLOURS
from station.workflows.runner import BenchRunner
from tests.support import factories as f

CLERK, CLERK_BADGE = "王芳", "U-1003"
BOSS, BOSS_BADGE = "刘洋", "U-1004"
PRODUCTS = [("TS01-RD-M", "纯棉圆领T恤", ""), ("TS01-WH-M", "纯棉圆领T恤", ""), ("UW01-BK-M", "男士纯棉内裤", "hygiene")]
CODE = {sku: ean13(n) for n, (sku, _name, _flags) in enumerate(PRODUCTS, start=1)}
RED, GREEN, AMBER = COLOURS["error"][0], COLOURS["ok"][0], COLOURS["warn"][0]


@pytest.fixture
def warehouse(sessions, tmp_path):
    """Replaces the conftest shop: 王芳 the returns clerk, 刘洋 the supervisor; bins, QC-01, SCRAP-01, RET-01;
    Q1 (two T-shirts, 59.00 each) shipped two days ago to 张伟 with its return registered as YT7100000000001;
    Q2 (a T-shirt and briefs) shipped to 李娜, not registered."""
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        f.user(s, CLERK, CLERK_BADGE, "returns")
        f.user(s, BOSS, BOSS_BADGE, "supervisor")
        for code, kind in (("A-01-01-01", "stock"), ("QC-01", "quarantine"), ("SCRAP-01", "scrap"),
                           ("RET-01", "returns")):
            f.location(s, code, kind)
        for sku, name, flags in PRODUCTS:
            f.product(s, sku, CODE[sku], name=name, flags=flags, style=sku[:4])
        s.commit()
    shipped = (datetime.now(timezone.utc) - timedelta(days=2)).isoformat(timespec="seconds")
    path = tmp_path / "orders.csv"
    head = "order_no,shop,buyer_account,recipient,phone,province,city,district,address,courier,sku,qty,unit_price,"
    path.write_text(
        head + "status,tracking_no,shipped_at\n"
        f"Q1,演示店,tb_zhangwei,张伟,13812345678,浙江省,杭州市,西湖区,文三路1号,SF,TS01-RD-M,2,59.00,shipped,"
        f"SF9100000000001,{shipped}\n"
        f"Q2,演示店,tb_lina,李娜,13900001111,浙江省,杭州市,西湖区,文三路2号,SF,TS01-WH-M,1,59.00,shipped,"
        f"SF9100000000002,{shipped}\n"
        f"Q2,演示店,tb_lina,李娜,13900001111,浙江省,杭州市,西湖区,文三路2号,SF,UW01-BK-M,1,39.00,shipped,"
        f"SF9100000000002,{shipped}\n", encoding="utf-8")
    assert import_orders(sessions, path, "generic").ok
    with unit_of_work(sessions) as s:
        register_return(s, ReturnRequest("Q1", "YT7100000000001", "refund", "quality"), user="cs")
        s.commit()
    return sessions


@pytest.fixture
def screen(qtbot, warehouse) -> ReturnsScreen:
    screen = ReturnsScreen(BenchRunner(warehouse, "returns", "returns-1"))
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    qtbot.waitExposed(screen)
    assert scan(screen, CLERK_BADGE) == ["logged_in"]
    return screen


def scan(screen: ReturnsScreen, *raws: str) -> list[str]:
    return [screen.handle_scan(raw).code for raw in raws]


def items(screen: ReturnsScreen) -> list[tuple[str, str]]:
    """The items table as a person reads it: SKU and where it went."""
    table = screen.items
    return [(table.item(r, 0).text(), table.item(r, 3).text()) for r in range(table.rowCount())]


def on_hand(sessions, sku: str, location: str) -> int:
    with unit_of_work(sessions) as s:
        return ledger.on_hand(s, sku, location)


def test_a_scanned_return_goes_from_its_tracking_number_to_restock_and_quarantine(qtbot, make_window, warehouse):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, getattr(Qt.Key, f"Key_F{window.bench_names.index('returns') + 1}"))
    assert window.current == "returns" and type(window.screen) is ReturnsScreen is screen_class("returns")
    name_field = window.screen.fields["name"]
    name_field.setFocus()  # the clerk was about to type a note: the scanner still reaches the bench
    qtbot.waitUntil(lambda: window.focusWidget() is name_field)

    steps = ((CLERK_BADGE, "logged_in"), ("YT7100000000001", "return_matched"), (CODE["TS01-RD-M"], "item_accepted"),
             ("A-01-01-01", "item_restocked"), (CODE["TS01-RD-M"], "item_accepted"), ("QC-01", "item_quarantined"))
    for raw, code in steps:
        with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o, c=code: o.code == c):
            qtbot.keyClicks(name_field, raw)
            qtbot.keyClick(name_field, Qt.Key.Key_Return)
    assert name_field.text() == ""
    screen = window.screen
    assert screen.order_label.text() == "Order Q1 · 张伟"
    assert items(screen) == [("TS01-RD-M", "restocked A-01-01-01"), ("TS01-RD-M", "quarantined QC-01")]
    assert "the shop pays the return postage" in screen.items.item(0, 1).text()
    assert screen.banner.background().name() == AMBER
    assert on_hand(warehouse, "TS01-RD-M", "A-01-01-01") == 1 and on_hand(warehouse, "TS01-RD-M", "QC-01") == 1

    with qtbot.waitSignal(window.outcome_shown, check_params_cb=lambda o: o.code == "return_received"):
        qtbot.keyClicks(name_field, "CMD-DONE")
        qtbot.keyClick(name_field, Qt.Key.Key_Return)
    assert screen.receipt_label.text() == "No parcel open" and items(screen) == []
    assert screen.banner.background().name() == GREEN


def test_the_note_typed_in_the_form_finds_the_order_and_enter_on_a_candidate_confirms_it(qtbot, screen, warehouse):
    assert scan(screen, "YT7100000000009") == ["parcel_opened"]
    assert screen.next_step_text() == "Enter the note or scan the return slip"
    # what an input method commits into the fields: Chinese characters, a phone with spaces
    screen.fields["name"].setText("李娜")
    screen.fields["phone"].setText("139 0000 1111")
    screen.fields["text"].setText("尺码不合适，内裤未拆封")
    screen.fields["phone"].setFocus()
    with qtbot.waitSignal(screen.outcome_shown, check_params_cb=lambda o: o.code == "confident_match"):
        qtbot.keyClick(screen.fields["phone"], Qt.Key.Key_Return)
    assert screen.candidates.count() == 1 and screen.candidates.item(0).text().startswith("Q2 ")
    assert "phone: exact" in screen.candidates.item(0).text()
    assert all(not field.text() for field in screen.fields.values())
    assert screen.focusWidget() is screen.candidates

    with qtbot.waitSignal(screen.outcome_shown, check_params_cb=lambda o: o.code == "return_matched"):
        qtbot.keyClick(screen.candidates, Qt.Key.Key_Return)
    assert screen.order_label.text() == "Order Q2 · 李娜"
    assert scan(screen, CODE["UW01-BK-M"]) == ["item_refused"]
    assert "hygiene" in screen.items.item(0, 1).text()
    assert screen.next_step_text() == "Scan where it goes: a bin, quarantine or scrap"
    assert scan(screen, "QC-01", CODE["TS01-WH-M"], "A-01-01-01") == [
        "item_quarantined", "item_accepted", "item_restocked"]
    screen.exchange_sku.setText("TS01-RD-M")  # the buyer wants it in red
    with qtbot.waitSignal(screen.outcome_shown, check_params_cb=lambda o: o.code == "exchange_noted"):
        qtbot.keyClick(screen.exchange_sku, Qt.Key.Key_Return)
    assert scan(screen, "CMD-DONE") == ["return_received"]
    assert screen.banner.details[0].startswith("Exchange: new order Q2-EX")
    assert on_hand(warehouse, "UW01-BK-M", "QC-01") == 1 and on_hand(warehouse, "TS01-WH-M", "A-01-01-01") == 1


def test_a_refused_item_scanned_to_a_bin_stays_red_until_confirm_and_a_supervisor_can_override_it(screen, warehouse):
    assert scan(screen, "YT7100000000009", "NOTE:" + '{"name": "李娜", "phone": "13900001111"}', "CMD-CONFIRM",
                CODE["UW01-BK-M"], "A-01-01-01") == [
        "parcel_opened", "confident_match", "return_matched", "item_refused", "policy_refused"]
    assert screen.banner.background().name() == RED
    assert scan(screen, "SCRAP-01") == ["acknowledge_first"]
    assert screen.banner.background().name() == RED and "quarantine it" in screen.banner.message
    assert scan(screen, "CMD-CONFIRM") == ["error_acknowledged"]
    assert scan(screen, 'OVERRIDE:{"accept": true, "reason": "包装未拆"}') == ["scan_supervisor_badge"]
    assert screen.next_step_text() == "Supervisor: scan your badge"
    assert scan(screen, BOSS_BADGE, "A-01-01-01") == ["policy_overridden", "item_restocked"]
    assert screen.runner.user == CLERK  # the badge approved; it did not log the supervisor in
    assert "Overridden by 刘洋: 包装未拆" in screen.items.item(0, 1).text()
    assert on_hand(warehouse, "UW01-BK-M", "A-01-01-01") == 1


def test_the_missing_item_field_shows_the_packing_scans_of_the_parcel(qtbot, screen, warehouse):
    """The scan log as the pack bench leaves it (the CLI test packs for real: tests/e2e/test_returns_replay.py)."""
    from station.audit.models import ScanEvent
    from station.fulfilment.models import Order, Parcel

    closed = datetime.now(timezone.utc) - timedelta(days=2)
    with unit_of_work(warehouse) as s:
        order = s.scalar(select(Order).where(Order.order_no == "Q1"))
        s.add(Parcel(order_id=order.id, seq=1, courier="SF", tracking_no="SF9100000000101", status="shipped",
                     packed_by="张伟", station="pack-1", closed_at=closed))
        for seconds, raw, kind, value, code in ((-60, "PS:Q1", "order", "Q1", "order_opened"),
                                                (-30, CODE["TS01-RD-M"], "product", CODE["TS01-RD-M"], "item_ok"),
                                                (1, CODE["TS01-RD-M"], "product", CODE["TS01-RD-M"], "order_packed")):
            s.add(ScanEvent(at=closed + timedelta(seconds=seconds), raw=raw, kind=kind, value=value, bench="pack",
                            level="ok", code=code, user="张伟", station="pack-1"))
        s.commit()
    screen.trail_key.setText("SF9100000000101")
    with qtbot.waitSignal(screen.outcome_shown, check_params_cb=lambda o: o.code == "packing_trail"):
        qtbot.keyClick(screen.trail_key, Qt.Key.Key_Return)
    lines = [screen.trail.item(i).text() for i in range(screen.trail.count())]
    assert len(lines) == 3 and all("pack-1 张伟" in line for line in lines)
    assert lines[0].endswith("PS:Q1 → order_opened") and lines[2].endswith("→ order_packed")
    assert screen.banner.message == "Packing scans of order Q1: 3"


def test_customer_service_registers_a_return_from_the_orders_window_and_the_bench_matches_it_at_once(
        qtbot, warehouse):
    from station.returns.models import ExpectedReturn
    from station.ui.office.orders_window import OrdersWindow

    with unit_of_work(warehouse) as s:
        f.user(s, "客服小李", "U-CS1", "returns")  # customer service (售后)
        s.commit()
    window = OrdersWindow(warehouse, who=lambda: "客服小李")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded):  # the list loads on a thread
        window.set_filter("shipped")
    assert window.select("Q2")
    dialog = window.open_register_return()
    qtbot.addWidget(dialog)
    assert dialog.order_no.text() == "Q2"
    dialog.tracking.setText("YT7100000000001")  # Q1's return already has this number
    qtbot.keyClick(dialog.tracking, Qt.Key.Key_Return)
    assert "already registered for order Q1" in dialog.result.text()
    dialog.tracking.setText("YT7100000000002")
    dialog.type.setCurrentIndex(1)
    dialog.reason.setText("尺码偏小")
    with qtbot.waitSignal(dialog.registered):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.result.text() == "Return of order Q2 registered"
    with unit_of_work(warehouse) as s:
        row = s.scalar(select(ExpectedReturn).where(ExpectedReturn.return_tracking == "YT7100000000002"))
        assert (row.type, row.reason, row.created_by) == ("exchange", "尺码偏小", "客服小李")
    screen = ReturnsScreen(BenchRunner(warehouse, "returns", "returns-1"))
    qtbot.addWidget(screen)
    assert scan(screen, CLERK_BADGE, "YT7100000000002") == ["logged_in", "return_matched"]
    assert screen.order_label.text() == "Order Q2 · 李娜"
