"""``qt:<printer name>``: print an outbox job through Qt print support (CUPS on Linux).

`install()` (called once at GUI start-up) registers `print_pdf` with the outbox for the
``qt`` scheme. Each page of the job's PDF is rendered by QtPdf at the printer's resolution
(at most `MAX_DPI`, in bands so a large page never needs one huge image) and painted on
a page of the document's own size — the PDF's MediaBox, e.g. 100x180 mm — so the driver
(or cups-pdf) never falls back to A4. A printer that is missing, off or refuses the size
raises `PrinterError` with a readable message; the outbox keeps the job with it.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRect, QRectF, QSize, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from station.i18n import _
from station import outbox
from station.outbox import PrinterError
from station.printing.units import to_mm

SCHEME = "qt"
MAX_DPI = 600  # thermal printers are 203 or 300 dpi, lasers 600; Qt's PDF printer says 1200
BAND_PX = 1024  # rows rendered at a time: a 600 dpi A4 page in bands of ~12 MB instead of 140 MB


def install() -> None:
    """Register the Qt printer dispatcher (``qt:<printer name>``) with the outbox."""
    outbox.install_dispatcher(SCHEME, print_pdf)


def print_pdf(target: str, pdf: bytes, document: str, copies: int) -> None:
    """The outbox dispatcher for ``qt:<printer name>``."""
    print_document(printer_named(target), pdf, copies=copies, title=document)


def printer_names() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


def printer_named(name: str) -> QPrinter:
    """A QPrinter for an installed printer that is not reporting an error, else PrinterError."""
    if not name:
        raise PrinterError(_("No printer named in the destination"))
    if name not in printer_names():
        raise PrinterError(_("The printer {name} is not installed on this PC", name=name))
    info = QPrinterInfo.printerInfo(name)
    if info.isNull() or info.state() == QPrinter.PrinterState.Error:
        raise PrinterError(_("The printer {name} reports an error: it may be off, out of paper or jammed",
                             name=name))
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    if not printer.isValid():
        raise PrinterError(_("The printer {name} cannot be used", name=name))
    return printer


def load_pdf(pdf: bytes, parent=None) -> QPdfDocument:
    """A QPdfDocument read from memory (its QBuffer lives as its child); PrinterError if unreadable."""
    document = QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise PrinterError(_("The print job's PDF cannot be read ({error})", error=document.error().name))
    return document


def page_size_mm(document: QPdfDocument, page: int) -> tuple[float, float]:
    size = document.pagePointSize(page)
    return to_mm(size.width()), to_mm(size.height())


def page_layout(width_mm: float, height_mm: float) -> QPageLayout:
    """A borderless page exactly `width_mm` x `height_mm`, portrait as the PDF draws it."""
    size = QPageSize(QSizeF(width_mm, height_mm), QPageSize.Unit.Millimeter, "",
                     QPageSize.SizeMatchPolicy.ExactMatch)
    return QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                       QPageLayout.Unit.Millimeter)


def render_dpi(printer_dpi: int) -> float:
    """The resolution pages are rendered at: the printer's, or an exact fraction of it ≤ MAX_DPI."""
    return printer_dpi / math.ceil(printer_dpi / MAX_DPI) if printer_dpi > 0 else MAX_DPI


def print_document(printer: QPrinter, pdf: bytes, *, copies: int = 1, title: str = "") -> int:
    """Paint every page of `pdf` on `printer`, each page its own size; returns the pages sent.

    Copies go to the driver when it can make them, else the pages are painted again.
    """
    document = load_pdf(pdf)
    copies = max(int(copies), 1)
    printer.setDocName(title or "Station")
    printer.setFullPage(True)
    if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat and printer.supportsMultipleCopies():
        printer.setCopyCount(copies)
        passes = 1
    else:
        printer.setCopyCount(1)
        passes = copies
    name = printer.printerName() or printer.outputFileName()
    first = page_size_mm(document, 0)
    if not printer.setPageLayout(page_layout(*first)):
        raise PrinterError(_("The printer {name} cannot print on {width} x {height} mm paper",
                             name=name, width=f"{first[0]:g}", height=f"{first[1]:g}"))
    painter = QPainter()
    if not painter.begin(printer):
        raise PrinterError(_("The printer {name} did not accept the job", name=name))
    sent = 0
    current = first
    try:
        for _copy in range(passes):
            for page in range(document.pageCount()):
                size = page_size_mm(document, page)
                if sent:
                    if size != current and printer.setPageLayout(page_layout(*size)):
                        current = size
                    if not printer.newPage():
                        raise PrinterError(_("The printer {name} stopped after {pages} pages",
                                             name=name, pages=sent))
                _paint_page(painter, printer, document, page)
                sent += 1
    finally:
        painter.end()
    document.deleteLater()
    return sent


def _paint_page(painter: QPainter, printer: QPrinter, document: QPdfDocument, page: int) -> None:
    device_dpi = printer.resolution()
    dpi = render_dpi(device_dpi)
    point_size = document.pagePointSize(page)
    width = max(round(point_size.width() / 72 * dpi), 1)
    height = max(round(point_size.height() / 72 * dpi), 1)
    # Where the page goes: the whole sheet in device pixels (the same size, unless the printer
    # refused a mixed-size page: then scaled to fit, never cut off).
    sheet = printer.pageLayout().fullRectPixels(device_dpi)
    scale = min(sheet.width() / width, sheet.height() / height)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, scale < 1)
    options = QPdfDocumentRenderOptions()
    options.setScaledSize(QSize(width, height))
    for top in range(0, height, BAND_PX):
        rows = min(BAND_PX, height - top)
        options.setScaledClipRect(QRect(0, top, width, rows))
        band: QImage = document.render(page, QSize(width, rows), options)
        painter.drawImage(QRectF(0, top * scale, width * scale, rows * scale), band)


def destinations() -> list[tuple[str, str]]:
    """(label, destination) a person can choose from: each installed printer, then the PDF folder."""
    return [*((name, f"{SCHEME}:{name}") for name in printer_names()),
            (_("PDF folder"), f"pdf:{outbox.default_pdf_folder()}")]


def describe(destination: str | None) -> str:
    """A destination as a person reads it: a Qt printer by its name, the default PDF folder by its label."""
    if not destination:
        return ""
    scheme, _sep, target = destination.partition(":")
    if scheme == SCHEME:
        return target
    if destination == f"pdf:{outbox.default_pdf_folder()}":
        return _("PDF folder")
    return destination


def parse(text: str) -> str | None:
    """What a person typed or picked back into a destination: a label, ``scheme:target``, or a printer name."""
    text = text.strip()
    if not text:
        return None
    for label, destination in destinations():
        if text == label:
            return destination
    if ":" in text and text.partition(":")[0] in ("pdf", "qt", "cups", *outbox.RAW_SCHEMES):
        return text
    return f"{SCHEME}:{text}"

