"""Who may run which office command: every state-changing command names a real user and checks
the role matrix (station/catalog/roles.py, docs/roles.md); a refusal changes nothing, exits 3 with
a clear message, and is recorded in the audit log that `station audit` lists."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from station.catalog.couriers import seed_couriers
from station.catalog.models import User
from station.cli import REFUSED_EXIT, main
from station.db import open_database, unit_of_work
from station.demo import USERS
from station.fulfilment.models import Order, WaybillNumber
from station.fulfilment.orders import import_orders
from station.inbound.models import Receipt
from station.inventory import ledger
from station.inventory.count_models import StockCount
from station.outbox.models import PrintJob
from tests.support import factories as f

SUPERVISOR, PACKER, NOBODY = "刘洋", "张伟", "nobody-at-all"
ORDERS = ("order_no,recipient,phone,province,city,address,courier,sku,qty\n"
          "R1,王小明,13812345678,广东省,广州市,中山五路33号,SF,TS01-RD-M,1\n"
          "H1,李雷,1234,广东省,广州市,中山五路34号,SF,TS01-RD-M,1\n")  # H1: a phone too short, held


def cli(url: str, *args: str):
    return CliRunner().invoke(main, ["--db", url, *args], catch_exceptions=False)


@pytest.fixture
def shop(tmp_path):
    def build(url: str) -> str:
        engine, sessions = open_database(url)
        seed_couriers(sessions)
        with unit_of_work(sessions) as s:
            ledger.ensure_virtual_locations(s)
            for name, badge, roles in USERS:
                f.user(s, name, badge, roles)
            f.location(s, "A-01-01-01", zone="A")
            f.product(s, "TS01-RD-M", "6912345000024", name="纯棉圆领T恤")
            ledger.move(s, ledger.Move("TS01-RD-M", 10, "ADJUSTMENT", "A-01-01-01", "opening"))
            s.commit()
        path = tmp_path / "orders.csv"
        path.write_text(ORDERS, encoding="utf-8")
        report = import_orders(sessions, path, "generic")
        assert report.ok and report.on_hold == 1, report.as_dict()
        engine.dispose()
        return url
    return build


def snapshot(url: str) -> dict:
    """What a refused command must not change."""
    engine, sessions = open_database(url)
    with unit_of_work(sessions) as s:
        state = {"orders": dict(s.execute(select(Order.order_no, Order.status)).all()),
                 "users": sorted(s.execute(select(User.name, User.roles)).all()),
                 **{t.__name__: s.scalar(select(func.count()).select_from(t))
                    for t in (WaybillNumber, Receipt, StockCount, PrintJob)}}
    engine.dispose()
    return state


def audit(url: str, *args: str) -> list[dict]:
    result = cli(url, "audit", *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


ORDER_COMMANDS = {
    "orders.release": ["orders", "release", "H1"],
    "orders.hold": ["orders", "hold", "R1", "--reason", "客服要求"],
    "orders.cancel": ["orders", "cancel", "R1"],
}


def other_commands(tmp_path) -> dict[str, list[str]]:
    users = tmp_path / "users.csv"
    users.write_text("name,badge,roles\n新主管,U-2001,supervisor;admin\n", encoding="utf-8")
    products = tmp_path / "products.csv"
    products.write_text("sku,name,barcodes\nNEW-1,新商品,6901234567892\n", encoding="utf-8")
    orders = tmp_path / "more_orders.csv"
    orders.write_text(ORDERS.replace("R1,", "R9,").replace("H1,", "H9,"), encoding="utf-8")
    return {
        "import.users": ["import", "users", str(users)],
        "import.products": ["import", "products", str(products)],
        "import.orders": ["import", "orders", str(orders)],
        "waybills.add": ["waybills", "add", "SF", "--range", "SF", "400000000000", "5", "13"],
        "batch": ["batch"],
        "receive.blind": ["receive", "blind", "--supplier", "宁波文具厂", "--reason", "供应商补发"],
        "counts.plan": ["counts", "plan", "full"],
        "returns.reindex": ["returns", "reindex"],
        "print": ["print", "product-label", "TS01-RD-M", "--printer", f"pdf:{tmp_path / 'out'}"],
    }


def refused(url: str, action: str, args: list[str], user: str) -> None:
    before = snapshot(url)
    result = cli(url, *args, "--user", user)
    assert result.exit_code == REFUSED_EXIT, result.output
    expected = "not a known Station user" if user == NOBODY else "needs the role"
    assert user in result.stderr and expected in result.stderr and "nothing was done" in result.stderr.lower()
    assert result.stdout == ""
    assert snapshot(url) == before
    [row] = audit(url)
    assert (row["user"], row["action"], row["outcome"]) == (
        user, action, "unknown_user" if user == NOBODY else "not_permitted")


@pytest.mark.parametrize("user", [PACKER, NOBODY])
@pytest.mark.parametrize("action", list(ORDER_COMMANDS))
def test_an_order_command_by_a_packer_or_an_unknown_user_is_refused_recorded_and_changes_nothing(
        shop, any_url, action, user):
    url = shop(any_url)
    refused(url, action, ORDER_COMMANDS[action], user)
    assert snapshot(url)["orders"] == {"R1": "ready", "H1": "on_hold"}


@pytest.mark.parametrize("user", [PACKER, NOBODY])
@pytest.mark.parametrize("action", ["import.users", "import.products", "import.orders", "waybills.add", "batch",
                                    "receive.blind", "counts.plan", "returns.reindex"])
def test_every_other_office_command_by_a_packer_or_an_unknown_user_is_refused_and_recorded(
        shop, sqlite_url, tmp_path, action, user):
    refused(shop(sqlite_url), action, other_commands(tmp_path)[action], user)


def test_anyone_with_a_role_may_send_a_document_to_a_printer_but_not_an_unknown_user(shop, sqlite_url, tmp_path):
    url = shop(sqlite_url)
    args = other_commands(tmp_path)["print"]
    refused(url, "print", args, NOBODY)
    no_user = cli(url, *args)  # --printer without --user: a usage error, nothing sent
    assert no_user.exit_code == 2 and "--user" in no_user.stderr and snapshot(url)["PrintJob"] == 0
    done = cli(url, *args, "--user", PACKER)
    assert done.exit_code == 0, done.output
    assert snapshot(url)["PrintJob"] == 1 and len(audit(url)) == 1  # a permitted print is not an audit entry


def test_the_supervisor_may_and_station_audit_lists_refusals_and_approvals_in_order(shop, any_url):
    url = shop(any_url)
    assert cli(url, "orders", "release", "H1", "--user", PACKER).exit_code == REFUSED_EXIT
    done = cli(url, "orders", "release", "H1", "--user", SUPERVISOR)
    assert done.exit_code == 0 and json.loads(done.stdout) == {"order_no": "H1", "status": "ready"}
    assert cli(url, "orders", "hold", "R1", "--user", SUPERVISOR).exit_code == 0
    assert snapshot(url)["orders"] == {"R1": "on_hold", "H1": "ready"}
    rows = audit(url)
    assert [(r["user"], r["action"], r["outcome"], r["target"]) for r in rows] == [
        (PACKER, "orders.release", "not_permitted", "H1"), (SUPERVISOR, "orders.release", "permitted", "H1"),
        (SUPERVISOR, "orders.hold", "permitted", "R1")]
    assert all(r["at"] and r["station"] for r in rows)
    assert [r["user"] for r in audit(url, "--refusals")] == [PACKER]
    assert audit(url, "--since", date.today().isoformat()) == rows
    assert audit(url, "--since", (date.today() + timedelta(days=1)).isoformat()) == []
    bad = cli(url, "audit", "--since", "yesterday")
    assert bad.exit_code == 2 and "yesterday is not a date" in bad.stderr


def test_a_command_without_user_is_refused_by_click_before_it_touches_anything(shop, sqlite_url):
    url = shop(sqlite_url)
    result = cli(url, "orders", "release", "H1")
    assert result.exit_code == 2 and "--user" in result.stderr
    assert snapshot(url)["orders"]["H1"] == "on_hold" and audit(url) == []


def test_the_first_users_of_an_empty_database_may_be_imported_then_only_an_admin_adds_more(sqlite_url, tmp_path):
    first = tmp_path / "first.csv"
    first.write_text("name,badge,roles\n老板,U-0001,admin;supervisor\n打包,U-0002,packer\n", encoding="utf-8")
    result = cli(sqlite_url, "import", "users", str(first), "--user", "老板")
    assert result.exit_code == 0, result.output
    more = tmp_path / "more.csv"
    more.write_text("name,badge,roles\n新主管,U-0003,supervisor\n", encoding="utf-8")
    assert cli(sqlite_url, "import", "users", str(more), "--user", "打包").exit_code == REFUSED_EXIT
    assert [n for n, _r in snapshot(sqlite_url)["users"]] == ["打包", "老板"]
    assert cli(sqlite_url, "import", "users", str(more), "--user", "老板").exit_code == 0
    assert [(r["user"], r["outcome"]) for r in audit(sqlite_url)] == [
        ("老板", "permitted"), ("打包", "not_permitted"), ("老板", "permitted")]


def test_a_count_approval_by_a_non_supervisor_is_refused_with_exit_3_and_recorded_in_both_places(shop, sqlite_url):
    url = shop(sqlite_url)
    plan = cli(url, "counts", "plan", "full", "--user", SUPERVISOR)
    assert plan.exit_code == 0, plan.output
    count_no = json.loads(plan.stdout)["count_no"]
    result = cli(url, "counts", "approve", count_no, "--user", "李娜")
    assert result.exit_code == REFUSED_EXIT and json.loads(result.stdout)["code"] == "not_permitted"
    assert [(r["user"], r["action"], r["outcome"], r["target"]) for r in audit(url)] == [
        (SUPERVISOR, "counts.plan", "permitted", "full"), ("李娜", "counts.approve", "not_permitted", count_no)]


def test_a_packer_at_the_receive_bench_is_refused_and_it_is_in_the_audit_log(shop, sqlite_url):
    url = shop(sqlite_url)
    result = cli(url, "replay", "receive", "--user", PACKER, "--station", "dock-1")
    assert result.exit_code == 0
    [row] = audit(url)
    assert (row["user"], row["action"], row["outcome"], row["station"]) == (
        PACKER, "bench.receive", "not_permitted", "dock-1")
