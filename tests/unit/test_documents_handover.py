"""The courier handover list: every tracking number, the count, and both signatures."""
from __future__ import annotations

from dataclasses import replace

import pytest

from station.printing.documents.handover import render_handover
from station.printing.units import A5, LayoutError
from tests.support.pdfcheck import decode_barcodes, fonts_embedded, page_sizes_mm, pdf_text
from tests.support.render_docs import sample_handover

SIGNATURES = ("交接人 Handed over by (仓库 Warehouse)", "快递员签字 Courier signature", "日期 Date")


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module", params=[12, 70], ids=["one-page", "two-pages"])
def printed(request):
    handover = sample_handover(request.param)
    return handover, render_handover(handover)


def test_every_page_is_a4_with_every_font_embedded(printed):
    _, pdf = printed
    assert all(size == pytest.approx((210, 297), abs=0.5) for size in page_sizes_mm(pdf))
    fonts = fonts_embedded(pdf)
    assert fonts and all(fonts.values()), fonts


def test_the_handover_number_barcode_on_every_page_scans_at_203_dpi(printed):
    handover, pdf = printed
    pages = decode_barcodes(pdf, dpi=203)
    assert pages == [[handover.handover_no]] * len(pages)


def test_every_tracking_and_order_number_is_listed_once_in_order(printed):
    handover, pdf = printed
    text = "\n".join(pdf_text(pdf))
    positions = [text.index(parcel.tracking_no) for parcel in handover.parcels]
    assert positions == sorted(positions)
    for parcel in handover.parcels:
        assert text.count(parcel.tracking_no) == 1
        assert parcel.order_no in text


def test_the_header_names_courier_count_and_weight_on_every_page(printed):
    handover, pdf = printed
    pages = pdf_text(pdf)
    for number, text in enumerate(pages, start=1):
        assert "中通快递 ZTO Express" in text and handover.handover_no in text
        assert f"包裹数 Parcels {handover.parcel_count}" in text
        assert f"总重 Total weight {handover.total_weight_kg:.2f} kg" in text
        assert "2024-06-18 16:32" in text
        assert f"Page {number} of {len(pages)}" in text


def test_the_signature_lines_are_on_the_last_page_only(printed):
    _, pdf = printed
    pages = pdf_text(pdf)
    for label in SIGNATURES:
        assert label in pages[-1]
        assert all(label not in page for page in pages[:-1])


def test_weights_get_a_column_only_when_some_parcel_was_weighed():
    with_weight = pdf_text(render_handover(sample_handover(5)))[0]
    assert "重量 Weight (kg)" in with_weight and "0.45" in with_weight
    without = pdf_text(render_handover(sample_handover(5, with_weight=False)))[0]
    assert "重量 Weight" not in without and "总重" not in without


def test_the_list_shows_the_callers_count():
    handover = replace(sample_handover(3), parcel_count=4)
    assert "共 4 件" in pdf_text(render_handover(handover))[0]


def test_a_handover_is_refused_on_anything_but_a4():
    with pytest.raises(LayoutError, match="A4"):
        render_handover(sample_handover(), size=A5)
