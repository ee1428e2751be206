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
from station.outbox.errors import PrinterError
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


def send(queue: str, pdf: bytes, title: str, copies: int) -> None:
    """The outbox dispatcher for ``cups:<queue>``: the job titled `title` (``station-job-<id>-<attempt>-<mark>``,
    which recovery looks up); raises PrinterError with a readable message."""
    if not queue:
        raise PrinterError(_("No CUPS printer named in the destination"))
    check_queue(queue)
    result = _run(lp_command(queue, pdf, title, copies), pdf)
    if result.returncode != 0:
        raise PrinterError(_("CUPS refused the job for {queue}: {error}", queue=queue,
                             error=_message(result) or result.returncode))


def send_raw(queue: str, data: bytes, title: str, copies: int) -> None:
    """A job already in the printer's own language (TSPL, ZPL) to a CUPS queue, untouched
    (``-o raw``: no filter runs); raises PrinterError with a readable message."""
    if not queue:
        raise PrinterError(_("No CUPS printer named in the destination"))
    check_queue(queue)
    command = ["lp", "-d", queue, "-n", str(max(int(copies), 1)), "-t", title or "station", "-o", "raw"]
    result = _run(command, data)
    if result.returncode != 0:
        raise PrinterError(_("CUPS refused the job for {queue}: {error}", queue=queue,
                             error=_message(result) or result.returncode))


# --- did CUPS take a job? (recovery after a crash mid-send) ---------------------------------
#
# `lpstat` does not show job titles, so the question goes to CUPS itself: an IPP Get-Jobs
# request (RFC 8011) for the queue's jobs, completed ones included, asking for their names.
# CUPS keeps the history of finished jobs (PreserveJobHistory, on by default).

IPP_TIMEOUT_S = 10
_GET_JOBS = 0x000A
_GET_JOB_ATTRIBUTES = 0x0009
_TAKEN_STATES = {3, 4, 5, 6, 9}  # pending, pending-held, processing, processing-stopped, completed


def _attribute(tag: int, name: str, value: bytes) -> bytes:
    encoded = name.encode()
    return bytes([tag]) + len(encoded).to_bytes(2, "big") + encoded + len(value).to_bytes(2, "big") + value


def get_jobs_request(queue: str, user: str | None = None) -> bytes:
    """Get-Jobs for `queue`, as `user` (default: this process's user, the one ``lp`` sent the jobs
    as: CUPS shows a job's name only to its owner, JobPrivateValues)."""
    if user is None:
        import getpass

        user = getpass.getuser()
    body = b"\x02\x00" + _GET_JOBS.to_bytes(2, "big") + (1).to_bytes(4, "big") + b"\x01"
    body += _attribute(0x47, "attributes-charset", b"utf-8")
    body += _attribute(0x48, "attributes-natural-language", b"en")
    body += _attribute(0x45, "printer-uri", f"ipp://localhost/printers/{queue}".encode())
    body += _attribute(0x42, "requesting-user-name", user.encode())
    body += _attribute(0x44, "which-jobs", b"all")
    body += _attribute(0x44, "requested-attributes", b"job-id")
    for name in (b"job-name", b"job-state"):
        body += _attribute(0x44, "", name)  # further values of the same attribute
    return body + b"\x03"


def get_job_attributes_request(queue: str, job_id: int, user: str | None = None) -> bytes:
    """Get-Job-Attributes (RFC 8011 §4.3.4) for job `job_id` of `queue`: its name and state."""
    if user is None:
        import getpass

        user = getpass.getuser()
    body = b"\x02\x00" + _GET_JOB_ATTRIBUTES.to_bytes(2, "big") + (1).to_bytes(4, "big") + b"\x01"
    body += _attribute(0x47, "attributes-charset", b"utf-8")
    body += _attribute(0x48, "attributes-natural-language", b"en")
    body += _attribute(0x45, "printer-uri", f"ipp://localhost/printers/{queue}".encode())
    body += _attribute(0x21, "job-id", job_id.to_bytes(4, "big"))
    body += _attribute(0x42, "requesting-user-name", user.encode())
    body += _attribute(0x44, "requested-attributes", b"job-name")
    body += _attribute(0x44, "", b"job-state")
    return body + b"\x03"


def parse_jobs(data: bytes) -> tuple[int, list[dict[str, object]]]:
    """(IPP status code, one dict per job group with job-id, job-name, job-state)."""
    if len(data) < 9:
        raise PrinterError(_("CUPS answered something that is not IPP"))
    status = int.from_bytes(data[2:4], "big")
    jobs: list[dict[str, object]] = []
    current: dict[str, object] | None = None
    pos, name = 8, ""
    while pos < len(data):
        tag = data[pos]
        pos += 1
        if tag == 0x03:
            break
        if tag < 0x10:  # a new attribute group
            current = {} if tag == 0x02 else None
            if current is not None:
                jobs.append(current)
            continue
        name_len = int.from_bytes(data[pos:pos + 2], "big")
        pos += 2
        if name_len:
            name = data[pos:pos + name_len].decode("utf-8", "replace")
        pos += name_len
        value_len = int.from_bytes(data[pos:pos + 2], "big")
        pos += 2
        value = data[pos:pos + value_len]
        pos += value_len
        if current is not None and name_len:
            current[name] = int.from_bytes(value, "big", signed=True) if tag in (0x21, 0x23) \
                else value.decode("utf-8", "replace")
    return status, jobs


def _server() -> str:
    server = os.environ.get("CUPS_SERVER", "")
    if server:
        return server
    for socket_path in ("/run/cups/cups.sock", "/var/run/cups/cups.sock"):
        if os.path.exists(socket_path):
            return socket_path
    return "localhost:631"


def _post(path: str, body: bytes) -> bytes:
    import http.client
    import socket

    server = _server()
    if server.startswith("/"):
        class UnixConnection(http.client.HTTPConnection):
            def connect(self) -> None:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.settimeout(IPP_TIMEOUT_S)
                self.sock.connect(server)

        connection: http.client.HTTPConnection = UnixConnection("localhost", timeout=IPP_TIMEOUT_S)
    else:
        host, _sep, port = server.rpartition(":") if server.count(":") == 1 else (server, "", "")
        connection = http.client.HTTPConnection(host or server, int(port or 631), timeout=IPP_TIMEOUT_S)
    try:
        connection.request("POST", path, body, {"Content-Type": "application/ipp"})
        response = connection.getresponse()
        data = response.read()
        if response.status != 200:
            raise PrinterError(_("CUPS answered HTTP {status} to a job list request", status=response.status))
        return data
    except OSError as exc:
        raise PrinterError(_("CUPS did not answer a job list request: {error}", error=str(exc))) from None
    finally:
        connection.close()


def job_accepted(queue: str, title: str) -> bool:
    """Whether CUPS took a job titled `title` on `queue` (waiting, printing or printed).

    Raises PrinterError when CUPS cannot be asked: then nobody knows, and the caller must not
    send the job again on its own.

    A job CUPS has just finished is listed for a while with its id and state only (cupsd has
    unloaded its attributes and Get-Jobs does not read them back; reproduced under load). Such a
    job could be the one asked about, so each is asked for by its id (Get-Job-Attributes, which
    does load it); if one still has no name, nobody knows and PrinterError says so.
    """
    if not queue:
        raise PrinterError(_("No CUPS printer named in the destination"))
    status, jobs = parse_jobs(_post(f"/printers/{queue}", get_jobs_request(queue)))
    if status >= 0x0100:
        raise PrinterError(_("CUPS refused the job list of {queue} (IPP status 0x{status:04x})",
                             queue=queue, status=status))
    for job in jobs:
        if "job-name" not in job and isinstance(job.get("job-id"), int):
            _status, found = parse_jobs(_post(f"/jobs/{job['job-id']}",
                                              get_job_attributes_request(queue, job["job-id"])))
            job.update(found[0] if found else {})
    if any(job.get("job-name") == title and job.get("job-state") in _TAKEN_STATES for job in jobs):
        return True
    if all("job-name" in job for job in jobs):
        return False
    raise PrinterError(_("CUPS lists a job on {queue} without its name: cannot tell whether "
                         "it is this one", queue=queue))
