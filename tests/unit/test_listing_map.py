"""The listing map (商品对应): a shop export whose lines carry no SKU of ours is refused naming each
unmapped listing once; after ``station import mappings`` the same file imports, colour and size from
the product; Shopify's financial and fulfilment statuses become holds, shipped or cancelled."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from station.cli import REFUSED_EXIT, main
from station.db import open_database, unit_of_work
from station.fulfilment.listings import ListingMap
from station.fulfilment.models import Order
from station.fulfilment.orders import import_orders, list_orders
from station.imports.mappings import import_mappings
from station.inventory import ledger
from tests.support import factories as f

DATA = Path(__file__).resolve().parents[1] / "data" / "orders"
EXPORT = DATA / "shopify_real" / "orders_export_no_skus.csv"
PACIFIER, BOTTLE = "Bibs Danish Pacifier", "Bibs Baby Bottle"
MAPPINGS = ("shop,listing,variant,shop_sku,sku\n"
            f"shopify,{PACIFIER},Smoke / Size 2 (from 6mnths - 18mnths),,BIBS-PAC-SMK-2\n"
            f"shopify,{BOTTLE},Ivory,,BIBS-BOT-IVO\n")


@pytest.fixture
def shop(any_url):
    engine, sessions = open_database(any_url)
    with unit_of_work(sessions) as s:
        ledger.ensure_virtual_locations(s)
        f.location(s, "A-01-01-01")
        f.user(s, "lin", "U-LIN", "office")
        f.user(s, "zhang", "U-ZHANG", "packer")
        f.product(s, "BIBS-PAC-SMK-2", name="Bibs 安抚奶嘴", colour="烟灰", size="2")
        f.product(s, "BIBS-BOT-IVO", name="Bibs 奶瓶", colour="象牙白")
        for sku in ("BIBS-PAC-SMK-2", "BIBS-BOT-IVO"):
            ledger.move(s, ledger.Move(sku, 50, "ADJUSTMENT", "A-01-01-01", "opening"))
        s.commit()
    yield any_url, sessions
    engine.dispose()


def test_an_export_without_skus_is_refused_naming_each_unmapped_listing_once_with_its_line_count(shop):
    _url, sessions = shop
    report = import_orders(sessions, EXPORT, "shopify")
    assert not report.ok
    summary = report.as_dict()
    assert summary["unmapped"] == [
        {"shop": "shopify", "listing": PACIFIER, "variant": "Smoke / Size 2 (from 6mnths - 18mnths)",
         "shop_sku": None, "lines": 3, "first_line": 2},
        {"shop": "shopify", "listing": BOTTLE, "variant": "Ivory", "shop_sku": None, "lines": 3, "first_line": 3}]
    assert [(e.line, e.reason.split(":")[0]) for e in report.rejected] == [
        (2, f"No product for listing '{PACIFIER} / Smoke / Size 2 (from 6mnths - 18mnths)' of shop 'shopify' (3 lines)"),
        (3, f"No product for listing '{BOTTLE} / Ivory' of shop 'shopify' (3 lines)")]
    with unit_of_work(sessions) as s:
        assert s.scalars(select(Order)).all() == []


def test_after_mapping_the_same_file_imports_with_colour_and_size_from_the_product_and_shop_statuses(shop, tmp_path):
    _url, sessions = shop
    (tmp_path / "map.csv").write_text(MAPPINGS, encoding="utf-8")
    mapped = import_mappings(sessions, tmp_path / "map.csv", user="lin")
    assert mapped.ok and (mapped.created, mapped.updated) == (2, 0)
    report = import_orders(sessions, EXPORT, "shopify")
    assert report.ok, report.as_dict()
    orders = {o.order_no: o for o in list_orders(sessions)}
    assert {n: (o.status, [c for c, _d in o.holds]) for n, o in orders.items()} == {
        "#5001": ("ready", []),
        "#5002": ("on_hold", ["unpaid"]),  # pending
        "#5003": ("on_hold", ["unpaid"]),  # authorized
        "#5004": ("on_hold", ["refund"]),  # partially_refunded
        "#5005": ("ready", []),  # its fulfilled pacifier is not packed again
        "#5006": ("shipped", []),  # wholly fulfilled in the shop
        "#5007": ("cancelled", []),  # voided
        "#5008": ("cancelled", []),  # refunded
    }
    assert orders["#5002"].paid_at is None  # not paid: Created at is not a payment time
    with unit_of_work(sessions) as s:
        lines = {o.order_no: [(l.sku, l.qty, l.colour, l.size) for l in o.lines] for o in s.scalars(select(Order))}
    assert lines["#5001"] == [("BIBS-PAC-SMK-2", 2, "烟灰", "2"), ("BIBS-BOT-IVO", 1, "象牙白", None)]
    assert lines["#5005"] == [("BIBS-BOT-IVO", 1, "象牙白", None)]
    assert lines["#5006"] == [("BIBS-BOT-IVO", 1, "象牙白", None)]


def test_a_pending_order_paid_later_is_released_by_the_next_import(shop, tmp_path):
    _url, sessions = shop
    (tmp_path / "map.csv").write_text(MAPPINGS, encoding="utf-8")
    assert import_mappings(sessions, tmp_path / "map.csv", user="lin").ok
    import_orders(sessions, EXPORT, "shopify")
    paid = tmp_path / "orders_export.csv"
    paid.write_text(EXPORT.read_text(encoding="utf-8").replace("#5002,buyer@example.com,pending,",
                                                               "#5002,buyer@example.com,paid,"), encoding="utf-8")
    report = import_orders(sessions, paid, "shopify")
    assert report.ok and report.updated == 1
    assert {o.order_no: o.status for o in list_orders(sessions)}["#5002"] == "ready"


def test_a_mapping_by_the_shops_own_sku_matches_lines_that_carry_it(shop, tmp_path):
    _url, sessions = shop
    (tmp_path / "map.csv").write_text(f"shop,listing,shop_sku,sku\nshopify,{BOTTLE},SHOP-BOT-1,BIBS-BOT-IVO\n",
                                      encoding="utf-8")
    assert import_mappings(sessions, tmp_path / "map.csv", user="lin").ok
    text = EXPORT.read_text(encoding="utf-8").replace(f"{BOTTLE} - Ivory,19.95,,,", f"{BOTTLE} - Ivory,19.95,,SHOP-BOT-1,")
    (tmp_path / "orders_export.csv").write_text(text, encoding="utf-8")
    report = import_orders(sessions, tmp_path / "orders_export.csv", "shopify")
    assert [u["listing"] for u in report.as_dict()["unmapped"]] == [PACIFIER]  # the bottle is found by its SKU


def test_a_mappings_file_with_a_bad_row_saves_nothing_and_names_every_bad_row(shop, tmp_path):
    _url, sessions = shop
    (tmp_path / "map.csv").write_text(
        "shop,listing,variant,sku\n"
        f"shopify,{BOTTLE},Ivory,BIBS-BOT-IVO\n"
        f"shopify,{PACIFIER},Smoke,NO-SUCH-SKU\n"
        "shopify,,Red,BIBS-BOT-IVO\n"
        f"shopify,{BOTTLE},Ivory,BIBS-PAC-SMK-2\n", encoding="utf-8")
    report = import_mappings(sessions, tmp_path / "map.csv", user="lin")
    assert [(e.line, e.reason) for e in report.rejected] == [
        (3, "sku NO-SUCH-SKU is not a product"), (4, "Missing listing"),
        (5, "This listing is mapped to BIBS-BOT-IVO on line 2")]
    with unit_of_work(sessions) as s:
        assert s.scalars(select(ListingMap)).all() == []


def test_import_mappings_on_the_command_line_needs_an_office_role_and_a_refusal_is_recorded(shop, tmp_path):
    url, sessions = shop
    (tmp_path / "map.csv").write_text(MAPPINGS, encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(main, ["--db", url, "import", "mappings", str(tmp_path / "map.csv"), "--user", "zhang"])
    assert refused.exit_code == REFUSED_EXIT and "needs the role" in refused.stderr
    done = runner.invoke(main, ["--db", url, "import", "mappings", str(tmp_path / "map.csv"), "--user", "lin"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["created"] == 2
    again = runner.invoke(main, ["--db", url, "import", "mappings", str(tmp_path / "map.csv"), "--user", "lin"])
    assert json.loads(again.stdout)["created"] == 0  # the same file twice: nothing new
    audit = runner.invoke(main, ["--db", url, "audit"])
    rows = [json.loads(line) for line in audit.stdout.splitlines()]
    assert ("zhang", "import.mappings", "not_permitted") in {(r["user"], r["action"], r["outcome"]) for r in rows}


def test_a_refused_import_can_write_its_unmapped_listings_as_a_mappings_file_to_fill_in(shop, tmp_path):
    url, sessions = shop
    runner = CliRunner()
    template = tmp_path / "unmapped.csv"
    refused = runner.invoke(main, ["--db", url, "import", "orders", str(EXPORT), "--format", "shopify",
                                   "--user", "lin", "--unmapped-out", str(template)])
    assert refused.exit_code == 1 and "fill in the sku column" in refused.stderr
    text = template.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "shop,listing,variant,shop_sku,sku"
    filled = text.replace("mnths),,", "mnths),,BIBS-PAC-SMK-2").replace("Ivory,,", "Ivory,,BIBS-BOT-IVO")
    template.write_text(filled, encoding="utf-8")
    mapped = runner.invoke(main, ["--db", url, "import", "mappings", str(template), "--user", "lin"])
    assert mapped.exit_code == 0, mapped.output
    done = runner.invoke(main, ["--db", url, "import", "orders", str(EXPORT), "--format", "shopify", "--user", "lin"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["created"] == 8


def test_a_shopify_line_partly_fulfilled_in_the_shop_holds_its_order_for_a_person_to_check(tmp_path):
    from station.fulfilment.parsers import parse_orders

    text = EXPORT.read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[1] = lines[1].replace(",true,true,pending,", ",true,true,partial,", 1)  # #5001's pacifier: 1 of 2 sent
    (tmp_path / "orders_export.csv").write_text("\n".join(lines), encoding="utf-8")
    order = {o.order_no: o for o in parse_orders(tmp_path / "orders_export.csv", "shopify").orders}["#5001"]
    assert order.status == "ready"
    assert order.holds == (("partly_fulfilled", "Bibs Danish Pacifier - Smoke / Size 2 (from 6mnths - 18mnths)"),)
    assert len(order.lines) == 2  # kept: the person decides what is left to send
