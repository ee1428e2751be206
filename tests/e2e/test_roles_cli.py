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
from station.catalog.models import Product, User
from station.catalog.roles import MATRIX
from station.cli import REFUSED_EXIT, main
from station.db import open_database, unit_of_work
from station.demo import USERS
from station.fulfilment.listings import ListingMap
from station.fulfilment.models import MatchKey, Order, WaybillNumber
from station.fulfilment.orders import import_orders
from station.inbound.models import PurchaseOrder, Receipt
from station.inventory import ledger
from station.inventory.count_models import CountLine, StockCount
from station.inventory.models import Location, Movement
from station.outbox.models import PrintJob
from station.settings import Setting
from station.returns.models import ExpectedReturn
from tests.support import factories as f
from tests.support.sql import connect

SUPERVISOR, PACKER, NOBODY = "刘洋", "张伟", "nobody-at-all"
ORDERS = ("order_no,recipient,phone,province,city,address,courier,sku,qty\n"
          "R1,王小明,13812345678,广东省,广州市,中山五路33号,SF,TS01-RD-M,1\n"
          "H1,李雷,1234,广东省,广州市,中山五路34号,SF,TS01-RD-M,1\n")  # H1: a phone too short, held


def cli(url: str, *args: str):
    return CliRunner().invoke(main, ["--db", url, *args], catch_exceptions=False)


def build_shop(url: str, folder) -> str:
    """Couriers, the demo's users, one bin with ten T-shirts, and orders R1 (ready) and H1 (on hold)."""
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
    path = folder / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    report = import_orders(sessions, path, "generic")
    assert report.ok and report.on_hold == 1, report.as_dict()
    engine.dispose()
    return url


@pytest.fixture
def shop(tmp_path):
    return lambda url: build_shop(url, tmp_path)


def snapshot(url: str) -> dict:
    """What a refused command must not change."""
    engine, sessions = open_database(url)
    with unit_of_work(sessions) as s:
        state = {"orders": dict(s.execute(select(Order.order_no, Order.status)).all()),
                 "users": sorted(s.execute(select(User.name, User.roles)).all()),
                 "counts": dict(s.execute(select(StockCount.count_no, StockCount.status)).all()),
                 "settings": dict(s.execute(select(Setting.key, Setting.value)).all()),
                 **{t.__name__: s.scalar(select(func.count()).select_from(t))
                    for t in (WaybillNumber, Receipt, StockCount, PrintJob, Movement, Product, Location,
                              PurchaseOrder, ExpectedReturn, MatchKey, CountLine, ListingMap)}}
    engine.dispose()
    return state


def audit(url: str, *args: str) -> list[dict]:
    result = cli(url, "audit", *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def office_commands(folder, count_no: str) -> dict[str, list[str]]:
    """One command line per action of the role matrix, each one the person would be allowed to run
    with the right role (the files are good ones)."""
    files = {
        "users": "name,badge,roles\n新主管,U-2001,supervisor;admin\n",
        "products": "sku,name,barcodes\nNEW-1,新商品,6901234567892\n",
        "locations": "code,kind,zone\nB-01-01-01,stock,B\n",
        "stock": "sku,location,qty\nTS01-RD-M,RECV-9,3\n",
        "orders": ORDERS.replace("R1,", "R9,").replace("H1,", "H9,"),
        "po": "po_no,supplier,sku,qty\nPO-9,宁波文具厂,TS01-RD-M,5\n",
        "returns": "order_no,return_tracking,type,reason\nR1,YT7000000000009,refund,quality\n",
        "counts": "location,sku,qty\nA-01-01-01,TS01-RD-M,7\n",
        "mappings": "shop,listing,variant,sku\nshopify,Classic Tee,Red / M,TS01-RD-M\n",
    }
    for kind, text in files.items():
        (folder / f"{kind}.csv").write_text(text, encoding="utf-8")
    return {
        **{f"import.{kind}": ["import", kind, str(folder / f"{kind}.csv")] for kind in files},
        "orders.release": ["orders", "release", "H1"],
        "orders.hold": ["orders", "hold", "R1", "--reason", "客服要求"],
        "orders.cancel": ["orders", "cancel", "R1"],
        "waybills.add": ["waybills", "add", "SF", "--range", "SF", "400000000000", "5", "13"],
        "waybills.issue": ["waybills", "issue", "R1"],
        "waybills.cancel": ["waybills", "cancel-void"],
        "waybills.credentials": ["waybills", "credentials", "shop", "sf"],
        "waybills.privacy": ["waybills", "privacy", "shop", "on"],
        "batch": ["batch"],
        "print": ["print", "product-label", "TS01-RD-M", "--printer", f"pdf:{folder / 'out'}"],
        "receive.blind": ["receive", "blind", "--supplier", "宁波文具厂", "--reason", "供应商补发"],
        "receive.qc": ["receive", "qc", "RCV-000001", "TS01-RD-M", "--failed", "1", "--reason", "破损"],
        "returns.reindex": ["returns", "reindex"],
        "evidence": ["evidence", "R1", "--out", str(folder / "evidence.zip")],
        "weighing.settings": ["weighing", "--packaging-g", "60", "--tolerance-pct", "8"],
        "counts.plan": ["counts", "plan", "full"],
        "counts.approve": ["counts", "approve", count_no],
        "counts.reject": ["counts", "reject", count_no, "--reason", "数错了"],
        "counts.recount": ["counts", "recount", count_no, "A-01-01-01"],
    }


COUNT_DECISIONS = {"counts.approve", "counts.reject", "counts.recount"}  # they answer in JSON on stdout


def refused(url: str, action: str, args: list[str], user: str) -> None:
    """Exit 3 with the reason, nothing changed, and exactly one new audit row: the refusal."""
    before, logged = snapshot(url), audit(url)
    result = cli(url, *args, "--user", user)
    assert result.exit_code == REFUSED_EXIT, result.output
    if action in COUNT_DECISIONS:  # the decision's JSON, refused; also recorded on the count itself
        decision = json.loads(result.stdout)
        expected = "not a known Station user" if user == NOBODY else "is not a supervisor"
        assert decision["code"] == "not_permitted" and user in decision["message"] and expected in decision["message"]
    else:
        expected = "not a known Station user" if user == NOBODY else "needs the role"
        assert user in result.stderr and expected in result.stderr and "nothing was done" in result.stderr.lower()
        assert result.stdout == ""
    assert snapshot(url) == before
    after = audit(url)
    assert after[:len(logged)] == logged and len(after) == len(logged) + 1
    row = after[-1]
    assert (row["user"], row["action"], row["outcome"]) == (
        user, action, "unknown_user" if user == NOBODY else "not_permitted")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def office(request, tmp_path_factory):
    """One shop per database kind for the whole table (a refusal changes nothing but the audit log), with
    an open count of every bin whose only bin was counted one short: approving it would post a loss."""
    folder = tmp_path_factory.mktemp("office")
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'office.db'}"
    else:
        url = request.getfixturevalue("pg_server").create_database("roles_office")
    build_shop(url, folder)
    plan = cli(url, "counts", "plan", "full", "--user", SUPERVISOR)
    assert plan.exit_code == 0, plan.output
    count_no = json.loads(plan.stdout)["count_no"]
    counted = folder / "counted.csv"
    counted.write_text("location,sku,qty\nA-01-01-01,TS01-RD-M,9\n", encoding="utf-8")
    imported = cli(url, "import", "counts", str(counted), "--count", count_no, "--user", "李娜")
    assert imported.exit_code == 0, imported.output
    yield url, office_commands(folder, count_no)
    if request.param == "postgresql":
        request.getfixturevalue("pg_server").drop_database("roles_office")


def test_the_refusal_table_has_a_command_for_every_action_of_the_role_matrix(tmp_path):
    assert set(office_commands(tmp_path, "CNT-1")) == set(MATRIX)


REFUSALS = [(action, user) for action in sorted(MATRIX) for user in (PACKER, NOBODY)
            if not (action == "print" and user == PACKER)]  # anyone with a role may print


@pytest.mark.parametrize(("action", "user"), REFUSALS)
def test_every_office_command_by_a_person_without_the_role_or_an_unknown_user_is_refused_recorded_and_changes_nothing(
        office, action, user):
    url, commands = office
    refused(url, action, commands[action], user)
    assert snapshot(url)["orders"] == {"R1": "ready", "H1": "on_hold"}
    if action in COUNT_DECISIONS:
        [count_no] = snapshot(url)["counts"]
        assert snapshot(url)["counts"] == {count_no: "open"}
        con = connect(url)
        last = con.execute('select e."user", e.action, e.outcome from count_event e order by e.id desc').fetchone()
        con.close()
        assert last == (user, action.removeprefix("counts."), "refused")


def test_anyone_with_a_role_may_send_a_document_to_a_printer_but_not_an_unknown_user(shop, any_url, tmp_path):
    url = shop(any_url)
    args = office_commands(tmp_path, "CNT-1")["print"]
    refused(url, "print", args, NOBODY)
    no_user = cli(url, *args)  # --printer without --user: a usage error, nothing sent
    assert no_user.exit_code == 2 and "--user" in no_user.stderr and snapshot(url)["PrintJob"] == 0
    done = cli(url, *args, "--user", PACKER)
    assert done.exit_code == 0, done.output
    assert snapshot(url)["PrintJob"] == 1 and len(audit(url)) == 1  # a permitted print is not an audit entry
    con = connect(url)
    job = con.execute("select document, status, created_by from print_job").fetchone()
    con.close()
    assert job == ("product-label", "printed", PACKER)
    assert [p.suffix for p in (tmp_path / "out").iterdir()] == [".pdf"]


#: Each bench with someone of the demo whose roles do not allow it (lookup: anyone logged in).
BENCH_OUTSIDERS = {"pack": "李娜", "handover": "王芳", "receive": PACKER, "putaway": "王芳", "count": PACKER,
                   "returns": PACKER, "lookup": None}


def test_the_bench_table_names_every_bench():
    from station.workflows import BENCHES

    assert set(BENCH_OUTSIDERS) == set(BENCHES)


@pytest.mark.parametrize("bench", sorted(BENCH_OUTSIDERS))
def test_replay_at_a_bench_by_a_person_without_its_role_or_an_unknown_user_is_refused_and_recorded(office, bench):
    url, _commands = office
    before, logged = snapshot(url), audit(url)
    nobody = cli(url, "replay", bench, "--user", NOBODY, "--station", "bench-9")
    assert nobody.exit_code == 2 and "No user called nobody-at-all" in nobody.stderr and nobody.stdout == ""
    rows = audit(url)[len(logged):]
    assert [(r["user"], r["action"], r["outcome"], r["station"]) for r in rows] == [
        (NOBODY, f"bench.{bench}", "unknown_user", "bench-9")]
    outsider = BENCH_OUTSIDERS[bench]
    if outsider is not None:
        result = CliRunner().invoke(main, ["--db", url, "replay", bench, "--user", outsider, "--station", "bench-9"],
                                    input="A-01-01-01\nCMD-DONE\n", catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert [json.loads(line)["code"] for line in result.stdout.splitlines()] == ["not_permitted"] * 2
        rows = audit(url)[len(logged) + 1:]
        assert rows and {(r["user"], r["action"], r["outcome"]) for r in rows} == {
            (outsider, f"bench.{bench}", "not_permitted")}
    assert snapshot(url) == before


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


def test_the_first_users_of_an_empty_database_may_be_imported_then_only_an_admin_adds_more(any_url, tmp_path):
    sqlite_url = any_url  # on both databases
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
