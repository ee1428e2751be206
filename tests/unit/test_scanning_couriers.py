"""Courier patterns and the Lexicon that carries them."""
from __future__ import annotations

import pytest

from station.scanning import DEFAULT_COURIERS, DEFAULT_LEXICON, CourierPattern, Lexicon, ScanKind, classify

K = ScanKind


def test_the_default_couriers_are_the_big_chinese_couriers_with_names_in_both_languages():
    assert {c.code for c in DEFAULT_COURIERS} == {"SF", "ZTO", "YTO", "STO", "YUNDA", "JD", "EMS"}
    names = {c.code: (c.name_zh, c.name_en) for c in DEFAULT_COURIERS}
    assert names["SF"][0] == "顺丰速运" and names["ZTO"][0] == "中通快递" and names["YTO"][0] == "圆通速递"
    assert names["STO"][0] == "申通快递" and names["YUNDA"][0] == "韵达快递"
    assert names["JD"][0] == "京东物流" and names["EMS"][0] == "中国邮政EMS"
    assert all(en for _, en in names.values())


@pytest.mark.parametrize("number, courier", [
    ("SF123456789012", "SF"), ("SF1234567890123", "SF"),
    ("YT1234567890123", "YTO"),
    ("JDVA12345678901", "JD"), ("JDX000123456789012", "JD"),
    ("EA123456789CN", "EMS"), ("1012345678901", "EMS"), ("1112345678901", "EMS"),
    ("7731234567890", "STO"), ("8812345678901", "STO"), ("5512345678901", "STO"),
    ("4312345678901", "YUNDA"), ("4612345678901", "YUNDA"), ("3112345678901", "YUNDA"),
    ("731234567890", "ZTO"), ("7512345678901", "ZTO"), ("73100012345678", "ZTO"), ("35123456789012", "ZTO"),
])
def test_each_default_courier_recognises_its_tracking_numbers(number, courier):
    assert DEFAULT_LEXICON.courier_for(number) == courier


@pytest.mark.parametrize("number", [
    "SF12345678901", "SF12345678901234", "sf1234567890123", "YT123456789012", "JD1234567890",
    "EA123456789US", "1212345678901", "7712345678", "6901234567892", "69012345678901", "",
])
def test_near_misses_are_no_tracking_number(number):
    assert DEFAULT_LEXICON.courier_for(number) is None


def test_the_narrow_patterns_win_over_ztos_broad_one_where_they_overlap():
    # 13 digits starting 77 or 31 fit ZTO's "[37]\d{11,13}" as well.
    assert CourierPattern("ZTO", "", "", r"[37]\d{11,13}").matches("7731234567890")
    assert DEFAULT_LEXICON.courier_for("7731234567890") == "STO"
    assert DEFAULT_LEXICON.courier_for("3112345678901") == "YUNDA"


def test_the_first_matching_courier_of_the_lexicon_wins():
    a = CourierPattern("A", "甲", "A", r"\d{10}")
    b = CourierPattern("B", "乙", "B", r"12\d{8}")
    assert Lexicon(couriers=(a, b)).courier_for("1234567890") == "A"
    assert Lexicon(couriers=(b, a)).courier_for("1234567890") == "B"


@pytest.mark.parametrize("pattern", [r"(JT)(\d{13})", r"(?i)jt\d{13}", r"(?P<x>JT)\d{13}"])
def test_patterns_with_groups_or_global_flags_still_work(pattern):
    lexicon = Lexicon(couriers=(CourierPattern("JT", "极兔速递", "J&T Express", pattern),) + DEFAULT_COURIERS)
    scan = classify("JT1234567890123", lexicon)
    assert (scan.kind, scan.courier) == (K.TRACKING, "JT")
    assert classify("SF1234567890123", lexicon).courier == "SF"


def test_a_lexicon_without_couriers_knows_no_tracking_numbers():
    scan = classify("SF1234567890123", Lexicon(couriers=()))
    assert scan.kind is K.SKU


def test_a_broken_courier_pattern_fails_when_the_lexicon_is_built_not_when_scanning():
    with pytest.raises(Exception):  # noqa: B017 - re.error
        CourierPattern("X", "", "", r"[")


def test_a_lexicon_is_hashable_and_accepts_any_collection_of_codes():
    lexicon = Lexicon(badges={"U1"}, locations=["RECV-1"])  # type: ignore[arg-type]
    assert lexicon.badges == frozenset({"U1"}) and lexicon.locations == frozenset({"RECV-1"})
    assert hash(lexicon) == hash(Lexicon(badges=frozenset({"U1"}), locations=frozenset({"RECV-1"})))
    assert lexicon.is_location("RECV-1") and lexicon.is_location("A-01-02-03")
    assert not lexicon.is_location("A-01-02")


def test_a_single_string_of_badges_is_refused_rather_than_split_into_letters():
    with pytest.raises(TypeError):
        Lexicon(badges="U0001")  # type: ignore[arg-type]
