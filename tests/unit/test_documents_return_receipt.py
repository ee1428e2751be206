"""The return receipt (退货验收单) and the freight-collect refusal note, read back as a person and a scanner would."""
from __future__ import annotations

from datetime import datetime

import pytest

from station.printing.documents.return_receipt import (RefusalNote, ReturnReceiptDoc, ReturnReceiptLine,
                                                       render_refusal_note, render_return_receipt)
from tests.support.pdfcheck import decode_barcodes, fonts_embedded, page_sizes_mm, pdf_text


def flat(text: str) -> str:
    return "".join(text.split())


def receipt(lines: int = 3, exchange: str = "") -> ReturnReceiptDoc:
    rows = tuple(ReturnReceiptLine(f"TS01-RD-M{n}", f"纯棉圆领T恤 红色 M #{n}", "质量问题 quality problem" if n % 2
                                   else "无理由 no reason (worn)",
                                   "Accepted: quality problem; the shop pays the return postage" if n % 2
                                   else "Refused: the item is worn", "shop" if n % 2 else "buyer",
                                   "上架 restock A-01-01-01" if n % 2 else "隔离 quarantine QC-01")
                 for n in range(1, lines + 1))
    return ReturnReceiptDoc("RR-000042", "TB20261111001", "YT7000000000001", "tb_zhangwei", "refund",
                            datetime(2026, 11, 23, 10, 5), "王芳", rows, "118.00", "shop", exchange)


@pytest.mark.parametrize("lines, one_page", [(3, True), (90, False)])
def test_the_receipt_is_a4_with_its_number_as_a_barcode_on_every_page(lines, one_page):
    pdf = render_return_receipt(receipt(lines))
    text = pdf_text(pdf)
    pages = len(text)
    assert (pages == 1) == one_page and f"Page {pages} of {pages}" in text[-1]
    assert all(size == pytest.approx((210, 297), abs=0.5) for size in page_sizes_mm(pdf))
    assert all(fonts_embedded(pdf).values())
    assert decode_barcodes(pdf, dpi=203) == [["RR-000042"]] * pages
    assert sum(flat(p).count("TS01-RD-M") for p in text) == lines


def test_the_receipt_shows_the_order_each_item_its_decision_and_place_and_the_refund():
    doc = receipt(2, exchange="TB20261111001-EX7")
    text = flat(pdf_text(render_return_receipt(doc))[0])
    assert "退货验收单Returnreceipt" in text and "TB20261111001" in text and "YT7000000000001" in text
    assert "tb_zhangwei" in text and "2026-11-2310:05" in text and "王芳" in text
    assert "上架restockA-01-01-01" in text and "隔离quarantineQC-01" in text and "Refused:theitemisworn" in text
    assert "退款Refund118.00" in text and "Returnpostage:shop" in text
    assert "换货新单ExchangeorderTB20261111001-EX7" in text
    assert "验收Receivedby" in text and "客服Customerservice" in text


def test_the_refusal_note_names_the_parcel_for_the_courier():
    pdf = render_refusal_note(RefusalNote("RR-000043", "YT7000000000004", datetime(2026, 11, 23, 11, 0), "王芳",
                                          "到付 Freight collect"))
    text = flat(pdf_text(pdf)[0])
    assert "到付拒收单" in text and "YT7000000000004" in text and "到付Freightcollect" in text
    assert "快递员Courier" in text
    assert decode_barcodes(pdf, dpi=203) == [["RR-000043"]]
