"""`station replay` gives byte-identical output on the test suite's scan scripts (issue 14).

The goldens in tests/golden/replay/ were written by ``scripts/replay_golden.py --write`` on main
before the benches became pure state machines; every scenario must still print exactly them."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("replay_golden", ROOT / "scripts" / "replay_golden.py")
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return golden.build_demo(tmp_path_factory.mktemp("golden_demo"))


@pytest.mark.parametrize("scenario", sorted(golden.SCENARIOS))
def test_replay_prints_exactly_the_golden_output(scenario, demo, tmp_path):
    want = (golden.GOLDEN / f"{scenario}.jsonl").read_text(encoding="utf-8")
    assert golden.run(scenario, demo, tmp_path) == want


def test_the_normalisation_touches_only_trail_times_and_dates_near_today():
    from datetime import date

    text = '"12-03 17:53:17 pack-1" 2026-12-11 2028-06-30 PO-2026-0001 2026-02-30 H20261203-SF-0001'
    assert golden.normalise(text, date(2026, 12, 3)) == \
        '"MM-DD hh:mm:ss pack-1" <today+8> 2028-06-30 PO-2026-0001 2026-02-30 H<today+0>-SF-0001'
