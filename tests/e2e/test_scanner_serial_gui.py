"""``station --scanner serial:PTY``: the real command opens the GUI (offscreen) with a serial scanner,
played by a pseudo-terminal pair; what the scanner sends is in the scan log, once, whole."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import tty
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs Linux /proc to see the port open")


def has_open(pid: int, path: str) -> bool:
    try:
        return any(os.path.realpath(f"/proc/{pid}/fd/{fd}") == path for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


def wait_for(condition, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_station_with_a_serial_scanner_logs_each_scan_once(demo_url, tmp_path):
    db_file = demo_url.removeprefix("sqlite:///")
    product = sqlite3.connect(db_file).execute("SELECT code FROM barcode ORDER BY code LIMIT 1").fetchone()[0]
    master, slave = os.openpty()
    tty.setraw(master)
    port = os.ttyname(slave)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "STATION_SETTINGS": str(tmp_path / "station.ini"),
           "PYTHONPATH": str(ROOT)}
    gui = subprocess.Popen([sys.executable, "-m", "station.cli", "--db", demo_url, "--lang", "en",
                            "--scanner", f"serial:{port}:115200"], env=env, cwd=tmp_path,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: has_open(gui.pid, port) or gui.poll() is not None, 60, "the GUI to open the port")
        assert gui.poll() is None, gui.stdout.read().decode(errors="replace")
        time.sleep(0.3)
        os.write(master, b"U-1001\r\n")
        code = product.encode()
        os.write(master, code[:5])
        time.sleep(0.05)
        os.write(master, code[5:] + b"\r\n\xff\xfeAB\r")

        def logged():
            with sqlite3.connect(db_file) as con:
                return con.execute("SELECT raw, code FROM scan_event ORDER BY id").fetchall()

        wait_for(lambda: len(logged()) >= 3, 30, "three scans in the scan log")
        time.sleep(0.3)
        assert logged() == [("U-1001", "logged_in"), (product, "product_found"), ("\\xff\\xfeAB", "unreadable_scan")]
    finally:
        gui.terminate()
        gui.wait(15)
        os.close(master)
        os.close(slave)
