"""A generated test video: numbered frames with a moving block, as a camera's pictures.

The tests feed it to the recorder as the camera (`file:PATH`), and so does `station bench --only video`.
"""
from __future__ import annotations

from pathlib import Path


def make_video(path: Path, seconds: float = 2.0, fps: int = 12, size=(320, 240)) -> Path:
    import av
    from PIL import Image, ImageDraw

    container = av.open(str(path), mode="w")
    stream = container.add_stream("mpeg4", rate=fps)
    stream.width, stream.height = size
    stream.pix_fmt = "yuv420p"
    for i in range(int(seconds * fps)):
        image = Image.new("RGB", size, (30, 90, 160))
        draw = ImageDraw.Draw(image)
        x = (i * 9) % (size[0] - 40)
        draw.rectangle((x, 40, x + 40, 80), fill=(250, 200, 0))
        draw.text((10, 10), f"frame {i}", fill=(255, 255, 255))
        frame = av.VideoFrame.from_image(image)
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    container.close()
    return path


def frames_of(path: Path) -> list:
    import av

    with av.open(str(path)) as container:
        return [f.to_image() for f in container.decode(video=0)]
