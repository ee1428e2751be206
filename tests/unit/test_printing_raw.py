"""TSPL and ZPL: the layout as the printer's own bitmap, barcodes as its own commands. The jobs
are read back here as a printer would (an emulator of the commands used, from the TSC TSPL and
Zebra ZPL II manuals): bitmap decoded, barcodes drawn from their commands, then scanned."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from station.printing.barcodes import code128_runs
from station.printing.documents.waybill import SIZES, render_waybill
from station.printing.raw import convert, raster_pages, to_tspl, to_zpl
from tests.support.pdfcheck import render_pages
from tests.support.render_docs import sample_waybill

SIZE_IDS = [s.name for s in SIZES]


def _draw_code128(image: Image.Image, value: str, x: int, top: int, module: int, height: int) -> None:
    """What the printer does with its barcode command: the Code128 symbol, bars `module` dots."""
    draw = ImageDraw.Draw(image)
    cursor = x
    for index, run in enumerate(code128_runs(value)):
        if index % 2 == 0:
            draw.rectangle((cursor, top, cursor + run * module - 1, top + height - 1), fill=0)
        cursor += run * module


def read_tspl(job: bytes) -> list[Image.Image]:
    """Each label of a TSPL job as an image: BITMAP (0 bits print) and BARCODE "128"."""
    pages, at = [], 0
    while True:
        start = job.find(b"BITMAP ", at)
        if start < 0:
            return pages
        header = re.match(rb"BITMAP (\d+),(\d+),(\d+),(\d+),(\d+),", job[start:])
        x, y, per_row, height, _mode = (int(v) for v in header.groups())
        data_at = start + header.end()
        data = job[data_at:data_at + per_row * height]
        image = Image.frombytes("1", (per_row * 8, height), data).convert("L")  # PIL: 1 = white
        end = job.find(b"PRINT ", data_at + len(data))
        for m in re.finditer(rb'BARCODE (\d+),(\d+),"128",(\d+),0,0,(\d+),(\d+),"([^"]*)"',
                             job[data_at + len(data):end]):
            bx, by, bh, narrow, _wide, value = m.groups()
            _draw_code128(image, value.decode(), int(bx), int(by), int(narrow), int(bh))
        pages.append(image)
        at = end


def unzip_zpl(text: str, total: int, per_row: int) -> bytes:
    """^GFA data with ZPL's ASCII compression undone, as the printer reads it (ZPL II guide):
    G..Y count 1..19, g..z count 20..400, "," rest of the row 0, "!" rest of the row 1,
    ":" the row before again."""
    width = per_row * 2
    rows: list[str] = []
    row, count = "", 0
    for ch in text:
        if "G" <= ch <= "Y":
            count += ord(ch) - ord("G") + 1
        elif "g" <= ch <= "z":
            count += (ord(ch) - ord("g") + 1) * 20
        elif ch in ",!":
            row += ("0" if ch == "," else "F") * (width - len(row))
        elif ch == ":":
            row = rows[-1]
        else:
            row += ch * (count or 1)
            count = 0
        if len(row) >= width:
            assert len(row) == width, "a run past the end of a row"
            rows.append(row)
            row = ""
    assert row == "" and len(rows) * per_row == total
    return bytes.fromhex("".join(rows))


def read_zpl(job: bytes) -> list[Image.Image]:
    """Each label of a ZPL job as an image: ^GFA (1 bits print) and ^BY/^BC with ^FH."""
    pages = []
    for label in job.split(b"^XZ")[:-1]:
        width = int(re.search(rb"\^PW(\d+)", label).group(1))
        gf = re.search(rb"\^GFA,(\d+),(\d+),(\d+),([0-9A-Za-z,:!]+)\^FS", label)
        total, per_row = int(gf.group(2)), int(gf.group(3))
        data = unzip_zpl(gf.group(4).decode(), total, per_row)
        assert len(data) == total
        inverted = bytes(b ^ 0xFF for b in data)
        image = Image.frombytes("1", (per_row * 8, total // per_row), inverted).convert("L")
        assert image.width >= width
        for m in re.finditer(rb"\^FO(\d+),(\d+)\^BY(\d+)\^BCN,(\d+),N,N,N,A\^FH_\^FD([^^]*)\^FS", label):
            x, y, module, height, value = m.groups()
            text = re.sub(r"_([0-9A-F]{2})", lambda h: chr(int(h.group(1), 16)), value.decode())
            _draw_code128(image, text, int(x), int(y), int(module), int(height))
        pages.append(image)
    return pages


def _scan(image: Image.Image) -> list[str]:
    found = zxingcpp.read_barcodes(image)
    found.sort(key=lambda b: (b.position.top_left.y, b.position.top_left.x))
    return [b.text for b in found]


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("fmt, read", [("tspl", read_tspl), ("zpl", read_zpl)], ids=["tspl", "zpl"])
def test_the_job_read_back_as_the_printer_would_scans_and_shows_the_chinese_text(size, fmt, read):
    waybill = sample_waybill()
    waybill = replace(waybill, recipient=replace(waybill.recipient, name="王𠈌"))
    pdf = render_waybill(waybill, size=size)
    job = convert(pdf, fmt)
    (label,) = read(job)
    assert label.width // 8 == round(size.width * 8) // 8 or abs(label.width - size.width * 8) <= 8
    # The barcodes come from the printer's own commands, not the bitmap...
    commands = job.count(b'"128"') if fmt == "tspl" else job.count(b"^BC")
    assert commands >= 1
    # ...and scan as the tracking number, as many as the PDF shows.
    (from_pdf,) = [[b for b in _scan(page)] for page in render_pages(pdf, 203.2)]
    assert _scan(label) == from_pdf == [waybill.tracking_no] * len(from_pdf)
    # The rest is the PDF's own drawing, dot for dot: the recipient's name (in the fallback
    # font) is there in the bitmap. Compare the recipient band of the PDF's raster and the label.
    (pdf_page,) = render_pages(pdf, 203.2)
    band = (0, int(label.height * 0.35), label.width - 8, int(label.height * 0.5))
    a = pdf_page.convert("L").point(lambda v: 0 if v < 128 else 255).crop(band)
    b = label.crop(band)
    differing = sum(1 for p, q in zip(a.tobytes(), b.tobytes()) if p != q)
    assert b.tobytes().count(0) > 500  # ink: text prints
    assert differing < 0.002 * a.width * a.height


def test_the_bars_are_left_out_of_the_bitmap_for_the_printer_to_draw():
    pdf = render_waybill(sample_waybill())
    (with_bars,) = raster_pages(pdf, native=False)
    (without,) = raster_pages(pdf)
    assert len(without.barcodes) >= 1
    assert without.barcodes[0].value == sample_waybill().tracking_no
    assert sum(bin(b).count("1") for b in without.rows) < sum(bin(b).count("1") for b in with_bars.rows)


def test_a_batch_is_one_job_with_a_label_per_page():
    waybills = [sample_waybill(tracking_no=f"7531234567890{i}") for i in range(3)]
    from station.printing.documents.waybill import render_waybills

    pdf = render_waybills(waybills)
    job = to_tspl(pdf)
    assert job.count(b"PRINT 1,1") == 3
    assert [_scan(page)[0] for page in read_tspl(job)] == [w.tracking_no for w in waybills]
    assert [_scan(page)[0] for page in read_zpl(to_zpl(pdf))] == [w.tracking_no for w in waybills]


def test_zpl_field_data_cannot_inject_commands():
    from station.printing.raw import _zpl_escape

    assert _zpl_escape("A^XZ~_1") == "A_5EXZ_7E_5F1"


def test_a_barcode_drawn_turned_or_moved_stays_in_the_bitmap():
    import io

    from station.printing.barcodes import draw_code128
    from station.printing.pdf import new_canvas
    from station.printing.units import WAYBILL_100x180, mm

    out = io.BytesIO()
    canvas = new_canvas(out, WAYBILL_100x180, title="t")
    draw_code128(canvas, "UPRIGHT-1", 10, 150)
    canvas.saveState()
    canvas.translate(mm(80), mm(20))
    canvas.rotate(90)
    draw_code128(canvas, "TURNED-2", 0, 0)
    canvas.restoreState()
    canvas.showPage()
    canvas.save()
    (page,) = raster_pages(out.getvalue())
    assert [b.value for b in page.barcodes] == ["UPRIGHT-1"]
    (label,) = read_tspl(to_tspl(out.getvalue()))
    assert sorted(b.text for b in zxingcpp.read_barcodes(label)) == ["TURNED-2", "UPRIGHT-1"]


def test_zpl_compression_round_trips_and_shrinks_a_label():
    from station.printing.raw import raster_pages, zpl_compress

    (page,) = raster_pages(render_waybill(sample_waybill()))
    text = zpl_compress(page.rows, page.bytes_per_row)
    assert unzip_zpl(text, len(page.rows), page.bytes_per_row) == page.rows
    assert len(text) < len(page.rows)  # smaller than the bitmap itself, a third of plain hex or less
    assert zpl_compress(bytes([0xFF] * 25 + [0] * 5 + [0xFF] * 25 + [0] * 5), 30) == "hPF,:"  # 50 F (40 + 10), rest white; the same row again


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_the_bitmap_is_the_label_to_the_dot(size):
    (page,) = raster_pages(render_waybill(sample_waybill(), size=size))
    assert (page.width_dots, page.height_dots) == (round(size.width * 8), round(size.height * 8))
