"""GUI cold start: `station.ui.startup_probe` in a fresh process, until its window is up."""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from station.db import open_database


def startup_figure(runs: int = 3) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="station-start-"))
    url = f"sqlite:///{folder / 'start.db'}"
    engine, _ = open_database(url)
    engine.dispose()
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_CONFIG_HOME"] = str(folder / "config")
    times = []
    for _ in range(runs):
        env["STATION_T0"] = repr(time.time())
        out = subprocess.run([sys.executable, "-m", "station.ui.startup_probe", "--db", url], env=env,
                             capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            return {"figure": "gui_cold_start", "error": out.stderr.strip()[-500:]}
        times.append(json.loads(out.stdout.strip().splitlines()[-1])["startup_s"])
    return {"figure": "gui_cold_start", "value": round(statistics.median(times), 3), "unit": "s",
            "target": "<= 2", "runs": [round(t, 3) for t in times],
            "platform": env.get("QT_QPA_PLATFORM", "xcb")}
