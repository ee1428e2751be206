"""The pick list a picker walks the warehouse with."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest

from station.printing.documents.pick_list import PickLine, render_pick_list
from station.printing.units import A5, LayoutError
from tests.support.pdfcheck import decode_barcodes, fonts_embedded, page_sizes_mm, pdf_text
from tests.support.render_docs import sample_pick_list


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module", params=[9, 60], ids=["one-page", "many-pages"])
def printed(request):
    picks = sample_pick_list(request.param)
    return picks, render_pick_list(picks)


def test_every_page_is_a4(printed):
    _, pdf = printed
    assert all(size == pytest.approx((210, 297), abs=0.5) for size in page_sizes_mm(pdf))


def test_every_font_is_embedded(printed):
    _, pdf = printed
    fonts = fonts_embedded(pdf)
    assert fonts and all(fonts.values()), fonts


def test_the_batch_barcode_on_every_page_scans_at_203_dpi(printed):
    picks, pdf = printed
    pages = decode_barcodes(pdf, dpi=203)
    assert pages == [[picks.batch_no]] * len(pages)


def test_the_rows_come_out_in_the_callers_bin_walk_order_with_every_line(printed):
    picks, pdf = printed
    text = "\n".join(pdf_text(pdf))
    bins = re.findall(r"[AB]-\d\d-\d\d-\d\d", text)
    assert bins == [line.bin for line in picks.lines]
    flat = _flat(text)
    for line in picks.lines:
        assert _flat(line.name) in flat and line.sku in flat


def test_each_pick_says_which_orders_take_how_many(printed):
    picks, pdf = printed
    flat = _flat("".join(pdf_text(pdf)))
    for line in picks.lines:
        breakdown = "·".join(f"{o.order_no}×{o.qty}" for o in line.orders)
        assert f"订单Orders:{breakdown}" in flat


def test_the_totals_per_sku_close_the_list_on_its_last_page(printed):
    picks, pdf = printed
    pages = pdf_text(pdf)
    assert "按 SKU 合计 Totals per SKU" in "".join(pages)
    last = _flat(pages[-1])
    assert f"合计Total{picks.total_qty}" in last
    assert all(_flat(t.name) + _flat(t.colour) in _flat("".join(pages)) for t in picks.totals)


def test_the_header_repeats_on_every_page_with_the_page_count():
    picks = sample_pick_list(60)
    pages = pdf_text(render_pick_list(picks))
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "拣货单 Pick list" in text and picks.batch_no in text
        assert f"Page {number} of {len(pages)}" in text
        assert "订单 Orders 92 · 件数 Pieces 200 · 拣货员 Picker 李娜" in text


def test_without_a_breakdown_there_is_no_orders_line():
    pdf = render_pick_list(sample_pick_list(5, with_orders=False))
    assert "订单 Orders:" not in "".join(pdf_text(pdf))


def test_a_pick_list_is_refused_on_anything_but_a4():
    with pytest.raises(LayoutError, match="A4"):
        render_pick_list(sample_pick_list(), size=A5)


def test_a_pick_line_taller_than_a_page_is_refused_by_sku_and_bin():
    picks = replace(sample_pick_list(1), lines=(PickLine("A-01", "HUGE", "名" * 6000, 1),))
    with pytest.raises(LayoutError, match="pick HUGE at A-01"):
        render_pick_list(picks)
