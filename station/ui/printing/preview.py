"""A print job's PDF on screen, to check it before (or after) it prints.

Keys: Page Down / Page Up (or Space / Backspace) step through the pages, + and - zoom,
0 fits the page in the window again, Home / End go to the first / last page, Esc closes.
"""
from __future__ import annotations

from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from station.i18n import _
from station.ui.printing.dispatch import load_pdf
from station.ui.widgets.fit import fit_to_screen

ZOOM_STEP = 1.25


class PreviewDialog(QDialog):
    def __init__(self, pdf: bytes, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printPreview")
        self.setWindowTitle(_("Preview — {title}", title=title) if title else _("Preview"))
        self.document: QPdfDocument = load_pdf(pdf, self)
        self.view = QPdfView(self)
        self.view.setObjectName("previewView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.SinglePage)
        self.view.setDocumentMargins(QMargins(0, 0, 0, 0))  # QPdfView's fit ignores them: the page would not fit
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.pageNavigator().currentPageChanged.connect(self._update_page_label)

        self.page_label = QLabel()
        self.page_label.setObjectName("previewPage")
        keys = QLabel(_("Page Down / Page Up: next / previous page · + / -: zoom · 0: fit · Esc: close"))
        keys.setObjectName("previewKeys")
        footer = QHBoxLayout()
        footer.addWidget(self.page_label)
        footer.addStretch(1)
        footer.addWidget(keys)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(footer)

        for keys_, slot in (((QKeySequence.StandardKey.MoveToNextPage, "Space"), self.next_page),
                            ((QKeySequence.StandardKey.MoveToPreviousPage, "Backspace"), self.previous_page),
                            ((QKeySequence.StandardKey.MoveToStartOfDocument, "Home"), self.first_page),
                            ((QKeySequence.StandardKey.MoveToEndOfDocument, "End"), self.last_page),
                            ((QKeySequence.StandardKey.ZoomIn, "+", "="), self.zoom_in),
                            ((QKeySequence.StandardKey.ZoomOut, "-"), self.zoom_out),
                            (("0",), self.zoom_fit)):
            for key in keys_:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.activated.connect(slot)
        fit_to_screen(self, 720, 900)  # fits 1280x720 and up
        self._update_page_label()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    @property
    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to(self, page: int) -> None:
        page = min(max(page, 0), self.page_count - 1)
        self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())
        self._update_page_label()

    def next_page(self) -> None:
        self.go_to(self.current_page + 1)

    def previous_page(self) -> None:
        self.go_to(self.current_page - 1)

    def first_page(self) -> None:
        self.go_to(0)

    def last_page(self) -> None:
        self.go_to(self.page_count - 1)

    def zoom(self) -> float:
        """The scale shown now (in fit mode QPdfView keeps its factor unchanged, so work it out)."""
        if self.view.zoomMode() != QPdfView.ZoomMode.FitInView:
            return self.view.zoomFactor()
        size = self.document.pagePointSize(max(self.current_page, 0))
        viewport = self.view.viewport().size()
        dpi = self.view.logicalDpiX()
        width, height = size.width() / 72 * dpi, size.height() / 72 * dpi
        if width <= 0 or height <= 0:
            return 1.0
        return min(viewport.width() / width, viewport.height() / height)

    def zoom_in(self) -> None:
        self._set_zoom(self.zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self.zoom() / ZOOM_STEP)

    def _set_zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(max(factor, 0.1), 10.0))

    def zoom_fit(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)

    def _update_page_label(self, *_args) -> None:
        self.page_label.setText(_("Page {page} of {count}", page=self.current_page + 1, count=self.page_count))
