"""Last scan → bytes handed to CUPS, for a waybill printed as PDF and in a thermal printer's own
language (TSPL, ZPL), through a real cupsd in one run (issue 16), for ``station bench``.

The bench starts a private cupsd (its configuration, spool and logs in a temporary folder, on a
free loopback port) with one raw queue per language, each to a "printer" that is a socket on
this machine taking the job as a network label printer on port 9100 does (AppSocket). The pack
bench then packs orders through ``BenchRunner.process``, the GUI's and replay's path: the time
runs from the scan that closes the order to the moment ``lp`` has handed the waybill's bytes to
CUPS (``finish_printing``: the PDF drawn, converted to TSPL/ZPL where asked, ``lp`` returned).
Needs ``cupsd`` and ``lpadmin`` (Debian: cups, cups-client); without them the figure says why.
"""
from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

FORMATS = ("pdf", "tspl", "zpl")


class _Sink:
    """A network printer that takes every job and counts its bytes."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.bytes = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                while chunk := conn.recv(65536):
                    self.bytes += len(chunk)

    def close(self) -> None:
        self.server.close()


class PrivateCups:
    """A cupsd of our own with raw socket queues; `env` points lp at it."""

    def __init__(self) -> None:
        self.cupsd = shutil.which("cupsd", path="/usr/sbin:/usr/bin:/sbin:/bin")
        self.lpadmin = shutil.which("lpadmin", path="/usr/sbin:/usr/bin:/sbin:/bin")
        self.root = Path(tempfile.mkdtemp(prefix="station-bench-cups-"))
        self.root.chmod(0o755)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.server = f"127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def missing(self) -> str | None:
        if not self.cupsd or not self.lpadmin or not shutil.which("lp"):
            return "cupsd, lpadmin or lp not installed (Debian packages cups, cups-client)"
        return None

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": self.server, "LC_ALL": "C", "LANG": "C"}

    def start(self) -> None:
        conf = self.root / "conf"
        for name in ("conf", "spool", "spool/tmp", "cache", "state", "log"):
            (self.root / name).mkdir(parents=True, exist_ok=True)
            (self.root / name).chmod(0o755)
        (conf / "cupsd.conf").write_text(
            f"LogLevel warn\nListen 127.0.0.1:{self.port}\nBrowsing Off\nBrowseLocalProtocols none\n"
            "DefaultAuthType None\nWebInterface No\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n")
        (conf / "cups-files.conf").write_text(
            f"ServerRoot {conf}\nRequestRoot {self.root / 'spool'}\nTempDir {self.root / 'spool' / 'tmp'}\n"
            f"CacheDir {self.root / 'cache'}\nStateDir {self.root / 'state'}\n"
            f"ErrorLog {self.root / 'log' / 'error_log'}\nAccessLog {self.root / 'log' / 'access_log'}\n"
            f"PageLog {self.root / 'log' / 'page_log'}\nServerBin /usr/lib/cups\nDataDir /usr/share/cups\n"
            f"SystemGroup {'root' if os.geteuid() == 0 else os.getgid()}\nSandboxing Relaxed\n")
        self.process = subprocess.Popen([self.cupsd, "-f", "-c", str(conf / "cupsd.conf"),
                                         "-s", str(conf / "cups-files.conf")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while subprocess.run(["lpstat", "-r"], env=self.env, capture_output=True,
                             text=True).stdout.strip() != "scheduler is running":
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the bench's private cupsd did not start")
            time.sleep(0.2)

    def add_queue(self, name: str, port: int) -> None:
        subprocess.run([self.lpadmin, "-h", self.server, "-p", name, "-E", "-v", f"socket://127.0.0.1:{port}",
                        "-m", "raw"], env=self.env, check=True, capture_output=True)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def run(quick: bool = False):
    """One figure: for each of pdf, tspl and zpl, last scan → bytes handed to CUPS (p50, p99)."""
    from sqlalchemy import select

    from station import settings
    from station.db import open_database, unit_of_work
    from station.fulfilment.models import Order
    from station.fulfilment.orders import import_orders
    from station.perf.orders import write_sample
    from station.perf.pack import prepare
    from station.workflows.runner import BenchRunner

    cups = PrivateCups()
    reason = cups.missing()
    if reason:
        yield {"figure": "scan_to_cups", "skipped": reason}
        return
    orders_each = 5 if quick else 20
    sinks = {fmt: _Sink() for fmt in FORMATS}
    old_server = os.environ.get("CUPS_SERVER")
    try:
        cups.start()
        for fmt, sink in sinks.items():
            cups.add_queue(f"bench-{fmt}", sink.port)
        os.environ["CUPS_SERVER"] = cups.server
        with tempfile.TemporaryDirectory(prefix="station-raw-bench-") as tmp:
            url = f"sqlite:///{Path(tmp) / 'raw.db'}"
            prepare(url, 1_000)
            write_sample(Path(tmp) / "orders.csv", orders_each * len(FORMATS) * 8, seed=16)
            engine, sessions = open_database(url)
            import_orders(sessions, Path(tmp) / "orders.csv", "generic")
            results = {}
            for fmt in FORMATS:
                with unit_of_work(sessions) as s:
                    settings.PRINTER.write(s, "waybill", f"{'cups' if fmt == 'pdf' else fmt}:bench-{fmt}")
                    picked = list(s.scalars(select(Order).where(Order.status == "ready", Order.batch_id.is_(None))
                                            .order_by(Order.id).limit(orders_each)))
                    scripts = []
                    for order in picked:
                        order.courier = "SF"
                        scans = [f"PS:{order.order_no}"]
                        for line in order.lines:
                            scans += [f"BC-{line.sku}"] * line.qty
                        scripts.append(scans)
                    s.commit()
                runner = BenchRunner(sessions, "pack", f"bench-{fmt}")
                runner.login("bench")
                timings, before = [], sinks[fmt].bytes
                for scans in scripts:
                    for raw in scans[:-1]:
                        runner.process(raw)
                    start = time.perf_counter()
                    _scan, outcome = runner.process(scans[-1])  # the scan that closes the order
                    runner.finish_printing()  # drawn, converted, handed to CUPS by lp
                    timings.append(time.perf_counter() - start)
                    if outcome.code != "order_packed":
                        raise RuntimeError(f"{scans[-1]}: {outcome.code} {outcome.message}")
                deadline = time.monotonic() + 60  # until CUPS has passed every job on to the socket
                while time.monotonic() < deadline and subprocess.run(
                        ["lpstat", "-o", f"bench-{fmt}"], env=cups.env, capture_output=True, text=True).stdout.strip():
                    time.sleep(0.2)
                time.sleep(0.5)
                timings.sort()
                results[fmt] = {"p50_ms": round(statistics.median(timings) * 1000, 1),
                                "p99_ms": round(timings[int(len(timings) * 0.99)] * 1000, 1),
                                "bytes_per_waybill": round((sinks[fmt].bytes - before) / len(timings)),
                                "waybills": len(timings)}
            engine.dispose()
        yield {"figure": "scan_to_cups", "unit": "ms", "target": "raw (tspl, zpl) against pdf, one cupsd",
               **{fmt: results[fmt] for fmt in FORMATS}}
    finally:
        if old_server is None:
            os.environ.pop("CUPS_SERVER", None)
        else:
            os.environ["CUPS_SERVER"] = old_server
        for sink in sinks.values():
            sink.close()
        cups.stop()
