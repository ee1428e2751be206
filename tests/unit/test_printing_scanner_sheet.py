"""The scanner sheet `station demo` prints: every code on it scans to what it says."""
from __future__ import annotations

import pytest

from station.printing.documents.scanner_sheet import (
    ScannerSheet,
    SheetEntry,
    render_scanner_sheet,
)
from station.printing.units import LayoutError
from tests.support.pdfcheck import decode_barcodes, fonts_embedded, page_sizes_mm, pdf_text

DEMO_SHEET = ScannerSheet(
    "扫码测试单 Scanner test sheet",
    [
        ("员工工牌 Badges", [SheetEntry("张伟 (打包员)", "EMP-0001"),
                             SheetEntry("李娜 (拣货员)", "EMP-0002")]),
        ("命令 Commands", [SheetEntry("完成 DONE", "CMD-DONE"),
                           SheetEntry("取消 CANCEL", "CMD-CANCEL"),
                           SheetEntry("撤销 UNDO", "CMD-UNDO")]),
        ("商品 Products", [SheetEntry("纯棉T恤 白色 M 码", "6901234567892"),
                           SheetEntry("保温杯 500ml", "6920202888883"),
                           SheetEntry("手机壳 Phone case", "SKU-CASE-01")]),
        ("库位 Bin locations", [SheetEntry("A区 货架 1", "A-01-02-03"),
                                SheetEntry("退货暂存 Returns shelf", "R-00-00-01")]),
    ],
)


def _codes(sheet: ScannerSheet) -> list[str]:
    return [entry.code for _, entries in sheet.sections for entry in entries]


@pytest.fixture(scope="module")
def demo_pdf() -> bytes:
    return render_scanner_sheet(DEMO_SHEET)


def test_the_sheet_is_one_a4_page(demo_pdf):
    (size,) = page_sizes_mm(demo_pdf)
    assert size == pytest.approx((210, 297), abs=0.5)


def test_chinese_labels_and_headings_come_back_out_of_the_pdf(demo_pdf):
    (text,) = pdf_text(demo_pdf)
    for expected in ("扫码测试单", "张伟 (打包员)", "完成 DONE", "商品 Products", "退货暂存 Returns shelf"):
        assert expected in text


def test_every_font_on_the_sheet_is_embedded(demo_pdf):
    fonts = fonts_embedded(demo_pdf)
    assert fonts
    assert all(fonts.values()), fonts


def test_every_barcode_scans_at_203_dpi_to_exactly_its_code(demo_pdf):
    (found,) = decode_barcodes(demo_pdf, dpi=203)
    assert sorted(found) == sorted(_codes(DEMO_SHEET))


def test_a_forty_entry_sheet_spans_pages_and_every_code_still_scans():
    bins = [SheetEntry(f"库位 {n}", f"B-{n // 10:02d}-{n % 10:02d}-01") for n in range(34)]
    products = [SheetEntry(f"样品 {n}", f"69{n:010d}") for n in range(6)]
    products = [SheetEntry(e.label, e.code + _check_digit(e.code)) for e in products]
    sheet = ScannerSheet("四十个条码 Forty codes", [("库位 Bins", bins), ("商品 Products", products)])

    pdf = render_scanner_sheet(sheet)

    pages = decode_barcodes(pdf, dpi=203)
    assert len(pages) >= 2
    assert sorted(code for page in pages for code in page) == sorted(_codes(sheet))
    assert "库位 Bins（续 cont.）" in "".join(pdf_text(pdf))
    assert all(size == pytest.approx((210, 297), abs=0.5) for size in page_sizes_mm(pdf))


def test_a_code_too_long_for_even_two_columns_is_refused_by_name():
    sheet = ScannerSheet("x", [("长码", [SheetEntry("太长 Too long", "X" * 80)])])
    with pytest.raises(LayoutError, match="Too long"):
        render_scanner_sheet(sheet)


def test_long_codes_get_two_columns_instead_of_three():
    sheet = ScannerSheet("x", [("快递 Tracking", [SheetEntry("顺丰", "SF" + "A1" * 12)] * 2)])
    (found,) = decode_barcodes(render_scanner_sheet(sheet), dpi=203)
    assert found == ["SF" + "A1" * 12] * 2


def test_the_same_sheet_renders_to_the_same_bytes():
    assert render_scanner_sheet(DEMO_SHEET) == render_scanner_sheet(DEMO_SHEET)


def _check_digit(twelve: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(twelve))
    return str((10 - total % 10) % 10)


def test_a_label_too_long_for_its_cell_is_refused_before_anything_is_drawn():
    sheet = ScannerSheet("x", [("员工", [SheetEntry("张伟" * 200, "EMP-0001")])])
    with pytest.raises(LayoutError, match="lines"):
        render_scanner_sheet(sheet)


def test_many_empty_sections_flow_onto_further_pages_instead_of_off_the_bottom():
    sheet = ScannerSheet("x", [(f"空 {n}", []) for n in range(40)])
    assert len(page_sizes_mm(render_scanner_sheet(sheet))) == 2
