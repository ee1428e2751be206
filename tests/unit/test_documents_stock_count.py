"""Count sheet, variance report and write-off report (报损单), read back as a person and a scanner would."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from station.printing.documents.stock_count import (CountSheet, SheetBin, VarianceLine, VarianceReport, WriteOff,
                                                    WriteOffLine, render_count_sheet, render_variance_report,
                                                    render_write_off)
from station.printing.units import A5, LayoutError
from tests.support.pdfcheck import decode_barcodes, fonts_embedded, page_sizes_mm, pdf_text

CST = timezone(timedelta(hours=8))
AT = datetime(2026, 11, 20, 9, 30, tzinfo=CST)


def sheet(bins: int) -> CountSheet:
    return CountSheet("CNT-000042", "区 A zone", AT,
                      tuple(SheetBin(f"A-{i // 15 + 1:02d}-{i % 15 + 1:02d}-01", "A", recount=i == 3)
                            for i in range(bins)), warehouse="小满服饰 杭州仓")


def variances(n: int) -> VarianceReport:
    lines = tuple(VarianceLine(f"B-{i:02d}-01-01", f"TS01-RD-{i:03d}", f"纯棉圆领T恤 红色 {i}", 10, 10 + (i % 5) - 2,
                               Decimal((i % 5) - 2) * Decimal("39.90"), "open", "李娜") for i in range(n))
    gains = [l for l in lines if l.variance > 0]
    losses = [l for l in lines if l.variance < 0]
    return VarianceReport("CNT-000042", "full count", "open", AT, lines, sum(l.variance for l in gains),
                          sum((l.value for l in gains), Decimal(0)), -sum(l.variance for l in losses),
                          -sum((l.value for l in losses), Decimal(0)), 300, 420)


def write_off() -> WriteOff:
    lines = (WriteOffLine("A-01-01-03", "LS-01", "丝绒哑光口红 #01", 2, Decimal("30.00"), Decimal("60.00")),
             WriteOffLine("C-02-01-01", "HL-003", "荧光笔 3号 藏青", 5, Decimal("5.50"), Decimal("27.50")),
             WriteOffLine("C-02-01-02", "SK02-07", "船袜 7号", 1, None, None))
    return WriteOff("CNT-000042", "刘洋", AT, lines, 8, Decimal("87.50"), ("LS-01",), unvalued=1,
                    warehouse="小满服饰 杭州仓")


@pytest.fixture(scope="module", params=[12, 90], ids=["one-page", "pages"])
def count_sheet(request):
    data = sheet(request.param)
    return data, render_count_sheet(data)


def test_the_count_sheet_is_a4_with_fonts_embedded_and_the_count_barcode_on_every_page(count_sheet):
    data, pdf = count_sheet
    assert all(size == pytest.approx((210, 297), abs=0.5) for size in page_sizes_mm(pdf))
    fonts = fonts_embedded(pdf)
    assert fonts and all(fonts.values())
    pages = decode_barcodes(pdf, dpi=203)
    assert pages == [[data.count_no]] * len(pages)


def test_the_count_sheet_lists_every_bin_once_in_walking_order_and_marks_recounts(count_sheet):
    data, pdf = count_sheet
    text = "\n".join(pdf_text(pdf))
    positions = [text.index(b.code) for b in data.bins]
    assert positions == sorted(positions)
    assert all(text.count(b.code) == 1 for b in data.bins)
    assert text.count("复盘 recount") == 1
    assert "Blind count" in text and "盘点人 Counted by" in text


def test_the_variance_report_reads_back_every_line_and_the_totals():
    data = variances(120)
    pdf = render_variance_report(data)
    pages = pdf_text(pdf)
    text = "\n".join(pages)
    assert len(pages) >= 2 and decode_barcodes(pdf, dpi=203) == [[data.count_no]] * len(pages)
    for line in data.lines:
        assert line.sku in text
    flat = text.replace(" ", "")
    assert "TS01-RD-003纯棉圆领T恤红色31011+1" in flat.replace("\n", "")  # book 10, counted 11, +1
    assert f"盘盈Gains{data.gain_units}件units·{data.gain_value:,.2f}" in flat
    assert f"盘亏Losses{data.loss_units}件units·{data.loss_value:,.2f}" in flat
    assert "盘点行Linescounted420" in flat and f"Page{len(pages)}of{len(pages)}" in flat


def test_the_write_off_report_gives_finance_quantity_value_delisting_and_signatures():
    pdf = render_write_off(write_off())
    [text] = pdf_text(pdf)
    flat = text.replace(" ", "")
    assert "报损单Write-offreport" in flat and "批准Approvedby刘洋·2026-11-2009:30" in flat
    assert "LS-01" in flat and "60.00" in flat and "27.50" in flat
    assert "合计Total8件units·金额Value87.50" in flat
    assert "1行无单价" in flat
    assert "Countedtozero,delistintheshop" in flat and flat.count("LS-01") == 2
    for label in ("制表Preparedby", "仓库主管Supervisor", "财务Finance"):
        assert label in flat
    assert decode_barcodes(pdf, dpi=203) == [["CNT-000042"]]


def test_count_documents_refuse_any_paper_but_a4():
    with pytest.raises(LayoutError, match="A4"):
        render_write_off(write_off(), size=A5)


def test_a_product_name_our_font_lacks_prints_in_the_fallback_font_on_the_count_reports():
    """The count reports draw their table cells on a fast path of their own: a name with 𠈌
    (CJK Extension B) or an emoji goes through the fallback fonts there too, not as a blank."""
    from dataclasses import replace

    data = variances(30)
    odd = replace(data.lines[3], name="王𠈌 T恤 😀")
    data = replace(data, lines=(*data.lines[:3], odd, *data.lines[4:]))
    for pdf in (render_variance_report(data),):
        text = "\n".join(pdf_text(pdf))
        assert "王𠈌 T恤 😀" in text
        assert "\x00" not in text
        names = fonts_embedded(pdf)
        assert any("HanaMinB" in n for n in names) and any("Symbola" in n for n in names)
        assert all(names.values())
