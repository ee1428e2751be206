"""The packing slip in the parcel, and the return slip a buyer sends back with a return."""
from __future__ import annotations

from dataclasses import replace

import pytest

from station.printing.documents.packing_slip import (
    RETURN_INSTRUCTIONS,
    SIZES,
    SlipLine,
    render_packing_slip,
)
from station.printing.units import LABEL_40x30, LayoutError
from tests.support.pdfcheck import decode_barcodes, fonts_embedded, page_sizes_mm, pdf_text
from tests.support.render_docs import sample_packing_slip

SIZE_IDS = [size.name for size in SIZES]
ORDER = "3712345678901234567"


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module", params=SIZES, ids=SIZE_IDS)
def printed(request):
    slip = sample_packing_slip()
    return request.param, slip, render_packing_slip(slip, size=request.param)


def test_every_page_is_the_named_size(printed):
    size, _, pdf = printed
    assert page_sizes_mm(pdf) == [pytest.approx((size.width, size.height), abs=0.5)]


def test_every_font_is_embedded(printed):
    _, _, pdf = printed
    fonts = fonts_embedded(pdf)
    assert fonts and all(fonts.values()), fonts


def test_the_order_and_return_slip_barcodes_scan_at_203_dpi(printed):
    _, _, pdf = printed
    assert decode_barcodes(pdf, dpi=203) == [[f"PS:{ORDER}", f"RS:{ORDER}"]]


def test_recipient_lines_gifts_and_messages_come_back_out_of_the_pdf(printed):
    _, slip, pdf = printed
    (text,) = pdf_text(pdf)
    flat = _flat(text)
    assert slip.recipient.name in text
    assert _flat(slip.recipient.address) in flat
    for line in slip.lines:
        assert line.sku in text
        assert _flat(line.name) in flat
    assert "赠品GIFT·帆布收纳袋" in flat
    assert _flat(slip.buyer_message) in flat  # "<急>" printed as typed, not as markup
    assert _flat(slip.seller_memo) in flat
    for fixed in ("小满服饰旗舰店", ORDER, "2024-06-18 11:20", "合计 Total", "买家留言 Buyer message",
                  "卖家备注 Seller memo", "退货单 Return slip"):
        assert fixed in text, fixed


def test_the_return_slip_carries_the_shops_instructions_in_chinese_and_english(printed):
    _, slip, pdf = printed
    flat = _flat(pdf_text(pdf)[0])
    for instruction in RETURN_INSTRUCTIONS:
        assert _flat(instruction) in flat
    assert "请在包裹内附纸条，写明您的账号(旺旺号)、姓名、电话和退货原因" in flat
    assert "到付件拒收/Freight-collectparcelsarerefused" in flat
    assert _flat(slip.return_address) in flat


def test_the_recipient_phone_is_masked_and_never_printed_in_full(printed):
    _, slip, pdf = printed
    (text,) = pdf_text(pdf)
    assert "138****1234" in text
    assert slip.recipient.phone not in _flat(text)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_a_long_order_flows_over_pages_with_the_header_on_each_and_the_return_slip_on_the_last(size):
    slip = sample_packing_slip(45)
    pdf = render_packing_slip(slip, size=size)
    pages = pdf_text(pdf)
    assert len(pages) >= 2
    codes = decode_barcodes(pdf, dpi=203)
    assert codes[:-1] == [[f"PS:{ORDER}"]] * (len(pages) - 1)
    assert codes[-1] == [f"PS:{ORDER}", f"RS:{ORDER}"]
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert ORDER in text and "小满服饰旗舰店" in text
        if number < len(pages):  # the table continues here, under its heading
            assert "SKU 货号" in text
        assert ("退货单 Return slip" in text) == (number == len(pages))
    assert _flat("".join(pages)).count("TS01-RD-M") == 8  # every line, none lost at a break
    assert all(s == pytest.approx((size.width, size.height), abs=0.5) for s in page_sizes_mm(pdf))


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_a_very_long_product_name_wraps_inside_its_column_and_prints_whole(size):
    name = "超长品名测试 " * 12 + "Extra-long product name that keeps going and going"
    slip = sample_packing_slip(1, lines=(SlipLine("LONG-NAME-01", name, "黑色 Black", "XXL", 3),),
                               total_qty=3)
    (text, *_) = pdf_text(render_packing_slip(slip, size=size))
    assert _flat(name) in _flat(text)


def test_without_a_message_or_memo_there_is_no_message_box():
    slip = sample_packing_slip(buyer_message="", seller_memo=" ")
    (text,) = pdf_text(render_packing_slip(slip))
    assert "Buyer message" not in text and "Seller memo" not in text


def test_a_shop_can_print_its_own_return_instructions():
    slip = sample_packing_slip(return_instructions=("七天无理由退货 / 7-day no-reason returns",),
                               return_address="")
    flat = _flat(pdf_text(render_packing_slip(slip))[0])
    assert "七天无理由退货/7-dayno-reasonreturns" in flat
    assert "到付件拒收" not in flat and "退货地址" not in flat


def test_a_size_with_no_slip_layout_is_refused():
    with pytest.raises(LayoutError, match="no packing-slip layout for label 40x30"):
        render_packing_slip(sample_packing_slip(), size=LABEL_40x30)


def test_a_line_taller_than_a_page_is_refused_not_cut_off():
    slip = sample_packing_slip(lines=(SlipLine("X-1", "很长" * 3000),), total_qty=1)
    with pytest.raises(LayoutError, match="line X-1"):
        render_packing_slip(slip, size=SIZES[-1])


def test_the_same_slip_renders_to_the_same_bytes():
    assert render_packing_slip(sample_packing_slip()) == render_packing_slip(sample_packing_slip())


def test_the_slip_shows_the_callers_total_not_its_own_sum():
    slip = replace(sample_packing_slip(), total_qty=99)
    assert "合计Total99" in _flat(pdf_text(render_packing_slip(slip))[0])
