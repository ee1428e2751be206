"""Where the pack video's pictures come from: ``none``, ``v4l2:/dev/video0`` (Linux), ``dshow:NAME``
(Windows), or ``file:PATH`` (a video file played in a loop: for tests and demonstrations).

All through PyAV (FFmpeg), so a camera needs no other library. A source gives PIL images; a
camera that cannot be opened or stops giving frames raises `CameraGone` with the reason, and
the recorder tries again every few seconds.
"""
from __future__ import annotations

from dataclasses import dataclass

from station.i18n import _

NONE, V4L2, DSHOW, FILE = "none", "v4l2", "dshow", "file"
KINDS = (NONE, V4L2, DSHOW, FILE)


class CameraSpecError(ValueError):
    pass


class CameraGone(OSError):
    """The camera cannot be opened or stopped giving pictures."""


@dataclass(frozen=True)
class CameraSpec:
    kind: str = NONE
    path: str = ""

    def __str__(self) -> str:
        return NONE if self.kind == NONE else f"{self.kind}:{self.path}"

    @property
    def attached(self) -> bool:
        return self.kind != NONE


def parse_camera_spec(text: str | None) -> CameraSpec:
    text = (text or "").strip()
    if not text or text.lower() == NONE:
        return CameraSpec()
    kind, sep, path = text.partition(":")
    kind = kind.lower().strip()
    if not sep or kind not in KINDS[1:] or not path.strip():
        raise CameraSpecError(_("Unknown camera {spec}: use none, v4l2:/dev/video0, dshow:NAME or file:PATH",
                                spec=text))
    return CameraSpec(kind, path.strip())


class FrameSource:
    def __init__(self, spec: CameraSpec) -> None:
        import av

        self.spec = spec
        options = {}
        try:
            if spec.kind == V4L2:
                options = {"video_size": "640x480", "framerate": "15"}
                self.container = av.open(spec.path, format="v4l2", options=options)
            elif spec.kind == DSHOW:
                self.container = av.open(f"video={spec.path}", format="dshow", options=options)
            else:
                self.container = av.open(spec.path)
        except (OSError, av.FFmpegError) as exc:
            raise CameraGone(str(exc)) from exc
        self._frames = self.container.decode(video=0)

    def read(self):
        import av

        try:
            return next(self._frames).to_image()
        except StopIteration:
            if self.spec.kind != FILE:
                raise CameraGone("no more frames") from None
            self.container.seek(0)  # a file loops
            self._frames = self.container.decode(video=0)
            try:
                return next(self._frames).to_image()
            except StopIteration:
                raise CameraGone("empty video") from None
        except (OSError, av.FFmpegError) as exc:
            raise CameraGone(str(exc)) from exc

    def close(self) -> None:
        try:
            self.container.close()
        except Exception:  # closing a camera that went away
            pass


def open_source(text: str) -> FrameSource:
    spec = parse_camera_spec(text)
    if not spec.attached:
        raise CameraGone("no camera")
    return FrameSource(spec)
