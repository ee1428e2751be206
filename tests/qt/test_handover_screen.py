"""The handover bench screen: the courier's list, what is still to come and every courier on screen;
a refused parcel stays red until CONFIRM; DONE closes the list and REPRINT prints it again."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from station.db import unit_of_work
from station.fulfilment.models import Order, Parcel, ParcelItem
from station.i18n import set_language
from station.inventory import ledger
from station.ui.benches import HandoverScreen, screen_class
from station.ui.widgets.banner import COLOURS
from station.workflows.runner import BenchRunner
from tests.support import factories as f

PACKER, BADGE = "张伟", "U-1001"
RED, GREEN = COLOURS["error"][0], COLOURS["ok"][0]
# order, courier, waybill, minutes ago it was packed
PARCELS = (("D1", "SF", "SF1000000000001", 30), ("D2", "SF", "SF1000000000002", 20),
           ("D3", "SF", "SF1000000000003", 10), ("D4", "YTO", "YT1000000000004", 5))


@pytest.fixture
def warehouse(sessions):
    """Four packed parcels in PACK-01: three SF, one YTO, each one T-shirt."""
    now = datetime.now(timezone.utc)
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        f.user(s, PACKER, BADGE, "packer")
        f.product(s, "TS01-RD-M", "6912345000024", name="纯棉圆领T恤")
        f.location(s, "PACK-01", "packing")
        ledger.move(s, ledger.Move("TS01-RD-M", len(PARCELS), "ADJUSTMENT", "PACK-01", "opening"))
        for order_no, courier, tracking, ago in PARCELS:
            order = Order(order_no=order_no, recipient="王小明", phone="13800000000", address="文三路1号",
                          courier=courier, status="packed", fingerprint=order_no, imported_at=now)
            s.add(order)
            s.flush()
            parcel = Parcel(order_id=order.id, seq=1, courier=courier, tracking_no=tracking, status="closed",
                            station="pack-1", closed_at=now - timedelta(minutes=ago))
            parcel.items.append(ParcelItem(sku="TS01-RD-M", qty=1))
            s.add(parcel)
        s.commit()
    return sessions


@pytest.fixture
def screen(qtbot, warehouse) -> HandoverScreen:
    screen = screen_class("handover")(BenchRunner(warehouse, "handover", "dock-1"))
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    screen.show()
    qtbot.waitExposed(screen)
    assert type(screen) is HandoverScreen
    assert scan(screen, BADGE) == ["logged_in"]
    return screen


def scan(screen: HandoverScreen, *raws: str) -> list[str]:
    return [screen.handle_scan(raw).code for raw in raws]


def rows(table) -> list[tuple[str, ...]]:
    return [tuple(table.item(r, c).text() for c in range(table.columnCount())) for r in range(table.rowCount())]


def test_the_list_what_is_still_to_come_and_every_courier_are_on_screen(screen):
    assert scan(screen, "SF1000000000002", "SF1000000000001") == ["parcel_added", "parcel_added"]
    assert screen.list_label.text().startswith("SF list H")
    assert screen.count_label.text() == "2 parcels on the list"
    assert rows(screen.on_table) == [("SF1000000000001", "D1"), ("SF1000000000002", "D2")]
    assert screen.waiting_caption.text() == "Packed, on no list: 1"
    assert rows(screen.waiting_table) == [("SF1000000000003", "D3")]
    handover = screen.state.handover
    assert rows(screen.couriers_table) == [("SF", handover, "2", "1"), ("YTO", "—", "0", "1")]
    assert [r[0] for r in rows(screen.recent_table)] == ["✓ SF1000000000001", "✓ SF1000000000002"]


def test_a_refused_parcel_stays_red_until_confirm_and_the_next_parcel_waits(screen):
    scan(screen, "SF1000000000001")
    assert scan(screen, "YT1000000000004") == ["wrong_courier"]
    assert screen.banner.background().name() == RED and "YT1000000000004" in screen.banner.message
    assert scan(screen, "SF1000000000002") == ["acknowledge_first"]
    assert screen.banner.background().name() == RED and "goes with YTO" in screen.banner.message
    assert screen.next_label.text() == "Next: Scan CONFIRM to continue"
    assert rows(screen.on_table) == [("SF1000000000001", "D1")]  # nothing was added meanwhile
    assert rows(screen.recent_table)[0][0] == "✗ YT1000000000004"
    assert scan(screen, "CMD-CONFIRM", "SF1000000000002") == ["error_acknowledged", "parcel_added"]
    assert screen.banner.background().name() == GREEN


def test_done_closes_the_list_reprint_prints_it_again_and_the_board_stays(screen, warehouse):
    scan(screen, "SF1000000000001", "SF1000000000002", "SF1000000000003")
    handover = screen.state.handover
    assert scan(screen, "CMD-DONE", "CMD-REPRINT") == ["handover_closed", "handover_reprinted"]
    assert screen.list_label.text() == "No list open: scan a parcel to open its courier's list"
    assert screen.count_label.text() == f"Last closed: {handover}"
    assert rows(screen.on_table) == [] and rows(screen.couriers_table) == [("YTO", "—", "0", "1")]
    with unit_of_work(warehouse) as s:
        from sqlalchemy import select

        from station.outbox.models import PrintJob

        jobs = s.execute(select(PrintJob.reference, PrintJob.reprint).where(PrintJob.document == "handover")
                         .order_by(PrintJob.id)).all()
    assert [tuple(j) for j in jobs] == [(handover, False), (handover, True)]


def test_a_restart_shows_the_same_board_and_the_waiting_error(qtbot, screen, warehouse):
    scan(screen, "SF1000000000001", "SF9999999999999")
    again = HandoverScreen(BenchRunner(warehouse, "handover", "dock-1"))
    qtbot.addWidget(again)
    assert rows(again.on_table) == [("SF1000000000001", "D1")]
    assert again.banner.background().name() == RED and "SF9999999999999" in again.banner.message


def test_the_board_speaks_chinese(screen):
    scan(screen, "SF1000000000001")
    set_language("zh_CN")
    try:
        screen.retranslate()
        assert "交接" in screen.couriers_caption.text() or "快递" in screen.couriers_caption.text()
        assert screen.on_table.horizontalHeaderItem(0).text() != "Waybill"
    finally:
        set_language("en")
