"""Read a PDF back the way a person and a scanner would: its text, page sizes, fonts, barcodes."""

from __future__ import annotations

import io

import pypdf
import pypdfium2
import zxingcpp
from pypdf.generic import DictionaryObject

POINTS_PER_MM = 72 / 25.4


def pdf_text(pdf_bytes: bytes) -> list[str]:
    """The extracted text of each page."""
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    return [page.extract_text() or "" for page in reader.pages]


def page_sizes_mm(pdf_bytes: bytes) -> list[tuple[float, float]]:
    """(width, height) of each page's media box, in mm."""
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    return [
        (float(page.mediabox.width) / POINTS_PER_MM, float(page.mediabox.height) / POINTS_PER_MM)
        for page in reader.pages
    ]


def fonts_embedded(pdf_bytes: bytes) -> dict[str, bool]:
    """Every font any page (or form XObject on it) uses, and whether its glyphs are in the file.

    Type0 fonts are judged by their descendant font; Type3 fonts carry their glyphs
    as content streams, so they count as embedded.
    """
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    found: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        if resources is not None:
            _collect_fonts(resources.get_object(), found, seen=set())
    return found


def _collect_fonts(resources: DictionaryObject, found: dict[str, bool], seen: set[int]) -> None:
    if id(resources) in seen:
        return
    seen.add(id(resources))
    fonts = resources.get("/Font")
    for ref in (fonts.get_object().values() if fonts is not None else []):
        font = ref.get_object()
        name = str(font.get("/BaseFont", font.get("/Name", "?")))
        found[name] = found.get(name, True) and _font_is_embedded(font)
    xobjects = resources.get("/XObject")
    for ref in (xobjects.get_object().values() if xobjects is not None else []):
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            _collect_fonts(xobject["/Resources"].get_object(), found, seen)


def _font_is_embedded(font: DictionaryObject) -> bool:
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return True
    if subtype == "/Type0":
        return all(_font_is_embedded(d.get_object()) for d in font["/DescendantFonts"])
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def render_pages(pdf_bytes: bytes, dpi: float = 203):
    """Each page as a grayscale PIL image at `dpi`."""
    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        return [
            document[index].render(scale=dpi / 72, grayscale=True).to_pil()
            for index in range(len(document))
        ]
    finally:
        document.close()


def decode_barcodes(pdf_bytes: bytes, dpi: float = 203) -> list[list[str]]:
    """The values of the barcodes a scanner finds on each page, rendered at `dpi`.

    Ordered by where they sit: top edge first, then left edge.
    """
    pages = []
    for image in render_pages(pdf_bytes, dpi):
        found = zxingcpp.read_barcodes(image)
        found.sort(key=lambda b: (b.position.top_left.y, b.position.top_left.x))
        pages.append([barcode.text for barcode in found])
    return pages


def decode_barcodes_by_band(pdf_bytes: bytes, dpi: float = 203, gap_mm: float = 4.0) -> list[list[str]]:
    """Like `decode_barcodes`, but each page is cut into bands at white gaps of at least `gap_mm`
    and every band is read on its own.

    zxing-cpp merges two equal linear barcodes standing one above the other in the same column
    into one result (it joins the scan lines of a symbol), so a sheet with the same code in two
    sections (CMD-DONE at several benches) reads back one short. Read band by band, each
    printed barcode is counted once.
    """
    gap = round(gap_mm / 25.4 * dpi)
    pages = []
    for image in render_pages(pdf_bytes, dpi):
        pixels, width = image.convert("L").tobytes(), image.width
        ink = [min(pixels[y * width:(y + 1) * width]) < 128 for y in range(image.height)]
        bands, start, white = [], None, 0
        for y, has_ink in enumerate(ink):
            if has_ink:
                if start is None:
                    start = y
                white = 0
            elif start is not None:
                white += 1
                if white >= gap:
                    bands.append((start, y - white + 1))
                    start, white = None, 0
        if start is not None:
            bands.append((start, len(ink)))
        found = []
        for top, bottom in bands:
            band = image.crop((0, max(0, top - gap // 2), image.width, min(image.height, bottom + gap // 2)))
            results = zxingcpp.read_barcodes(band)
            results.sort(key=lambda b: b.position.top_left.x)
            found += [barcode.text for barcode in results]
        pages.append(found)
    return pages
