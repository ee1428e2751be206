"""The e-waybill adapters against local servers that speak each platform's published schema and
recompute its signature independently (tests/support/ewaybill_servers.py; sources in
docs/couriers.md). None of this has met the live services."""
from __future__ import annotations

import json

import pytest

from station.couriers import Address, Party, ServiceError, WaybillRequest, adapter
from station.couriers.base import CredentialsRefused
from station.couriers.sf import java_urlencode
from tests.support.ewaybill_servers import Services


@pytest.fixture
def services():
    s = Services()
    yield s
    s.close()


SENDER = Party("杭州小店", "0571-88886666", Address("浙江省", "杭州市", "余杭区", "文一西路 998 号 5 幢"))
RECIPIENT = Party("欧阳喆", "13800138000", Address("广东省", "广州市", "越秀区", "中山五路 33 号 1201 室"),
                  oaid="1qKxDCNicDXKvR5ZGS5Q9uY1AKMcOdyCUjn7uM9bqGj6ct7vLGXrK5oGvadnjv")


def request(courier="ZTO", seq=1) -> WaybillRequest:
    return WaybillRequest("TB20261111-0007", courier, seq, SENDER, RECIPIENT, (("纯棉T恤 白 L", 2), ("帆布袋", 1)))


def test_cainiao_signs_the_top_way_and_reads_the_routing_code_and_hub_from_the_print_data(services):
    cainiao = adapter("cainiao", services.credentials("cainiao"))
    issued = cainiao.issue(request())
    assert issued.tracking_no == "700000000001" and issued.provider == "cainiao"
    assert (issued.routing_code, issued.hub_name, issued.hub_code) == ("571 W02-08", "杭州转运中心", "571000")
    assert json.loads(issued.print_data)["data"]["waybillCode"] == "700000000001"
    sent = services.cainiao.requests[-1]
    assert sent["method"] == "cainiao.waybill.ii.get" and sent["sign_method"] == "md5" and sent["v"] == "2.0"
    apply = json.loads(sent["param_waybill_cloud_print_apply_new_request"])
    dto = apply["trade_order_info_dtos"][0]
    assert apply["cp_code"] == "ZTO" and dto["object_id"] == "TB20261111-0007-1"
    assert dto["recipient"]["oaid"] == RECIPIENT.oaid  # the encrypted recipient, untouched
    assert dto["order_info"]["trade_order_list"] == ["TB20261111-0007"]
    assert dto["package_info"]["items"] == [{"name": "纯棉T恤 白 L", "count": 2}, {"name": "帆布袋", "count": 1}]


def test_cainiao_cancels_a_number_it_gave_and_refuses_a_wrong_secret_as_a_credential_problem(services):
    cainiao = adapter("cainiao", services.credentials("cainiao"))
    number = cainiao.issue(request()).tracking_no
    cainiao.cancel("ZTO", number, "TB20261111-0007-1")
    assert services.cainiao.cancelled == [number]
    with pytest.raises(ServiceError, match="did not cancel"):
        cainiao.cancel("ZTO", "799999999999", "x-1")
    wrong = adapter("cainiao", {**services.credentials("cainiao"), "app_secret": "guessed"})
    with pytest.raises(CredentialsRefused, match="Invalid signature"):
        wrong.issue(request())
    with pytest.raises(CredentialsRefused, match="Invalid session"):
        adapter("cainiao", {**services.credentials("cainiao"), "session": "expired"}).check()
    cainiao.check()


def test_sf_digest_is_base64_md5_of_the_java_url_encoded_message_and_the_route_label_comes_back(services):
    sf = adapter("sf", services.credentials("sf"))
    issued = sf.issue(request("SF"))
    assert issued.tracking_no == "SF0000000000001"
    assert (issued.routing_code, issued.hub_code, issued.hub_name) == ("755WE-571A", "F33", "")
    assert issued.qr_data.startswith("MMM=") and "SF0000000000001" in issued.qr_data
    msg = json.loads(services.sf.requests[-1]["msgData"])
    assert msg["orderId"] == "TB20261111-0007-1" and msg["isReturnRoutelabel"] == 1
    assert [c["contactType"] for c in msg["contactInfoList"]] == [1, 2]
    assert msg["contactInfoList"][1]["county"] == "越秀区"
    sf.cancel("SF", issued.tracking_no, "TB20261111-0007-1")
    assert services.sf.cancelled == ["SF0000000000001"]
    sf.check()  # an order SF does not know, but the digest was accepted (A1000)


def test_sf_refuses_a_wrong_check_word_and_an_unknown_partner_as_credential_problems(services):
    with pytest.raises(CredentialsRefused, match="A1006"):
        adapter("sf", {**services.credentials("sf"), "check_word": "sf check word"}).check()
    with pytest.raises(CredentialsRefused, match="A1004"):
        adapter("sf", {**services.credentials("sf"), "partner_id": "OTHER"}).issue(request("SF"))


def test_java_url_encoding_keeps_star_escapes_tilde_and_writes_space_as_plus():
    assert java_urlencode("a b*~_.-") == "a+b*%7E_.-"
    assert java_urlencode("{\"收\":1}") == "%7B%22%E6%94%B6%22%3A1%7D"


def test_pdd_signs_passes_the_encrypted_recipient_as_it_came_and_cancels(services):
    encrypted = Party("~AgAAAAECZ3Jn~", "$74Yv0Ng$AgAAAAC$", Address("广东省", "广州市", "越秀区", "~AgAAAVmQ==~"))
    pdd = adapter("pdd", services.credentials("pdd"))
    issued = pdd.issue(WaybillRequest("231111-5566", "YTO", 1, SENDER, encrypted, (("T恤", 1),)))
    assert issued.tracking_no == "YT0000000000001"
    assert (issued.routing_code, issued.hub_name) == ("", "")  # PDD's print data is encrypted: none for us
    dto = json.loads(services.pdd.requests[-1]["param_waybill_cloud_print_apply_new_request"])["trade_order_info_dtos"][0]
    assert dto["recipient"]["name"] == "~AgAAAAECZ3Jn~" and dto["recipient"]["address"]["detail"] == "~AgAAAVmQ==~"
    assert dto["order_info"]["order_channels_type"] == "PDD"
    pdd.cancel("YTO", issued.tracking_no, "231111-5566-1")
    assert services.pdd.cancelled == ["YT0000000000001"]
    with pytest.raises(CredentialsRefused, match="10019"):
        adapter("pdd", {**services.credentials("pdd"), "access_token": "old"}).check()
    with pytest.raises(CredentialsRefused, match="10035"):
        adapter("pdd", {**services.credentials("pdd"), "client_secret": "x"}).check()


def test_an_unreachable_service_is_a_clear_error_not_a_traceback(services):
    url = services.sf.url
    services.close()
    with pytest.raises(ServiceError, match="cannot be reached"):
        adapter("sf", {**services.credentials("sf"), "endpoint": url}).check()


def test_an_online_adapter_without_credentials_says_how_to_store_them():
    with pytest.raises(ServiceError, match="station waybills credentials"):
        adapter("cainiao", None)
    with pytest.raises(ServiceError, match="Unknown waybill service"):
        adapter("ups", {})


def test_doudian_signs_the_sorted_param_json_with_hmac_and_returns_sort_code_and_hub(services):
    encrypted = Party("#ZWZ#AAAA", "$138$BBBB", Address("上海市", "上海市", "青浦区", "#detail#CCCC"))
    doudian = adapter("doudian", services.credentials("doudian"))
    issued = doudian.issue(WaybillRequest("6920000000001", "ZTO", 2, SENDER, encrypted, (("T恤", 1),)))
    assert (issued.tracking_no, issued.routing_code, issued.hub_name, issued.hub_code) == \
        ("700000000001", "300-A21 05", "上海青浦集包", "021J")
    sent = services.doudian.requests[-1]
    assert sent["method"] == "logistics.newCreateOrder" and sent["sign_method"] == "hmac-sha256"
    body = json.loads(sent["param_json"])
    order = body["order_infos"][0]
    assert body["logistics_code"] == "zhongtong" and order["pack_id"] == "2"  # a second parcel: its own pack id
    assert order["receiver_info"]["contact"] == {"name": "#ZWZ#AAAA", "mobile": "$138$BBBB"}  # ciphertexts as they came
    doudian.cancel("ZTO", "700000000001", "6920000000001-2")
    assert services.doudian.cancelled == ["700000000001"]
    doudian.check()
    with pytest.raises(CredentialsRefused, match="30002"):
        adapter("doudian", {**services.credentials("doudian"), "app_secret": "wrong"}).check()
    with pytest.raises(ServiceError, match="30005"):
        adapter("doudian", {**services.credentials("doudian"), "access_token": "old"}).issue(request())


def test_jd_takes_a_number_then_its_big_shot_routing_and_hub_and_unbinds_it(services):
    jd = adapter("jd", services.credentials("jd"))
    issued = jd.issue(request("JD"))
    assert (issued.tracking_no, issued.routing_code, issued.hub_name, issued.hub_code) == \
        ("JDVA00000000001", "京-北京-A1-07", "北京亦庄分拣中心", "010Y")
    receive, bigshot = services.jd.requests[-2:]
    assert receive["method"] == "jingdong.ldop.alpha.waybill.receive" and receive["v"] == "2.0"
    content = json.loads(json.loads(receive["360buy_param_json"])["content"])
    assert content["providerCode"] == "JD" and content["platformOrderNo"] == "TB20261111-0007-1"
    assert content["toAddress"]["countryName"] == "越秀区" and "branchCode" not in content
    assert json.loads(bigshot["360buy_param_json"]) == {"waybillCode": "JDVA00000000001", "providerCode": "JD"}
    jd.cancel("JD", issued.tracking_no, "TB20261111-0007-1")
    assert services.jd.cancelled == ["JDVA00000000001"]
    with pytest.raises(ServiceError, match="JD refused"):
        jd.cancel("JD", "JDVA99999999999", "x-1")
    jd.check()
    with pytest.raises(CredentialsRefused, match="Invalid sign"):
        adapter("jd", {**services.credentials("jd"), "app_secret": "wrong"}).check()
    with pytest.raises(CredentialsRefused, match="access_token"):
        adapter("jd", {**services.credentials("jd"), "access_token": "old"}).check()


def test_an_adapter_never_shows_its_credentials_in_its_repr(services):
    cainiao = adapter("cainiao", services.credentials("cainiao"))
    assert services.cainiao.secret not in repr(cainiao) and services.cainiao.token not in repr(cainiao)
