"""The e-waybill as the courier, the recipient and a 203 dpi scanner see it."""
from __future__ import annotations

import io
import re
from dataclasses import replace
from decimal import Decimal

import pypdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.perf.waybills import measure_waybills, sample_waybills, waybill_batch
from station.printing.barcodes import code128_runs, code128_size, draw_code128
from station.printing.documents.waybill import (
    SIZES,
    Contact,
    _geometry,
    mask_phone,
    render_waybill,
    render_waybills,
)
from station.printing.pdf import new_canvas
from station.printing.units import A4, LABEL_4x6IN, WAYBILL_100x180, LayoutError, mm
from tests.support.pdfcheck import decode_barcodes, fonts_embedded, page_sizes_mm, pdf_text
from tests.support.render_docs import sample_waybill

SIZE_IDS = [size.name for size in SIZES]


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module", params=SIZES, ids=SIZE_IDS)
def printed(request):
    size = request.param
    waybill = sample_waybill()
    return size, waybill, render_waybill(waybill, size=size)


def test_the_page_is_the_size_the_printer_is_loaded_with(printed):
    size, _, pdf = printed
    assert page_sizes_mm(pdf) == [pytest.approx((size.width, size.height), abs=0.5)]


def test_every_font_is_embedded(printed):
    _, _, pdf = printed
    fonts = fonts_embedded(pdf)
    assert fonts and all(fonts.values()), fonts


def test_recipient_name_and_full_address_come_back_out_of_the_pdf(printed):
    _, waybill, pdf = printed
    (text,) = pdf_text(pdf)
    assert waybill.recipient.name in text
    assert _flat(waybill.recipient.address) in _flat(text)
    assert _flat(waybill.sender.address) in _flat(text)
    for fixed in ("收件人", "Recipient", "寄件人", "Sender", "351-W2 08", "杭州转运中心",
                  waybill.item_summary, waybill.order_no, "2024-06-18 14:32", "1/2"):
        assert fixed in text, fixed


def test_the_recipient_phone_is_masked_and_never_printed_in_full(printed):
    _, waybill, pdf = printed
    (text,) = pdf_text(pdf)
    assert "138****1234" in text
    assert waybill.recipient.phone not in _flat(text)
    assert "13812341234" not in re.sub(r"\D", "", text)


def test_the_tracking_barcodes_scan_at_203_dpi_as_the_tracking_number(printed):
    size, waybill, pdf = printed
    (found,) = decode_barcodes(pdf, dpi=203)
    # The courier's barcode, and on 100x180 the recipient copy's smaller one (the shorter
    # sizes' copies give the number in words; 76x130 is 一联, one part).
    expected = 2 if size == WAYBILL_100x180 else 1
    assert found == [waybill.tracking_no] * expected


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_a_very_long_address_and_item_list_shrink_and_wrap_but_print_whole(size):
    street = ("文三路 478 号华星时代广场 A 座 1203 室（工作日请送到前台，周末放东门快递柜，"
              "到了请先打电话；如无人接听请联系物业 Building management office）")
    items = ", ".join(f"TS{n:02d}-RD-{'SMLX'[n % 4]} ×{n % 3 + 1}" for n in range(14))
    waybill = sample_waybill(
        recipient=replace(sample_waybill().recipient, street=street), item_summary=items
    )
    pdf = render_waybill(waybill, size=size)
    (text,) = pdf_text(pdf)
    assert _flat(waybill.recipient.address) in _flat(text)
    assert _flat(items) in _flat(text)
    assert decode_barcodes(pdf, dpi=203)[0][0] == waybill.tracking_no


def test_an_address_that_cannot_fit_even_at_the_smallest_type_is_refused_by_tracking_number():
    waybill = sample_waybill(recipient=replace(sample_waybill().recipient, street="很长" * 400))
    with pytest.raises(LayoutError, match=r"waybill 75312345678901: .*address"):
        render_waybill(waybill, size=WAYBILL_100x180)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_cash_on_delivery_and_a_reprint_are_marked_where_they_catch_the_eye(size):
    waybill = sample_waybill(cod_amount=Decimal("1280.5"), reprint=True)
    (text,) = pdf_text(render_waybill(waybill, size=size))
    assert "代收货款 COD ¥1,280.50" in text
    # On the courier's part and on every tear-off copy.
    assert text.count("补打 REPRINT") == {1: 1, 2: 2, 3: 3}[len(_geometry(size, False).parts) + 1]


def test_an_ordinary_waybill_has_no_reprint_or_cod_mark():
    (text,) = pdf_text(render_waybill(sample_waybill()))
    assert "REPRINT" not in text and "COD" not in text


def test_the_routing_code_is_printed_big_enough_to_sort_by_from_a_distance():
    reader = pypdf.PdfReader(io.BytesIO(render_waybill(sample_waybill(), size=WAYBILL_100x180)))
    sizes = {}

    def visit(text, cm, tm, font, font_size):
        if text.strip():
            sizes[text.strip()] = font_size * abs(tm[3]) * abs(cm[3])

    reader.pages[0].extract_text(visitor_text=visit)
    assert sizes["351-W2 08"] >= 36  # pt: about 13 mm tall


def test_a_tracking_number_too_long_for_the_stub_keeps_the_main_barcode_and_prints_the_stub_in_words():
    tracking = "JDVA" + "1234567890" * 3
    pdf = render_waybill(sample_waybill(tracking_no=tracking), size=LABEL_4x6IN)
    (found,) = decode_barcodes(pdf, dpi=203)
    assert tracking in found
    assert tracking in _flat(pdf_text(pdf)[0])


def test_a_batch_is_one_pdf_with_a_page_per_waybill_and_each_page_scans_as_its_own_parcel():
    waybills = [sample_waybill(tracking_no=f"7531234567{n:04d}") for n in range(3)]
    pdf = render_waybills(waybills)
    pages = decode_barcodes(pdf, dpi=203)
    assert [set(found) for found in pages] == [{w.tracking_no} for w in waybills]
    # The grid with its fixed labels, and the shop's sender block, are each one form
    # that every page shows, not drawn three times.
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    forms = {
        ref.idnum
        for page in reader.pages
        for ref in page["/Resources"]["/XObject"].values()
    }
    assert len(forms) == 2


def test_in_a_batch_from_two_shops_every_page_shows_its_own_sender():
    other = Contact("大橙子家居 Orange Home", "021-5555 0000", "上海市", "上海市", "浦东新区",
                    "张杨路 88 号 5 楼")
    waybills = [sample_waybill(), sample_waybill(sender=other), sample_waybill()]
    pages = pdf_text(render_waybills(waybills))
    assert ["大橙子家居" in page for page in pages] == [False, True, False]
    assert ["小满服饰旗舰店" in page for page in pages] == [True, False, True]
    assert all(page.count("寄件人") == 2 for page in pages)


def test_a_size_with_no_waybill_layout_is_refused():
    with pytest.raises(LayoutError, match="no waybill layout for A4"):
        render_waybill(sample_waybill(), size=A4)


def test_a_parcel_marker_past_the_parcel_count_is_refused():
    with pytest.raises(ValueError, match="parcel 3 of 2"):
        sample_waybill(parcel_no=3, parcel_count=2)


def test_the_same_waybill_renders_to_the_same_bytes():
    assert render_waybill(sample_waybill()) == render_waybill(sample_waybill())


def test_contact_address_joins_the_parts_that_are_there():
    assert Contact("王", "1", "浙江省", "", "西湖区", " 文三路 1 号 ").address == "浙江省 西湖区 文三路 1 号"


# ---------------------------------------------------------------- mask_phone


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812341234", "138****1234"),
        ("+86 138 1234 1234", "138****1234"),
        ("+86-138-1234-1234", "138****1234"),
        ("(+86) 13812341234", "138****1234"),
        ("0086 13812341234", "138****1234"),
        ("8613812341234", "138****1234"),
        ("138-1234-1234", "138****1234"),
        (" 138 1234 1234 ", "138****1234"),
        ("１３８１２３４１２３４", "138****1234"),  # full-width digits from a Chinese IME
        ("138****1234", "138****1234"),  # already masked: unchanged
        ("1380000****", "138********"),  # masked at the end: nothing more shown
        ("****1234", "****1234"),
        ("13800001234-5678", "138****1234-5678"),  # virtual number + extension
        ("13800001234转5678", "138****1234-5678"),
        ("13800001234,5678", "138****1234-5678"),
        ("0571-88886666", "057*****6666"),  # landline: first 3 and last 4
        ("057188886666", "057*****6666"),
        ("+1 415 555 0100", "+1 415***0100"),  # by its own country: the code kept apart
        ("+1 (415) 555-0199", "+1 415***0199"),
        ("+44 20 7946 0958", "+44 207***0958"),
        ("12345678", "****5678"),  # short: at most half shown
        ("1234567", "****567"),
        ("110", "**0"),
        ("", ""),
        ("电话 13812341234", "电话 *******1234"),  # words around it: only the last 4 kept
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


def _digits_shown(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


@given(st.text(alphabet="0123456789*-+ ()转#,x", max_size=24))
def test_masking_never_shows_more_digits_than_the_input_nor_more_than_seven(phone):
    masked = mask_phone(phone)
    assert _digits_shown(masked) <= _digits_shown(phone)
    # Host digits shown: at most 3 + 4 (an extension after a dash may follow; a foreign
    # number's country code, "+1 ", is no part of the subscriber's number).
    host = re.sub(r"^\+\d{1,3} ", "", masked).split("-")[0]
    assert _digits_shown(host) <= 7


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_every_mainland_mobile_number_loses_its_middle_four_digits(phone):
    assert mask_phone(phone) == phone[:3] + "****" + phone[7:]
    assert mask_phone(mask_phone(phone)) == mask_phone(phone)


# ---------------------------------------------------------------- bulk barcodes, benchmark


def _rects(draw) -> list[tuple[float, ...]]:
    out = io.BytesIO()
    canvas = new_canvas(out, WAYBILL_100x180, title="x")
    draw(canvas)
    code = "\n".join(canvas._code)
    return [tuple(float(v) for v in m) for m in re.findall(
        r"(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re", code)]


@pytest.mark.parametrize("value", ["75312345678901", "SF1402345678901", "JDVA-0001-x"])
@pytest.mark.parametrize("module", [0.25, 0.375])
def test_every_bar_sits_on_the_203_dpi_dot_grid_where_its_run_puts_it(value, module):
    """Each bar where its run puts it: the left edge on a whole dot (x snapped to the grid,
    after a 10-module quiet zone), whole dots wide, less the bar width reduction."""
    ours = _rects(lambda c: draw_code128(c, value, 3.3, 7.1, module_mm=module))
    dots, inset = round(module * 8), 0.3 / 8 / 2
    band = code128_size(value, module_mm=module).height - 12.0
    cursor, expected = round(3.3 * 8) + 10 * dots, []
    for index, run in enumerate(code128_runs(value)):
        if index % 2 == 0:
            expected.append((mm(cursor / 8 + inset), mm(7.1 + band),
                             mm(run * dots / 8 - 2 * inset), mm(12.0)))
        cursor += run * dots
    assert len(ours) == len(expected)
    for a, b in zip(ours, expected):
        assert a == pytest.approx(b, abs=1e-3)


def test_the_benchmark_batch_is_one_pdf_of_n_varied_waybills_that_all_scan():
    pdf = waybill_batch(12)
    text = pdf_text(pdf)
    assert len(text) == 12
    assert len(set(text)) == 12  # every page a different parcel
    expected = [{w.tracking_no} for w in sample_waybills(12)]
    assert [set(found) for found in decode_barcodes(pdf, dpi=203)] == expected
    figures = measure_waybills(5)
    assert figures["waybills"] == 5
    assert figures["seconds"] > 0 and figures["peak_mb"] > 0
    assert "tracemalloc" in figures["memory_method"]


# ---------------------------------------------------------------- issue 16: the couriers' own geometry


def test_without_routing_data_the_routing_box_is_empty_and_labelled_for_the_courier():
    waybill = sample_waybill(routing_code="", sorting_area="")
    (text,) = pdf_text(render_waybill(waybill))
    assert "三段码 Routing" in text and "For the courier to write" in text
    # Nothing made up from the address: no "浙江 杭州 西湖" style stand-in, no hub.
    assert "浙江 杭州" not in text and "杭州转运中心" not in text
    assert "351-W2 08" not in text


@pytest.mark.parametrize("size, parts", [(s, p) for s, p in zip(SIZES, (2, 2, 3, 1, 2))], ids=SIZE_IDS)
def test_each_size_has_the_couriers_parts_and_every_gbt_41833_zone(size, parts):
    (text,) = pdf_text(render_waybill(sample_waybill(), size=size))
    for zone in ("件数 Pcs", "集包地 Hub", "Recipient", "Sender", "Items", "付款 Payment",
                 "签收人 Signature"):
        assert zone in text, (size.name, zone)
    assert text.count("收件人联 Recipient copy") == (parts >= 2)
    assert text.count("寄件人联 Sender copy") == (parts == 3)
    assert text.count("沿虚线撕开 Tear here") == parts - 1


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_payment_weight_insured_value_and_cod_print_where_given(size):
    waybill = sample_waybill(payment="collect", weight_kg=Decimal("1.25"),
                             insured_value=Decimal("500"), cod_amount=Decimal("99"))
    (text,) = pdf_text(render_waybill(waybill, size=size))
    for value in ("到付 Collect", "1.25 kg", "¥500.00", "代收货款 COD ¥99.00"):
        assert value in text, (size.name, value)


def test_a_privacy_waybill_masks_the_name_and_the_street_after_the_district():
    waybill = sample_waybill(recipient=Contact("欧阳喆", "13812341234", "浙江省", "杭州市", "西湖区",
                                               "文三路 478 号"), privacy=True)
    (text,) = pdf_text(render_waybill(waybill, size=WAYBILL_100x180))
    assert "欧*喆" in text and "欧阳喆" not in text
    assert "浙江省 杭州市 西湖区 ****" in text and "文三路" not in text


def test_a_foreign_address_prints_in_its_countrys_order_and_its_phone_masked_by_its_plan():
    recipient = Contact("John Smith", "+1 (415) 555-0199", "CA", "San Francisco", "",
                        "1 Market St Apt 5", country="US", postcode="94105")
    assert recipient.address == "1 Market St Apt 5, San Francisco, CA 94105, US"
    (text,) = pdf_text(render_waybill(sample_waybill(recipient=recipient)))
    assert "1 Market St Apt 5, San Francisco, CA 94105, US" in " ".join(text.split())
    assert "+1 415***0199" in text and "141****0199" not in text


def test_mask_name():
    from station.printing.documents.waybill import mask_name

    assert [mask_name(n) for n in ("欧阳喆", "张三", "欧阳晓明", "John Smith", "")] == [
        "欧*喆", "张*", "欧**明", "J*** S****", ""]


def test_an_item_keeps_its_quantity_on_its_line_and_a_long_list_is_shortened():
    from station.printing.documents.waybill import fit_items

    lines = fit_items("TS01-WH-M ×1, HD01-BK-XL ×1, SP-01 ×1, NB-001 ×24", 60, 20, 7.5, 5).lines
    assert all(not line.rstrip().endswith(("NB-001", "SP-01,")) for line in lines), lines
    assert any(line.startswith("NB-001\u00a0×24") or "NB-001\u00a0×24" in line for line in lines)
    many = ", ".join(f"SKU-{i:02d} ×{i % 3 + 1}" for i in range(30))
    short = " ".join(fit_items(many, 60, 8, 7.5, 5).lines)
    assert short.endswith("…等 30 种 60 件") and "SKU-00\u00a0×1" in short
