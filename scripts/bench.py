"""Run every benchmark, the PostgreSQL pack figure on a throwaway PostgreSQL 15 server.

Usage: .venv/bin/python scripts/bench.py [--quick]   (as root it starts the server as `postgres`)
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.pg import ThrowawayPostgres  # noqa: E402

if __name__ == "__main__":
    station = str(Path(sys.executable).parent / "station")
    with ThrowawayPostgres() as pg:
        url = pg.create_database("bench")
        sys.exit(subprocess.run([station, "bench", "--pg", url, *sys.argv[1:]]).returncode)
