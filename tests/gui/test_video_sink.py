"""A tile's video sink under overload: it shows the newest picture and skips the backlog."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import av
import numpy as np
import qasync
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError
from PySide6.QtGui import QImage

from client.ui.video_sink import VideoSink

FRAMES = 60


class BurstTrack(MediaStreamTrack):
    """Hands out FRAMES decoded 640x360 frames without pausing, as a decoder catching up
    after a stall does; frame n is grey level 4n, so a picture tells which frame it was."""

    kind = "video"

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0

    async def recv(self) -> av.VideoFrame:
        if self.sent == FRAMES:
            raise MediaStreamError
        level = 4 * self.sent
        self.sent += 1
        pixels = np.full((360, 640, 3), level, dtype=np.uint8)
        return av.VideoFrame.from_ndarray(pixels, format="rgb24")


def test_a_backlog_is_skipped_and_the_newest_picture_shown(loop: qasync.QEventLoop) -> None:
    track = BurstTrack()
    sink = VideoSink(track)
    pictures: list[QImage] = []
    ended = asyncio.Event()
    sink.frameReady.connect(pictures.append)
    sink.ended.connect(ended.set)

    async def scenario() -> None:
        sink.start()
        await asyncio.wait_for(ended.wait(), 10)

    loop.run_until_complete(scenario())
    assert track.sent == FRAMES
    # The whole burst was there before the first conversion: only the newest is converted.
    assert len(pictures) == 1, f"{len(pictures)} pictures: a backlog must be skipped"
    assert sink.frames_skipped == FRAMES - 1
    newest = pictures[-1].pixelColor(320, 180)
    assert abs(newest.red() - 4 * (FRAMES - 1)) <= 3, "the last picture is the newest frame"


SAME_FRAME_IN_THREADS = """
import threading
import av
import numpy as np
from PySide6.QtCore import QSize
from client.ui.video_sink import frame_to_image

pixels = np.random.default_rng(1).integers(0, 255, (720, 1280, 3), dtype=np.uint8)
frame = av.VideoFrame.from_ndarray(pixels, format="rgb24").reformat(format="yuv420p")

def self_view():
    for _ in range(1500):
        frame_to_image(frame, QSize(360, 202))

def encoder():  # what aiortc's VP8 encoder does with the same camera frame
    for _ in range(1500):
        frame.reformat(format="yuv420p", width=1280, height=720)

threads = [threading.Thread(target=t) for t in (self_view, encoder, self_view)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("converted")
"""


def test_the_same_frame_converts_safely_in_several_threads() -> None:
    """The camera's frame goes to the self view and to the encoder on different threads.

    PyAV keeps one swscale context on the frame; converting through it from two threads at
    once crashed the app (seen in the client-load benchmark). Run in a child process, so a
    crash fails this test rather than the whole run.
    """
    result = subprocess.run(
        [sys.executable, "-c", SAME_FRAME_IN_THREADS],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "converted" in result.stdout
