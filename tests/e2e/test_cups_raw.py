"""A waybill to a thermal printer in its own language, through a real CUPS server: the TSPL or
ZPL job reaches the printer (a socket on port 9100's protocol, AppSocket: the bytes of the job,
then the connection closes) byte for byte, and read back as the printer would, its barcodes scan."""
from __future__ import annotations

import socket
import threading

import pytest

from station import outbox
from station.db import unit_of_work
from station.printing.raw import convert
from tests.e2e.test_cups import cups_env, cups_server, waybill_100x180  # noqa: F401  (fixtures)
from tests.unit.test_printing_raw import _scan, read_tspl, read_zpl


class SocketPrinter:
    """A network label printer as CUPS's socket backend sees one: it takes a connection and
    reads the job until the sender closes it."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.jobs: list[bytes] = []
        self.received = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                data = bytearray()
                while chunk := conn.recv(65536):
                    data += chunk
            self.jobs.append(bytes(data))
            self.received.set()

    def close(self) -> None:
        self.server.close()


@pytest.mark.parametrize("language, read", [("tspl", read_tspl), ("zpl", read_zpl)])
def test_a_waybill_reaches_a_raw_thermal_queue_in_its_language_and_scans(cups_env, sessions,  # noqa: F811
                                                                          waybill_100x180, language, read):
    printer = SocketPrinter()
    queue = f"station-{language}"
    try:
        cups_env.add_raw_queue(queue, printer.port)
        with unit_of_work(sessions) as s:
            outbox.set_printer(s, "waybill", f"{language}:{queue}", 1)
            job = outbox.submit(s, "waybill", "3712345678901234567", waybill_100x180, user="张伟",
                                station="bench-7")
            s.commit()
        sent = outbox.send(sessions, job.id)
        assert (sent.status, sent.error) == ("printed", None)
        assert printer.received.wait(60), cups_env.error_log()
    finally:
        printer.close()
    (arrived,) = printer.jobs
    assert arrived == convert(waybill_100x180, language)  # untouched by CUPS: -o raw, no filter
    (label,) = read(arrived)
    assert _scan(label) == ["75312345678901", "75312345678901"]
