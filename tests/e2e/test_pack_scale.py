"""The scale at the pack bench (issue 18), end to end on SQLite and on the real PostgreSQL server:
the runner weighs parcels before they close, the weight is kept with the parcel and printed on its
waybill, a supervisor's release is in the audit, the learned weight comes from the stored parcels,
and `station replay pack --scale` reads a scale (a pseudo-terminal pair) or a script's WEIGHT lines."""
from __future__ import annotations

import json
import threading
import time
from decimal import Decimal

import pytest
from sqlalchemy import select

from station.audit.models import AuditEntry
from station.db import open_database, read_only, unit_of_work
from station.fulfilment.models import Order, Parcel
from station.weighing import contents_key
from station.workflows.runner import BenchRunner
from tests.e2e.test_cli import station
from tests.e2e.test_pack_replay import shop  # noqa: F401 - the fixture
from tests.support.sql import connect

SUPERVISOR_BADGE, PACKER_BADGE = "U-1004", "U-1001"


def weight_of(url: str, sku: str) -> int:
    con = connect(url)
    (grams,) = con.execute(f"select weight_g from product where sku = '{sku}'").fetchone()
    con.close()
    return grams


def runner_for(url: str, scale: bool = True) -> tuple[BenchRunner, object]:
    engine, sessions = open_database(url)
    runner = BenchRunner(sessions, "pack", "pack-1")
    assert runner.login("张伟").code == "logged_in"
    runner.attach_scale(scale)
    return runner, sessions


def parcel_of(sessions, order_no: str) -> Parcel:
    with read_only(sessions) as s:
        order = s.scalar(select(Order).where(Order.order_no == order_no))
        (parcel,) = [p for p in order.parcels if p.status == "closed"]
        s.expunge(parcel)
        return parcel


def codes(runner, *scans):
    return [runner.process_line(line)[1].code for line in scans]


def test_a_fitting_weight_closes_the_parcel_keeps_the_weight_and_prints_it_on_the_waybill(shop):  # noqa: F811
    url, _orders, code = shop
    runner, sessions = runner_for(url)
    expected = 2 * weight_of(url, "PN-002")
    assert codes(runner, "PS:P4", code[("PN-002", 1)], code[("PN-002", 1)]) == ["order_opened", "item_ok",
                                                                                  "weigh_parcel"]
    assert runner.waiting_for_weight()
    scan, outcome = runner.weigh(Decimal(expected + 7))
    assert outcome.code == "order_packed" and outcome.kind == "weight", outcome
    assert not runner.waiting_for_weight()
    parcel = parcel_of(sessions, "P4")
    assert (parcel.weight_g, parcel.weight_expected_g, parcel.weight_basis) == (expected + 7, expected, "products")
    assert parcel.contents_key == contents_key([("PN-002", 2)]) and parcel.weight_released_by is None
    with read_only(sessions) as s:
        from station.fulfilment.packing import waybill_documents

        order = s.scalar(select(Order).where(Order.order_no == "P4"))
        (waybill,) = waybill_documents(s, order, [p for p in order.parcels if p.status == "closed"])
        assert waybill.weight_kg == (Decimal(expected + 7) / 1000).quantize(Decimal("0.01"))
    con = connect(url)
    rows = con.execute("select raw, source, code, kind from scan_event where bench = 'pack' order by id").fetchall()
    con.close()
    assert tuple(rows[-1]) == (f"WEIGHT {Decimal(expected + 7) / 1000:.3f}", "scale", "order_packed", "weight")


def test_a_mismatch_is_held_until_a_supervisor_lets_it_go_and_the_audit_names_them_and_their_role(shop):  # noqa: F811
    url, _orders, code = shop
    runner, sessions = runner_for(url)
    codes(runner, "PS:P5", code[("TS03-WH-S", 1)])
    assert runner.weigh(Decimal(5000))[1].code == "weight_mismatch"
    assert codes(runner, "CMD-CONFIRM", code[("TS03-WH-S", 1)]) == ["weight_held", "weight_held"]
    assert codes(runner, PACKER_BADGE) == ["supervisor_required"]
    assert runner.user == "张伟"  # a badge during the hold is an approval, not a login
    assert codes(runner, SUPERVISOR_BADGE) == ["order_packed"]
    assert runner.user == "张伟"
    parcel = parcel_of(sessions, "P5")
    assert (parcel.weight_g, parcel.weight_released_by) == (5000, "刘洋")
    with read_only(sessions) as s:
        (entry,) = s.scalars(select(AuditEntry).where(AuditEntry.action == "pack.weight_release")).all()
        assert (entry.user, entry.outcome, entry.target, entry.station) == ("刘洋", "permitted", "P5", "pack-1")
        assert "role supervisor" in entry.detail and "packer 张伟" in entry.detail and "5000" in entry.detail


def test_an_unsettled_or_offline_scale_keeps_the_bench_waiting_and_weigh_reads_again(shop):  # noqa: F811
    url, _orders, code = shop
    runner, sessions = runner_for(url)
    grams = weight_of(url, "TS03-WH-S")
    codes(runner, "PS:P5", code[("TS03-WH-S", 1)])
    assert runner.weigh(None, "unstable")[1].code == "weight_unstable"
    assert runner.weigh(None, "offline")[1].code == "scale_offline"
    assert runner.waiting_for_weight()
    assert codes(runner, "CMD-WEIGH", f"WEIGHT {grams} g") == ["weigh_parcel", "order_packed"]
    assert parcel_of(sessions, "P5").weight_g == grams


def test_the_learned_weight_of_contents_shipped_three_times_decides(shop):  # noqa: F811
    url, _orders, code = shop
    key = contents_key([("TS03-WH-S", 1)])
    engine, sessions = open_database(url)
    with unit_of_work(sessions) as s:  # three earlier parcels of the same contents, weighed and shipped
        for n, (order_no, grams) in enumerate((("P1", 420), ("P2", 424), ("P3", 418)), start=1):
            order = s.scalar(select(Order).where(Order.order_no == order_no))
            s.add(Parcel(order_id=order.id, seq=9, courier="SF", status="shipped", weight_g=grams,
                         contents_key=key, tracking_no=f"SFLEARN{n}"))
        s.commit()
    from station.fulfilment.weighing import expectation_for

    with read_only(sessions) as s:
        learned = expectation_for(s, {"TS03-WH-S": 1})
    assert learned.basis == "learned" and learned.grams == Decimal("420.7") and learned.shipments == 3
    runner, sessions = runner_for(url)
    codes(runner, "PS:P5", code[("TS03-WH-S", 1)])
    products = weight_of(url, "TS03-WH-S")
    assert runner.weigh(Decimal(products))[1].code == "weight_mismatch"  # the products' sum: not these contents
    assert codes(runner, "CMD-WEIGH", "WEIGHT 0.419") == ["weigh_parcel", "order_packed"]
    assert parcel_of(sessions, "P5").weight_basis == "learned"


def test_without_a_scale_packing_is_as_before_and_a_weight_line_is_not_used(shop):  # noqa: F811
    url, _orders, code = shop
    runner, sessions = runner_for(url, scale=False)
    assert codes(runner, "PS:P5", code[("TS03-WH-S", 1)], "WEIGHT 0.400") == ["order_opened", "order_packed",
                                                                               "weight_not_expected"]
    assert parcel_of(sessions, "P5").weight_g is None
    assert "weighing" not in runner.bench.snapshot()


def test_replay_with_a_scripted_scale_weighs_from_weight_lines(shop):  # noqa: F811
    url, _orders, code = shop
    grams = weight_of(url, "TS03-WH-S")
    result = station("--db", url, "replay", "pack", "--user", "张伟", "--station", "pack-1", "--scale", "script",
                     stdin="\n".join(["PS:P5", code[("TS03-WH-S", 1)], "WEIGHT unstable", f"WEIGHT {grams} g"]) + "\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [l["code"] for l in lines] == ["order_opened", "weigh_parcel", "weight_unstable", "order_packed"]
    assert lines[-1]["kind"] == "weight" and lines[-1]["source"] == "scale"
    assert station("--db", url, "replay", "pack", "--user", "张伟", "--scale", "serial:").returncode == 2


def test_replay_with_a_serial_scale_on_a_pty_reads_the_settled_weight(shop):  # noqa: F811
    from tests.unit.test_scale_reader import FakeScale

    url, _orders, code = shop
    grams = weight_of(url, "TS03-WH-S")
    scale = FakeScale()
    stop = threading.Event()

    def stream():  # a continuous scale: a moving reading, then the parcel at rest
        for _ in range(5):
            scale.send("US,GS,+0000.100kg\r\n")
            time.sleep(0.05)
        while not stop.is_set():
            scale.send(f"ST,GS,+{Decimal(grams) / 1000:09.3f}kg\r\n")
            time.sleep(0.05)

    feeder = threading.Thread(target=stream, daemon=True)
    feeder.start()
    try:
        result = station("--db", url, "replay", "pack", "--user", "张伟", "--station", "pack-1",
                         "--scale", f"serial:{scale.path}:9600:continuous",
                         stdin="\n".join(["PS:P5", code[("TS03-WH-S", 1)]]) + "\n")
    finally:
        stop.set()
        feeder.join(2)
        scale.close()
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [l["code"] for l in lines] == ["order_opened", "weigh_parcel", "order_packed"], lines
    assert lines[-1]["scan"] == f"WEIGHT {Decimal(grams) / 1000:.3f}" and lines[-1]["source"] == "scale"
    engine, sessions = open_database(url)
    assert parcel_of(sessions, "P5").weight_g == grams


def test_the_evidence_and_the_returns_missing_item_lookup_show_the_weights_read_and_expected(shop):  # noqa: F811
    from station.i18n import render
    from station.workflows.runner import BenchRunner

    url, _orders, code = shop
    runner, sessions = runner_for(url)
    codes(runner, "PS:P5", code[("TS03-WH-S", 1)])
    expected = weight_of(url, "TS03-WH-S")
    assert runner.weigh(Decimal(expected + 3))[1].code == "order_packed"
    tracking = parcel_of(sessions, "P5").tracking_no
    shown = station("--db", url, "evidence", tracking, "--show", "--user", "刘洋")
    assert shown.returncode == 0, shown.stderr
    facts = json.loads(shown.stdout)
    assert facts["weights"]["read_g"] == expected + 3
    assert facts["weights"]["parcels"] == [{"tracking": tracking, "read_g": expected + 3, "expected_g": expected,
                                            "basis": "products", "released_by": None}]
    assert [s["code"] for s in facts["scans"]] == ["order_opened", "weigh_parcel", "order_packed"]
    assert facts["scans"][-1]["scan"].startswith("WEIGHT ")

    returns = BenchRunner(sessions, "returns", "ret-1")
    assert returns.login("刘洋").code == "logged_in"
    _scan, outcome = returns.process("TRAIL:" + tracking)
    assert outcome.code == "packing_trail"
    lines = [render(d) for d in outcome.details]
    assert lines[0] == f"Weight of {tracking}: read {expected + 3} g, expected {expected} g", lines
    assert any("WEIGHT " in line and "order_packed" in line for line in lines[1:])


def test_the_packaging_weight_and_tolerance_are_set_by_a_supervisor_and_change_the_expected_weight(shop):  # noqa: F811
    url, _orders, code = shop
    assert json.loads(station("--db", url, "weighing").stdout) == {"packaging_g": 0, "tolerance_pct": 5}
    refused = station("--db", url, "weighing", "--packaging-g", "60", "--user", "张伟")
    assert refused.returncode == 3 and "needs the role" in refused.stderr
    done = station("--db", url, "weighing", "--packaging-g", "60", "--tolerance-pct", "8", "--user", "刘洋")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"packaging_g": 60, "tolerance_pct": 8}
    from station.fulfilment.weighing import expectation_for

    engine, sessions = open_database(url)
    grams = weight_of(url, "TS03-WH-S")
    with read_only(sessions) as s:
        expected = expectation_for(s, {"TS03-WH-S": 1})
    assert expected.grams == grams + 60 and expected.high == (grams + 60) * Decimal("1.08")
