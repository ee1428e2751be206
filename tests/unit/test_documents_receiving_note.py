"""The receiving note (入库单): both copies, every line's figures, the signatures, the barcode scans."""
from __future__ import annotations

from datetime import datetime

import pytest

from station.printing.documents.receiving_note import ReceivingNote, ReceivingNoteLine, render_receiving_note
from station.printing.units import A5, LayoutError
from tests.support.pdfcheck import decode_barcodes, fonts_embedded, page_sizes_mm, pdf_text


def note(lines: int = 3) -> ReceivingNote:
    rows = tuple(ReceivingNoteLine(f"SK-{n:03d}", f"纯棉圆领T恤 红色 S #{n}", 10, 10 - (n % 2), 9 - (n % 2), 1,
                                   "部分不合格 partial: 破损", f"LOT{n} 2028-06-30 ×5") for n in range(1, lines + 1))
    return ReceivingNote("RCV-000042", "PO-2026-0001", "杭州织造有限公司", datetime(2026, 11, 23, 9, 30), "李娜", rows,
                         sum(r.expected for r in rows), sum(r.received for r in rows), sum(r.accepted for r in rows),
                         sum(r.quarantined for r in rows), warehouse="Station 演示仓库")


def flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("lines, one_page", [(3, True), (60, False)])
def test_both_copies_are_a4_with_the_receipt_barcode_on_every_page(lines, one_page):
    pdf = render_receiving_note(note(lines))
    pages = pdf_text(pdf)
    pages_per_copy = len(pages) // 2
    assert len(pages) % 2 == 0 and (pages_per_copy == 1) == one_page
    assert f"Page {pages_per_copy} of {pages_per_copy}" in pages[-1]
    assert sum(p.count("SK-0") for p in pages) == 2 * lines
    assert all(size == pytest.approx((210, 297), abs=0.5) for size in page_sizes_mm(pdf))
    assert all(fonts_embedded(pdf).values())
    assert decode_barcodes(pdf, dpi=203) == [["RCV-000042"]] * len(pages)
    assert all("仓库联 Warehouse copy" in p for p in pages[:pages_per_copy])
    assert all("财务联 Finance copy" in p for p in pages[pages_per_copy:])


def test_every_line_and_the_totals_are_printed_in_each_copy():
    data = note(3)
    pages = [flat(p) for p in pdf_text(render_receiving_note(data))]
    for text in pages:
        assert "PO-2026-0001" in text and "杭州织造有限公司" in text and "2026-11-2309:30" in text
        for line in data.lines:
            assert text.count(line.sku) == 1 and flat(line.lots) in text
        assert "实收28件，合格入库25件，隔离3件" in text
        assert "仓管员Keeper" in text and "主管Supervisor" in text


def test_a_blind_receipt_shows_its_reason_instead_of_a_po():
    data = note(1)
    blind = ReceivingNote(data.receipt_no, "", data.supplier, data.received_at, data.keeper, data.lines, 0, 9, 8, 1,
                          blind_reason="供应商补发 replacement")
    text = flat(pdf_text(render_receiving_note(blind))[0])
    assert "无采购单Blindreceipt:供应商补发replacement" in text and "采购单PO" not in text


def test_the_note_is_refused_on_anything_but_a4():
    with pytest.raises(LayoutError, match="A4"):
        render_receiving_note(note(), size=A5)
