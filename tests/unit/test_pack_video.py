"""The pack video recorder (issue 18): a process of its own, fed by a generated video as the camera."""
from __future__ import annotations

import time

import pytest

from station.video.recorder import ClipDone, CameraState, Recorder, WIDTH, HEIGHT
from station.video.sources import CameraSpecError, parse_camera_spec
from tests.support.video import frames_of, make_video

av = pytest.importorskip("av")


@pytest.fixture
def camera(tmp_path):
    return make_video(tmp_path / "camera.mp4")


def test_a_clip_from_start_to_stop_with_the_scans_burned_in(tmp_path, camera):
    rec = Recorder(f"file:{camera}", tmp_path / "clips", fps=12)
    try:
        got = rec.wait_for(lambda m: any(isinstance(x, CameraState) and x.online for x in m), timeout=20)
        assert rec.camera.online, got
        rec.start("DEMO-1001", "2026-12-03/SF0100000000017.mp4")
        for text in ("10:00:01 TS01-RD-M ✓ 1/2", "10:00:02 TS01-RD-M ✓ 2/2", "10:00:03 扫描错误 NB-001"):
            time.sleep(0.4)
            rec.caption("DEMO-1001", text)
        time.sleep(0.4)
        rec.stop("DEMO-1001", "1250 g ✓")
        done = [m for m in rec.wait_for(lambda m: any(isinstance(x, ClipDone) for x in m)) if isinstance(m, ClipDone)]
    finally:
        rec.close()
    assert len(done) == 1
    clip = done[0]
    assert clip.complete and clip.key == "DEMO-1001"
    assert clip.path.endswith("2026-12-03/SF0100000000017.mp4") and clip.bytes > 1000
    frames = frames_of(tmp_path / "clips" / "2026-12-03" / "SF0100000000017.mp4")
    assert len(frames) == clip.frames and 12 <= clip.frames <= 80  # ~2 s of recording + 1 s of the close
    assert frames[0].size == (WIDTH, HEIGHT)
    assert [text for _t, text in clip.stills][-1] == "1250 g ✓"
    assert len(clip.stills) == 4 and all(0 <= t <= clip.seconds for t, _text in clip.stills)  # one still per caption, inside the clip
    # the caption band: dark, with light text in it, at the foot of every frame
    last = frames[-1].convert("L")
    band = [last.getpixel((x, HEIGHT - 10)) for x in range(0, WIDTH, 4)]
    assert min(band) < 40
    text_pixels = sum(1 for x in range(WIDTH) for y in range(HEIGHT - 100, HEIGHT) if last.getpixel((x, y)) > 180)
    assert text_pixels > 200


def test_no_camera_is_said_once_and_a_clip_is_still_closed(tmp_path):
    rec = Recorder(f"file:{tmp_path / 'unplugged.mp4'}", tmp_path / "clips")
    try:
        got = rec.wait_for(lambda m: any(isinstance(x, CameraState) for x in m), timeout=20)
        states = [m for m in got if isinstance(m, CameraState)]
        assert states and not states[0].online
        rec.start("DEMO-1002", "x.mp4")
        rec.stop("DEMO-1002")
        done = [m for m in rec.wait_for(lambda m: any(isinstance(x, ClipDone) for x in m)) if isinstance(m, ClipDone)]
        assert done and not done[0].complete and done[0].frames == 0
        time.sleep(2.5)  # a retry later: still offline, not said again
        assert not [m for m in rec.poll() if isinstance(m, CameraState)]
    finally:
        rec.close()


def test_camera_specs():
    assert str(parse_camera_spec("")) == "none"
    assert str(parse_camera_spec("v4l2:/dev/video0")) == "v4l2:/dev/video0"
    assert str(parse_camera_spec("file:/tmp/a.mp4")) == "file:/tmp/a.mp4"
    with pytest.raises(CameraSpecError):
        parse_camera_spec("usb:1")
