"""classify(), rules 6-9 of docs/scanning.md (digits, couriers, SKUs, the rest) and the Scan record."""
from __future__ import annotations

import dataclasses

import pytest

from station.scanning import (
    DEFAULT_LEXICON,
    SCAN_ERRORS,
    Lexicon,
    Scan,
    ScanKind,
    classify,
)

K = ScanKind


def check_digit(payload: str) -> str:
    """Reference GS1 mod-10, written differently from the implementation on purpose."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return str((10 - total % 10) % 10)


def gtin(payload: str) -> str:
    return payload + check_digit(payload)


def wrong(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


EAN13 = gtin("690123456789")      # 6901234567892, a Chinese EAN-13
EAN8 = gtin("9638507")            # 96385074
UPCA = gtin("03600029145")        # 036000291452
GTIN14 = gtin("1069012345678")    # a case code, indicator digit 1


# --- rule 6: digits --------------------------------------------------------------------

@pytest.mark.parametrize("code, gtin14", [
    (EAN13, "0" + EAN13), (EAN8, "000000" + EAN8), (UPCA, "00" + UPCA), (GTIN14, GTIN14),
    ("5901234123457", "05901234123457"),
])
def test_a_number_with_a_valid_gtin_check_digit_is_a_product(code, gtin14):
    scan = classify(code)
    assert (scan.kind, scan.value, scan.gtin, scan.alternatives, scan.courier) == \
        (K.PRODUCT, code, gtin14, (), None)


@pytest.mark.parametrize("code", [wrong(EAN13), wrong(EAN8), wrong(UPCA), wrong(GTIN14)])
def test_a_gtin_length_number_with_a_wrong_check_digit_is_refused(code):
    scan = classify(code)
    assert (scan.kind, scan.error) == (K.UNKNOWN, "bad_check_digit")
    assert "check digit should be" in scan.detail


def test_a_13_digit_number_with_a_wrong_check_digit_is_refused():
    scan = classify("6901234567891")
    assert (scan.kind, scan.error) == (K.UNKNOWN, "bad_check_digit")


def test_a_14_digit_number_starting_01_with_a_valid_check_digit_is_a_gtin_14_not_gs1():
    code = gtin("0106901234567")
    scan = classify(code)
    assert (scan.kind, scan.gtin) == (K.PRODUCT, code)


@pytest.mark.parametrize("ai", ["01", "02"])
def test_16_or_more_digits_starting_01_or_02_with_a_valid_gtin_are_gs1(ai):
    scan = classify(ai + "05901234123457" + "17261200")
    assert scan.kind is K.GS1 and scan.gtin == "05901234123457" and str(scan.expiry) == "2026-12-31"


@pytest.mark.parametrize("raw", ["0107032069804987", "0207032069804987", "010703206980498710ABC"[:16] + "1012"])
def test_16_or_more_digits_starting_01_or_02_with_a_wrong_gtin_check_digit_are_refused(raw):
    scan = classify(raw)
    assert (scan.kind, scan.error) == (K.UNKNOWN, "bad_check_digit")


def test_digits_starting_01_with_a_valid_gtin_but_no_valid_ais_after_it_are_gs1_invalid():
    scan = classify("01059012341234579")  # a lone "9" after the GTIN is no element string
    assert (scan.kind, scan.error) == (K.UNKNOWN, "gs1_invalid")


def test_20_digits_starting_00_with_a_valid_sscc_are_gs1():
    scan = classify("00373400306809981733")
    assert (scan.kind, scan.sscc, scan.value) == (K.GS1, "373400306809981733", "373400306809981733")


def test_a_bare_18_digit_sscc_starting_00_is_gs1():
    sscc = gtin("00690123400000123")
    scan = classify(sscc)
    assert (scan.kind, scan.sscc, scan.raw, dict(scan.ai)) == (K.GS1, sscc, sscc, {"00": sscc})


@pytest.mark.parametrize("raw", [wrong("00373400306809981733"), wrong(gtin("00690123400000123"))])
def test_18_or_20_digits_starting_00_with_a_wrong_sscc_check_digit_fall_through_to_sku(raw):
    scan = classify(raw)
    assert (scan.kind, scan.alternatives) == (K.SKU, (K.ORDER,))


@pytest.mark.parametrize("digits", ["1", "123", "1234567", "3105123456", "12345678901",
                                    "123456789012345", "35153131473293579", "9" * 48])
def test_other_digit_strings_are_skus_that_may_be_order_numbers(digits):
    scan = classify(digits)
    assert (scan.kind, scan.value, scan.alternatives) == (K.SKU, digits, (K.ORDER,))


def test_more_than_48_digits_are_unreadable():
    scan = classify("9" * 49)
    assert (scan.kind, scan.error) == (K.UNKNOWN, "unreadable")


# --- rules 6 and 7: couriers (the patterns themselves: test_scanning_couriers.py) ------

def test_a_valid_ean_13_that_fits_a_courier_pattern_is_a_product_that_may_be_a_tracking_number():
    code = gtin("773123456789")  # 77x: EAN-13 of Colombia/Uruguay... and an STO waybill
    scan = classify(code)
    assert (scan.kind, scan.courier, scan.alternatives) == (K.PRODUCT, "STO", (K.TRACKING,))


def test_a_13_digit_waybill_number_with_a_wrong_gtin_check_digit_is_a_tracking_number():
    code = wrong(gtin("773123456789"))
    scan = classify(code)
    assert (scan.kind, scan.courier, scan.value, scan.error) == (K.TRACKING, "STO", code, None)


def test_a_12_digit_zto_waybill_with_a_valid_upc_check_digit_is_a_product_that_may_be_tracking():
    code = gtin("73123456789")
    scan = classify(code)
    assert (scan.kind, scan.gtin, scan.courier, scan.alternatives) == \
        (K.PRODUCT, "00" + code, "ZTO", (K.TRACKING,))


def test_a_digit_waybill_of_a_non_gtin_length_is_a_tracking_number():
    lexicon = Lexicon(couriers=(dataclasses.replace(DEFAULT_LEXICON.couriers[0], code="JT",
                                                    pattern=r"5\d{14}"),))
    scan = classify("512345678901234", lexicon)
    assert (scan.kind, scan.courier) == (K.TRACKING, "JT")


@pytest.mark.parametrize("raw, courier", [
    ("SF1234567890123", "SF"), ("SF123456789012", "SF"), ("YT1234567890123", "YTO"),
    ("JDVA12345678901", "JD"), ("EA123456789CN", "EMS"),
])
def test_a_lettered_waybill_number_is_a_tracking_number_with_its_courier(raw, courier):
    scan = classify(raw)
    assert (scan.kind, scan.value, scan.courier, scan.alternatives) == (K.TRACKING, raw, courier, ())


def test_a_waybill_number_in_lower_case_is_not_recognised_and_reads_as_a_sku():
    assert classify("sf1234567890123").kind is K.SKU


# --- rule 8: Code128 SKUs --------------------------------------------------------------

@pytest.mark.parametrize("raw", ["TS-RED-M", "#1001", "X", "a/b+c.d%e$f", "~!@#$%^&*()_+{}|:<>?",
                                 "SKU_" + "A" * 44, "6901234567892X"])
def test_printable_ascii_without_spaces_is_a_sku_that_may_be_an_order_number(raw):
    scan = classify(raw)
    assert (scan.kind, scan.value, scan.alternatives) == (K.SKU, raw, (K.ORDER,))


# --- rule 9: everything else -----------------------------------------------------------

@pytest.mark.parametrize("raw", ["TS RED M", "红色T恤", "A" * 49, "TS-RED\x07", "caf\u00e9", "\x00",
                                 "CODE\x7f"])
def test_anything_else_is_unreadable(raw):
    scan = classify(raw)
    assert (scan.kind, scan.error) == (K.UNKNOWN, "unreadable")
    assert scan.detail


# --- the Scan record ------------------------------------------------------------------

def test_a_classified_scan_is_an_ordinary_frozen_hashable_scan():
    scan = classify(EAN13)
    assert type(scan) is Scan
    assert scan == Scan(raw=EAN13, kind=K.PRODUCT, value=EAN13, gtin="0" + EAN13)
    assert hash(scan) == hash(Scan(raw=EAN13, kind=K.PRODUCT, value=EAN13, gtin="0" + EAN13))
    assert {scan, classify(EAN13 + "\r")} == {scan}
    with pytest.raises(dataclasses.FrozenInstanceError):
        scan.value = "x"  # type: ignore[misc]
    assert dataclasses.replace(scan, value="x").value == "x"
    assert scan.ai == {} and scan.ok


@pytest.mark.parametrize("raw", ["", "CMD-FOO", wrong(EAN13), "]C1", "红"])
def test_an_unknown_scan_always_carries_a_stable_error_code(raw):
    scan = classify(raw)
    assert scan.kind is K.UNKNOWN and scan.error in SCAN_ERRORS and not scan.ok


def test_scan_kind_values_are_the_stable_strings_stored_in_the_audit_trail():
    assert [k.value for k in ScanKind] == ["product", "sku", "gs1", "location", "order",
                                           "return_slip", "tracking", "badge", "command", "unknown"]
    assert ScanKind("gs1") is K.GS1 and K.RETURN_SLIP == "return_slip"


@pytest.mark.parametrize("raw", ["TS-RED-M", EAN13, "CMD-DONE", "", "SF1234567890123"])
def test_a_fast_built_scan_has_every_field_of_scan_set_to_its_default_or_a_value(raw):
    scan = classify(raw)
    rebuilt = Scan(**{f.name: getattr(scan, f.name) for f in dataclasses.fields(Scan)})
    assert rebuilt == scan and repr(rebuilt) == repr(scan)
    assert scan.batch is None and scan.expiry is None and scan.ai == {}
