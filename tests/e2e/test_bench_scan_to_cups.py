"""`station bench`'s scan_to_cups figure: the pack bench's last scan to the waybill's bytes in a
private cupsd, as PDF, TSPL and ZPL, in one run (its own cupsd, raw socket queues)."""
from __future__ import annotations

import os
import shutil

import pytest


def test_the_figure_has_pdf_tspl_and_zpl_timed_through_one_cupsd():
    if not shutil.which("cupsd", path="/usr/sbin:/usr/bin:/sbin:/bin") and not os.environ.get("CI"):
        pytest.skip("cupsd not installed (Debian package cups)")
    from station.perf.raw_print import run

    (figure,) = list(run(quick=True))
    assert figure["figure"] == "scan_to_cups" and "skipped" not in figure, figure
    for fmt in ("pdf", "tspl", "zpl"):
        result = figure[fmt]
        assert result["waybills"] == 5
        assert 0 < result["p50_ms"] <= result["p99_ms"]
        assert result["bytes_per_waybill"] > 10_000  # a whole waybill reached the printer socket
    # TSPL's bitmap is binary and uncompressed: 100 bytes a row, 1,440 rows on 100x180 mm.
    assert figure["tspl"]["bytes_per_waybill"] > 144_000
    assert figure["zpl"]["bytes_per_waybill"] < figure["tspl"]["bytes_per_waybill"]


def test_the_bench_leaves_cups_server_as_it_found_it(monkeypatch):
    if not shutil.which("cupsd", path="/usr/sbin:/usr/bin:/sbin:/bin") and not os.environ.get("CI"):
        pytest.skip("cupsd not installed (Debian package cups)")
    from station.perf import raw_print

    monkeypatch.setenv("CUPS_SERVER", "127.0.0.1:1")
    monkeypatch.setattr(raw_print, "FORMATS", ("pdf",))
    list(raw_print.run(quick=True))
    assert os.environ["CUPS_SERVER"] == "127.0.0.1:1"
