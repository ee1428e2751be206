"""Check digits, GTIN-14, and the importer's product-barcode check."""
from __future__ import annotations

import pytest

from station.scanning import gtin14, gtin_check_digit_ok, is_valid_product_barcode


@pytest.mark.parametrize("code", ["96385074", "036000291452", "6901234567892", "5901234123457",
                                  "07032069804988", "12312312312333", "00000000"])
def test_a_valid_gtin_passes_the_check_digit_test(code):
    assert gtin_check_digit_ok(code)


@pytest.mark.parametrize("code", ["96385075", "036000291453", "6901234567891", "07032069804987",
                                  "", "1234567", "123456789012345", "590123412345X", "６９０１２３４５６７８９２",
                                  "590123412345 7"])
def test_anything_but_an_8_12_13_or_14_digit_gtin_with_its_check_digit_fails(code):
    assert not gtin_check_digit_ok(code)


@pytest.mark.parametrize("code, padded", [
    ("96385074", "00000096385074"), ("036000291452", "00036000291452"),
    ("6901234567892", "06901234567892"), ("07032069804988", "07032069804988"),
])
def test_gtin14_zero_pads_to_14_digits(code, padded):
    assert gtin14(code) == padded


@pytest.mark.parametrize("code", ["", "123", "123456789012345", "ABCDEFGH", "１２３４５６７８"])
def test_gtin14_refuses_what_is_no_gtin(code):
    with pytest.raises(ValueError):
        gtin14(code)


@pytest.mark.parametrize("code", ["6901234567892", "96385074", "036000291452", "10690123456784",
                                  "TS-RED-M", "#1001", "1234567", "123456789", "X", "A" * 48,
                                  "35153131473293579"])
def test_an_importable_product_barcode_is_accepted(code):
    assert is_valid_product_barcode(code) == (True, None)


@pytest.mark.parametrize("code, reason", [
    ("6901234567891", "bad_check_digit"), ("96385075", "bad_check_digit"),
    ("036000291453", "bad_check_digit"), ("10690123456785", "bad_check_digit"),
    ("", "empty"), ("A" * 49, "too_long"),
    ("TS RED M", "unreadable"), (" 6901234567892", "unreadable"), ("红色", "unreadable"),
    ("６９０１２３４５６７８９２", "unreadable"), ("AB\tC", "unreadable"),
    ("CMD-DONE", "reserved_prefix"), ("ps:1001", "reserved_prefix"), ("RS:1", "reserved_prefix"),
])
def test_a_product_barcode_that_would_not_scan_back_as_the_product_is_refused_with_a_reason(code, reason):
    assert is_valid_product_barcode(code) == (False, reason)
