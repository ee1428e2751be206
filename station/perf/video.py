"""What recording a pack video costs the scans (issue 18), for ``station bench --only video``.

The pack bench's orders are packed through ``BenchRunner.process`` (the path of the GUI and
replay), alternately without and with a recording: for a recorded order the station's side of the
recorder is called as the GUI calls it (``start`` when the order opens, a ``caption`` after every
scan, ``stop`` when the parcel closes), and those calls are inside the timed part. The camera is a
generated 640x480 test video played by the recorder process at its frame rate. Scans come at a
steady pace (``PACE_S`` apart, untimed), so the recorder encodes while the next scans are handled,
as at a real bench. Alternating orders means a change in the machine's load falls on both halves.

Figures: pack scan p50/p99 without and with recording and their difference (the target: p99 with
recording within 5 ms of without); the clip size per parcel and per second of video; the recorder
process's CPU (its own user+system time from /proc) as a share of one core and of the machine.
"""
from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from station.db import open_database, unit_of_work

PACE_S = 0.1  # between two scans of the packer (untimed)


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` (Linux /proc), None where there is no /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _ms(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * q))] * 1000, 2)


def video_figure(url: str, folder: Path, orders: int, pace_s: float = PACE_S) -> dict:
    from station.fulfilment.recipient_keys import warm_up
    from station.perf.pack import pack_scans, ready_orders
    from station.video.recorder import CameraState, ClipDone, Recorder
    from station.video.testsrc import make_video
    from station.workflows.runner import BenchRunner

    camera = make_video(folder / "camera.mp4", seconds=10, fps=12, size=(640, 480))
    engine, sessions = open_database(url)
    with unit_of_work(sessions) as s:
        scripts = [(o.order_no, pack_scans(o)) for o in ready_orders(s, orders)]
        s.commit()
    warm_up()
    runner = BenchRunner(sessions, "pack", "bench-station")
    runner.login("bench")
    recorder = Recorder(f"file:{camera}", folder / "clips")
    try:
        if not any(isinstance(m, CameraState) and m.online for m in recorder.wait_for(
                lambda got: any(isinstance(m, CameraState) for m in got), timeout=30)):
            raise RuntimeError("the recorder did not open the test video")
        without, with_rec, clips = [], [], []
        cpu_s, wall_s = 0.0, 0.0
        for n, (order_no, scans) in enumerate(scripts):
            recording = n % 2 == 1
            cpu0, wall0 = _cpu_seconds(recorder._process.pid), time.monotonic()
            for raw in scans:
                t = time.perf_counter()
                _scan, outcome = runner.process(raw)
                if recording:  # the GUI's PackVideo.after_scan: small messages down a pipe
                    caption = f"{time.strftime('%H:%M:%S')} {raw[:32]}  {str(outcome.message)[:60]}"
                    if outcome.code == "order_opened":
                        recorder.start(order_no, f"bench/{order_no}.mp4")
                    if outcome.code == "order_packed":
                        recorder.stop(order_no, caption)
                    else:
                        recorder.caption(order_no, caption)
                (with_rec if recording else without).append(time.perf_counter() - t)
                if outcome.level == "error":
                    raise RuntimeError(f"{raw!r}: {outcome.code} {outcome.message}")
                runner.finish_printing()
                time.sleep(pace_s)
            if recording:
                done = recorder.wait_for(lambda got: any(isinstance(m, ClipDone) for m in got), timeout=60)
                clips += [m for m in done if isinstance(m, ClipDone)]
                cpu1 = _cpu_seconds(recorder._process.pid)
                if cpu0 is not None and cpu1 is not None:
                    cpu_s += cpu1 - cpu0
                wall_s += time.monotonic() - wall0
        idle0, t0 = _cpu_seconds(recorder._process.pid), time.monotonic()
        time.sleep(3)  # the recorder between parcels: reading the camera, encoding nothing
        idle1 = _cpu_seconds(recorder._process.pid)
        idle_share = (idle1 - idle0) / (time.monotonic() - t0) if idle0 is not None and idle1 is not None else None
    finally:
        recorder.close()
        engine.dispose()
    clip_bytes = [c.bytes for c in clips]
    clip_seconds = [c.seconds for c in clips]
    p99_without, p99_with = _ms(without, 0.99), _ms(with_rec, 0.99)
    cores = os.cpu_count() or 1
    return {
        "figure": "pack_scan_video", "unit": "ms", "target": "p99 with recording within 5 ms of without",
        "p50_without_ms": _ms(without, 0.5), "p99_without_ms": p99_without,
        "p50_with_ms": _ms(with_rec, 0.5), "p99_with_ms": p99_with,
        "p99_difference_ms": round(p99_with - p99_without, 2),
        "scans_without": len(without), "scans_with": len(with_rec), "clips": len(clips),
        "clip_kb_per_parcel": round(statistics.mean(clip_bytes) / 1024, 1) if clips else None,
        "clip_seconds_per_parcel": round(statistics.mean(clip_seconds), 1) if clips else None,
        "clip_kb_per_second": round(sum(clip_bytes) / 1024 / sum(clip_seconds), 1) if clips else None,
        "recorder_cpu_recording_pct_of_one_core": round(100 * cpu_s / wall_s, 1) if wall_s else None,
        "recorder_cpu_recording_pct_of_machine": round(100 * cpu_s / wall_s / cores, 1) if wall_s else None,
        "recorder_cpu_idle_pct_of_one_core": round(100 * idle_share, 1) if idle_share is not None else None,
        "camera": "generated test video 640x480, 12 fps", "pace_s": pace_s,
    }


def run(quick: bool = False):
    from station.perf.pack import import_figure, prepare

    with tempfile.TemporaryDirectory(prefix="station-video-bench-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'pack.db'}"
        prepare(url, 100_000 if quick else 1_000_000)
        import_figure(url, folder, 2_000 if quick else 20_000)
        yield video_figure(url, folder, 40 if quick else 200)
