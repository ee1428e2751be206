"""E-waybill services end to end, on SQLite and on the real PostgreSQL server: credentials into a
(file) keyring and never the database, `waybills test`, `waybills issue` against the local
stand-in of Cainiao's TOP router, the routing data on the parcel and its waybill, a cancelled
order's number given back; and a pool file's routing data, with nothing invented where it has none."""
from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import select

from station.cli import main
from station.couriers import credentials
from tests.support.ewaybill_fixtures import file_keyring, services  # noqa: F401 (fixtures)
from tests.support.ewaybill_servers import Services
from tests.support.sql import connect

SUPERVISOR, PACKER = "刘洋", "张伟"
SHOP = "Station 演示店"


def cli(url, *args, stdin=None):
    return CliRunner().invoke(main, ["--db", url, *args], input=stdin, catch_exceptions=False)


def ok(url, *args, stdin=None):
    result = cli(url, *args, stdin=stdin)
    assert result.exit_code == 0, result.output
    return result


def rows(url, sql, *params):
    con = connect(url)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def waybills_of(url, order_no):
    from station.db import open_database, unit_of_work
    from station.fulfilment.models import Order
    from station.fulfilment.packing import waybill_documents

    engine, sessions = open_database(url)
    try:
        with unit_of_work(sessions) as s:
            order = s.scalar(select(Order).where(Order.order_no == order_no))
            parcels = [p for p in order.parcels if p.status != "void"]
            return waybill_documents(s, order, parcels)
    finally:
        engine.dispose()


def store_cainiao(url, services):
    c = services.credentials("cainiao")
    typed = "\n".join([c["app_key"], c["app_secret"], c["session"], c["template_url"], c["endpoint"]]) + "\n"
    return cli(url, "waybills", "credentials", SHOP, "cainiao", "--user", SUPERVISOR, stdin=typed)


def test_a_shop_takes_numbers_and_routing_from_cainiao_and_a_cancelled_order_gives_its_number_back(
        demo_any_url, file_keyring, services, tmp_path):
    url = demo_any_url
    stored = store_cainiao(url, services)
    assert stored.exit_code == 0, stored.output
    assert json.loads(stored.stdout.splitlines()[-1]) == {"shop": SHOP, "provider": "cainiao", "stored": True}
    assert credentials.load(SHOP, "cainiao")["app_secret"] == services.cainiao.secret
    # the database knows which service the shop uses, and nothing of its secrets
    assert rows(url, "select value from setting where key = ?", f"waybill_service.{SHOP}") == [("cainiao",)]
    everything = " ".join(str(v) for (v,) in rows(url, "select value from setting"))
    assert services.cainiao.secret not in everything and services.cainiao.token not in everything
    assert services.cainiao.secret not in stored.output  # not echoed
    assert rows(url, "select \"user\", outcome, target from audit_log where action = 'waybills.credentials'") \
        == [(SUPERVISOR, "permitted", f"{SHOP}/cainiao")]

    assert json.loads(ok(url, "waybills", "test", SHOP).stdout) == {"shop": SHOP, "provider": "cainiao", "ok": True}

    order_no = "DEMO-1003"  # a ready ZTO order of the demo shop
    con = connect(url)
    con.execute("update shop_order set recipient_oaid = ? where order_no = ?", ("1qKxDCNicDXKvR5Z", order_no))
    con.commit()
    con.close()
    issued = json.loads(ok(url, "waybills", "issue", order_no, "--user", SUPERVISOR).stdout)
    assert issued == {"order_no": order_no, "ok": True, "provider": "cainiao", "tracking_no": "700000000001",
                      "routing_code": "571 W02-08", "hub_name": "杭州转运中心", "hub_code": "571000"}
    sent = json.loads(services.cainiao.requests[-1]["param_waybill_cloud_print_apply_new_request"])
    assert sent["trade_order_info_dtos"][0]["recipient"]["oaid"] == "1qKxDCNicDXKvR5Z"
    assert sent["sender"]["address"]["district"] == "余杭区"
    assert rows(url, "select p.status, p.tracking_no, p.waybill_provider, p.routing_code, p.hub_name, p.hub_code "
                     "from parcel p join shop_order o on o.id = p.order_id where o.order_no = ?", order_no) \
        == [("printed", "700000000001", "cainiao", "571 W02-08", "杭州转运中心", "571000")]
    [waybill] = waybills_of(url, order_no)
    assert (waybill.tracking_no, waybill.routing_code, waybill.sorting_area) == \
        ("700000000001", "571 W02-08", "杭州转运中心")

    again = cli(url, "waybills", "issue", order_no, "--user", SUPERVISOR)
    assert again.exit_code == 1 and "already has a waybill number" in again.stdout
    assert len(services.cainiao.issued) == 1  # the service was not asked twice

    ok(url, "orders", "cancel", order_no, "--user", SUPERVISOR)
    assert services.cainiao.cancelled == ["700000000001"]
    [(status, cancelled_at)] = rows(url, "select p.status, p.waybill_cancelled_at from parcel p join shop_order o "
                                         "on o.id = p.order_id where o.order_no = ?", order_no)
    assert status == "void" and cancelled_at is not None
    assert ok(url, "waybills", "cancel-void", "--user", SUPERVISOR).stdout == ""  # nothing left to give back


def test_a_number_the_service_cannot_take_back_now_stays_pending_until_cancel_void(
        demo_any_url, file_keyring, services):
    url = demo_any_url
    assert store_cainiao(url, services).exit_code == 0
    ok(url, "waybills", "issue", "DEMO-1006", "--user", SUPERVISOR)
    endpoint = services.cainiao.url
    services.close()
    cancelled = ok(url, "orders", "cancel", "DEMO-1006", "--user", SUPERVISOR)
    assert "did not take it back" in cancelled.stderr
    assert rows(url, "select waybill_cancelled_at from parcel where tracking_no = '700000000001'") == [(None,)]
    back = Services()  # the service is back (a new port: the shop's stored address follows it)
    try:
        back.cainiao.issued["700000000001"] = "DEMO-1006-1"
        credentials.store(SHOP, "cainiao", {**credentials.load(SHOP, "cainiao"), "endpoint": back.cainiao.url})
        assert endpoint != back.cainiao.url
        out = ok(url, "waybills", "cancel-void", "--user", SUPERVISOR)
        assert json.loads(out.stdout) == {"tracking_no": "700000000001", "provider": "cainiao", "cancelled": True}
        assert back.cainiao.cancelled == ["700000000001"]
    finally:
        back.close()


def test_waybill_service_commands_need_the_role_and_wrong_credentials_fail_the_test(
        demo_any_url, file_keyring, services):
    url = demo_any_url
    refused = cli(url, "waybills", "issue", "DEMO-1003", "--user", PACKER)
    assert refused.exit_code == 3
    assert rows(url, "select \"user\", outcome from audit_log where action = 'waybills.issue'") == [(PACKER, "not_permitted")]
    assert cli(url, "waybills", "credentials", SHOP, "sf", "--user", PACKER, stdin="x\n").exit_code == 3
    assert credentials.load(SHOP, "sf") is None

    no_service = cli(url, "waybills", "test", SHOP)
    assert no_service.exit_code == 1 and "station waybills credentials" in no_service.stderr
    c = services.credentials("sf")
    typed = "\n".join([c["partner_id"], "a wrong check word", c["monthly_card"], c["endpoint"]]) + "\n"
    ok(url, "waybills", "credentials", SHOP, "sf", "--user", SUPERVISOR, stdin=typed)
    failed = cli(url, "waybills", "test", SHOP)
    assert failed.exit_code == 1
    report = json.loads(failed.stdout)
    assert report["ok"] is False and report["code"] == "waybill_credentials_refused" and "A1006" in report["reason"]
    # asked again, an empty secret keeps the stored one; the right one is then accepted
    typed = "\n".join([c["partner_id"], c["check_word"], c["monthly_card"], c["endpoint"]]) + "\n"
    ok(url, "waybills", "credentials", SHOP, "sf", "--user", SUPERVISOR, stdin=typed)
    assert json.loads(ok(url, "waybills", "test", SHOP).stdout)["ok"] is True
    issued = json.loads(ok(url, "waybills", "issue", "DEMO-1001", "--user", SUPERVISOR).stdout)
    assert (issued["tracking_no"], issued["routing_code"], issued["hub_code"]) == ("SF0000000000001", "755WE-571A", "F33")


def test_a_pool_file_carries_routing_per_number_and_a_number_without_it_gets_an_empty_zone(demo_any_url, tmp_path):
    url = demo_any_url
    file = tmp_path / "zto.csv"
    file.write_text("700000000001,300-A01 12,上海转运中心,200000\n700000000002\n", encoding="utf-8")
    added = json.loads(ok(url, "waybills", "add", "ZTO", "--file", str(file), "--user", SUPERVISOR).stdout)
    assert added["added"] == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("700000000003\n,300-A01\n", encoding="utf-8")
    refused = cli(url, "waybills", "add", "ZTO", "--file", str(bad), "--user", SUPERVISOR)
    assert refused.exit_code == 2 and "Line 2" in refused.output
    assert rows(url, "select count(*) from waybill_number where tracking_no = '700000000003'") == [(0,)]

    batch = json.loads(ok(url, "batch", "--courier", "ZTO", "--limit", "2", "--user", SUPERVISOR).stdout)
    assert batch["waybills"] == 2
    got = rows(url, "select o.order_no, p.tracking_no, p.routing_code, p.hub_name, p.hub_code, p.waybill_provider "
                    "from parcel p join shop_order o on o.id = p.order_id order by p.tracking_no")
    assert [g[1:] for g in got] == [("700000000001", "300-A01 12", "上海转运中心", "200000", "pool"),
                                   ("700000000002", None, None, None, "pool")]
    first, second = (waybills_of(url, g[0])[0] for g in got)
    assert (first.routing_code, first.sorting_area) == ("300-A01 12", "上海转运中心")
    # nothing invented from the address: the routing zone is left for the courier's pen
    assert (second.routing_code, second.sorting_area) == ("", "")


def test_a_batch_takes_no_pool_number_for_an_order_whose_number_came_from_its_service(
        demo_any_url, file_keyring, services):
    url = demo_any_url
    assert store_cainiao(url, services).exit_code == 0
    ok(url, "waybills", "issue", "DEMO-1003", "--user", SUPERVISOR)
    # the shop goes back to its branch's pool: the order keeps the number its service gave
    assert json.loads(ok(url, "waybills", "credentials", SHOP, "pool", "--user", SUPERVISOR).stdout)["stored"] is False
    batch = json.loads(ok(url, "batch", "--courier", "ZTO", "--user", SUPERVISOR).stdout)
    assert rows(url, "select b.batch_no from shop_order o join pick_batch b on b.id = o.batch_id "
                     "where o.order_no = 'DEMO-1003'") == [(batch["batch_no"],)]  # in the batch
    got = rows(url, "select o.order_no, p.tracking_no, p.waybill_provider from parcel p join shop_order o "
                    "on o.id = p.order_id where o.courier = 'ZTO' order by o.order_no")
    assert ("DEMO-1003", "700000000001", "cainiao") in got
    assert [g for g in got if g[0] == "DEMO-1003"] == [("DEMO-1003", "700000000001", "cainiao")]
    assert all(provider == "pool" for order_no, _n, provider in got if order_no != "DEMO-1003")
    assert batch["waybills"] == len(got) - 1  # the pool numbers it allocated


def test_a_batch_takes_its_platform_orders_numbers_from_the_service_first_or_prints_nothing(
        demo_any_url, file_keyring, services):
    url = demo_any_url
    assert store_cainiao(url, services).exit_code == 0
    ready_zto = [o for (o,) in rows(url, "select order_no from shop_order where courier = 'ZTO' "
                                         "and status = 'ready' order by order_no")]
    endpoint = services.cainiao.url
    services.close()  # the service is down: no batch at all, and nothing taken from the pool
    down = cli(url, "batch", "--courier", "ZTO", "--user", SUPERVISOR)
    assert down.exit_code == 1 and "No batch was printed" in down.stderr and "cannot be reached" in down.stderr
    assert rows(url, "select count(*) from pick_batch") == [(0,)]
    assert rows(url, "select count(*) from parcel") == [(0,)]

    back = Services()
    try:
        credentials.store(SHOP, "cainiao", {**credentials.load(SHOP, "cainiao"), "endpoint": back.cainiao.url})
        assert endpoint != back.cainiao.url
        batch = json.loads(ok(url, "batch", "--courier", "ZTO", "--user", SUPERVISOR).stdout)
    finally:
        back.close()
    got = rows(url, "select o.order_no, p.waybill_provider, p.routing_code from parcel p join shop_order o "
                    "on o.id = p.order_id order by o.order_no")
    assert [g[0] for g in got] == ready_zto and len(ready_zto) >= 2
    assert all(provider == "cainiao" and routing == "571 W02-08" for _o, provider, routing in got)
    assert batch["waybills"] == 0  # none from the pool
    assert rows(url, "select count(*) from waybill_number where parcel_id is not null") == [(0,)]
    assert rows(url, "select document, status from print_job where document = 'waybill'") == [("waybill", "printed")]
