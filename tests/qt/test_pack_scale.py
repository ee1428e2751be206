"""The pack bench's scale in the GUI (issue 18): read on a worker thread, never on the GUI thread, and
the reading given to the bench as an input event; "no scale" said once; "weigh to test" in settings."""
from __future__ import annotations

import threading
from decimal import Decimal

from sqlalchemy import select

from station.db import read_only
from station.fulfilment.models import Order
from station.weighing.protocols import Reading
from station.weighing.reader import Settled
from station.weighing.spec import parse_scale_spec
from tests.qt.conftest import BADGE
from tests.qt.test_pack_screen import CODE, warehouse  # noqa: F401 - the fixture: make_window opens on it


class FakeReader:
    """A ScaleReader as the GUI uses it: start, stop, state, and stable_weight (which thread asked)."""

    def __init__(self, settled: Settled) -> None:
        self.settled, self.state, self.reason, self.detail = settled, "connected", "", ""
        self.asked_on: list[threading.Thread] = []

    def start(self):
        return self

    def stop(self):
        self.state = "stopped"

    def stable_weight(self, timeout):
        self.asked_on.append(threading.current_thread())
        return self.settled


def weighed_window(make_window, reader):
    from station.ui.pack_scale import PackScale

    window = make_window()
    window.pack_scale = PackScale(window, parse_scale_spec("serial:/dev/ttyUSB0"), reader=reader)
    for screen in window.screens.values():
        window.pack_scale.attach(screen.runner)
    window.switch_to("pack")
    return window


def test_the_last_item_is_weighed_on_a_worker_thread_and_the_parcel_closes_with_its_weight(qtbot, make_window):
    reader = FakeReader(Settled(Reading(Decimal(412), True)))
    window = weighed_window(make_window, reader)
    assert [window.handle_scan(raw).code for raw in (BADGE, "PS:P5")] == ["logged_in", "order_opened"]
    with qtbot.waitSignal(window.outcome_shown, timeout=10000,
                          check_params_cb=lambda outcome: outcome.code == "order_packed"):
        assert window.handle_scan(CODE["TS03-WH-S"]).code == "weigh_parcel"
    assert reader.asked_on and reader.asked_on[0] is not threading.main_thread()
    assert window.screen.last_outcome.code == "order_packed"
    with read_only(window.sessions) as s:
        order = s.scalar(select(Order).where(Order.order_no == "P5"))
        assert [p.weight_g for p in order.parcels if p.status == "closed"] == [412]
    assert window.pack_scale.label.text().startswith("Scale: serial:/dev/ttyUSB0")


def test_an_offline_scale_says_so_in_the_bench_and_the_status_bar(qtbot, make_window):
    reader = FakeReader(Settled(None, "offline"))
    reader.state, reader.reason = "offline", "missing"
    window = weighed_window(make_window, reader)
    window.handle_scan(BADGE)
    window.handle_scan("PS:P5")
    with qtbot.waitSignal(window.outcome_shown, timeout=10000,
                          check_params_cb=lambda outcome: outcome.code == "scale_offline"):
        window.handle_scan(CODE["TS03-WH-S"])
    qtbot.waitUntil(lambda: window.pack_scale.label.text() == "Scale: offline")


def test_without_a_scale_the_status_bar_says_it_once_and_packing_is_as_before(qtbot, make_window):
    window = make_window()
    window.start_pack_scale(parse_scale_spec("none"))
    assert window.pack_scale is None
    assert window.statusBar().currentMessage() == "No scale set: parcels are packed without weighing"
    window.switch_to("pack")
    codes = [window.handle_scan(raw).code for raw in (BADGE, "PS:P5", CODE["TS03-WH-S"])]
    assert codes == ["logged_in", "order_opened", "order_packed"]


def test_weigh_to_test_in_the_settings_reads_the_scale_on_a_worker_thread(qtbot):
    from station.ui.pack_scale import ScaleChooser

    chooser = ScaleChooser("serial:/dev/ttyUSB0:9600:mt-sics")
    qtbot.addWidget(chooser)
    reader = FakeReader(Settled(Reading(Decimal(1250), True)))
    with qtbot.waitSignal(chooser.tested, timeout=5000, check_params_cb=lambda text: "1.250 kg" in text):
        chooser.start_test(reader=reader)
    assert chooser.result.text() == "The scale reads 1.250 kg"
    assert reader.asked_on[0] is not threading.main_thread() and reader.state == "stopped"
    with qtbot.waitSignal(chooser.tested, timeout=5000, check_params_cb=lambda text: "offline" in text):
        chooser.start_test(reader=FakeReader(Settled(None, "offline")))
    chooser.edit.setText("serial:")
    assert not chooser.validate() and "serial port" in chooser.result.text()


def test_the_app_reads_the_scale_from_the_settings_and_a_missing_one_shows_offline(qtbot, warehouse, settings,
                                                                                    dialogs, sqlite_url, tmp_path):
    from station.ui.app import build

    settings.scale = f"serial:{tmp_path / 'ttyNone'}"
    window = build(sqlite_url, settings=settings, dialogs=dialogs)
    qtbot.addWidget(window)
    try:
        assert window.pack_scale is not None and str(window.pack_scale.spec) == f"serial:{tmp_path / 'ttyNone'}"
        qtbot.waitUntil(lambda: window.pack_scale.label.text() == "Scale: offline", timeout=5000)
        assert window.screen_for("pack").runner.bench.memory["scale"] is True
    finally:
        window.close()
    window = build(sqlite_url, settings=settings, dialogs=dialogs, scale="none")  # station --scale none
    qtbot.addWidget(window)
    assert window.pack_scale is None
    assert window.statusBar().currentMessage() == "No scale set: parcels are packed without weighing"
    window.close()


def test_the_settings_dialog_sets_the_scale_and_a_supervisor_the_packaging_and_tolerance(qtbot, warehouse,
                                                                                        settings):
    from station.db import unit_of_work
    from station.fulfilment.weighing import weighing_settings
    from station.ui.settings_dialog import SettingsDialog
    from tests.support import factories as f

    with unit_of_work(warehouse) as s:
        f.user(s, "刘洋", "U-1004", "supervisor")
        s.commit()
    packer = SettingsDialog(settings, sessions=warehouse, user="张伟")
    qtbot.addWidget(packer)
    assert not packer.packaging.isEnabled() and not packer.tolerance.isEnabled()
    packer.scale.edit.setText("serial:/dev/ttyUSB0:9600:mt-sics")
    assert packer.save()["scale"] == ("none", "serial:/dev/ttyUSB0:9600:mt-sics")
    assert settings.scale == "serial:/dev/ttyUSB0:9600:mt-sics" and weighing_settings(warehouse) == (0, 5)

    supervisor = SettingsDialog(settings, sessions=warehouse, user="刘洋")
    qtbot.addWidget(supervisor)
    assert supervisor.packaging.isEnabled()
    supervisor.packaging.setValue(60)
    supervisor.tolerance.setValue(7)
    assert supervisor.save()["weighing"] == ((0, 5), (60, 7))
    assert weighing_settings(warehouse) == (60, 7)
