"""cups.job_accepted against a local HTTP server answering IPP Get-Jobs and Get-Job-Attributes
(RFC 8011 §4.2.6, §4.3.4):
CUPS may list a just-finished job with its id and state only (seen on a loaded CI machine), and
then the job is asked for by its id instead of answering "not taken"."""
from __future__ import annotations

import http.server
import threading

import pytest

from station.outbox import cups
from station.outbox.errors import PrinterError


def _attr(tag: int, name: str, value: bytes) -> bytes:
    return bytes([tag]) + len(name).to_bytes(2, "big") + name.encode() + len(value).to_bytes(2, "big") + value


def _response(jobs: list[dict]) -> bytes:
    body = b"\x02\x00\x00\x00" + (1).to_bytes(4, "big") + b"\x01"
    body += _attr(0x47, "attributes-charset", b"utf-8") + _attr(0x48, "attributes-natural-language", b"en")
    for job in jobs:
        body += b"\x02" + _attr(0x21, "job-id", job["id"].to_bytes(4, "big"))
        if "name" in job:
            body += _attr(0x42, "job-name", job["name"].encode())
        body += _attr(0x23, "job-state", job["state"].to_bytes(4, "big"))
    return body + b"\x03"


@pytest.fixture
def ipp_server(monkeypatch):
    answers: list[list[dict]] = []  # Get-Jobs answers in turn, the last one repeated
    by_id: dict[int, dict] = {}  # what Get-Job-Attributes answers for a job id
    asked: list[bytes] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            request = self.rfile.read(int(self.headers["Content-Length"]))
            asked.append(request)
            if request[2:4] == b"\x00\x09":  # Get-Job-Attributes: /jobs/<id>
                job_id = int(self.path.rsplit("/", 1)[1])
                data = _response([by_id[job_id]] if job_id in by_id else [{"id": job_id, "state": 9}])
            else:
                data = _response(answers.pop(0) if len(answers) > 1 else answers[0])
            self.send_response(200)
            self.send_header("Content-Type", "application/ipp")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("CUPS_SERVER", f"127.0.0.1:{server.server_address[1]}")
    yield answers, asked, by_id
    server.shutdown()


def test_a_named_finished_job_was_taken(ipp_server):
    answers, asked, by_id = ipp_server
    answers.append([{"id": 1, "name": "station-job-1-1", "state": 9}])
    assert cups.job_accepted("q", "station-job-1-1") is True
    assert cups.job_accepted("q", "station-job-1-2") is False
    assert b"which-jobs" in asked[0] and b"job-name" in asked[0]


def test_a_cancelled_job_was_not_taken(ipp_server):
    answers, _asked, by_id = ipp_server
    answers.append([{"id": 1, "name": "station-job-1-1", "state": 7}])
    assert cups.job_accepted("q", "station-job-1-1") is False


def test_a_job_listed_without_its_name_is_asked_for_by_its_id(ipp_server):
    """As cupsd does for a while after a job finishes: Get-Jobs gives id and state only, and
    Get-Job-Attributes on the id gives the name."""
    answers, asked, by_id = ipp_server
    answers.append([{"id": 1, "state": 9}, {"id": 2, "name": "other", "state": 9}])
    by_id[1] = {"id": 1, "name": "station-job-1-1", "state": 9}
    assert cups.job_accepted("q", "station-job-1-1") is True
    assert [request[2:4] for request in asked] == [b"\x00\x0a", b"\x00\x09"]  # job 2 not asked
    assert cups.job_accepted("q", "station-job-1-2") is False


def test_a_job_that_stays_nameless_means_nobody_knows(ipp_server):
    answers, _asked, _by_id = ipp_server
    answers.append([{"id": 1, "state": 9}, {"id": 2, "name": "other", "state": 9}])
    with pytest.raises(PrinterError, match="without its name"):
        cups.job_accepted("q", "station-job-1-1")
