"""The PDF preview: a real waybill (two parcels, two pages) on screen, paged and zoomed by keys."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdfWidgets import QPdfView

from station.outbox import PrinterError
from station.ui.printing.preview import PreviewDialog


@pytest.fixture(scope="module")
def two_waybills() -> bytes:
    from dataclasses import replace

    from station.printing.documents.waybill import render_waybills
    from tests.support.render_docs import sample_waybill

    first = sample_waybill()
    return render_waybills([first, replace(first, tracking_no="75312345678918", parcel_no=2)])


@pytest.fixture
def preview(qtbot, two_waybills):
    dialog = PreviewDialog(two_waybills, "Waybill 3712345678901234567")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_the_preview_loads_the_pdf_and_shows_its_page_count(preview):
    assert preview.page_count == 2
    assert preview.current_page == 0
    assert preview.page_label.text() == "Page 1 of 2"
    assert preview.windowTitle() == "Preview — Waybill 3712345678901234567"
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitInView


def test_page_down_and_up_step_through_the_pages(qtbot, preview):
    qtbot.keyClick(preview.view, Qt.Key.Key_PageDown)
    assert preview.current_page == 1 and preview.page_label.text() == "Page 2 of 2"
    qtbot.keyClick(preview.view, Qt.Key.Key_PageDown)  # already on the last page: stays
    assert preview.current_page == 1
    qtbot.keyClick(preview.view, Qt.Key.Key_PageUp)
    assert preview.current_page == 0


def test_zoom_keys_and_fit_again(qtbot, preview):
    fit = preview.zoom()
    qtbot.keyClick(preview.view, Qt.Key.Key_Plus)
    assert preview.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert preview.zoom() == pytest.approx(fit * 1.25)
    qtbot.keyClick(preview.view, Qt.Key.Key_0)
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitInView


def test_escape_closes_the_preview(qtbot, preview):
    qtbot.keyClick(preview.view, Qt.Key.Key_Escape)
    assert not preview.isVisible()


def test_a_broken_pdf_is_refused_with_a_message(qapp):
    with pytest.raises(PrinterError):
        PreviewDialog(b"%PDF-1.4 broken")
