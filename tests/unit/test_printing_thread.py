"""A bench prints on a thread of its own: a printer that does not answer delays the waybill,
never the next scan (replay and GUI alike: both call ``BenchRunner.print_in_background``)."""
from __future__ import annotations

import os
import stat
import time

from sqlalchemy import select

from station.db import open_database, unit_of_work
from station.fulfilment.orders import import_orders
from station.fulfilment.waybills import add_numbers, number_range
from station.inventory import ledger
from station.outbox.models import PrintJob
from station.settings import Setting
from station.catalog.couriers import seed_couriers
from station.workflows.runner import BenchRunner
from tests.support import factories as f

ORDERS = "order_no,recipient,phone,province,city,address,courier,sku,qty\n" + "".join(
    f"H{n},王小明,13812345678,广东省,广州市,中山五路{n}号,SF,A,1\n" for n in range(3))


def test_the_pack_bench_answers_every_scan_while_the_printer_hangs(any_url, tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in (("lpstat", 'echo "printer zebra is idle.  enabled since Mon 01 Jan 2024"'),
                       ("lp", f'cat > /dev/null\ntouch "{bin_dir}/hanging"\n'
                             f'for i in $(seq 600); do [ -e "{bin_dir}/release" ] && break; sleep 0.1; done\n'
                             'echo "request id is zebra-1"')):
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755 | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    engine, sessions = open_database(any_url)
    seed_couriers(sessions)
    with unit_of_work(sessions) as s:
        f.location(s, "A-01-01-01")
        f.location(s, "PACK-01", "packing")
        f.user(s, "ann", "U-ANN")
        f.product(s, "A", "BC-A", name="杯子")
        ledger.move(s, ledger.Move("A", 10, "ADJUSTMENT", "A-01-01-01", "opening"))
        add_numbers(s, "SF", number_range("SF", 500000000000, 10, 13))
        s.add(Setting(key="printer.default", value="cups:zebra"))
        s.commit()
    (tmp_path / "o.csv").write_text(ORDERS, encoding="utf-8")
    assert import_orders(sessions, tmp_path / "o.csv", "generic").created == 3

    runner = BenchRunner(sessions, "pack", "S1")
    runner.login("ann")
    assert [runner.process(raw)[1].code for raw in ("PS:H0", "BC-A")] == ["order_opened", "order_packed"]
    runner.print_in_background()
    deadline = time.monotonic() + 30
    while not (bin_dir / "hanging").exists():  # the first waybill is drawn and goes to the printer, which hangs
        assert time.monotonic() < deadline, "the waybill never reached the printer"
        time.sleep(0.05)
    answered = []
    for raw in ("PS:H1", "BC-A", "PS:H2", "BC-A"):
        code = runner.process(raw)[1].code
        runner.print_in_background()  # as the replay loop and the GUI call it after every scan
        answered.append(code)
    assert answered == ["order_opened", "order_packed"] * 2
    with unit_of_work(sessions) as s:  # every scan was answered while the printer still held the first waybill
        first = s.scalar(select(PrintJob).where(PrintJob.document == "waybill").order_by(PrintJob.id))
        assert first.status == "sending", first.status
    (bin_dir / "release").touch()  # the printer answers at last
    assert runner.wait_printing(timeout=60)
    with unit_of_work(sessions) as s:
        jobs = list(s.scalars(select(PrintJob).where(PrintJob.document == "waybill")))
    assert len(jobs) == 3 and {j.status for j in jobs} == {"printed"}, [(j.status, j.error) for j in jobs]
    engine.dispose()


def test_a_second_job_of_the_same_document_deferred_while_the_first_is_drawn_is_drawn_too(sqlite_url, monkeypatch):
    """CI caught it under load: the last order's waybill was drawn while REPRINT deferred a second
    job of the same document and order; drawing the first forgot the second, which never printed."""
    import station.outbox as outbox

    engine, sessions = open_database(sqlite_url)
    runner = BenchRunner(sessions, "pack", "pack-1")
    key = ("waybill", "P2")
    drawn: list[set] = []

    def render(_sessions, mine, on_sent=None):
        drawn.append(set(mine))
        if len(drawn) == 1:  # the REPRINT scan commits its job while the first is being drawn
            with runner._mine_lock:
                runner._mine.update([key])
            runner._print_pending = True
        return 1

    monkeypatch.setattr(outbox, "render_deferred", render)
    runner._mine.update([key])
    runner._print_pending = True
    runner.finish_printing()
    assert runner._print_pending and runner._mine[key] == 1  # the second job is still to be drawn
    runner.finish_printing()
    assert drawn == [{key}, {key}] and runner._mine[key] == 0
    engine.dispose()
