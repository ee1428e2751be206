"""The pack video recorder: a process of its own that reads the camera and encodes MP4 clips.

Why a process: the GUI thread must never wait for a frame, and Python threads share one
interpreter lock, so a thread decoding and encoding video (and drawing the caption on every frame)
would take turns with the scans. The recorder process owns the camera (`station.video.sources`),
keeps reading it between parcels (so a camera unplugged is noticed before the next order), and
while a clip is open it burns the caption onto each frame and encodes it (H.264, PyAV) as it comes.
The station talks to it through a pipe with small messages only: ``start``, ``caption``, ``stop``.

`Recorder` is the station's end. Its methods never block; `poll()` returns what the process said
(``clip`` with the finished file, ``camera`` online/offline), and the GUI calls it from a timer.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import os
import queue
import select
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

FPS = 12
WIDTH, HEIGHT = 640, 480
CAPTION_LINES = 4  # the last scans shown at the foot of the picture
RETRY_S = 2.0


@dataclass
class ClipDone:
    key: str  # what `start` was given (the order number)
    path: str
    frames: int
    seconds: float
    bytes: int
    complete: bool  # False: the camera went away during the clip; what was recorded is kept
    stills: list[tuple[float, str]] = field(default_factory=list)  # (second in the clip, caption) per caption


@dataclass
class CameraState:
    online: bool
    reason: str = ""


# --- the process ------------------------------------------------------------------------------
class _Clip:
    def __init__(self, key: str, path: Path, fps: int, size: tuple[int, int]) -> None:
        import av

        self.key, self.path, self.fps = key, path, fps
        self.container = av.open(str(path), mode="w", format="mp4")
        self.stream = self.container.add_stream("libx264", rate=fps)
        self.stream.width, self.stream.height = size
        self.stream.pix_fmt = "yuv420p"
        self.stream.options = {"preset": "veryfast", "crf": "28", "tune": "stillimage"}
        self.frames = 0
        self.started = time.monotonic()
        self.captions: list[str] = []
        self.stills: list[tuple[float, str]] = []
        self.complete = True
        self.header = key
        self.last_image = None

    def caption(self, text: str) -> None:
        self.captions.append(text)
        self.stills.append((self.frames / self.fps, text))

    def add(self, image) -> None:
        import av

        frame = av.VideoFrame.from_image(image)
        frame.pts = self.frames
        for packet in self.stream.encode(frame):
            self.container.mux(packet)
        self.frames += 1

    def close(self) -> ClipDone:
        for packet in self.stream.encode():
            self.container.mux(packet)
        self.container.close()
        size = self.path.stat().st_size if self.path.exists() else 0
        return ClipDone(self.key, str(self.path), self.frames, self.frames / self.fps, size, self.complete,
                        self.stills)


def _font(size: int):
    from PIL import ImageFont

    from station.printing.fonts import CJK_FONT_FILE

    try:
        return ImageFont.truetype(str(CJK_FONT_FILE), size)
    except OSError:
        return ImageFont.load_default()


def _burn(image, clip: _Clip, font, header: str):
    """The caption on the picture: a header line (order, time) and the last scans, on a dark band."""
    from PIL import ImageDraw

    image = image.convert("RGB").resize((WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    lines = [header, *clip.captions[-CAPTION_LINES:]]
    line_h = font.size + 4
    top = HEIGHT - line_h * len(lines) - 6
    draw.rectangle((0, top, WIDTH, HEIGHT), fill=(0, 0, 0))
    for i, text in enumerate(lines):
        draw.text((8, top + 3 + i * line_h), text, font=font, fill=(255, 255, 0) if i == 0 else (255, 255, 255))
    return image


def _serve(spec: str, folder: str, conn, fps: int) -> None:
    """The recorder process: read frames, obey the pipe, encode the open clip."""
    from station.video.sources import CameraGone, open_source

    font = _font(18)
    clip: _Clip | None = None
    source = None
    online: bool | None = None
    retry_at = 0.0
    frame_s = 1.0 / fps
    next_at = time.monotonic()

    def say(*message) -> None:
        try:
            conn.send(message)
        except (BrokenPipeError, OSError):
            raise SystemExit(0) from None

    def finish(c: _Clip) -> None:
        try:
            done = c.close()
        except Exception as exc:  # the encoder failed: say so, keep going
            log.exception("pack video: closing %s failed", c.path)
            say("error", c.key, str(exc))
            return
        say("clip", done)

    while True:
        # commands first: never wait for a frame while the station has something to say
        while conn.poll(0):
            try:
                command, *args = conn.recv()
            except EOFError:
                command, args = "quit", []
            if command == "quit":
                if clip is not None:
                    finish(clip)
                if source is not None:
                    source.close()
                return
            if command == "start":
                key, name = args
                if clip is not None:
                    finish(clip)
                path = Path(folder) / name
                path.parent.mkdir(parents=True, exist_ok=True)
                clip = _Clip(key, path, fps, (WIDTH, HEIGHT))
                if not online:
                    clip.complete = False
            elif command == "caption" and clip is not None and clip.key == args[0]:
                clip.caption(args[1])
            elif command == "stop" and clip is not None and clip.key == args[0]:
                if args[1]:
                    clip.caption(args[1])
                # the closing caption stays on screen for a second
                if clip.last_image is not None:
                    for _ in range(fps):
                        clip.add(_burn(clip.last_image, clip, font, clip.header))
                finish(clip)
                clip = None
        if source is None:
            if time.monotonic() < retry_at:
                time.sleep(0.05)
                continue
            try:
                source = open_source(spec)
            except CameraGone as exc:
                if online is not False:
                    say("camera", CameraState(False, str(exc)))
                online = False
                retry_at = time.monotonic() + RETRY_S
                continue
            if online is not True:
                say("camera", CameraState(True))
            online = True
        try:
            image = source.read()
        except CameraGone as exc:
            source.close()
            source = None
            online = False
            say("camera", CameraState(False, str(exc)))
            if clip is not None:
                clip.complete = False
            retry_at = time.monotonic() + RETRY_S
            continue
        if clip is not None:
            clip.header = f"{clip.key}  {time.strftime('%Y-%m-%d %H:%M:%S')}"
            clip.last_image = image
            clip.add(_burn(image, clip, font, clip.header))
        # pace to the frame rate (a camera paces itself; a file would run flat out)
        next_at = max(next_at + frame_s, time.monotonic() - frame_s)
        delay = next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)


# --- the pipe: JSON lines over the child's stdin/stdout ------------------------------------------
def _encode(message: tuple) -> bytes:
    kind, *args = message
    args = [dataclasses.asdict(a) | {"_type": type(a).__name__} if dataclasses.is_dataclass(a) else a for a in args]
    return (json.dumps([kind, *args], ensure_ascii=False) + "\n").encode("utf-8")


def _decode(line: bytes) -> tuple:
    kind, *args = json.loads(line)
    types = {"ClipDone": ClipDone, "CameraState": CameraState}
    out = []
    for a in args:
        if isinstance(a, dict) and a.get("_type") in types:
            cls = types[a.pop("_type")]
            if cls is ClipDone:
                a["stills"] = [tuple(s) for s in a["stills"]]
            a = cls(**a)
        out.append(a)
    return (kind, *out)


class _ChildPipe:
    """The recorder's end: commands on stdin, what it says on stdout."""

    def __init__(self) -> None:
        self._in = sys.stdin.buffer
        self._out = sys.stdout.buffer
        self._buffer = b""

    def poll(self, timeout: float) -> bool:
        if b"\n" in self._buffer:
            return True
        ready, _, _ = select.select([self._in], [], [], timeout)
        if ready:
            chunk = os.read(self._in.fileno(), 65536)
            if not chunk:
                self._buffer += b'["quit"]\n'
            self._buffer += chunk
        return b"\n" in self._buffer

    def recv(self) -> tuple:
        line, self._buffer = self._buffer.split(b"\n", 1)
        return _decode(line)

    def send(self, message: tuple) -> None:
        self._out.write(_encode(message))
        self._out.flush()


def main(argv: list[str] | None = None) -> int:
    """``python -m station.video.recorder SPEC FOLDER FPS``: the recorder process."""
    spec, folder, fps = (argv if argv is not None else sys.argv[1:])[:3]
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    _serve(spec, folder, _ChildPipe(), int(fps))
    return 0


# --- the station's end ------------------------------------------------------------------------
class Recorder:
    """Start the recorder process for camera ``spec`` writing clips under ``folder``."""

    def __init__(self, spec: str, folder: str | os.PathLike, *, fps: int = FPS) -> None:
        self.spec = spec
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        # A process of its own (not multiprocessing: no re-import of the GUI's main module), at a
        # lower priority where the system allows it, so that encoding yields to the scans.
        self._process = subprocess.Popen(
            [sys.executable, "-m", "station.video.recorder", spec, str(self.folder), str(fps)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None,
            preexec_fn=(lambda: os.nice(5)) if hasattr(os, "nice") else None)
        self._said: queue.Queue = queue.Queue()
        self._reader = threading.Thread(target=self._read, name="pack-video-reader", daemon=True)
        self._reader.start()
        self.camera = CameraState(False, "starting")
        self.recording: str | None = None

    def _read(self) -> None:
        for line in self._process.stdout:
            try:
                self._said.put(_decode(line))
            except (ValueError, TypeError):
                log.warning("pack video: %r", line[:200])

    def _send(self, *message) -> None:
        try:
            self._process.stdin.write(_encode(message))
            self._process.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            log.warning("pack video: the recorder process is gone")

    def start(self, key: str, name: str) -> None:
        """Open a clip for ``key`` (the order) in file ``name`` (relative to the folder)."""
        self.recording = key
        self._send("start", key, name)

    def caption(self, key: str, text: str) -> None:
        self._send("caption", key, text)

    def stop(self, key: str, text: str = "") -> None:
        if self.recording == key:
            self.recording = None
        self._send("stop", key, text)

    def poll(self) -> list:
        """What the process said since the last call: `ClipDone` and `CameraState` objects."""
        out = []
        while True:
            try:
                kind, *args = self._said.get_nowait()
            except queue.Empty:
                return out
            if kind == "camera":
                self.camera = args[0]
                out.append(args[0])
            elif kind == "clip":
                out.append(args[0])
            elif kind == "error":
                log.warning("pack video %s: %s", args[0], args[1])

    def wait_for(self, predicate, timeout: float = 30.0) -> list:
        """Poll until ``predicate(messages so far)`` (tests, the CLI); returns the messages."""
        got: list = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got += self.poll()
            if predicate(got):
                return got
            time.sleep(0.02)
        return got

    def close(self, timeout: float = 10.0) -> None:
        self._send("quit")
        try:
            self._process.stdin.close()
        except OSError:
            pass
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(2)
        self._reader.join(2)


if __name__ == "__main__":
    sys.exit(main())
