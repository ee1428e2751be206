"""Dispatch: a job printed through Qt keeps the document's own page size, and ``cups:`` names it to lp.

cups-pdf (and many drivers) print on A4 unless the job says otherwise; a 100x180 mm waybill
must come out 100x180 mm. Qt's PDF printer stands in for a real one here: it writes what
the driver would get, and pypdf reads the page size back.
"""
from __future__ import annotations

import os
import stat

import pypdf
import pytest
from PySide6.QtPrintSupport import QPrinter

from station.db import unit_of_work
from station import outbox
from station.outbox import cups
from station.outbox.models import PrintJob
from station.printing.units import LABEL_4x6IN, LABEL_40x30, WAYBILL_76x130, WAYBILL_100x180
from station.ui.printing import dispatch
from tests.support.pdfcheck import decode_barcodes


def waybill(size=WAYBILL_100x180) -> bytes:
    from station.printing.documents.waybill import render_waybill
    from tests.support.render_docs import sample_waybill

    return render_waybill(sample_waybill(), size=size)


def product_label() -> bytes:
    from station.printing.documents.labels import render_product_label
    from tests.support.render_docs import sample_product_labels

    return render_product_label(sample_product_labels()[0], size=LABEL_40x30)


def pdf_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def sizes_mm(path) -> list[tuple[float, float]]:
    reader = pypdf.PdfReader(str(path))
    return [(float(p.mediabox.width) * 25.4 / 72, float(p.mediabox.height) * 25.4 / 72) for p in reader.pages]


@pytest.mark.parametrize("size", [WAYBILL_100x180, WAYBILL_76x130, LABEL_4x6IN], ids=lambda s: s.name)
def test_the_qt_dispatcher_prints_on_the_documents_own_page_size(qapp, tmp_path, size):
    out = tmp_path / "printed.pdf"
    assert dispatch.print_document(pdf_printer(out), waybill(size), title="waybill") == 1
    assert sizes_mm(out) == [pytest.approx((size.width, size.height), abs=0.5)]


def test_a_landscape_label_stays_40_wide_and_30_high(qapp, tmp_path):
    out = tmp_path / "label.pdf"
    dispatch.print_document(pdf_printer(out), product_label(), title="product-label")
    assert sizes_mm(out) == [pytest.approx((40, 30), abs=0.5)]


def test_copies_and_the_barcode_survive_printing_at_printer_resolution(qapp, tmp_path):
    out = tmp_path / "two.pdf"
    assert dispatch.print_document(pdf_printer(out), waybill(), copies=2) == 2
    assert sizes_mm(out) == [pytest.approx((100, 180), abs=0.5)] * 2
    tracking = "75312345678901"
    assert decode_barcodes(out.read_bytes(), dpi=203) == [[tracking, tracking]] * 2


def test_render_dpi_is_the_printers_or_an_exact_fraction_of_it():
    assert dispatch.render_dpi(203) == 203
    assert dispatch.render_dpi(600) == 600
    assert dispatch.render_dpi(1200) == 600
    assert dispatch.render_dpi(2400) == 600


def test_a_missing_qt_printer_raises_a_readable_error(qapp):
    with pytest.raises(outbox.PrinterError, match="The printer NoSuchPrinter is not installed on this PC"):
        dispatch.print_pdf("NoSuchPrinter", waybill(), "waybill", 1)


def test_an_unreadable_pdf_raises_a_readable_error(qapp):
    with pytest.raises(outbox.PrinterError, match="cannot be read"):
        dispatch.load_pdf(b"not a pdf")


def test_destinations_list_the_pdf_folder_and_read_back(qapp):
    labels = dict(dispatch.destinations())
    folder = f"pdf:{outbox.default_pdf_folder()}"
    assert labels["PDF folder"] == folder
    assert dispatch.describe(folder) == "PDF folder"
    assert dispatch.parse("PDF folder") == folder
    assert dispatch.parse("Zebra ZD421") == "qt:Zebra ZD421"
    assert dispatch.describe("qt:Zebra ZD421") == "Zebra ZD421"
    assert dispatch.parse("cups:zebra") == "cups:zebra"
    assert dispatch.parse("  ") is None


# --- cups: (no Qt) ------------------------------------------------------------------------

@pytest.mark.parametrize("size, media", [(WAYBILL_100x180, "Custom.100x180mm"),
                                         (WAYBILL_76x130, "Custom.76x130mm"),
                                         (LABEL_4x6IN, "Custom.101.6x152.4mm")], ids=lambda v: str(v))
def test_lp_is_told_the_documents_own_media(size, media):
    assert cups.media_option(waybill(size)) == media
    assert cups.lp_command("zebra", waybill(size), "waybill", 3) == [
        "lp", "-d", "zebra", "-n", "3", "-t", "waybill", "-o", f"media={media}"]


def test_a_label_is_40x30_for_lp_too():
    assert cups.media_option(product_label()) == "Custom.40x30mm"


def fake_cups(folder, *, state="idle.  enabled since Mon 01 Jan 2024"):
    """lpstat and lp stand-ins on PATH: lp records its arguments and the PDF it was given."""
    folder.mkdir()
    scripts = {
        "lpstat": f'#!/bin/sh\n[ "$2" = "zebra" ] || {{ echo "lpstat: Invalid destination name" >&2; exit 1; }}\n'
                  f'echo "printer zebra is {state}"\n'
                  + ('printf "\\tPaper out\\n"\n' if "disabled" in state else ""),
        "lp": f'#!/bin/sh\necho "$@" > "{folder}/args"\ncat > "{folder}/job.pdf"\necho "request id is zebra-1"\n',
    }
    for name, text in scripts.items():
        path = folder / name
        path.write_text(text)
        path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return folder


def test_the_outbox_sends_cups_jobs_with_lp_and_the_documents_size(sessions, tmp_path, monkeypatch):
    bin_dir = fake_cups(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    pdf = waybill()
    with unit_of_work(sessions) as s:
        outbox.set_printer(s, "waybill", "cups:zebra", 2)
        job = outbox.submit(s, "waybill", "3712345678901234567", pdf)
        s.commit()
    sent = outbox.send(sessions, job.id)
    with unit_of_work(sessions) as s:
        job = s.get(PrintJob, job.id)
        assert (job.status, job.error, job.printer, job.copies) == ("printed", None, "cups:zebra", 2)
    # The title names the job and the attempt: recovery asks CUPS for it after a crash.
    assert sent.status == "printed"
    title = outbox.job_title(job.id, 1, job.created_at)
    assert title.startswith(f"station-job-{job.id}-1-")
    assert (bin_dir / "args").read_text().split() == ["-d", "zebra", "-n", "2", "-t", title,
                                                      "-o", "media=Custom.100x180mm"]
    assert (bin_dir / "job.pdf").read_bytes() == pdf


def test_a_stopped_or_missing_cups_queue_keeps_the_job_in_the_outbox(sessions, tmp_path, monkeypatch):
    bin_dir = fake_cups(tmp_path / "bin", state="disabled since Mon 01 Jan 2024 -")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with unit_of_work(sessions) as s:
        stopped = outbox.submit(s, "waybill", "A", waybill(), printer="cups:zebra")
        missing = outbox.submit(s, "waybill", "B", waybill(), printer="cups:nosuch")
        s.commit()
    outbox.send_jobs(sessions, [stopped.id, missing.id])
    with unit_of_work(sessions) as s:
        stopped, missing = s.get(PrintJob, stopped.id), s.get(PrintJob, missing.id)
        assert (stopped.status, stopped.error) == ("failed", "The CUPS printer zebra is stopped: Paper out")
        assert missing.status == "failed" and "nosuch does not exist" in missing.error
    assert not (bin_dir / "job.pdf").exists()


def test_no_cups_on_this_pc_is_a_readable_error(sessions, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with unit_of_work(sessions) as s:
        job = outbox.submit(s, "waybill", "A", waybill(), printer="cups:zebra")
        s.commit()
    outbox.send(sessions, job.id)
    with unit_of_work(sessions) as s:
        job = s.get(PrintJob, job.id)
        assert (job.status, job.error) == ("failed", "CUPS is not installed on this PC (no lpstat command)")
