"""GS1 element strings: the public test vectors of /work/shared/formats/README.md, and more."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from station.scanning import AIMap, ScanKind, classify, parse_gs1

K = ScanKind
D = datetime.date

# (scan, expected fields) -- the eight vectors, GS written as \x1d.
VECTORS = [
    ("0107032069804988100329\x1d15210526",
     dict(gtin="07032069804988", batch="0329", best_before=D(2021, 5, 26),
          ai={"01": "07032069804988", "10": "0329", "15": "210526"})),
    ("010703206980498810032915210526",
     dict(gtin="07032069804988", batch="032915210526", best_before=None,
          ai={"01": "07032069804988", "10": "032915210526"})),
    ("00373400306809981733",
     dict(sscc="373400306809981733", gtin=None, value="373400306809981733",
          ai={"00": "373400306809981733"})),
    ("3105123456", dict(net_weight_kg=Decimal("1.23456"), ai={"3105": "123456"})),
    ("17211200", dict(expiry=D(2021, 12, 31), value="(17)211200", ai={"17": "211200"})),
    ("]C1010590123412345715210526",
     dict(gtin="05901234123457", best_before=D(2021, 5, 26),
          ai={"01": "05901234123457", "15": "210526"})),
    ("]d2011231231231233310ABC123\x1d99TESTING",
     dict(gtin="12312312312333", batch="ABC123",
          ai={"01": "12312312312333", "10": "ABC123", "99": "TESTING"})),
]
INVALID_VECTOR = "0107032069804987"


@pytest.mark.parametrize("raw, expected", VECTORS, ids=[v[0].replace("\x1d", "<GS>") for v in VECTORS])
def test_each_public_gs1_vector_parses_to_its_meaning(raw, expected):
    scan = parse_gs1(raw)
    assert scan.kind is K.GS1 and scan.error is None and scan.raw == raw
    for name, value in expected.items():
        assert getattr(scan, name) == value, name


def test_the_invalid_public_vector_is_refused_for_its_gtin_check_digit():
    for scan in (parse_gs1(INVALID_VECTOR), classify(INVALID_VECTOR)):
        assert (scan.kind, scan.error) == (K.UNKNOWN, "bad_check_digit")


# Which vectors classify() reads as GS1 as they stand, and which need a symbology prefix.
@pytest.mark.parametrize("raw", [VECTORS[0][0], VECTORS[1][0], VECTORS[2][0], VECTORS[5][0], VECTORS[6][0]])
def test_classify_reads_a_gs1_vector_with_gs_a_gs1_prefix_or_an_01_00_lead_as_gs1(raw):
    assert classify(raw) == parse_gs1(raw)


def test_a_bare_net_weight_element_string_is_ten_digits_and_reads_as_a_sku():
    assert classify("3105123456").kind is K.SKU
    scan = classify("]C13105123456")
    assert (scan.kind, scan.net_weight_kg) == (K.GS1, Decimal("1.23456"))


def test_a_bare_expiry_element_string_is_eight_digits_and_falls_under_the_ean_8_rule():
    assert (classify("17211200").kind, classify("17211200").error) == (K.UNKNOWN, "bad_check_digit")
    scan = classify("]C117211200")
    assert (scan.kind, scan.expiry) == (K.GS1, D(2021, 12, 31))


@pytest.mark.parametrize("raw, expiry", [
    ("]C117240200", D(2024, 2, 29)), ("]C117250200", D(2025, 2, 28)), ("]C117260400", D(2026, 4, 30)),
    ("]C117261215", D(2026, 12, 15)),
])
def test_an_expiry_day_of_00_means_the_last_day_of_the_month(raw, expiry):
    assert classify(raw).expiry == expiry


def test_the_fields_of_a_serialised_datamatrix_are_all_read():
    raw = "]d201069012345678922110000123\x1d10B2401\x1d17261200\x1d3102000750"
    scan = classify(raw)
    assert scan.kind is K.GS1
    assert (scan.gtin, scan.serial, scan.batch, scan.expiry, scan.net_weight_kg) == \
        ("06901234567892", "10000123", "B2401", D(2026, 12, 31), Decimal("7.50"))
    assert list(scan.ai) == ["01", "21", "10", "17", "3102"]
    assert scan.value == "06901234567892"


def test_a_logistic_unit_label_gives_sscc_contained_gtin_and_count():
    scan = classify("]C100069012340000000016\x1d0206901234567892\x1d3724\x1d10L7")
    assert (scan.sscc, scan.gtin, scan.count, scan.batch) == \
        ("069012340000000016", "06901234567892", 24, "L7")
    assert scan.value == "06901234567892"


def test_a_variable_count_is_read_when_there_is_no_ai_37():
    assert classify("]C1010690123456789230100").count == 100


def test_a_leading_gs_for_fnc1_in_first_position_is_ignored():
    assert classify("\x1d0105901234123457").gtin == "05901234123457"


@pytest.mark.parametrize("raw", ["]C1", "]C1\x1d", "\x1d", "]d2\x1d\x1d"])
def test_a_gs1_symbol_with_no_element_string_is_gs1_invalid(raw):
    scan = classify(raw)
    assert (scan.kind, scan.error) == (K.UNKNOWN, "gs1_invalid")


@pytest.mark.parametrize("raw, why", [
    ("]C117211300", "month 13"),
    ("]C199", "AI 99 with no data"),
    ("]C1ABC", "no AI at all"),
    ("]C10105901234123", "GTIN too short"),
    ("]C1010590123412345710AB\x1d10CD", "the same AI twice with different values"),
])
def test_a_malformed_gs1_symbol_is_gs1_invalid_with_biips_reason(raw, why):
    scan = classify(raw)
    assert (scan.kind, scan.error) == (K.UNKNOWN, "gs1_invalid"), why
    assert scan.detail


def test_the_same_ai_twice_with_the_same_value_is_accepted():
    assert classify("]C1010590123412345710AB\x1d10AB").batch == "AB"


@pytest.mark.parametrize("raw", [
    "]C10105901234123458",                    # GTIN check digit 8, should be 7
    "]C100373400306809981734",               # SSCC check digit 4, should be 3
    "]d202059012341234583724",               # AI 02 checked too
])
def test_a_gs1_key_with_a_wrong_check_digit_is_bad_check_digit(raw):
    scan = classify(raw)
    assert (scan.kind, scan.error) == (K.UNKNOWN, "bad_check_digit")
    assert "check digit" in scan.detail.lower()


def test_parse_gs1_accepts_the_printed_hri_form():
    scan = parse_gs1("(01) 05901234123457 (10) AB1")
    assert (scan.kind, scan.gtin, scan.batch) == (K.GS1, "05901234123457", "AB1")


def test_classify_does_not_read_the_hri_form_as_gs1():
    assert classify("(01)05901234123457(10)AB1").kind is K.SKU


@pytest.mark.parametrize("raw", ["", " \r\n"])
def test_parse_gs1_of_nothing_is_empty(raw):
    assert parse_gs1(raw).error == "empty"


def test_parse_gs1_of_text_that_is_no_gs1_is_gs1_invalid():
    assert parse_gs1("TS-RED-M").error == "gs1_invalid"


def test_the_ai_map_is_immutable_hashable_and_compares_like_a_dict():
    ai = classify("]C1010590123412345710AB").ai
    assert isinstance(ai, AIMap)
    assert ai == {"01": "05901234123457", "10": "AB"} and ai["10"] == "AB" and "10" in ai
    assert hash(ai) == hash(AIMap({"10": "AB", "01": "05901234123457"}))
    with pytest.raises(TypeError):
        ai["10"] = "X"  # type: ignore[index]
    assert hash(classify("]C1010590123412345710AB")) == hash(classify("]C1010590123412345710AB\r"))


def test_a_repeated_gs1_scan_gives_an_equal_scan_with_its_own_raw_text():
    first = classify("]C1010590123412345710AB\r")
    again = classify("]C1010590123412345710AB\n")
    bare = classify("010590123412345710AB\x1d")
    assert first == again and first.raw == "]C1010590123412345710AB"
    assert bare.raw == "010590123412345710AB\x1d" and bare.gtin == first.gtin and bare.batch == "AB"
