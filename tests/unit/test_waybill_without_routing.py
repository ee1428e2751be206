"""A waybill whose number came from a branch pool without routing data: the layout draws it on
every size with the routing zone and hub left empty (for the courier's pen), nothing made up."""
from __future__ import annotations

from dataclasses import replace

import pytest

from station.printing.documents.waybill import SIZES, render_waybill
from tests.support.pdfcheck import decode_barcodes, pdf_text
from tests.support.render_docs import sample_waybill


@pytest.mark.parametrize("size", SIZES, ids=[s.name for s in SIZES])
def test_a_waybill_without_routing_data_prints_and_its_barcode_still_scans(size):
    waybill = replace(sample_waybill(), routing_code="", sorting_area="")
    pdf = render_waybill(waybill, size=size)
    (text,) = pdf_text(pdf)
    assert "351-W2" not in text and "转运中心" not in text
    assert waybill.recipient.name in text
    [barcodes] = decode_barcodes(pdf)
    assert waybill.tracking_no in barcodes
