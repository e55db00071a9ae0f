"""What a keyframe request on every captured picture costs: aiortc's VP8 encoder, with and
without the mark PyAV puts on pictures from test signals, MJPEG and raw video.

    .venv/bin/python -m tests.bench.keyframes [--frames 300]

Per source, ``--frames`` 640x360 pictures (30 fps timestamps) go through a fresh
``aiortc.codecs.vpx.Vp8Encoder`` twice: as PyAV decodes them (``pict_type = I``), and after
:func:`client.media.keyframes.without_keyframe_request`, as Runde sends them. The table gives
the encoded bytes per picture (median and mean), the bitrate that makes at 30 fps, the share of
keyframes (VP8 header bit) and the encoder's time per picture (median, one thread of this
machine; other work on it shows up here).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
from aiortc.codecs.vpx import Vp8Encoder, vp8_depayload
from av.video.frame import PictureType

from client.media.keyframes import without_keyframe_request
from client.media.received_keyframes import is_vp8_keyframe
from tests.video_files import write_test_video

SIZE = (640, 360)
FPS = 30
TIME_BASE = Fraction(1, 90000)


@dataclass
class Row:
    source: str
    mode: str
    sizes: list[int]
    keyframes: int
    encode_s: list[float]

    def cells(self) -> list[str]:
        mean = statistics.fmean(self.sizes)
        return [
            self.source,
            self.mode,
            str(len(self.sizes)),
            f"{statistics.median(self.sizes):,.0f}",
            f"{mean:,.0f}",
            f"{mean * 8 * FPS / 1000:,.0f}",
            f"{100 * self.keyframes / len(self.sizes):.1f} %",
            f"{1000 * statistics.median(self.encode_s):.2f}",
        ]


def pictures(url: str, fmt: str | None, count: int) -> Iterator[av.VideoFrame]:
    with av.open(url, format=fmt) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index == count:
                return
            yield frame.reformat(format="yuv420p")  # what the encoder converts to anyway


def encode(source: str, frames: list[av.VideoFrame], marks: list[PictureType], clear: bool) -> Row:
    encoder = Vp8Encoder()
    row = Row(source, "request cleared" if clear else "as decoded", [], 0, [])
    for index, (frame, mark) in enumerate(zip(frames, marks, strict=True)):
        frame.pict_type = mark  # the same pictures go through both runs
        frame.pts, frame.time_base = index * 90000 // FPS, TIME_BASE
        if clear:
            frame = without_keyframe_request(frame)
        started = time.perf_counter()
        payloads, _ = encoder.encode(frame)
        row.encode_s.append(time.perf_counter() - started)
        data = b"".join(vp8_depayload(p) for p in payloads)
        row.sizes.append(len(data))
        row.keyframes += is_vp8_keyframe(data)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=300, help="pictures per source and run")
    args = parser.parse_args()
    width, height = SIZE
    with tempfile.TemporaryDirectory() as scratch:
        mjpeg = write_test_video(Path(scratch, "camera.avi"), "mjpeg", "yuvj420p", SIZE, 60)
        raw = write_test_video(Path(scratch, "camera.y4m"), "rawvideo", "yuv420p", SIZE, 60)
        sources = {
            "lavfi testsrc2": (f"testsrc2=size={width}x{height}:rate={FPS}", "lavfi"),
            "MJPEG file": (str(mjpeg), None),
            "raw YUV file": (str(raw), None),
        }
        rows = []
        for name, (url, fmt) in sources.items():
            frames = list(pictures(url, fmt, args.frames))
            while len(frames) < args.frames:  # the files are short: loop them like a player
                frames += frames[: args.frames - len(frames)]
            marks = [f.pict_type for f in frames]
            marked = marks.count(PictureType.I)
            print(f"{name}: {marked} of {len(frames)} decoded pictures carry pict_type I")
            rows += [encode(name, frames, marks, clear) for clear in (False, True)]
    header = [
        "source",
        "pictures go in",
        "pictures",
        "bytes/picture median",
        "bytes/picture mean",
        "kbit/s at 30 fps",
        "keyframes",
        "encode ms median",
    ]
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row.cells()) + " |")


if __name__ == "__main__":
    main()
