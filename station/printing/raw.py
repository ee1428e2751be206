"""A document in a thermal printer's own language: TSPL (TSC and most Chinese label printers)
and ZPL (Zebra), made from the PDF every document is drawn as.

The page goes to the printer as one bitmap at the head's resolution (TSPL ``BITMAP``, ZPL
``^GF``), so every character the PDF shows prints, Chinese and the fallback fonts' included:
the printer needs no font of its own. Each Code128 barcode is sent as the printer's own
barcode command instead (TSPL ``BARCODE … "128"``, ZPL ``^BY``/``^BC``), drawn by the
printer at its exact dot pitch; its bars are left out of the bitmap. The PDF says where each
barcode is: `barcodes.draw_code128` marks its bars as marked content (``/StationBarcode``
``BDC`` … ``EMC``, PDF 1.7 §14.6) carrying the value, the place and the module width.

Coordinates in both languages count dots from the label's top-left corner; the PDF's from
its bottom-left in points. The head is 203 dpi (8 dots per mm) unless `dpi` says otherwise.

Sources: TSC "TSPL/TSPL2 Programming Language" manual (SIZE, GAP, DIRECTION, CLS, BITMAP,
BARCODE, PRINT); Zebra "ZPL II Programming Guide" 45541L-004 (^XA, ^PW, ^LL, ^FO, ^GF,
^BY, ^BC, ^FH, ^FD, ^FS, ^XZ). See docs/printing-raw.md.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

FORMATS = ("pdf", "tspl", "zpl")
DEFAULT_DPI = 203.2  # 8 dots/mm: the heads of nearly every label printer sold in China
_THRESHOLD = 128  # grey levels below this print

_MARK = re.compile(
    rb"/StationBarcode\s*<<\s*/K\s*/(\w+)\s*/V\s*<([0-9a-fA-F]*)>\s*/X\s*([\d.]+)\s*/Y\s*([\d.]+)"
    rb"\s*/W\s*([\d.]+)\s*/H\s*([\d.]+)\s*/M\s*(\d+)\s*>>\s*BDC")


class RawFormatError(ValueError):
    """Not a format Station speaks, or a PDF it cannot turn into one."""


@dataclass(frozen=True)
class NativeBarcode:
    """A barcode as the PDF drew it: bars' bottom-left corner, size (mm) and module (dots)."""

    kind: str
    value: str
    x: float
    y: float
    width: float
    height: float
    module_dots: int


@dataclass(frozen=True)
class RasterPage:
    """One page at the head's resolution: packed rows, 1 bit a dot, most significant bit
    leftmost, 1 = black; and the barcodes to draw natively on it."""

    width_mm: float
    height_mm: float
    width_dots: int
    height_dots: int
    rows: bytes  # height_dots rows of bytes_per_row bytes
    barcodes: tuple[NativeBarcode, ...]

    @property
    def bytes_per_row(self) -> int:
        return (self.width_dots + 7) // 8


def native_barcodes(page_content: bytes) -> tuple[NativeBarcode, ...]:
    """The barcodes marked in a page's (decoded) content stream."""
    return tuple(
        NativeBarcode(kind.decode(), bytes.fromhex(value.decode()).decode(), float(x), float(y),
                      float(w), float(h), int(m))
        for kind, value, x, y, w, h, m in _MARK.findall(page_content))


def raster_pages(pdf: bytes, dpi: float = DEFAULT_DPI, *, native: bool = True) -> list[RasterPage]:
    """Each page of `pdf` as a 1-bit bitmap at `dpi`; with `native`, the marked barcodes' bars
    are left white (the printer draws them) and listed on the page."""
    import io

    import pypdf
    import pypdfium2
    from PIL import Image, ImageDraw

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    marks = []
    for page in reader.pages:
        contents = page.get_contents()
        marks.append(native_barcodes(contents.get_data()) if (native and contents is not None) else ())
    dots_per_mm = dpi / 25.4
    document = pypdfium2.PdfDocument(pdf)
    pages = []
    try:
        for index in range(len(document)):
            page = document[index]
            width_pt, height_pt = page.get_size()
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            # pdfium rounds the bitmap up (283.46 pt at 203.2 dpi: 801 dots): the label is 800.
            size = (round(width_pt * dpi / 72), round(height_pt * dpi / 72))
            if image.size != size:
                image = image.crop((0, 0, *size))
            if marks[index]:
                draw = ImageDraw.Draw(image)
                for code in marks[index]:
                    left = round(code.x * dots_per_mm)
                    top = image.height - round((code.y + code.height) * dots_per_mm)
                    draw.rectangle((left - 1, top - 1, left + round(code.width * dots_per_mm) + 1,
                                    top + round(code.height * dots_per_mm) + 1), fill=255)
            bits = image.point(lambda v: 0 if v < _THRESHOLD else 255, "1")
            # PIL's 1-bit rows: MSB leftmost, 1 = white; the printers' here: 1 = black.
            packed = bytes(b ^ 0xFF for b in bits.tobytes())
            pages.append(RasterPage(width_pt * 25.4 / 72, height_pt * 25.4 / 72, image.width,
                                    image.height, _clear_padding(packed, image.width), marks[index]))
    finally:
        document.close()
    del Image
    return pages


def _clear_padding(rows: bytes, width: int) -> bytes:
    """The bits past the last dot of each row (padding to a byte) set to white."""
    spare = (-width) % 8
    if not spare:
        return rows
    per_row = (width + 7) // 8
    mask = (0xFF << spare) & 0xFF
    out = bytearray(rows)
    for end in range(per_row - 1, len(out), per_row):
        out[end] &= mask
    return bytes(out)


# ---------------------------------------------------------------- TSPL


def _dots(mm_value: float, dpi: float) -> int:
    return round(mm_value * dpi / 25.4)


def to_tspl(pdf: bytes, *, dpi: float = DEFAULT_DPI, gap_mm: float = 2.0, copies: int = 1) -> bytes:
    """`pdf` as a TSPL job: per page SIZE, GAP, CLS, one BITMAP (0 = black dot, as TSPL
    wants), a BARCODE per marked barcode, PRINT."""
    out = bytearray()
    for page in raster_pages(pdf, dpi):
        out += (f"SIZE {page.width_mm:.1f} mm,{page.height_mm:.1f} mm\r\n"
                f"GAP {gap_mm:g} mm,0 mm\r\nDIRECTION 0,0\r\nREFERENCE 0,0\r\nCLS\r\n").encode()
        out += f"BITMAP 0,0,{page.bytes_per_row},{page.height_dots},0,".encode()
        out += bytes(b ^ 0xFF for b in page.rows)  # TSPL: a 0 bit prints
        out += b"\r\n"
        for code in page.barcodes:
            out += _tspl_barcode(code, page, dpi)
        out += f"PRINT 1,{max(1, int(copies))}\r\n".encode()
    return bytes(out)


def _tspl_barcode(code: NativeBarcode, page: RasterPage, dpi: float) -> bytes:
    x = _dots(code.x, dpi)
    top = page.height_dots - _dots(code.y + code.height, dpi)
    value = code.value.replace('"', '\\["]')  # TSPL's escape for a quote inside a string
    # BARCODE X,Y,"128",height,human readable (0: none, the PDF prints the digits),rotation,narrow,wide,"content"
    return (f'BARCODE {x},{top},"128",{_dots(code.height, dpi)},0,0,{code.module_dots},'
            f'{code.module_dots},"{value}"\r\n').encode()


# ---------------------------------------------------------------- ZPL


def to_zpl(pdf: bytes, *, dpi: float = DEFAULT_DPI, copies: int = 1) -> bytes:
    """`pdf` as a ZPL job: per page one label (^XA … ^XZ) with the bitmap as ^GFA (ASCII hex in
    ZPL's own compression, 1 = black dot) and a ^BC Code128 per marked barcode."""
    out = bytearray()
    for page in raster_pages(pdf, dpi):
        total = len(page.rows)
        out += (f"^XA^PW{page.width_dots}^LL{page.height_dots}^LH0,0^PQ{max(1, int(copies))}\n"
                f"^FO0,0^GFA,{total},{total},{page.bytes_per_row},").encode()
        out += zpl_compress(page.rows, page.bytes_per_row).encode()
        out += b"^FS\n"
        for code in page.barcodes:
            x = _dots(code.x, dpi)
            top = page.height_dots - _dots(code.y + code.height, dpi)
            out += (f"^FO{x},{top}^BY{code.module_dots}^BCN,{_dots(code.height, dpi)},N,N,N,A"
                    f"^FH_^FD{_zpl_escape(code.value)}^FS\n").encode()
        out += b"^XZ\n"
    return bytes(out)


def _zpl_count(count: int) -> str:
    """A repeat count in ZPL's ASCII compression: g..z = 20..400 (steps of 20), G..Y = 1..19."""
    out = []
    while count >= 400:
        out.append("z")
        count -= 400
    if count >= 20:
        out.append(chr(ord("g") + count // 20 - 1))
        count %= 20
    if count:
        out.append(chr(ord("G") + count - 1))
    return "".join(out)


def zpl_compress(rows: bytes, per_row: int) -> str:
    """The bitmap as ^GFA data in ZPL's ASCII compression (ZPL II Programming Guide, "Alternative
    Data Compression Scheme for ~DG and ~DB Commands"): per row of hex digits, ":" repeats the
    row before, "," fills the rest of the row with 0 (white), and a run of one digit is written
    as its count (G..Y, g..z) and the digit. A label that is mostly white shrinks tenfold."""
    out = []
    previous = None
    for start in range(0, len(rows), per_row):
        row = rows[start:start + per_row].hex().upper()
        if row == previous:
            out.append(":")
            continue
        previous = row
        body = row.rstrip("0")
        pieces = []
        index = 0
        while index < len(body):
            digit = body[index]
            end = index
            while end < len(body) and body[end] == digit:
                end += 1
            run = end - index
            pieces.append(digit if run == 1 else _zpl_count(run) + digit)
            index = end
        if len(body) < len(row):
            pieces.append(",")
        out.append("".join(pieces))
    return "".join(out)


def _zpl_escape(value: str) -> str:
    """Field data with ^FH: the characters ZPL would read as commands written as _XX."""
    return "".join(f"_{ord(ch):02X}" if ch in "^~_" else ch for ch in value)


def convert(pdf: bytes, fmt: str, *, copies: int = 1) -> bytes:
    """`pdf` in `fmt` (pdf, tspl or zpl)."""
    if fmt == "pdf":
        return pdf
    if fmt == "tspl":
        return to_tspl(pdf, copies=copies)
    if fmt == "zpl":
        return to_zpl(pdf, copies=copies)
    raise RawFormatError(f"unknown printer language {fmt!r}; one of {', '.join(FORMATS)}")


def checksum(data: bytes) -> str:
    """A short fingerprint of a job's bytes (for logs and tests)."""
    return f"{zlib.crc32(data):08x}"
