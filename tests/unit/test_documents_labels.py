"""Product and location labels as a 203 dpi thermal printer prints them and a scanner reads them."""
from __future__ import annotations

import io
import random

import pypdf
import pytest

from station.printing.barcodes import code128_size
from station.printing.documents.labels import (
    LABEL_100x50,
    LOCATION_SIZES,
    MAX_CODE128_CHARS,
    PRODUCT_SIZES,
    LocationLabel,
    ProductLabel,
    render_location_label,
    render_location_labels,
    render_product_label,
    render_product_labels,
)
from station.printing.units import A4, LABEL_40x30, LABEL_50x30, LayoutError
from tests.support.pdfcheck import decode_barcodes, fonts_embedded, page_sizes_mm, pdf_text
from tests.support.render_docs import sample_location_labels, sample_product_labels

PRODUCT_IDS = [size.name for size in PRODUCT_SIZES]
LOCATION_IDS = [size.name for size in LOCATION_SIZES]


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("size", PRODUCT_SIZES, ids=PRODUCT_IDS)
@pytest.mark.parametrize("which", [0, 1], ids=["gtin13-as-ean13", "sku-as-code128"])
def test_a_product_label_scans_as_its_code_and_shows_name_colour_and_size(size, which):
    label = sample_product_labels()[which]
    pdf = render_product_label(label, size=size)
    assert decode_barcodes(pdf, dpi=203) == [[label.code]]
    assert page_sizes_mm(pdf) == [pytest.approx((size.width, size.height), abs=0.5)]
    fonts = fonts_embedded(pdf)
    assert fonts and all(fonts.values())
    flat = _flat(pdf_text(pdf)[0])
    assert _flat(label.name) in flat
    assert _flat(f"{label.colour} {label.size}") in flat
    assert label.sku in flat


def test_a_thirteen_digit_code_with_a_wrong_check_digit_prints_as_code128_not_as_a_wrong_ean():
    label = ProductLabel("TS01", "T恤", "6901234567890")  # check digit should be 2
    assert decode_barcodes(render_product_label(label), dpi=203) == [["6901234567890"]]


@pytest.mark.parametrize("size", PRODUCT_SIZES, ids=PRODUCT_IDS)
def test_every_code128_value_up_to_the_documented_length_fits_and_one_more_character_is_refused(size):
    limit = MAX_CODE128_CHARS[size.name]
    rng = random.Random(7)
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefxyz0123456789-_/.#"
    values = ["".join(rng.choice(alphabet) for _ in range(limit)) for _ in range(200)]
    values += ["W" * limit, "-" * limit, "A1B2C3D4E5F6"[:limit]]
    # Fitting is decided by width alone: every such value is no wider than the label allows.
    assert max(code128_size(v).width for v in values) <= size.width - 2
    sample = values[:3]
    pdf = render_product_labels([ProductLabel(v, "样品 Sample", v) for v in sample], size=size)
    assert decode_barcodes(pdf, dpi=203) == [[v] for v in sample]

    too_long = "TS01-RD-M-XL-BLUE"[: limit + 1]
    with pytest.raises(LayoutError, match=too_long):
        render_product_label(ProductLabel(too_long, "样品", too_long), size=size)


def test_a_typical_apparel_sku_needs_the_50x30_label():
    sku = ProductLabel("TS01-RD-M", "纯棉T恤", "TS01-RD-M", "红色", "M")
    assert decode_barcodes(render_product_label(sku, size=LABEL_50x30), dpi=203) == [["TS01-RD-M"]]
    with pytest.raises(LayoutError, match=r"'TS01-RD-M'.*label 40x30.*8 characters"):
        render_product_label(sku, size=LABEL_40x30)


@pytest.mark.parametrize("size", PRODUCT_SIZES, ids=PRODUCT_IDS)
def test_many_product_labels_print_one_per_page_each_scanning_as_its_own_code(size):
    labels = [ProductLabel(f"NB-{n:03d}", f"笔记本 Notebook {n}", f"NB-{n:03d}") for n in range(5)]
    pdf = render_product_labels(labels, size=size)
    assert decode_barcodes(pdf, dpi=203) == [[label.code] for label in labels]
    assert len(page_sizes_mm(pdf)) == 5


@pytest.mark.parametrize("size", PRODUCT_SIZES, ids=PRODUCT_IDS)
def test_a_long_product_name_is_shrunk_to_two_lines_and_prints_whole(size):
    name = "男士加绒加厚工装夹克 Men's fleece-lined work jacket"
    pdf = render_product_label(ProductLabel("JK22", name, "6901234567892", "卡其", "XL"), size=size)
    assert _flat(name) in _flat(pdf_text(pdf)[0])
    assert decode_barcodes(pdf, dpi=203) == [["6901234567892"]]


def test_a_name_too_long_for_the_label_is_refused_by_sku_not_cut_off():
    with pytest.raises(LayoutError, match="name of JK22"):
        render_product_label(ProductLabel("JK22", "很长的品名" * 20, "6901234567892"))


def test_a_product_label_size_that_is_not_a_product_label_is_refused():
    with pytest.raises(LayoutError, match="no product-label layout for A4"):
        render_product_label(sample_product_labels()[0], size=A4)


# ---------------------------------------------------------------- location labels


@pytest.mark.parametrize("size", LOCATION_SIZES, ids=LOCATION_IDS)
def test_location_labels_scan_as_the_location_code_and_show_it_in_big_type(size):
    labels = sample_location_labels()
    pdf = render_location_labels(labels, size=size)
    assert decode_barcodes(pdf, dpi=203) == [[label.code] for label in labels]
    assert page_sizes_mm(pdf) == [pytest.approx((size.width, size.height), abs=0.5)] * 2
    fonts = fonts_embedded(pdf)
    assert fonts and all(fonts.values())
    for label, text in zip(labels, pdf_text(pdf)):
        assert label.code in text and label.zone in text and label.note in text

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    sizes = {}
    reader.pages[0].extract_text(visitor_text=lambda text, cm, tm, font, font_size: sizes.update(
        {text.strip(): font_size * abs(tm[3])} if text.strip() else {}))
    assert sizes[labels[0].code] >= 36  # pt: readable from across the aisle


def test_a_location_label_without_zone_or_note_still_scans():
    pdf = render_location_label(LocationLabel("B-12-01-04"))
    assert decode_barcodes(pdf, dpi=203) == [["B-12-01-04"]]


def test_a_location_code_too_long_for_the_label_is_refused_by_name():
    code = "WAREHOUSE-2-MEZZANINE-AISLE-17-BAY-04-LEVEL-3"
    with pytest.raises(LayoutError, match=code):
        render_location_label(LocationLabel(code), size=LABEL_100x50)


def test_a_location_label_size_that_is_not_a_location_label_is_refused():
    with pytest.raises(LayoutError, match="no location-label layout for label 50x30"):
        render_location_label(LocationLabel("A-01"), size=LABEL_50x30)
