"""Cash on delivery, insured value and freight payment from the shops' exports to the waybill and the
e-waybill services; privacy waybills (隐私面单) switched on per shop; an order with a character no
print font has held as it arrives. Imports and waybills on SQLite and on the real PostgreSQL server."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from station import settings
from station.audit.models import AuditEntry
from station.catalog.couriers import seed_couriers
from station.couriers import adapter
from station.couriers.base import Address, Party, WaybillRequest
from station.db import open_database, unit_of_work
from station.documents.registry import build
from station.fulfilment.models import Order, Parcel
from station.fulfilment.orders import import_orders
from station.fulfilment.parsers import parse_orders
from station.inventory import ledger
from tests.support import factories as f
from tests.support.ewaybill_fixtures import services  # noqa: F401 (fixture)
from tests.support.pdfcheck import pdf_text

PLATFORMS = Path(__file__).resolve().parents[1] / "data" / "orders" / "platforms"
NO_FONT = "\U000F0001"  # supplementary private use: in no shipped font

HEADER = "order_no,shop,recipient,phone,province,city,district,address,courier,sku,qty,cod_amount,insured_value," \
         "payment_method\n"


def _shop(url, tmp_path, rows: str):
    engine, sessions = open_database(url)
    seed_couriers(sessions)
    with unit_of_work(sessions) as s:
        f.location(s, "A-01-01-01")
        f.product(s, "A", "BC-A", name="纯棉T恤", weight_g=250)
        ledger.move(s, ledger.Move("A", 20, "ADJUSTMENT", "A-01-01-01", "opening"))
        s.commit()
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return engine, sessions, import_orders(sessions, path, "generic")


def _order(sessions, order_no) -> Order:
    with unit_of_work(sessions) as s:
        return s.scalar(select(Order).where(Order.order_no == order_no))


def _waybill_text(sessions, order_no, number) -> str:
    with unit_of_work(sessions) as s:
        order = s.scalar(select(Order).where(Order.order_no == order_no))
        s.add(Parcel(order_id=order.id, seq=1, courier=order.courier, status="closed", tracking_no=number))
        s.commit()
        (text,) = pdf_text(build(s, "waybill", [order_no]))
    return text


# --- the generic format's columns, stored and printed ------------------------------------------------

def test_a_cod_order_prints_the_amount_to_collect_its_insured_value_payment_and_weight(any_url, tmp_path):
    rows = ("C1,自营店,欧阳喆,13812345678,广东省,广州市,越秀区,中山五路33号,SF,A,2,199.00,1000,collect\n"
            "C2,自营店,李雷,13900001111,浙江省,杭州市,西湖区,文三路1号,SF,A,1,,,\n")
    engine, sessions, report = _shop(any_url, tmp_path, rows)
    assert report.ok, report.as_dict()
    c1, c2 = _order(sessions, "C1"), _order(sessions, "C2")
    assert (c1.cod_amount, c1.insured_value, c1.payment_method) == (Decimal("199.00"), Decimal("1000.00"), "collect")
    assert (c2.cod_amount, c2.insured_value, c2.payment_method) == (None, None, None)

    text = _waybill_text(sessions, "C1", "SF1000000000001")
    assert "代收货款 COD ¥199.00" in text
    assert "¥1,000.00" in text and "到付" in text and "0.50 kg" in text  # 2 × 250 g
    plain = _waybill_text(sessions, "C2", "SF1000000000002")
    assert "代收货款" not in plain and "¥" not in plain
    engine.dispose()


def test_a_bad_amount_or_payment_method_refuses_the_file_with_its_line(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "B1,,王,13812345678,广东省,广州市,越秀区,路1号,SF,A,1,abc,,\n"
                             "B2,,李,13812345679,广东省,广州市,越秀区,路2号,SF,A,1,,,cash\n", encoding="utf-8")
    result = parse_orders(path, "generic")
    assert [(e.line, e.reason) for e in result.errors] == [
        (2, "cod_amount: 'abc' is not a price"),
        (3, "Unknown payment_method cash; allowed: prepaid, collect, monthly, third_party")]


# --- the platforms' own COD columns --------------------------------------------------------------------

def test_jd_and_douyin_cash_on_delivery_orders_carry_what_the_buyer_pays_the_courier(tmp_path):
    jd = (PLATFORMS / "jd_orders.csv").read_text(encoding="gb18030").splitlines()
    jd[1] = jd[1].replace("在线支付", "货到付款")  # order 290012345678, two rows: 59.00 + 89.00
    jd[2] = jd[2].replace("在线支付", "货到付款")
    (tmp_path / "jd.csv").write_text("\n".join(jd) + "\n", encoding="gb18030")
    orders = {o.order_no: o for o in parse_orders(tmp_path / "jd.csv", "jd").orders}
    assert orders["290012345678"].cod_amount == Decimal("148.00")
    assert all(o.cod_amount is None for n, o in orders.items() if n != "290012345678")

    douyin = (PLATFORMS / "douyin_orders.csv").read_text(encoding="utf-8-sig").splitlines()
    douyin[0] += ",支付方式"
    douyin[1:] = [line + (",货到付款" if line.startswith("6921234567890123456") else ",在线支付")
                  for line in douyin[1:]]
    (tmp_path / "douyin.csv").write_text("\n".join(douyin) + "\n", encoding="utf-8-sig")
    orders = {o.order_no: o for o in parse_orders(tmp_path / "douyin.csv", "douyin").orders}
    # its second sub-order was refunded (退款成功): the courier collects the first one's 59.00 only
    assert orders["6921234567890123456"].cod_amount == Decimal("59.00")


def test_a_shopify_cod_order_is_not_held_unpaid_and_collects_its_outstanding_balance(tmp_path):
    from tests.unit.test_order_import import DATA

    text = (DATA / "shopify_orders_export.csv").read_text(encoding="utf-8")
    head, *rows = text.splitlines(keepends=True)
    columns = head.rstrip("\n").split(",")
    first = next(r for r in rows if r.startswith("#1001"))
    import csv, io
    values = next(csv.reader(io.StringIO(first)))
    values += [""] * (len(columns) - len(values))
    cells = dict(zip(columns, values))
    cells.update({"Financial Status": "pending", "Payment Method": "Cash on Delivery (COD)",
                  "Outstanding Balance": "45.50", "Notes": "", "Name": "#2001"})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(list(cells))
    writer.writerow(list(cells.values()))
    (tmp_path / "orders_export.csv").write_text(out.getvalue(), encoding="utf-8")
    result = parse_orders(tmp_path / "orders_export.csv", "shopify")
    assert result.ok, [str(e) for e in result.errors]
    (order,) = result.orders
    assert (order.cod_amount, order.holds) == (Decimal("45.50"), ())


# --- privacy waybills ------------------------------------------------------------------------------

def test_a_platform_shops_waybill_masks_name_phone_and_street_and_a_generic_shops_masks_the_phone_only(
        any_url, tmp_path):
    rows = ("P1,taobao,欧阳喆,13812345678,广东省,广州市,越秀区,中山五路33号3楼,ZTO,A,1,,,\n"
            "P2,自营店,欧阳喆,13812345678,广东省,广州市,越秀区,中山五路33号3楼,ZTO,A,1,,,\n")
    engine, sessions, report = _shop(any_url, tmp_path, rows)
    assert report.ok, report.as_dict()
    masked = _waybill_text(sessions, "P1", "75000000000001")
    assert "欧*喆" in masked and "138****5678" in masked and "越秀区" in masked
    assert "欧阳喆" not in masked and "中山五路" not in masked and "13812345678" not in masked
    shown = _waybill_text(sessions, "P2", "75000000000002")
    assert "欧阳喆" in shown and "中山五路33号3楼" in shown and "138****5678" in shown

    with unit_of_work(sessions) as s:  # the setting turns it off for the platform shop, on for ours
        settings.WAYBILL_PRIVACY.write(s, "taobao", "off")
        settings.WAYBILL_PRIVACY.write(s, "自营店", "on")
        s.commit()
        (p1,) = pdf_text(build(s, "waybill", ["P1"]))
        (p2,) = pdf_text(build(s, "waybill", ["P2"]))
    assert "欧阳喆" in p1 and "中山五路" in p1
    assert "欧*喆" in p2 and "中山五路" not in p2
    engine.dispose()


def test_a_shop_on_a_platforms_e_waybill_service_gets_privacy_waybills_by_default(db, sessions):
    with unit_of_work(sessions) as s:
        assert settings.waybill_privacy(s, "天猫旗舰店") is False
        settings.WAYBILL_SERVICE.write(s, "天猫旗舰店", "cainiao")
        assert settings.waybill_privacy(s, "天猫旗舰店") is True
        assert settings.waybill_privacy(s, "pdd") is True and settings.waybill_privacy(s, "shopify") is False
        settings.WAYBILL_PRIVACY.write(s, "default", "on")
        assert settings.waybill_privacy(s, "shopify") is True and settings.waybill_privacy(s, None) is True


# --- a character no font has: held as the order arrives -------------------------------------------

def test_an_order_with_a_character_no_font_has_is_held_unprintable_text_at_import_naming_it(any_url, tmp_path):
    rows = (f"U1,自营店,李{NO_FONT},13812345678,广东省,广州市,越秀区,中山五路33号,SF,A,1,,,\n"
            "U2,自营店,王𠈌,13812345679,广东省,广州市,越秀区,中山五路34号,SF,A,1,,,\n")  # Ext B: prints
    engine, sessions, report = _shop(any_url, tmp_path, rows)
    assert report.ok and report.on_hold == 1, report.as_dict()
    held, fine = _order(sessions, "U1"), _order(sessions, "U2")
    assert fine.status == "ready"
    with unit_of_work(sessions) as s:
        order = s.scalar(select(Order).where(Order.order_no == "U1"))
        assert order.status == "on_hold"
        assert [(h.code, h.detail) for h in order.holds] == [
            ("unprintable_text", "No print font has these characters: recipient: U+F0001")]
    engine.dispose()


# --- the e-waybill services are told -----------------------------------------------------------------

def _request(cod="199.00", insured="1000.00", payment="collect") -> WaybillRequest:
    sender = Party("Station 仓", "02000000000", Address("广东省", "广州市", "白云区", "仓库路1号"))
    recipient = Party("欧阳喆", "13812345678", Address("浙江省", "杭州市", "西湖区", "文三路1号"))
    return WaybillRequest("T100", "ZTO", 1, sender, recipient, (("纯棉T恤", 1),),
                          cod_amount=Decimal(cod) if cod else None,
                          insured_value=Decimal(insured) if insured else None, payment=payment)


def test_each_service_gets_the_cod_amount_and_insured_value_where_its_request_has_fields_for_them(services):
    adapter("cainiao", services.credentials("cainiao")).issue(_request())
    apply = json.loads(services.cainiao.requests[-1]["param_waybill_cloud_print_apply_new_request"])
    (dto,) = apply["trade_order_info_dtos"]
    assert json.loads(dto["logistics_services"]) == {"SVC-COD": {"value": "199.00"},
                                                     "SVC-INSURE": {"value": "1000.00"}}

    adapter("pdd", services.credentials("pdd")).issue(_request(insured=""))
    apply = json.loads(services.pdd.requests[-1]["param_waybill_cloud_print_apply_new_request"])
    assert json.loads(apply["trade_order_info_dtos"][0]["logistics_services"]) == {"SVC-COD": {"value": "199.00"}}

    adapter("sf", services.credentials("sf")).issue(_request())
    msg = json.loads(services.sf.requests[-1]["msgData"])
    assert msg["serviceList"] == [{"name": "COD", "value": "199.00", "value1": "7551234567"},
                                  {"name": "INSURE", "value": "1000.00"}]
    assert msg["payMethod"] == 2  # 到付: the receiver pays the freight

    adapter("doudian", services.credentials("doudian")).issue(_request(cod=""))
    (order,) = json.loads(services.doudian.requests[-1]["param_json"])["order_infos"]
    assert order["service_list"] == [{"service_code": "SVC-INSURE", "service_value": '{"value": "1000.00"}'}]

    adapter("jd", services.credentials("jd")).issue(_request())
    receive = next(r for r in services.jd.requests if r["method"] == "jingdong.ldop.alpha.waybill.receive")
    content = json.loads(json.loads(receive["360buy_param_json"])["content"])
    assert (content["collectionValue"], content["collectionMoney"]) == (1, "199.00")
    assert (content["guaranteeValue"], content["guaranteeValueAmount"]) == (1, "1000.00")


def test_an_order_without_cod_sends_no_value_added_service(services):
    adapter("cainiao", services.credentials("cainiao")).issue(_request(cod="", insured="", payment=""))
    apply = json.loads(services.cainiao.requests[-1]["param_waybill_cloud_print_apply_new_request"])
    assert "logistics_services" not in apply["trade_order_info_dtos"][0]
    adapter("sf", services.credentials("sf")).issue(_request(cod="", insured="", payment=""))
    msg = json.loads(services.sf.requests[-1]["msgData"])
    assert "serviceList" not in msg and msg["payMethod"] == 1


def test_a_supervisor_switches_a_shops_privacy_waybills_and_a_packer_may_not(any_url, tmp_path):
    from click.testing import CliRunner

    from station.cli import main

    rows = "P1,自营店,欧阳喆,13812345678,广东省,广州市,越秀区,中山五路33号3楼,ZTO,A,1,,,\n"
    engine, sessions, _report = _shop(any_url, tmp_path, rows)
    with unit_of_work(sessions) as s:
        f.user(s, "boss", "U-BOSS", roles="supervisor")
        f.user(s, "ann", "U-ANN", roles="packer")
        s.commit()

    def cli(*args):
        return CliRunner().invoke(main, ["--db", any_url, "waybills", "privacy", *args], catch_exceptions=False)

    refused = cli("自营店", "on", "--user", "ann")
    assert refused.exit_code != 0
    switched = cli("自营店", "on", "--user", "boss")
    assert switched.exit_code == 0, switched.output
    assert json.loads(switched.stdout) == {"shop": "自营店", "privacy": True}
    assert "欧*喆" in _waybill_text(sessions, "P1", "75000000000003")
    assert json.loads(cli("自营店", "unset", "--user", "boss").stdout) == {"shop": "自营店", "privacy": False}
    with unit_of_work(sessions) as s:
        (text,) = pdf_text(build(s, "waybill", ["P1"]))
        assert "欧阳喆" in text
        assert sorted((e.user, e.outcome) for e in s.scalars(
            select(AuditEntry).where(AuditEntry.action == "waybills.privacy"))) == [
            ("ann", "not_permitted"), ("boss", "permitted"), ("boss", "permitted")]
    engine.dispose()
