"""``cups:<queue>``: send a PDF to a CUPS queue with ``lp``, naming the document's own page size.

No Qt here, so the CLI prints to CUPS too. The outbox picks this dispatcher when a printer
destination starts with ``cups:``. The server is the one ``lp`` uses: ``CUPS_SERVER`` (for
example ``127.0.0.1:8631``) or the local CUPS.

CUPS prints on its default paper (A4 in most of the world) unless the job says which media
it wants, so every job carries ``-o media=Custom.<w>x<h>mm`` from the PDF's first MediaBox:
a 100x180 mm waybill stays 100x180 mm on a label printer, and in cups-pdf's PDF.
"""
from __future__ import annotations

import os
import re
import subprocess

from station.i18n import _
from station.printing.outbox import PrinterError
from station.printing.units import to_mm

LP_TIMEOUT_S = 30
_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s*\]")


def page_size_mm(pdf: bytes) -> tuple[float, float] | None:
    """(width, height) in mm of the first page's MediaBox, or None if the PDF does not say plainly.

    reportlab writes page dictionaries uncompressed, so a look at the bytes is enough.
    """
    found = _MEDIABOX.search(pdf)
    if not found:
        return None
    x0, y0, x1, y1 = (float(v) for v in found.groups())
    return to_mm(abs(x1 - x0)), to_mm(abs(y1 - y0))


def media_option(pdf: bytes) -> str | None:
    """The CUPS media name for the PDF's page, e.g. ``Custom.100x180mm``, ``Custom.101.6x152.4mm``."""
    size = page_size_mm(pdf)
    if size is None:
        return None
    width, height = (f"{round(v, 1):g}" for v in size)
    return f"Custom.{width}x{height}mm"


def lp_command(queue: str, pdf: bytes, document: str, copies: int) -> list[str]:
    command = ["lp", "-d", queue, "-n", str(max(int(copies), 1)), "-t", document or "station"]
    media = media_option(pdf)
    if media:
        command += ["-o", f"media={media}"]
    return command


def _run(command: list[str], data: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}  # messages we can read back the same everywhere
    try:
        return subprocess.run(command, input=data, capture_output=True, timeout=LP_TIMEOUT_S, env=env)
    except FileNotFoundError:
        raise PrinterError(_("CUPS is not installed on this PC (no {command} command)",
                             command=command[0])) from None
    except subprocess.TimeoutExpired:
        raise PrinterError(_("CUPS did not answer within {seconds} s", seconds=LP_TIMEOUT_S)) from None


def _message(result: subprocess.CompletedProcess) -> str:
    return (result.stderr or result.stdout or b"").decode("utf-8", "replace").strip()


def check_queue(queue: str) -> None:
    """Raise PrinterError if the queue is missing or stopped, before CUPS takes the job.

    A job sent to a stopped queue would wait inside CUPS; this way it waits in our outbox,
    where it can be retried or sent to another printer.
    """
    result = _run(["lpstat", "-p", queue])
    text = _message(result)
    if result.returncode != 0 or not text:
        raise PrinterError(_("The CUPS printer {queue} does not exist or CUPS is not running: {error}",
                             queue=queue, error=text or result.returncode))
    if " disabled" in text.splitlines()[0]:
        reason = " ".join(line.strip() for line in text.splitlines()[1:]).strip(" -")
        raise PrinterError(_("The CUPS printer {queue} is stopped: {reason}", queue=queue,
                             reason=reason or "-"))


def send(queue: str, pdf: bytes, document: str, copies: int) -> None:
    """The outbox dispatcher for ``cups:<queue>``; raises PrinterError with a readable message."""
    if not queue:
        raise PrinterError(_("No CUPS printer named in the destination"))
    check_queue(queue)
    result = _run(lp_command(queue, pdf, document, copies), pdf)
    if result.returncode != 0:
        raise PrinterError(_("CUPS refused the job for {queue}: {error}", queue=queue,
                             error=_message(result) or result.returncode))
