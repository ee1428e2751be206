"""Phone numbers, names and accounts normalised the same way on the order and on the note."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.fulfilment.recipient_keys import name_pinyin, order_keys, parse_phone, pinyin_variants


@pytest.mark.parametrize("written", ["13812345678", "+86 138 1234 5678", "138-1234-5678", "0086 13812345678",
                                     "+86-13812345678", "１３８１２３４５６７８"])
def test_a_mobile_number_written_any_way_is_the_same_number(written):
    phone = parse_phone(written)
    assert (phone.kind, phone.digits, phone.last4) == ("full", "13812345678", "5678")


def test_a_masked_number_keeps_only_what_it_shows():
    phone = parse_phone("138****5678")
    assert (phone.kind, phone.prefix, phone.last4, phone.digits) == ("masked", "138", "5678", "")


@pytest.mark.parametrize("written", ["13800001234-5678", "13800001234转5678", "13800001234#5678"])
def test_a_virtual_number_is_the_marketplace_host_not_the_buyer(written):
    phone = parse_phone(written)
    assert phone.kind == "virtual" and phone.last4 == "" and not phone.checkable


def test_four_digits_are_the_last_four_and_a_landline_keeps_its_area_code():
    assert (parse_phone("5678").kind, parse_phone("5678").last4) == ("partial", "5678")
    assert parse_phone("021-6234 5678").digits == "2162345678"
    assert parse_phone("").kind == parse_phone(None).kind == "none"


def test_chinese_names_pinyin_and_homophone_typos_share_one_pinyin_key():
    assert name_pinyin("张伟") == name_pinyin("张玮") == name_pinyin("Zhang Wei") == "zhangwei"
    assert "zhangwei" in pinyin_variants("Wei Zhang")
    assert name_pinyin("曾小贤") == "zengxiaoxian"  # the surname reading, not "ceng"
    assert name_pinyin("吕布") == "lvbu" and "lvbu" in pinyin_variants("Lu Bu")


def test_an_order_with_a_virtual_number_gets_no_phone_keys_but_keeps_its_name_and_account():
    assert order_keys("张伟", "13800001234-5678", "tb_Zhang 01") == [
        ("name", "张伟"), ("pinyin", "zhangwei"), ("account", "tbzhang01")]
    assert ("last4", "5678") in order_keys("李娜", "138****5678", None)
    assert ("phone", "13812345678") in order_keys("李娜", "+86 13812345678", None)


@given(number=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
       style=st.sampled_from(["{n}", "+86 {a} {b} {c}", "{a}-{b}-{c}", "0086{n}", "+86-{n}", " {a} {b} {c} "]))
def test_any_way_of_writing_a_mobile_number_gives_the_same_digits_and_last_four(number, style):
    written = style.format(n=number, a=number[:3], b=number[3:7], c=number[7:])
    phone = parse_phone(written)
    assert (phone.kind, phone.digits, phone.last4) == ("full", number, number[-4:])
