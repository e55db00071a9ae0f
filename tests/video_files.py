"""Short video files made with PyAV, standing in for what cameras deliver (MJPEG, raw)."""

from __future__ import annotations

from pathlib import Path

import av
from av.video.frame import PictureType


def write_test_video(
    path: Path, codec: str, pix_fmt: str, size: tuple[int, int] = (320, 240), frames: int = 30
) -> Path:
    """``frames`` moving test pictures at 15 fps encoded with ``codec`` into ``path``
    (the container follows the suffix: ``.avi`` for MJPEG, ``.y4m`` for raw YUV)."""
    width, height = size
    with (
        av.open(f"testsrc=size={width}x{height}:rate=15", format="lavfi") as source,
        av.open(str(path), "w") as output,
    ):
        stream = output.add_stream(codec, rate=15)
        stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
        for index, frame in enumerate(source.decode(video=0)):
            if index >= frames:
                break
            frame.pict_type = PictureType.NONE  # let the encoder choose
            for packet in stream.encode(frame.reformat(format=pix_fmt)):
                output.mux(packet)
        for packet in stream.encode(None):
            output.mux(packet)
    return path


def write_mjpeg(path: Path, size: tuple[int, int] = (320, 240)) -> Path:
    return write_test_video(path, "mjpeg", "yuvj420p", size)


def write_raw_yuv(path: Path, size: tuple[int, int] = (320, 240)) -> Path:
    return write_test_video(path, "rawvideo", "yuv420p", size)
