"""A shop whose numbers come from an e-waybill service, packed at the bench on SQLite and on
PostgreSQL: the number taken from the (local stand-in of the) service is the parcel's, and its
waybill carries the courier's routing code and hub — or, with no number
taken yet, the bench packs it and the waybill job takes the number from the service after the scan,
then prints (a refusal fails the job with the service's reason; the outbox's retry asks again)."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from station import settings
from station.catalog.couriers import seed_couriers
from station.couriers import credentials
from station.db import open_database, unit_of_work
from station.documents.registry import build
from station.fulfilment.models import Order, Parcel
from station.fulfilment.orders import import_orders
from station.couriers.top import CainiaoAdapter
from station.fulfilment.waybills import WaybillError, issue_from_service
from station.inventory import ledger
from station.outbox.models import PrintJob
from station.workflows.runner import BenchRunner
from tests.support import factories as f
from tests.support.ewaybill_fixtures import file_keyring, services  # noqa: F401 (fixtures)
from tests.support.pdfcheck import pdf_text

ORDERS = """order_no,shop,recipient,phone,province,city,district,address,courier,sku,qty
T1,天猫店,王小明,13812345678,广东省,广州市,越秀区,中山五路33号,ZTO,A,1
T2,天猫店,李雷,13900001111,浙江省,杭州市,西湖区,文三路1号,ZTO,A,1
"""


def _tmall_shop(url, tmp_path, services):
    """Two ready ZTO orders of a shop whose numbers come from Cainiao (the local stand-in)."""
    engine, sessions = open_database(url)
    seed_couriers(sessions)
    with unit_of_work(sessions) as s:
        f.location(s, "A-01-01-01")
        f.location(s, "PACK-01", "packing")
        f.user(s, "ann", "U-ANN")
        f.product(s, "A", "BC-A", name="纯棉T恤")
        ledger.move(s, ledger.Move("A", 5, "ADJUSTMENT", "A-01-01-01", "opening"))
        settings.WAYBILL_SERVICE.write(s, "天猫店", "cainiao")
        s.commit()
    credentials.store("天猫店", "cainiao", services.credentials("cainiao"))
    (tmp_path / "o.csv").write_text(ORDERS, encoding="utf-8")
    assert import_orders(sessions, tmp_path / "o.csv", "generic").created == 2
    return engine, sessions


def test_a_service_number_is_packed_and_its_waybill_prints_the_couriers_routing_code(
        any_url, tmp_path, file_keyring, services):
    engine, sessions = _tmall_shop(any_url, tmp_path, services)
    issued = issue_from_service(sessions, "T1")
    assert (issued.tracking_no, issued.routing_code, issued.hub_name) == ("700000000001", "571 W02-08", "杭州转运中心")

    runner = BenchRunner(sessions, "pack", "S1")
    runner.login("ann")
    codes = []
    for raw in ["PS:T1", "BC-A", "700000000001"]:
        codes.append(runner.process(raw)[1].code)
        runner.finish_printing()
    assert codes == ["order_opened", "scan_waybill", "order_packed"], codes
    with unit_of_work(sessions) as s:
        parcel = s.scalar(select(Parcel).join(Order).where(Order.order_no == "T1"))
        assert (parcel.status, parcel.tracking_no, parcel.waybill_provider) == ("closed", "700000000001", "cainiao")
        # a pre-printed (service) waybill is not printed again at the close
        assert s.scalar(select(PrintJob.id).where(PrintJob.document == "waybill")) is None
        pdf = build(s, "waybill", ["T1"])  # as `station print waybill T1` makes it
    (text,) = pdf_text(pdf)
    assert "571 W02-08" in text and "杭州转运中心" in text and "700000000001" in text

    engine.dispose()


def _pack(runner, *scans):
    return [runner.process(raw)[1] for raw in scans]


def _job(sessions, order_no):
    with unit_of_work(sessions) as s:
        return s.execute(select(PrintJob.status, PrintJob.error, PrintJob.pdf)
                         .where(PrintJob.document == "waybill", PrintJob.reference == order_no)).one()


def test_the_bench_packs_an_order_without_its_number_and_the_waybill_job_takes_it_from_the_service_then_prints(
        any_url, tmp_path, file_keyring, services):
    engine, sessions = _tmall_shop(any_url, tmp_path, services)
    runner = BenchRunner(sessions, "pack", "S1")
    runner.login("ann")
    asked = len(services.cainiao.requests)
    outcomes = _pack(runner, "PS:T2", "BC-A")
    assert [o.code for o in outcomes] == ["order_opened", "order_packed"], [(o.code, o.message) for o in outcomes]
    assert outcomes[-1].message == "Order T2 packed: 1 parcel(s), waybill from cainiao, printing"
    # the scan asked nothing of the service: no network I/O on the scan's path, nor in its transaction
    assert len(services.cainiao.requests) == asked
    with unit_of_work(sessions) as s:
        parcel = s.scalar(select(Parcel).join(Order).where(Order.order_no == "T2"))
        assert (parcel.status, parcel.tracking_no, parcel.waybill_provider) == ("closed", None, "cainiao")
        assert s.scalar(select(Order.status).where(Order.order_no == "T2")) == "packed"
    assert _job(sessions, "T2")[0] == "rendering"  # the deferred "take the number, then print" job

    done = runner.finish_printing()
    assert done == 1, _job(sessions, "T2")[:2]  # after the outcome, as the bench's printing thread does it
    with unit_of_work(sessions) as s:
        parcel = s.scalar(select(Parcel).join(Order).where(Order.order_no == "T2"))
        assert (parcel.tracking_no, parcel.routing_code, parcel.hub_name) == ("700000000001", "571 W02-08", "杭州转运中心")
    status, error, pdf = _job(sessions, "T2")
    assert status == "printed", error
    (text,) = pdf_text(pdf)
    assert "700000000001" in text and "571 W02-08" in text and "杭州转运中心" in text
    engine.dispose()


def test_a_service_that_gives_no_number_fails_the_waybill_job_with_its_reason_and_a_retry_takes_it(
        any_url, tmp_path, file_keyring, services):
    from station import outbox

    engine, sessions = _tmall_shop(any_url, tmp_path, services)
    good = services.credentials("cainiao")
    credentials.store("天猫店", "cainiao", {**good, "app_secret": "not-the-secret"})
    runner = BenchRunner(sessions, "pack", "S1")
    runner.login("ann")
    assert [o.code for o in _pack(runner, "PS:T2", "BC-A")] == ["order_opened", "order_packed"]
    runner.finish_printing()
    status, error, _pdf = _job(sessions, "T2")
    assert status == "failed"
    assert "T2" in error and "cainiao" in error and "Invalid signature" in error, error
    assert services.cainiao.issued == {}
    with unit_of_work(sessions) as s:
        assert s.scalar(select(Parcel.tracking_no).join(Order).where(Order.order_no == "T2")) is None
        job_id = s.scalar(select(PrintJob.id).where(PrintJob.document == "waybill"))

    credentials.store("天猫店", "cainiao", good)  # fixed: the outbox's retry asks again and prints
    result = outbox.render_again(sessions, job_id)
    assert result.status == "printed", result.error
    with unit_of_work(sessions) as s:
        assert s.scalar(select(Parcel.tracking_no).join(Order).where(Order.order_no == "T2")) == "700000000001"
    engine.dispose()


def test_a_number_taken_meanwhile_at_another_station_is_kept_and_the_second_is_given_back(
        any_url, tmp_path, file_keyring, services, monkeypatch):
    from station.fulfilment.packed_numbers import issue_for_closed

    engine, sessions = _tmall_shop(any_url, tmp_path, services)
    runner = BenchRunner(sessions, "pack", "S1")
    runner.login("ann")
    _pack(runner, "PS:T2", "BC-A")
    asked = CainiaoAdapter.issue

    def another_station_numbers_it_first(self, request):
        got = asked(self, request)
        with unit_of_work(sessions) as s:
            s.execute(update(Parcel).where(Parcel.tracking_no.is_(None)).values(tracking_no="700000009999"))
            s.commit()
        return got

    monkeypatch.setattr(CainiaoAdapter, "issue", another_station_numbers_it_first)
    assert issue_for_closed(sessions, "T2") == []
    assert services.cainiao.cancelled == ["700000000001"]
    with unit_of_work(sessions) as s:
        assert s.scalar(select(Parcel.tracking_no).join(Order).where(Order.order_no == "T2")) == "700000009999"
    engine.dispose()


def test_an_order_cancelled_while_the_service_answered_gives_its_number_back(
        any_url, tmp_path, file_keyring, services, monkeypatch):
    engine, sessions = _tmall_shop(any_url, tmp_path, services)
    asked = CainiaoAdapter.issue

    def issue_while_the_shop_cancels(self, request):
        got = asked(self, request)
        with unit_of_work(sessions) as s:  # another desk cancels the order meanwhile
            s.execute(update(Order).where(Order.order_no == request.order_no).values(status="cancelled"))
            s.commit()
        return got

    monkeypatch.setattr(CainiaoAdapter, "issue", issue_while_the_shop_cancels)
    with pytest.raises(WaybillError, match="cancelled"):
        issue_from_service(sessions, "T1")
    assert services.cainiao.cancelled == ["700000000001"]
    with unit_of_work(sessions) as s:
        assert s.scalar(select(Parcel.id).join(Order).where(Order.order_no == "T1")) is None
    engine.dispose()


def test_station_waybills_issue_takes_the_number_of_a_packed_parcel_that_waits_for_it(
        any_url, tmp_path, file_keyring, services):
    import json

    from click.testing import CliRunner

    from station import outbox
    from station.cli import main

    engine, sessions = _tmall_shop(any_url, tmp_path, services)
    with unit_of_work(sessions) as s:
        f.user(s, "boss", "U-BOSS", roles="supervisor")
        s.commit()
    good = services.credentials("cainiao")
    credentials.store("天猫店", "cainiao", {**good, "session": "expired"})
    runner = BenchRunner(sessions, "pack", "S1")
    runner.login("ann")
    _pack(runner, "PS:T2", "BC-A")
    runner.finish_printing()
    assert _job(sessions, "T2")[0] == "failed"

    credentials.store("天猫店", "cainiao", good)
    result = CliRunner().invoke(main, ["--db", any_url, "waybills", "issue", "T2", "--user", "boss"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "order_no": "T2", "ok": True, "provider": "cainiao", "tracking_no": "700000000001",
        "routing_code": "571 W02-08", "hub_name": "杭州转运中心", "hub_code": "571000"}
    with unit_of_work(sessions) as s:
        job_id = s.scalar(select(PrintJob.id).where(PrintJob.document == "waybill"))
    assert outbox.render_again(sessions, job_id).status == "printed"
    assert len(services.cainiao.issued) == 1  # the retry asked nothing more of the service
    # what the parcel holds went to the service with the request
    apply = json.loads(services.cainiao.requests[-1]["param_waybill_cloud_print_apply_new_request"])
    assert apply["trade_order_info_dtos"][0]["package_info"]["items"] == [{"name": "纯棉T恤", "count": 1}]
    engine.dispose()
