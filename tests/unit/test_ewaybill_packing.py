"""A shop whose numbers come from an e-waybill service, packed at the bench on SQLite and on
PostgreSQL: the number taken from the (local stand-in of the) service is the parcel's, and its
waybill carries the courier's routing code and hub — or, with no number
taken yet, the packer is told to take it first and nothing is packed."""
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

    # T2's number was never taken: the close says to take it first, and nothing is packed
    outcomes = [runner.process(raw)[1] for raw in ["PS:T2", "BC-A"]]
    assert "station waybills issue T2" in outcomes[-1].message, [(o.code, o.message) for o in outcomes]
    with unit_of_work(sessions) as s:
        assert s.scalar(select(Order.status).where(Order.order_no == "T2")) == "ready"
        assert s.scalar(select(Parcel.id).join(Order).where(Order.order_no == "T2")) is None
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
