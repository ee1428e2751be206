"""Paper size per document type: chosen once in the printer settings, used by every print."""
from __future__ import annotations

import pytest

from station.db import unit_of_work
from station.documents.registry import build
from station.outbox import PrinterError, paper_for, printer_settings, set_paper
from tests.support import factories as f
from tests.support.pdfcheck import page_sizes_mm


@pytest.mark.parametrize("paper, expected", [(None, (50, 30)), ("40x30", (40, 30))])
def test_a_product_label_prints_on_the_paper_set_for_labels(sessions, paper, expected):
    with unit_of_work(sessions) as s:
        f.product(s, "PN-1", "6901234567892", name="中性笔")
        if paper:
            set_paper(s, "product-label", paper)
        s.commit()
    with unit_of_work(sessions) as s:
        pdf = build(s, "product-label", ["PN-1"])
    [(w, h)] = page_sizes_mm(pdf)
    assert abs(w - expected[0]) <= 0.5 and abs(h - expected[1]) <= 0.5


def test_a_size_without_a_layout_is_refused_and_the_settings_list_the_choice(sessions):
    with unit_of_work(sessions) as s:
        with pytest.raises(PrinterError, match="Unknown size A3"):
            set_paper(s, "waybill", "A3")
        set_paper(s, "waybill", "76x130")
        s.commit()
    with unit_of_work(sessions) as s:
        assert paper_for(s, "waybill") == "76x130"
        assert paper_for(s, "pick-list") is None
        assert printer_settings(s)["waybill"].paper == "76x130"
