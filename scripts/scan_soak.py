"""The scan soak's Python half (scripts/scan-soak.sh runs it; see there).

  scan_soak.py prepare WORK N     fresh demo database + the orders the background batches print
  scan_soak.py drive WORK N       type N scans into the running app (DISPLAY), with dialogs in between
  scan_soak.py report WORK        compare typed scans with the scan log and the trace; print the line

Everything goes to files in WORK: typed.jsonl (what was typed, when, at which bench, with which
window in front), the app's trace.jsonl (STATION_SCAN_TRACE, station/ui/scan_trace.py), the
database soak.db, details.json (the report's particulars). Only the report's one line goes to stdout.
"""
from __future__ import annotations

import csv
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

STATION = "soak-1"
USER_BADGE, USER_NAME = "U-1004", "刘洋"  # supervisor: may work at every bench and print batches
SOAK_SHOP = "Soak 压测店"
BATCH_SIZE = 500
KEY_DELAY_MS = 5
SCAN_INTERVAL_S = 0.30  # from the start of one scan to the start of the next (a quick packer)
QUIET_TIMEOUT_S = 60.0  # at most this long before a bench switch or a dialog, for the app to take every scan
BENCH_KEYS = {"lookup": "F1", "pack": "F2", "handover": "F3", "receive": "F4", "count": "F5",
              "putaway": "F6", "returns": "F7"}
DIALOGS = [("outbox", "ctrl+p", "OutboxDialog"), ("orders", "ctrl+o", "OrdersWindow"),
           ("settings", "ctrl+comma", "SettingsDialog")]
IGNORED_WINDOWS = {"QTipLabel", "QMenu", "QComboBoxPrivateContainer",
                   "ScanOverlay"}  # the outcome laid over a dialog in front: the scan's own answer
P99_LIMIT_MS = 100.0
ESCAPE_KEY = 0x01000000  # Qt.Key_Escape, as the trace records key codes


# --- prepare ------------------------------------------------------------------------------
def prepare(work: Path, n: int) -> None:
    from station.db import open_database, unit_of_work
    from station.demo import build_demo
    from station.fulfilment.orders import import_orders
    from station.fulfilment.waybills import add_numbers, number_range

    url = f"sqlite:///{work / 'soak.db'}"
    engine, sessions = open_database(url)
    build_demo(sessions, sheet=work / "sheet.pdf", station=STATION, folder=work / "demo")
    batches = max(1, -(-n // 2500))  # one 500-order batch per 2,500 scans (at least one)
    con = sqlite3.connect(work / "soak.db")
    skus = [r[0] for r in con.execute("select sku from product where category='clothing' order by sku")]
    con.close()
    rng = random.Random(n)
    header = ["order_no", "shop", "buyer_account", "recipient", "phone", "province", "city", "district",
              "address", "courier", "sku", "qty", "gift", "paid_at", "buyer_message"]
    path = work / "soak-orders.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i in range(1, BATCH_SIZE * batches + 1):
            for sku in rng.sample(skus, k=1 + i % 3):
                w.writerow([f"SOAK-{i:05d}", SOAK_SHOP, f"soak_buyer{i}", "赵测试", "13812340000", "浙江省",
                            "杭州市", "西湖区", f"文三路{i}号", "SF", sku, 1, "",
                            f"2026-11-0{1 + i % 8} 09:{i % 60:02d}:00", ""])
    from station.inventory import ledger

    with unit_of_work(sessions) as s:  # enough stock that no soak order is held for it
        for i, sku in enumerate(skus):
            ledger.move(s, ledger.Move(sku, 20 * batches + 20, "ADJUSTMENT", f"C-04-05-0{1 + i % 3}", "opening"))
        s.commit()
    report = import_orders(sessions, path, "generic", user="demo")
    if not report.ok:
        raise SystemExit(f"soak orders: {report.as_dict()['rejected'][:3]}")
    with unit_of_work(sessions) as s:
        add_numbers(s, "SF", number_range("SF", 300000000000, BATCH_SIZE * batches + 100, 13))
        s.commit()
    engine.dispose()
    (work / "batches").write_text(str(batches))


# --- the scans --------------------------------------------------------------------------
class Mix:
    """Scans valid at each bench, from the demo data in the database."""

    def __init__(self, db: Path, seed: int) -> None:
        con = sqlite3.connect(db)
        self.rng = random.Random(seed)
        self.eans = [r[0] for r in con.execute("select code from barcode where pack_qty=1 order by code")]
        self.skus = [r[0] for r in con.execute("select sku from product order by sku")]
        self.bins = [r[0] for r in con.execute("select code from location where kind='stock' order by code")]
        self.demo_orders = [r[0] for r in con.execute(
            "select order_no from shop_order where order_no like 'DEMO-%' order by order_no")]
        self.order_items = {}
        for order_no, code, qty in con.execute(
                "select o.order_no, min(b.code), l.qty from order_line l join shop_order o on o.id=l.order_id "
                "join product p on p.sku=l.sku join barcode b on b.product_id=p.id and b.pack_qty=1 "
                "where o.order_no like 'DEMO-%' group by o.order_no, l.id order by o.order_no, l.line_no"):
            self.order_items.setdefault(order_no, []).extend([code] * qty)
        self.tracking = [r[0] for r in con.execute(
            "select tracking_no from waybill_number where courier='SF' order by tracking_no limit 400")]
        self.po_items = [r[0] for r in con.execute(
            "select min(b.code) from purchase_order_line l "
            "join barcode b on b.product_id=l.product_id and b.pack_qty=1 group by l.id")]
        con.close()
        self.next_order = 0
        self.queue: list[str] = []  # the rest of the current pack order

    def pick(self, items):
        return self.rng.choice(items)

    def scan(self, bench: str) -> str:
        r = self.rng.random()
        if r < 0.01:
            return USER_BADGE
        if r < 0.07:
            return "CMD-CONFIRM"
        if bench == "pack":
            if not self.queue:
                order = self.demo_orders[self.next_order % len(self.demo_orders)]
                self.next_order += 1
                self.queue = [f"PS:{order}", *self.order_items.get(order, [])]
            if r < 0.12 and self.queue[0] != "CMD-CONFIRM":  # a wrong item now and then, then CONFIRM
                self.queue.insert(0, "CMD-CONFIRM")
                return self.pick(self.eans)
            return self.queue.pop(0)
        if bench == "lookup":
            return self.pick([self.pick(self.eans), self.pick(self.skus), self.pick(self.bins),
                              f"PS:{self.pick(self.demo_orders)}", self.pick(self.tracking)])
        if bench == "handover":  # an error waits for CONFIRM there too (issue 17)
            return self.pick(self.tracking) if r < 0.6 else "CMD-CONFIRM" if r < 0.9 else self.pick(self.eans)
        if bench == "receive":
            return self.pick(["PO-DEMO-001", "PO-DEMO-002", *self.po_items, *self.po_items, "RECV-01"])
        if bench == "count":
            return self.pick(self.bins) if r < 0.4 else self.pick(self.eans)
        if bench == "putaway":
            return self.pick(self.eans) if r < 0.6 else self.pick(self.bins)
        if bench == "returns":
            return self.pick([f"RS:{self.pick(self.demo_orders)}", self.pick(self.tracking), self.pick(self.eans),
                              "RET-01", "QC-01"])
        raise ValueError(bench)


# --- the trace ----------------------------------------------------------------------------
class Trace:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.offset_ms = float("inf")  # X time + offset_ms = time.monotonic() * 1000
        self.last_key: tuple[float, float] | None = None
        self.last_tick = 0.0
        self.scans: list[dict] = []
        self.events: list[dict] = []

    def poll(self) -> None:
        if not self.path.exists():
            return
        with self.path.open("rb") as fh:
            fh.seek(self.offset)
            data = fh.read()
        end = data.rfind(b"\n") + 1
        self.offset += end
        for line in data[:end].splitlines():
            rec = json.loads(line)
            ev = rec["ev"]
            if ev == "scan":
                self.scans.append(rec)
            elif ev == "key":
                if rec.get("x"):
                    self.offset_ms = min(self.offset_ms, rec["seen"] * 1000.0 - rec["x"])
                    self.last_key = (rec["x"], rec["seen"])
                if rec.get("k") == ESCAPE_KEY:
                    self.events.append(rec)  # the driver closing a dialog
            elif ev == "tick":
                self.last_tick = rec["seen"]
            else:
                self.events.append(rec)

    def idle_after(self, start: float) -> bool:
        """The app saw keys typed after ``start`` and its event loop ran free for 0.7 s since the last key."""
        if self.last_key is None:
            return False
        x, seen = self.last_key
        return x + self.offset_ms >= start * 1000.0 and self.last_tick - seen >= 0.7

    def wait(self, pred, timeout: float) -> bool:
        end = time.monotonic() + timeout
        while True:
            self.poll()
            if pred():
                return True
            if time.monotonic() > end:
                return False
            time.sleep(0.02)

    def open_windows(self) -> dict[int, dict]:
        """Top-level windows shown now (by X id), the main window excepted."""
        shown: dict = {}
        for e in self.events:
            if e["ev"] == "shown" and not e.get("main") and e["window"] not in IGNORED_WINDOWS:
                shown[e["wid"]] = e
            elif e["ev"] == "hidden":
                shown.pop(e["wid"], None)
        return shown


def xdo(*args: str, check: bool = False) -> str:
    out = subprocess.run(["xdotool", *args], capture_output=True, text=True, check=check)
    return out.stdout.strip()


# --- drive --------------------------------------------------------------------------------
def drive(work: Path, n: int) -> None:
    trace = Trace(work / "trace.jsonl")
    app_pid = int(os.environ.get("SOAK_APP_PID", "0"))

    def app_gone() -> bool:
        if not app_pid:
            return False
        try:
            os.kill(app_pid, 0)
        except ProcessLookupError:
            return True
        return False

    if not trace.wait(lambda: app_gone() or any(e["ev"] == "shown" and e.get("main") for e in trace.events), 90) \
            or app_gone():
        raise SystemExit("the app's main window did not show within 90 s")
    main_wid = next(e["wid"] for e in trace.events if e["ev"] == "shown" and e.get("main"))
    xdo("windowsize", str(main_wid), "100%", "100%")
    xdo("windowfocus", "--sync", str(main_wid))
    time.sleep(1.0)
    mix = Mix(work / "soak.db", seed=n)
    typed_log = (work / "typed.jsonl").open("w", encoding="utf-8", buffering=1)
    benches = ["pack", "lookup", "pack", "handover", "receive", "pack", "count", "putaway", "returns"]
    rng = random.Random(n + 1)
    bench = "lookup"  # settings.ini starts the app there
    typed = 0
    segment_left = 0
    bench_i = -1
    dialog_i = 0
    next_dialog = rng.randint(12, 30)
    shots = {max(1, n // 3): "shot-1.png", max(2, 2 * n // 3): "shot-2.png"}
    dialog_shot_done = False
    focus = "main"

    last_start = [0.0]

    def quiet() -> bool:
        """Wait until the app answered every scan typed so far, or saw them all and is idle (some were lost)."""
        return trace.wait(lambda: len(trace.scans) >= typed or trace.idle_after(last_start[0]), QUIET_TIMEOUT_S)

    def type_scan(raw: str, where: str) -> None:
        nonlocal typed
        start = time.monotonic()
        xdo("type", "--delay", str(KEY_DELAY_MS), raw + "\r")  # CR: xdotool presses Return (LF is Linefeed)
        end = time.monotonic()
        last_start[0] = start
        typed_log.write(json.dumps({"i": typed, "raw": raw, "bench": bench, "focus": where, "start": start,
                                    "end": end}, ensure_ascii=False) + "\n")
        typed += 1
        rest = SCAN_INTERVAL_S - (time.monotonic() - start)
        if rest > 0:
            time.sleep(rest * rng.uniform(0.6, 1.4))

    def note(**rec) -> None:
        typed_log.write(json.dumps({"ev": "soak", "at": time.monotonic(), **rec}, ensure_ascii=False) + "\n")

    while typed < n:
        if segment_left == 0:  # next bench
            quiet()
            bench_i = (bench_i + 1) % len(benches)
            new = benches[bench_i]
            if new != bench:
                t0 = time.monotonic()
                xdo("key", BENCH_KEYS[new])
                bench = new
                switched = trace.wait(lambda: any(e["ev"] == "bench" and e["bench"] == new and e["seen"] > t0
                                                  for e in trace.events[-20:]), 3.0)
                note(switch=new, switched=switched)
            segment_left = rng.randint(10, 40) if new == "pack" else rng.randint(6, 20)
            if typed == 0 or rng.random() < 0.3:
                type_scan(USER_BADGE, focus)
                segment_left -= 1
                continue
        if typed >= next_dialog and n - typed > 4:  # open a dialog, scan behind it, close it
            name, keys, cls = DIALOGS[dialog_i % len(DIALOGS)]
            dialog_i += 1
            next_dialog = typed + rng.randint(12, 30)
            quiet()
            before = set(trace.open_windows())
            t_open = time.monotonic()
            xdo("key", keys)
            ok = trace.wait(lambda: any(w["window"] == cls for wid, w in trace.open_windows().items()
                                        if wid not in before), 8.0)
            note(dialog=name, opened=ok, at_open=t_open)
            wid = next((wid for wid, w in trace.open_windows().items() if w["window"] == cls), None)
            if wid:
                xdo("windowfocus", "--sync", str(wid))  # as a window manager gives a new window the focus
                time.sleep(0.3)
            for _ in range(rng.randint(2, 4)):
                type_scan(mix.scan(bench), name)
                segment_left = max(0, segment_left - 1)
            if not dialog_shot_done and wid:
                subprocess.run(["import", "-window", "root", str(work / f"shot-dialog-{name}.png")],
                               capture_output=True)
                dialog_shot_done = True
            quiet()
            # close what is open now (our dialog and whatever the scans opened), newest first
            for _round in range(4):
                open_now = trace.open_windows()
                if not open_now:
                    break
                for w_id in list(open_now)[::-1]:
                    xdo("windowfocus", "--sync", str(w_id))
                    xdo("key", "Escape")
                    time.sleep(0.3)
                trace.wait(lambda: not trace.open_windows(), 3.0)
            note(dialog_closed=name, left_open=[w["window"] for w in trace.open_windows().values()])
            xdo("windowfocus", "--sync", str(main_wid))
            time.sleep(0.2)
            continue
        type_scan(mix.scan(bench), "main")
        segment_left -= 1
        if typed in shots:
            subprocess.run(["import", "-window", "root", str(work / shots[typed])], capture_output=True)
    quiet()
    time.sleep(1.0)
    note(done=True)
    typed_log.close()
    for w_id in list(trace.open_windows())[::-1]:
        xdo("windowfocus", "--sync", str(w_id))
        xdo("key", "Escape")
    xdo("windowfocus", "--sync", str(main_wid))
    xdo("key", "ctrl+q")  # the trace writes the scans whose banner never painted


# --- report -------------------------------------------------------------------------------
def _percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


def report(work: Path) -> int:
    typed_rows, soak_notes = [], []
    for line in (work / "typed.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        (soak_notes if rec.get("ev") == "soak" else typed_rows).append(rec)
    trace = Trace(work / "trace.jsonl")
    trace.poll()
    con = sqlite3.connect(work / "soak.db")
    logged = [{"raw": r[0], "bench": r[1], "code": r[2]} for r in con.execute(
        "select raw, bench, code from scan_event where station=? order by id", (STATION,))]
    reprints = con.execute("select count(*) from print_job where reprint").fetchone()[0]
    retried = con.execute("select count(*) from print_job where attempts > 1").fetchone()[0]
    con.close()

    # Match typed with logged, in order: equal runs are delivered scans; the rest is lost or split.
    a, b = [t["raw"] for t in typed_rows], [g["raw"] for g in logged]
    matcher = SequenceMatcher(a=a, b=b, autojunk=False)
    matched: dict[int, int] = {}
    lost, split, merged, unknown = [], [], [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            matched.update({i1 + k: j1 + k for k in range(i2 - i1)})
            continue
        frags = list(range(j1, j2))
        for i in range(i1, i2):
            raw = a[i]
            mine = [j for j in frags if b[j] and b[j] in raw and b[j] != raw]
            if mine:
                split.append({"typed": raw, "bench": typed_rows[i]["bench"], "logged": [b[j] for j in mine]})
                frags = [j for j in frags if j not in mine]
            else:
                lost.append({"typed": raw, "bench": typed_rows[i]["bench"], "focus": typed_rows[i]["focus"], "i": i})
        for j in frags:  # logged but typed as no such scan: two scans run together, or garbage
            if any(a[i] in b[j] for i in range(i1, i2)) or len(b[j]) > max((len(x) for x in a[i1:i2]), default=0):
                merged.append(b[j])
            else:
                unknown.append(b[j])

    # A lost scan that reached the bench (the trace has it) was refused by the database, not by the capture.
    surplus = _count(x["raw"] for x in trace.scans)
    for g in logged:
        if surplus.get(g["raw"]):
            surplus[g["raw"]] -= 1
    for x in lost:
        x["reached_bench"] = bool(surplus.get(x["typed"]))
        if x["reached_bench"]:
            surplus[x["typed"]] -= 1

    misrouted = []
    for i, j in matched.items():
        if logged[j]["bench"] != typed_rows[i]["bench"]:
            misrouted.append({"typed": a[i], "typed_at": typed_rows[i]["bench"], "logged_at": logged[j]["bench"]})
    # Keys of a scan delivered into another window (a dialog got the scanner's keys).
    offset = trace.offset_ms if trace.offset_ms != float("inf") else 0.0

    def typed_at(x_ms) -> dict | None:
        """The typed scan whose keys xdotool was pressing at X time ``x_ms`` (the app may see them much later)."""
        if not x_ms:
            return None
        t_mono = (x_ms + offset) / 1000.0
        return next((t for t in typed_rows if t["start"] - 0.002 <= t_mono <= t["end"] + 0.002), None)

    into: dict[int, dict] = {}
    for e in trace.events:
        if e["ev"] == "delivered" and (t := typed_at(e.get("x"))) is not None:
            hit = into.setdefault(t["i"], {"typed": t["raw"], "focus": t["focus"], "window": e["window"], "keys": 0})
            hit["keys"] += 1
    into_dialog = list(into.values())
    misrouted_n = len(misrouted) + len(into_dialog)

    # Side effects of scanned characters: reprint/retry jobs, windows we did not open, dialogs a scan closed.
    ours = {cls for _n, _k, cls in DIALOGS}
    cls_of = {name: cls for name, _k, cls in DIALOGS}
    opens = [s for s in soak_notes if "dialog" in s]
    unexpected = []
    for e in trace.events:
        if e["ev"] != "shown" or e.get("main") or e["window"] in IGNORED_WINDOWS:
            continue
        expected = any(cls_of[o["dialog"]] == e["window"] and o["at_open"] <= e["seen"] <= o["at_open"] + 120.0
                       for o in opens)
        if not expected:
            unexpected.append({"window": e["window"], "seen": e["seen"]})
    closed_by_scan = []
    last_key = None
    for e in trace.events:
        if e["ev"] == "key":
            last_key = e
        if e["ev"] == "hidden" and e["window"] in ours:
            if last_key is not None and last_key.get("k") == ESCAPE_KEY:
                continue  # the driver's Escape closed it (right after its last scan)
            if any(t["start"] <= e["seen"] <= t["end"] + 0.5 and t["focus"] != "main" for t in typed_rows):
                closed_by_scan.append(e["window"])
    left_open = [w for s in soak_notes for w in s.get("left_open", [])]
    settings_changed = _settings_changed(work / "settings.before", work / "settings.ini")
    # A shortcut or action triggered while a scan was being typed (or just after its Enter): the scan's keys did it.
    by_scan = []
    for e in trace.events:
        if e["ev"] != "shortcut":
            continue
        t = typed_at(e.get("x"))
        if t is not None:
            by_scan.append({"typed": t["raw"], "focus": t["focus"], "keys": e["keys"], "action": e["name"],
                            "receiver": e["receiver"], "window": e["window"]})
    shortcuts = (max(len(by_scan), reprints + retried) + len(unexpected) + len(closed_by_scan)
                 + len(settings_changed))

    # Scan-to-banner: the first key's X time (on the monotonic clock) to the banner's paint.
    latencies, hidden, from_enter = [], [], []
    for s in trace.scans:
        if s.get("painted") is None:
            continue
        if s.get("last_key_x"):
            from_enter.append(s["painted"] * 1000.0 - (s["last_key_x"] + offset))
        if s.get("first_key_x"):
            start_ms = s["first_key_x"] + offset
        else:
            start_ms = (s.get("first_key_seen") or s["handled"]) * 1000.0
        latencies.append(s["painted"] * 1000.0 - start_ms)
        if s.get("active") not in (None, "MainWindow") and not s.get("overlay"):
            hidden.append({"raw": s["raw"], "active": s["active"]})
    p50, p99 = _percentile(latencies, 50), _percentile(latencies, 99)
    latency = {"n": len(latencies), "p50": p50, "p90": _percentile(latencies, 90), "p99": p99,
               "max": max(latencies, default=None)}
    enter = {"n": len(from_enter), "p50": _percentile(from_enter, 50), "p99": _percentile(from_enter, 99)}
    details = {
        "typed": len(a), "logged": len(b), "lost": lost, "split": split, "merged": merged,
        "unknown_logged": unknown, "misrouted_bench": misrouted, "keys_into_dialog": into_dialog,
        "reprint_jobs": reprints, "retried_jobs": retried, "shortcuts_by_scans": by_scan,
        "unexpected_windows": unexpected, "dialogs_closed_by_scan": closed_by_scan,
        "windows_left_open_after_escape": left_open, "settings_changed": settings_changed,
        "banner_not_in_front": hidden, "latency_ms": latency, "enter_to_banner_ms": enter,
        "x_to_monotonic_offset_ms": offset,
        "leaked_keys_to_main_window": sum(1 for e in trace.events if e["ev"] == "leaked"),
        "trace_scans_without_paint": sum(1 for s in trace.scans if s.get("painted") is None),
        "codes": _count(g["code"] for g in logged),
    }
    (work / "details.json").write_text(json.dumps(details, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"typed {len(a)}, logged {len(b)}, lost {len(lost)}, split {len(split) + len(merged) + len(unknown)}, "
          f"misrouted {misrouted_n}, shortcuts {shortcuts}, scan-to-banner p50 {p50:.0f} ms p99 {p99:.0f} ms")
    behind = sum(1 for x in lost if x["focus"] != "main")
    refused = sum(1 for x in lost if x["reached_bench"])
    print(f"scan-soak: details in {work / 'details.json'}:\n"
          f"  lost {len(lost)} (typed behind a dialog {behind}; reached the bench, not logged {refused})\n"
          f"  split {len(split)}, merged {len(merged)}, logged text typed as no scan {len(unknown)}\n"
          f"  misrouted to another bench {len(misrouted)}, scans with keys delivered into a dialog {len(into_dialog)}\n"
          f"  shortcuts/actions triggered by scanned keys {len(by_scan)}, reprint jobs {reprints}, "
          f"retried jobs {retried}, windows opened by scans {len(unexpected)}, dialogs closed by a scan "
          f"{len(closed_by_scan)}, settings changed {len(settings_changed)}\n"
          f"  outcome banner not in front {len(hidden)}\n"
          f"  first key to banner: n {len(latencies)} p50 {p50:.0f} p90 {latency['p90']:.0f} p99 {p99:.0f} "
          f"max {latency['max'] or 0:.0f} ms; Enter key to banner: p50 {enter['p50']:.0f} p99 {enter['p99']:.0f} ms",
          file=sys.stderr)
    bad = lost or split or merged or unknown or misrouted_n or shortcuts or not latencies or not p99 <= P99_LIMIT_MS
    return 1 if bad or len(a) != len(typed_rows) else 0


def _settings_changed(before: Path, after: Path) -> dict:
    """Settings the soak's keys changed (the bench in use is the soak's own doing)."""
    import configparser

    def read(path: Path) -> dict:
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(path, encoding="utf-8")
        return {f"{sec}/{k}": v for sec in parser.sections() for k, v in parser[sec].items()}

    old, new = read(before), read(after)
    return {k: [old.get(k), new.get(k)] for k in sorted(set(old) | set(new))
            if k not in ("General/last_bench",) and old.get(k) != new.get(k)}


def _count(items) -> dict:
    out: dict = {}
    for item in items:
        out[item] = out.get(item, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def main(argv: list[str]) -> int:
    cmd, work = argv[1], Path(argv[2])
    if cmd == "prepare":
        prepare(work, int(argv[3]))
        return 0
    if cmd == "drive":
        drive(work, int(argv[3]))
        return 0
    if cmd == "report":
        return report(work)
    raise SystemExit(f"unknown command {cmd}")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
