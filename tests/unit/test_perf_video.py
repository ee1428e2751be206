"""`station bench --only video`: the figure packs orders alternately without and with a recording
(speed itself is not asserted here; the figures are in the README)."""
from __future__ import annotations

from station.perf.pack import import_figure, prepare
from station.perf.video import video_figure


def test_the_video_figure_records_every_other_order_and_measures_both_halves(tmp_path):
    url = f"sqlite:///{tmp_path / 'pack.db'}"
    prepare(url, 2_000)
    import_figure(url, tmp_path, 60)
    fig = video_figure(url, tmp_path, orders=6, pace_s=0.15)  # a few frames a parcel
    assert fig["clips"] == 3  # orders 2, 4 and 6 were recorded, each to a clip of its own
    assert fig["scans_with"] > 3 and fig["scans_without"] > 3
    assert fig["clip_kb_per_parcel"] > 0 and fig["clip_seconds_per_parcel"] > 0
    assert fig["recorder_cpu_recording_pct_of_one_core"] > 0
    assert fig["p99_difference_ms"] == round(fig["p99_with_ms"] - fig["p99_without_ms"], 2)
    assert len(list((tmp_path / "clips" / "bench").glob("*.mp4"))) == 3
