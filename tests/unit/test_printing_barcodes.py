"""Barcodes as a thermal printer prints them and a scanner reads them back."""
from __future__ import annotations

import io

import pytest

from station.printing.barcodes import (
    BarcodeValueError,
    code128_runs,
    code128_size,
    draw_code128,
    draw_ean13,
    ean13_size,
    is_valid_gtin13,
    snap_module_mm,
)
from station.printing.pdf import new_canvas
from station.printing.units import LABEL_40x30, LABEL_50x30, LayoutError
from tests.support.pdfcheck import decode_barcodes, fonts_embedded


def _label(draw, page=LABEL_50x30) -> bytes:
    out = io.BytesIO()
    canvas = new_canvas(out, page, title="label")
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_a_bin_location_on_a_50x30_label_scans_at_203_dpi():
    pdf = _label(lambda c: draw_code128(c, "A-01-02-03", 2, 4, max_width_mm=46))
    assert decode_barcodes(pdf, dpi=203) == [["A-01-02-03"]]
    assert all(fonts_embedded(pdf).values())


def test_a_product_gtin_prints_as_ean13_and_scans_at_203_dpi():
    pdf = _label(lambda c: draw_ean13(c, "6901234567892", 4, 4, max_width_mm=42))
    assert decode_barcodes(pdf, dpi=203) == [["6901234567892"]]
    assert all(fonts_embedded(pdf).values())


def test_the_drawn_width_is_the_symbol_plus_ten_module_quiet_zones_either_side():
    out = io.BytesIO()
    canvas = new_canvas(out, LABEL_50x30, title="label")
    width = draw_code128(canvas, "CMD-DONE", 0, 0)
    assert width == pytest.approx((sum(code128_runs("CMD-DONE")) + 20) * 0.25)
    assert width == code128_size("CMD-DONE").width


def test_module_widths_snap_to_whole_203_dpi_dots():
    assert snap_module_mm(0.25) == 0.25  # 2 dots
    assert snap_module_mm(0.2) == 0.25  # 1.6 dots would print as 1 or 2
    assert snap_module_mm(0.33) == 0.375  # 3 dots


def test_a_module_of_a_single_thermal_dot_is_refused():
    with pytest.raises(BarcodeValueError, match="at least 2 dots"):
        snap_module_mm(0.15)


def test_a_barcode_too_wide_for_its_box_raises_instead_of_being_cut_off():
    tracking = "SF1402345678901-RETURN-0001"
    with pytest.raises(LayoutError, match=r"needs .* mm .* only 36\.0 mm"):
        _label(lambda c: draw_code128(c, tracking, 2, 4, max_width_mm=36), page=LABEL_40x30)


def test_an_ean13_too_wide_for_a_small_label_raises():
    assert ean13_size("6901234567892", module_mm=0.375).width > 36
    with pytest.raises(LayoutError):
        _label(lambda c: draw_ean13(c, "6901234567892", 2, 4, module_mm=0.375, max_width_mm=36))


def test_digit_runs_are_packed_in_code_set_c():
    assert sum(code128_runs("12345678")) < sum(code128_runs("ABCDEFGH"))


@pytest.mark.parametrize("value", ["张伟", "", "CMD\tDONE"])
def test_code128_refuses_values_a_scanner_could_not_type_back(value):
    with pytest.raises(BarcodeValueError):
        code128_size(value)


def test_a_gtin_with_a_wrong_check_digit_is_refused_not_silently_corrected():
    assert is_valid_gtin13("6901234567892")
    assert not is_valid_gtin13("6901234567891")
    with pytest.raises(BarcodeValueError, match="check digit should be 2"):
        ean13_size("6901234567891")


def test_a_code_starting_with_99_keeps_its_99_when_it_scans():
    # python-barcode 0.16.1 alone drops a leading "99" in code set C (its issue #251).
    pdf = _label(lambda c: draw_code128(c, "9912345678", 2, 4, max_width_mm=46))
    assert decode_barcodes(pdf, dpi=203) == [["9912345678"]]


@pytest.mark.parametrize("value, characters", [
    ("SF1234567890123", 11),  # start S F 1 →C 23 45 67 89 01 23: the odd digit stays in B
    ("AB1234567", 8),  # start A B 1 →C 23 45 67
    ("12345678", 5),  # start-C 12 34 56 78
])
def test_an_odd_digit_run_enters_code_set_c_after_its_first_digit_not_before_its_last(
    value, characters
):
    # Symbol characters of 11 modules (start, data, checksum) and a 13-module stop.
    assert sum(code128_runs(value)) == (characters + 1) * 11 + 13
