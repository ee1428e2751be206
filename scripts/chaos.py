#!/usr/bin/env python3
"""Fault drills against real `station replay` processes, on SQLite and a throwaway PostgreSQL 15.

Each drill prints one line: trials, lost (a scan whose outcome was shown but is not in the
scan log), half-written (the ledger disagrees with itself or with the parcels, an order
packed without a closed parcel, two open receipts for one PO), double-booked (a PO received
past its tolerance with no supervisor), double-printed (one print job sent to the printer
twice), stalled (a scan at another bench refused because printing held the database),
died (a station process that exited on its own, or whose output was not valid UTF-8 JSON).

    scripts/chaos.sh [--db sqlite|postgresql|both] [--only DRILL ...] [--trials N] [--scans N]

Drills: kill9 (kill -9 at random moments of packing, parcel closes and printing included),
outage (PostgreSQL only: the server stopped with -m immediate for 6 s under 8 pack
stations), receipt (two receive stations on one PO at once), printer (SQLite: a CUPS that
accepts and never answers, while a lookup bench works on the same file), fuzz (N fuzzed
scans per bench, invalid UTF-8 included).

The printer is a fake `lp`/`lpstat` pair on PATH (what a CUPS queue answers: accepted jobs
listed by `lpstat -W all -o` with their titles), so every job sent is counted exactly.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("STATION_LANG", "en")

STATION = Path(sys.executable).parent / "station"
N_SKUS = 40
PACKERS = 8
ALL_ROLES = "packer;receiver;counter;returns;supervisor"
BENCHES = ["lookup", "pack", "handover", "receive", "putaway", "count", "returns"]

FAKE_LP = r"""#!/usr/bin/env python3
# A CUPS queue as `lp` sees it: accepts the job (after LP_DELAY seconds), logs its title, answers
# "request id is QUEUE-N". LP_HANG=1: accepts the connection and never answers.
import fcntl, os, sys, time
log = os.environ["CHAOS_LP_LOG"]
if os.environ.get("CHAOS_LP_HANG") == "1":
    time.sleep(3600)
args = sys.argv[1:]
title = args[args.index("-t") + 1] if "-t" in args else ""
queue = args[args.index("-d") + 1] if "-d" in args else "chaos"
data = sys.stdin.buffer.read()
time.sleep(float(os.environ.get("CHAOS_LP_DELAY", "0")))
with open(log, "a") as f:
    fcntl.flock(f, fcntl.LOCK_EX)
    n = sum(1 for _ in open(log)) + 1
    f.write(f"{queue}-{n}\t{title}\t{len(data)}\n")
    f.flush()
print(f"request id is {queue}-{n} (0 file(s))")
"""

FAKE_LPSTAT = r"""#!/usr/bin/env python3
# `lpstat -p QUEUE`: the queue is idle and enabled. `lpstat -W ... -o [QUEUE]` / `-l`: the jobs `lp` took.
import os, sys, time
log = os.environ["CHAOS_LP_LOG"]
if os.environ.get("CHAOS_LP_HANG") == "1":
    time.sleep(3600)
args = sys.argv[1:]
if "-p" in args:
    q = args[args.index("-p") + 1] if args.index("-p") + 1 < len(args) else "chaos"
    print(f"printer {q} is idle.  enabled since Thu 03 Dec 2026 10:00:00 AM UTC")
    sys.exit(0)
if "-o" in args or "-W" in args:
    for line in open(log) if os.path.exists(log) else []:
        job, title, size = line.rstrip("\n").split("\t")
        print(f"{job:<22} root {size:>12}   Thu 03 Dec 2026 10:00:00 AM UTC")
        if "-l" in args:
            print(f"\tStatus: the printer is idle.\n\tAlerts: job-completed-successfully\n\tqueued for chaos\n"
                  f"\tjob-name: {title}")
    sys.exit(0)
print(f"scheduler is running")
"""


@dataclass
class Result:
    drill: str
    db: str
    trials: int = 0
    lost: int = 0
    half_written: int = 0
    double_booked: int = 0
    double_printed: int = 0
    stalled: int = 0
    died: int = 0
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = (f"{self.drill:<8} {self.db:<10} trials={self.trials:<5} lost={self.lost} "
                f"half-written={self.half_written} double-booked={self.double_booked} "
                f"double-printed={self.double_printed} stalled={self.stalled} died={self.died}")
        return text + (f"  ({'; '.join(self.notes)})" if self.notes else "")


# --- the warehouse -----------------------------------------------------------------------

def code_of(n: int) -> str:
    return f"CH{n:04d}"


def build(url: str, folder: Path, *, orders: int, po_qty: int = 50, pos: int = 10) -> None:
    """Products, bins, stock, users, waybill pools, orders, POs; the printer is the fake CUPS queue."""
    from station.catalog.couriers import seed_couriers
    from station.db import open_database, unit_of_work
    from station.fulfilment.orders import import_orders
    from station.fulfilment.waybills import add_numbers, number_range
    from station.inbound.purchasing import import_po
    from station.inventory import ledger
    from station.settings import Setting
    from tests.support import factories as f

    engine, sessions = open_database(url)
    seed_couriers(sessions)
    with unit_of_work(sessions) as s:
        f.location(s, "A-01-01-01")
        f.location(s, "A-01-01-02")
        f.location(s, "PACK-01", "packing")
        f.location(s, "RECV-01", "receiving")
        f.location(s, "QC-01", "quarantine")
        f.location(s, "RET-01", "returns")
        for n in range(N_SKUS):
            f.product(s, f"CH-{n:04d}", code_of(n), name=f"演练商品{n}")
        s.flush()
        for n in range(N_SKUS):
            ledger.move(s, ledger.Move(f"CH-{n:04d}", 100000, "ADJUSTMENT", "A-01-01-01", "opening"))
        for i in range(PACKERS):
            f.user(s, f"packer{i}", f"U-P{i}", "packer")
        for i in range(2):
            f.user(s, f"receiver{i}", f"U-R{i}", "receiver")
        f.user(s, "chief", "U-CHIEF", ALL_ROLES)
        add_numbers(s, "SF", number_range("SF", 300000000000, orders * 3 + 50, 13))
        s.add(Setting(key="printer.default", value="cups:chaos"))
        for key, value in {"sender.name": "演练仓库", "sender.phone": "0571-88886666", "sender.province": "浙江省",
                           "sender.city": "杭州市", "sender.district": "余杭区", "sender.street": "文一西路1号"}.items():
            s.add(Setting(key=key, value=value))
        s.commit()
    rows = []
    for n in range(orders):
        skus = [(n * 7 + k) % N_SKUS for k in range(1 + n % 3)]
        rows += [f"R{n:05d},收件人{n},1380000{n % 10000:04d},浙江省,杭州市,文三路{n}号,SF,CH-{k:04d},{1 + (n + k) % 2}\n"
                 for k in skus]
    path = folder / "orders.csv"
    path.write_text("order_no,recipient,phone,province,city,address,courier,sku,qty\n" + "".join(rows),
                    encoding="utf-8")
    import_orders(sessions, path, "generic", user="chief")
    path = folder / "po.csv"
    path.write_text("po_no,supplier,sku,qty\n" + "".join(f"PO-CH-{p:03d},演练供应商,CH-{p % N_SKUS:04d},{po_qty}\n"
                                                         for p in range(pos)), encoding="utf-8")
    import_po(sessions, path, user="chief")
    engine.dispose()


def order_scans(url: str, first: int, count: int) -> list[list[str]]:
    """The scans that pack each order: its slip, then every unit."""
    from sqlalchemy import select

    from station.db import open_database, unit_of_work
    from station.fulfilment.models import Order

    engine, sessions = open_database(url)
    out = []
    with unit_of_work(sessions) as s:
        for n in range(first, first + count):
            order = s.scalar(select(Order).where(Order.order_no == f"R{n:05d}"))
            scans = [f"PS:R{n:05d}"]
            for line in order.lines:
                scans += [code_of(int(line.sku.split("-")[1]))] * line.qty
            out.append(scans)
    engine.dispose()
    return out


def check(url: str) -> tuple[int, list[str]]:
    """Half-written things: ledger problems, packing stock that no closed parcel explains,
    packed orders without a closed parcel, POs with two open receipts."""
    from sqlalchemy import func, select

    from station.db import open_database, unit_of_work
    from station.fulfilment.models import Order, Parcel, ParcelItem
    from station.inbound.models import Receipt
    from station.inventory import ledger

    engine, sessions = open_database(url)
    bad, notes = 0, []
    with unit_of_work(sessions) as s:
        problems = ledger.verify(s)
        if problems:
            bad += len(problems)
            notes.append(f"ledger: {problems[:2]}")
        packed = Counter()
        for sku, qty in s.execute(select(ParcelItem.sku, func.sum(ParcelItem.qty)).join(Parcel)
                                  .where(Parcel.status.in_(("closed", "shipped"))).group_by(ParcelItem.sku)):
            packed[sku] = int(qty)
        for n in range(N_SKUS):
            sku = f"CH-{n:04d}"
            if ledger.on_hand(s, sku, "PACK-01") != packed[sku]:
                bad += 1
                notes.append(f"{sku}: {ledger.on_hand(s, sku, 'PACK-01')} at PACK-01, {packed[sku]} in parcels")
        orphan = s.scalar(select(func.count()).select_from(Order).where(
            Order.status == "packed", ~Order.parcels.any(Parcel.status.in_(("closed", "shipped")))))
        if orphan:
            bad += orphan
            notes.append(f"{orphan} packed orders without a closed parcel")
        twice = s.scalar(select(func.count()).select_from(
            select(Receipt.po_id).where(Receipt.status == "open", Receipt.po_id.is_not(None))
            .group_by(Receipt.po_id).having(func.count() > 1).subquery()))
        if twice:
            bad += twice
            notes.append(f"{twice} POs with two open receipts")
    engine.dispose()
    return bad, notes


def logged_scans(url: str, station: str) -> int:
    from sqlalchemy import func, select

    from station.audit.models import ScanEvent
    from station.db import open_database, unit_of_work

    engine, sessions = open_database(url)
    with unit_of_work(sessions) as s:
        n = s.scalar(select(func.count()).select_from(ScanEvent).where(ScanEvent.station == station))
    engine.dispose()
    return int(n)


def printed_twice(log: Path) -> int:
    """Jobs whose title names one Station print job and attempt that the printer took more than once."""
    if not log.exists():
        return 0
    titles = Counter()
    for line in log.read_text().splitlines():
        _job, title, _size = line.split("\t")
        found = re.search(r"station-job-(\d+)", title)
        if found:
            titles[found.group(1)] += 1
    return sum(n - 1 for n in titles.values() if n > 1)


# --- a station process -------------------------------------------------------------------

class Station:
    """`station replay BENCH` fed line by line; outcomes collected as they come."""

    def __init__(self, url: str, bench: str, user: str, name: str, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen([str(STATION), "--db", url, "replay", bench, "--user", user, "--station", name],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.outcomes: list[dict] = []
        self.garbled = 0
        self.stderr = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._err = threading.Thread(target=self._read_err, daemon=True)
        self._err.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            if not line.endswith(b"\n"):
                break  # a line cut by kill -9: never shown, so not a confirmed scan
            try:
                self.outcomes.append(json.loads(line.decode("utf-8")) | {"_t": time.monotonic()})
            except (UnicodeDecodeError, json.JSONDecodeError):
                self.garbled += 1

    def _read_err(self) -> None:
        self.stderr = self.proc.stderr.read()

    def wait_for(self, n: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while len(self.outcomes) < n and time.monotonic() < deadline and self.proc.poll() is None:
            time.sleep(0.01)
        return len(self.outcomes) >= n

    def send(self, line: bytes | str) -> bool:
        data = line if isinstance(line, bytes) else line.encode("utf-8")
        try:
            self.proc.stdin.write(data.rstrip(b"\n") + b"\n")
            self.proc.stdin.flush()
            return True
        except (BrokenPipeError, OSError):
            return False

    def close(self, timeout: float = 600) -> int:
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        code = self.proc.wait(timeout=timeout)
        self._reader.join(10)
        self._err.join(10)
        return code

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self._reader.join(10)
        self._err.join(10)

    def confirmed(self) -> int:
        """Outcomes shown that must be in the scan log (the ones that say nothing was saved excepted)."""
        return sum(1 for o in self.outcomes if o["code"] not in ("database_unavailable", "station_error"))


def station_env(folder: Path, fake_printer: bool = True, **extra: str) -> dict[str, str]:
    bin_dir = folder / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, text in (("lp", FAKE_LP), ("lpstat", FAKE_LPSTAT)) if fake_printer else ():
        path = bin_dir / name
        path.write_text(text)
        path.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "PYTHONPATH": str(ROOT),
           "CHAOS_LP_LOG": str(folder / "lp.log"), "STATION_LANG": "en",
           "XDG_DATA_HOME": str(folder / "data"), "XDG_CONFIG_HOME": str(folder / "config")}
    env.update(extra)
    return env


# --- drills ------------------------------------------------------------------------------

class RealCups:
    """The tests' private cupsd with a cups-pdf queue (tests/e2e/test_cups.py), when this PC can run one."""

    def __init__(self) -> None:
        from tests.e2e.test_cups import CupsServer

        self.server = CupsServer()
        self.server.start()
        self.queue = self.server.queue

    def taken_twice(self) -> tuple[int, int]:
        """(jobs CUPS took, attempts of one Station job that CUPS took more than once)."""
        from station.outbox.cups import _TAKEN_STATES, _post, get_jobs_request, parse_jobs

        os.environ["CUPS_SERVER"] = self.server.server
        _status, jobs = parse_jobs(_post(f"/printers/{self.queue}", get_jobs_request(self.queue)))
        per_job = Counter()
        for job in jobs:
            found = re.match(r"station-job-(\d+)-", str(job.get("job-name") or ""))
            if found and job.get("job-state") in _TAKEN_STATES:
                per_job[found.group(1)] += 1
        self.duplicates = sorted(job for job, n in per_job.items() if n > 1)
        names = {3: "pending", 4: "held", 5: "processing", 6: "stopped", 7: "canceled", 8: "aborted",
                 9: "completed"}
        self.states = Counter(names.get(job.get("job-state"), str(job.get("job-state"))) for job in jobs)
        return len(jobs), sum(n - 1 for n in per_job.values() if n > 1)

    def close(self) -> None:
        self.server.stop()


def set_printer(url: str, destination: str) -> None:
    from station.db import open_database, unit_of_work
    from station.settings import Setting

    engine, sessions = open_database(url)
    with unit_of_work(sessions) as s:
        s.merge(Setting(key="printer.default", value=destination))
        s.commit()
    engine.dispose()


def unprinted(url: str) -> Counter:
    from sqlalchemy import func, select

    from station.db import open_database, unit_of_work
    from station.outbox.models import PrintJob

    engine, sessions = open_database(url)
    with unit_of_work(sessions) as s:
        found = Counter(dict(s.execute(select(PrintJob.status, func.count()).group_by(PrintJob.status)).all()))
    engine.dispose()
    return found


def drill_kill9(url: str, db: str, folder: Path, trials: int, real_cups: bool) -> Result:
    """Pack with kill -9 at a random moment; the next process on the same station carries on."""
    cups = RealCups() if real_cups else None  # a cupsd of its own: its job list is this drill's alone
    try:
        return _kill9(url, db, folder, trials, cups)
    finally:
        if cups is not None:
            cups.close()


def _kill9(url: str, db: str, folder: Path, trials: int, cups: "RealCups | None") -> Result:
    res = Result("kill9", db)
    rng = random.Random(9)
    env = station_env(folder, fake_printer=cups is None, CHAOS_LP_DELAY="0.2")
    if cups is not None:
        set_printer(url, f"cups:{cups.queue}")
        env["CUPS_SERVER"] = cups.server.server
    per_trial = 4
    scripts = order_scans(url, 0, trials * per_trial)
    codes = Counter()
    for t in range(trials):
        name = f"K{t % 3}"
        before = logged_scans(url, name)
        st = Station(url, "pack", f"packer{t % PACKERS}", name, env)
        st.send("CMD-CANCEL")  # the clock starts once the station answers (start-up is not the drill)
        if not st.wait_for(1, timeout=120):
            res.died += 1
            res.notes.append(f"no answer: {st.stderr[-300:]!r}")
        deadline = time.monotonic() + rng.uniform(0.2, 6.0)
        lines = [x for order in scripts[t * per_trial:(t + 1) * per_trial] for x in order]
        for line in lines:
            if time.monotonic() > deadline or not st.send(line):
                break
            time.sleep(rng.uniform(0.0, 0.05))
        while time.monotonic() < deadline and st.proc.poll() is None:
            time.sleep(0.01)
        if st.proc.poll() is not None:
            res.died += 1
            res.notes.append(f"exited by itself: {st.stderr[-300:]!r}")
        st.kill()
        codes.update(o["code"] for o in st.outcomes)
        res.trials += 1
        res.died += st.garbled
        res.lost += max(0, st.confirmed() - (logged_scans(url, name) - before))
    # every interrupted station must start again where it was, and print what it had queued; a job
    # a kill left half-sent is looked up in CUPS once it is older than any send (outbox.SENDING_STALE_S)
    from station.outbox import SENDING_STALE_S

    time.sleep(SENDING_STALE_S + 2)
    for k in range(3):
        st = Station(url, "pack", "packer0", f"K{k}", env)
        st.send("CMD-CANCEL")
        if st.close(timeout=120) != 0:
            res.died += 1
            res.notes.append(f"restart failed: {st.stderr[-300:]!r}")
    half, notes = check(url)
    res.half_written += half
    res.notes += notes
    if cups is not None:
        taken, twice = cups.taken_twice()
        res.double_printed = twice
        printer = f"real cupsd, {taken} jobs sent: {dict(cups.states)}"
    else:
        res.double_printed = printed_twice(folder / "lp.log")
        log = folder / "lp.log"
        printer = f"fake lp, {len(log.read_text().splitlines()) if log.exists() else 0} jobs taken"
    jobs = unprinted(url)
    res.notes.append(f"{res.trials} kills, {codes['order_packed']} orders packed, {printer}, "
                     f"print jobs {dict(jobs)}")
    return res


def drill_outage(url: str, db: str, folder: Path, server, seconds: float = 6.0) -> Result:
    """8 pack stations; the PostgreSQL server stopped with -m immediate, started again after `seconds`."""
    res = Result("outage", db, trials=PACKERS)
    env = station_env(folder)
    per_station = 12
    first = 1000
    scripts = order_scans(url, first, PACKERS * per_station)
    stations = [Station(url, "pack", f"packer{i}", f"O{i}", env) for i in range(PACKERS)]
    for st in stations:  # every station up and answering before the drill starts
        st.send("CMD-CANCEL")
    for i, st in enumerate(stations):
        if not st.wait_for(1, timeout=180):
            res.died += 1
            res.notes.append(f"O{i} never answered: {st.stderr[-200:]!r}")
    feeders = []
    restarted_at = [0.0]

    def feed(i: int) -> None:
        lines = [x for order in scripts[i * per_station:(i + 1) * per_station] for x in order]
        start = time.monotonic()
        for n, line in enumerate(lines):
            if not stations[i].send(line):
                return
            time.sleep(0.12)
        # after the last order, keep checking the bench answers until 4 s after the restart
        while time.monotonic() - start < 30 and (not restarted_at[0] or time.monotonic() < restarted_at[0] + 4):
            stations[i].send("CMD-CANCEL")
            time.sleep(0.2)

    for i in range(PACKERS):
        feeders.append(threading.Thread(target=feed, args=(i,)))
        feeders[-1].start()
    time.sleep(2.0)
    server.stop_immediately()
    stopped_at = time.monotonic()
    time.sleep(seconds)
    server.start_again()
    restarted_at[0] = time.monotonic()
    for th in feeders:
        th.join()
    unavailable = 0
    for i, st in enumerate(stations):
        code = st.close(timeout=300)
        unavailable += sum(1 for o in st.outcomes if o["code"] == "database_unavailable")
        if code != 0:
            res.died += 1
            res.notes.append(f"O{i} exit {code}: {st.stderr[-200:]!r}")
        res.died += st.garbled
        after = [o for o in st.outcomes if o["_t"] > restarted_at[0] + 1.0]
        if not after or after[-1]["code"] in ("database_unavailable", "station_error"):
            res.died += 1
            res.notes.append(f"O{i} did not recover: last {after[-1]['code'] if after else 'nothing'}")
        during = [o for o in st.outcomes if stopped_at < o["_t"] < restarted_at[0]]
        if not during:  # a station must answer (database_unavailable) while the server is gone
            res.stalled += 1
            before = [o for o in st.outcomes if o["_t"] <= stopped_at]
            after = [o for o in st.outcomes if o["_t"] >= restarted_at[0]]
            res.notes.append(f"O{i} answered nothing during the outage (last before: "
                             f"{before[-1]['code'] if before else '-'} {stopped_at - before[-1]['_t'] if before else 0:.1f} s "
                             f"before; first after: {after[0]['code'] if after else '-'} "
                             f"{after[0]['_t'] - restarted_at[0] if after else 0:.1f} s after)")
        errors = sum(1 for o in st.outcomes if o["code"] == "station_error")
        if errors:
            res.notes.append(f"O{i}: {errors} station_error")
        res.lost += max(0, st.confirmed() - logged_scans(url, f"O{i}"))
    res.notes.append(f"{unavailable} scans answered database_unavailable, "
                     f"{sum(len(st.outcomes) for st in stations)} in all")
    half, notes = check(url)
    res.half_written += half
    res.notes += notes
    return res


def drill_receipt(url: str, db: str, folder: Path, trials: int) -> Result:
    """Two receive stations scan one PO and its 50 units at the same moment."""
    from sqlalchemy import func, select

    from station.db import open_database, unit_of_work
    from station.inbound.models import PurchaseOrder, Receipt, ReceiptLine
    from station.inbound.receiving import allowed_over, over_tolerance_pct

    res = Result("receipt", db)
    env = station_env(folder)
    for t in range(trials):
        po = f"PO-CH-{t:03d}"
        code = code_of(t % N_SKUS)
        lines = [po] + [code] * 45 + ["CMD-CONFIRM"]
        stations = [Station(url, "receive", f"receiver{i}", f"D{t}-{i}", env) for i in range(2)]

        def feed(st: Station) -> None:
            for line in lines:
                st.send(line)

        threads = [threading.Thread(target=feed, args=(st,)) for st in stations]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        for st in stations:
            if st.close(timeout=300) != 0:
                res.died += 1
                res.notes.append(f"exit: {st.stderr[-200:]!r}")
            res.died += st.garbled
            res.lost += max(0, st.confirmed() - logged_scans(url, st.proc.args[-1]))
        engine, sessions = open_database(url)
        with unit_of_work(sessions) as s:
            po_row = s.scalar(select(PurchaseOrder).where(PurchaseOrder.po_no == po))
            ordered = sum(line.qty for line in po_row.lines)
            received = s.scalar(select(func.coalesce(func.sum(ReceiptLine.received), 0)).join(Receipt)
                                .where(Receipt.po_id == po_row.id, ReceiptLine.approved_by.is_(None)))
            limit = ordered + allowed_over(ordered, over_tolerance_pct(s))
            receipts = s.scalar(select(func.count()).select_from(Receipt).where(Receipt.po_id == po_row.id))
        engine.dispose()
        res.trials += 1
        if received > limit:
            res.double_booked += 1
            res.notes.append(f"{po}: {received} received of {ordered} (limit {limit}) in {receipts} receipts")
    half, notes = check(url)
    res.half_written += half
    res.notes += notes
    return res


def drill_printer(url: str, db: str, folder: Path) -> Result:
    """A CUPS that accepts and never answers: a pack station prints, a lookup bench keeps working."""
    res = Result("printer", db, trials=1)
    env = station_env(folder, CHAOS_LP_HANG="1")
    scripts = order_scans(url, 2000, 3)
    packer = Station(url, "pack", "packer7", "H-pack", env)
    sent = [x for order in scripts for x in order]
    for line in sent:
        packer.send(line)
    time.sleep(1.0)
    looker = Station(url, "lookup", "chief", "H-look", env)
    for n in range(60):
        looker.send(code_of(n % N_SKUS))
        time.sleep(0.1)
    code = looker.close(timeout=120)
    if code != 0:
        res.died += 1
    res.trials = 60
    res.stalled = sum(1 for o in looker.outcomes if o["code"] in ("database_unavailable", "station_error"))
    shown = sum(1 for o in packer.outcomes)
    res.stalled += len(sent) - shown  # the packing station itself must not wait for its printer
    res.notes.append(f"packer answered {shown} of {len(sent)} scans while its printer hung")
    packer.kill()
    res.lost += max(0, looker.confirmed() - logged_scans(url, "H-look"))
    return res


def fuzz_lines(rng: random.Random, n: int) -> list[bytes]:
    real = [code_of(k).encode() for k in range(N_SKUS)] + [b"PS:R00010", b"PO-CH-005", b"A-01-01-01",
                                                          b"PACK-01", b"RECV-01", b"U-P1", b"U-CHIEF", b"SF300000000017"]
    commands = [f"CMD-{c}".encode() for c in ("CONFIRM", "DONE", "CANCEL", "UNDO", "SHORT", "REPRINT", "NEW-PARCEL",
                                             "APPROVE", "LOGOUT", "CLOSE")]
    out = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.25:
            line = rng.choice(real)
        elif kind < 0.35:
            line = rng.choice(commands)
        elif kind < 0.55:
            line = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40)))
        elif kind < 0.7:
            line = "".join(chr(rng.choice([rng.randrange(32, 127), rng.randrange(0x4e00, 0x9fff),
                                            rng.randrange(0, 32), 0x1d, 0x3000, 0xff10 + rng.randrange(10)]))
                           for _ in range(rng.randrange(1, 30))).encode("utf-8", "surrogatepass")
        elif kind < 0.8:
            line = (rng.choice(["QTY:", "EXCHANGE:", "PS:", "PO-", "]C1", "01", "(01)"]) +
                    str(rng.randrange(10 ** rng.randrange(1, 25)))).encode()
        elif kind < 0.9:
            line = rng.choice(real) + bytes([rng.randrange(128, 256)]) + rng.choice(real)
        else:
            line = b"X" * rng.randrange(100, 5000)
        out.append(line.replace(b"\n", b" ").replace(b"\r", b" "))
    return out


def drill_fuzz(url: str, db: str, folder: Path, scans: int) -> Result:
    res = Result("fuzz", db)
    env = station_env(folder)
    rng = random.Random(5000)
    for bench in BENCHES:
        name = f"F-{bench}"
        st = Station(url, bench, "chief", name, env)
        for line in fuzz_lines(rng, scans):
            if not st.send(line):
                break
        code = st.close(timeout=1800)
        res.trials += scans
        if code != 0 or len(st.outcomes) != scans:
            res.died += 1
            res.notes.append(f"{bench}: exit {code}, {len(st.outcomes)} of {scans} answered: {st.stderr[-300:]!r}")
        res.died += st.garbled
        errors = Counter(o["code"] for o in st.outcomes if o["code"] in ("station_error",))
        if errors:
            res.notes.append(f"{bench}: {dict(errors)}")
            res.died += sum(errors.values())
        res.lost += max(0, st.confirmed() - logged_scans(url, name))
    half, notes = check(url)
    res.half_written += half
    res.notes += notes
    return res


# --- databases ---------------------------------------------------------------------------

class Server:
    """The throwaway PostgreSQL of the tests, with the two moves the outage drill needs."""

    def __init__(self) -> None:
        from tests.support.pg import ThrowawayPostgres

        # synchronous_commit on, as on a real server: an immediate stop must not lose commits
        self.pg = ThrowawayPostgres(extra_options={"synchronous_commit": "on"}).start()
        self._n = 0

    def new_database(self) -> str:
        self._n += 1
        return self.pg.create_database(f"chaos_{self._n}")

    def stop_immediately(self) -> None:
        self.pg._run(str(self.pg.bindir / "pg_ctl"), "-D", str(self.pg.data_dir), "-m", "immediate", "-w", "stop",
                     timeout=60)

    def start_again(self) -> None:
        self.pg._pg_ctl_start()

    def close(self) -> None:
        self.pg.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--only", nargs="*", choices=["kill9", "outage", "receipt", "printer", "fuzz"])
    parser.add_argument("--trials", type=int, default=20, help="kill -9 trials (receipt: a quarter of it, >= 5)")
    parser.add_argument("--scans", type=int, default=5000, help="fuzzed scans per bench")
    parser.add_argument("--fake-cups", action="store_true",
                        help="kill9: a fake lp instead of a private cupsd with a cups-pdf queue (which needs root)")
    args = parser.parse_args()
    drills = args.only or ["kill9", "outage", "receipt", "printer", "fuzz"]
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    server = Server() if "postgresql" in dbs else None
    real_cups = os.geteuid() == 0 and not args.fake_cups
    results = []
    failed = False
    try:
        with tempfile.TemporaryDirectory(prefix="station-chaos-") as tmp:
            for db in dbs:
                for drill in drills:
                    if (drill == "outage" and db != "postgresql") or (drill == "printer" and db != "sqlite"):
                        continue
                    folder = Path(tmp) / f"{db}-{drill}"
                    folder.mkdir()
                    url = f"sqlite:///{folder / 'station.db'}" if db == "sqlite" else server.new_database()
                    build(url, folder, orders=max(args.trials * 4 + 10, 2200))
                    started = time.monotonic()
                    if drill == "kill9":
                        res = drill_kill9(url, db, folder, args.trials, real_cups)
                    elif drill == "outage":
                        res = drill_outage(url, db, folder, server)
                    elif drill == "receipt":
                        res = drill_receipt(url, db, folder, max(args.trials // 4, 5))
                    elif drill == "printer":
                        res = drill_printer(url, db, folder)
                    else:
                        res = drill_fuzz(url, db, folder, args.scans)
                    res.notes.append(f"{time.monotonic() - started:.0f} s")
                    print(res.line(), flush=True)
                    results.append(res)
                    failed |= any((res.lost, res.half_written, res.double_booked, res.double_printed, res.stalled,
                                   res.died))
    finally:
        if server:
            server.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
