"""A still picture as a camera (``runde join --video FILE.png``): the same picture, paced.

A picture file decodes to one frame; played as a video it would end at once (or, looped,
reopen as fast as it can). Scripts and tests use a photo as a camera that never moves.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import av
import numpy as np
from aiortc import MediaStreamTrack
from aiortc.mediastreams import VIDEO_CLOCK_RATE, VIDEO_TIME_BASE, MediaStreamError

from client.media.capture_track import first_picture, fit_within

STILL_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".webp", ".ppm", ".tif", ".tiff")
MAX_SIZE = (1280, 720)


class StillImageError(ValueError):
    """The picture cannot be read; the message names the file and why."""


def is_still_image(path: str) -> bool:
    return Path(path).suffix.lower() in STILL_IMAGE_SUFFIXES


def read_picture(path: str) -> np.ndarray:
    """The picture as a yuv420p array with even sides, at most 1280x720."""
    try:
        with av.open(path) as container:
            frame = first_picture(container)
    except (av.FFmpegError, OSError, StopIteration, ValueError) as exc:
        raise StillImageError(f"cannot read the picture {path!r}: {exc or 'no picture'}") from None
    width, height = fit_within(frame.width, frame.height, MAX_SIZE)
    picture: np.ndarray = frame.reformat(width=width, height=height, format="yuv420p").to_ndarray()
    return picture


class StillImageTrack(MediaStreamTrack):
    """The picture in ``path``, ``fps`` times a second, for as long as it is asked for."""

    kind = "video"

    def __init__(self, path: str, fps: int = 15) -> None:
        super().__init__()
        self._picture = read_picture(path)
        self._interval = 1.0 / fps
        self._started: float | None = None
        self._epoch = 0.0  # pts count from here: they never go back
        self._sent = 0
        self.size = (self._picture.shape[1], self._picture.shape[0] * 2 // 3)

    async def recv(self) -> av.VideoFrame:
        if self.readyState != "live":
            raise MediaStreamError
        now = time.monotonic()
        if self._started is None:
            self._started = self._epoch = now
        due = self._started + self._sent * self._interval
        if due > now:
            await asyncio.sleep(due - now)
        elif now - due > 1.0:
            self._started, self._sent = now, 0  # a long stall: start the clock again
        self._sent += 1
        # a fresh frame each time: the send path may change a frame it was given
        frame = av.VideoFrame.from_ndarray(self._picture, format="yuv420p")
        frame.pts = int((time.monotonic() - self._epoch) * VIDEO_CLOCK_RATE)
        frame.time_base = VIDEO_TIME_BASE
        return frame
