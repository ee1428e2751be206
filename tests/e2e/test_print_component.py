"""Waybills printed through the Cainiao print component as a printer (``cainiao:PRINTER``),
against a local WebSocket stand-in of the component, on SQLite and on PostgreSQL: the service's
print data goes to it untouched; a waybill without it, or a printer the component does not
have, fails the job with a message and loses nothing."""
from __future__ import annotations

import json

import pytest

from station.couriers import ServiceError
from station.couriers.print_component import PrintComponent, print_documents
from tests.e2e.test_ewaybill_cli import SUPERVISOR, cli, ok, rows, store_cainiao
from tests.support.ewaybill_fixtures import file_keyring, services  # noqa: F401 (fixtures)
from tests.support.print_component import PrintComponentStandIn


@pytest.fixture
def component(monkeypatch):
    c = PrintComponentStandIn()
    monkeypatch.setenv("STATION_PRINT_COMPONENT_CAINIAO", c.url)
    yield c
    c.close()


def test_the_component_lists_its_printers_and_answers_are_matched_by_request_id(component):
    assert PrintComponent(component.url).printers() == (["Deli DL-888D", "HPRT N41"], "Deli DL-888D")
    print_documents("cainiao", "", [("7001", json.dumps({"encryptedData": "x", "signature": "s",
                                                         "templateURL": "http://t", "ver": "1"}))], "t1",
                    url=component.url)
    assert component.tasks[-1]["printer"] == "Deli DL-888D"  # none named: the component's default
    with pytest.raises(ServiceError, match="no printer Zebra"):
        print_documents("cainiao", "Zebra", [("7001", "{}")], "t2", url=component.url)
    with pytest.raises(ServiceError, match="not running"):
        PrintComponent("ws://127.0.0.1:9").printers()


def test_a_cainiao_waybill_prints_on_the_component_with_the_services_print_data(
        demo_any_url, file_keyring, services, component):
    url = demo_any_url
    assert store_cainiao(url, services).exit_code == 0
    ok(url, "waybills", "issue", "DEMO-1003", "--user", SUPERVISOR)
    sent = json.loads(ok(url, "print", "waybill", "DEMO-1003", "--printer", "cainiao:HPRT N41",
                         "--user", SUPERVISOR).stdout)
    assert sent["status"] == "printed" and sent["error"] is None
    [task] = component.tasks
    assert task["printer"] == "HPRT N41" and task["taskID"].startswith("station-job-")
    [document] = task["documents"]
    assert document["documentID"] == "700000000001"
    [(print_data,)] = rows(url, "select print_data from parcel where tracking_no = '700000000001'")
    assert document["contents"] == [json.loads(print_data)]  # the service's print data, untouched

    wrong = json.loads(cli(url, "print", "waybill", "DEMO-1003", "--printer", "cainiao:Zebra ZT410",
                           "--user", SUPERVISOR).stdout)
    assert wrong["status"] == "failed" and "no printer Zebra ZT410" in wrong["error"]
    assert len(component.tasks) == 1


def test_a_pool_waybill_cannot_go_to_the_component_and_says_where_to_print_it(demo_any_url, component):
    url = demo_any_url
    ok(url, "batch", "--courier", "SF", "--limit", "1", "--user", SUPERVISOR)
    [(order_no, number)] = rows(url, "select o.order_no, p.tracking_no from parcel p join shop_order o "
                                     "on o.id = p.order_id")
    failed = json.loads(cli(url, "print", "waybill", order_no, "--printer", "cainiao:HPRT N41",
                            "--user", SUPERVISOR).stdout)
    assert failed["status"] == "failed" and number in failed["error"] and "PDF or CUPS" in failed["error"]
    assert component.tasks == []
    assert rows(url, "select status from print_job where id = ?", failed["job"]) == [("failed",)]
