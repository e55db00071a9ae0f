"""A published video track whose camera can be switched off and on (device closed meanwhile)."""

from __future__ import annotations

import asyncio
import time
from fractions import Fraction

import av
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

_CLOCK_RATE = 90_000
_TIME_BASE = Fraction(1, _CLOCK_RATE)


class SwitchableVideoTrack(MediaStreamTrack):
    """Sends the current source's pictures; with no source it sends nothing and waits.

    Turning the camera off closes the device (its light goes out) instead of sending black;
    the peer connection keeps this track, so turning it on again needs no renegotiation.
    Timestamps come from one clock, so they keep rising across sources. The source may be
    switched from any thread: the sender's loop is woken safely.
    """

    kind = "video"

    def __init__(self) -> None:
        super().__init__()
        self._source: MediaStreamTrack | None = None
        self._changed = asyncio.Event()
        self._reader_loop: asyncio.AbstractEventLoop | None = None
        self._start = time.monotonic()
        self._last_pts = -1

    @property
    def source(self) -> MediaStreamTrack | None:
        """The camera sent now (its size decides whether it goes in layers)."""
        return self._source

    def set_source(self, source: MediaStreamTrack | None) -> None:
        self._source = source
        loop = self._reader_loop
        if loop is None or loop.is_closed():
            self._changed.set()
            return
        try:
            on_reader_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            on_reader_loop = False
        if on_reader_loop:
            self._changed.set()
        else:
            loop.call_soon_threadsafe(self._changed.set)

    async def recv(self) -> av.VideoFrame:
        self._reader_loop = asyncio.get_running_loop()
        while self.readyState == "live":
            source = self._source
            if source is None:
                self._changed.clear()
                await self._changed.wait()
                continue
            next_frame = asyncio.ensure_future(source.recv())
            changed = asyncio.ensure_future(self._changed.wait())
            self._changed.clear()
            done, _ = await asyncio.wait({next_frame, changed}, return_when=asyncio.FIRST_COMPLETED)
            changed.cancel()
            if next_frame not in done:
                next_frame.cancel()
                continue  # switched while waiting: read from the new source
            try:
                frame = next_frame.result()
            except MediaStreamError:
                if self._source is source:
                    self._source = None
                continue
            if isinstance(frame, av.VideoFrame):
                frame.pts = self._next_pts()
                frame.time_base = _TIME_BASE
                return frame
        raise MediaStreamError

    def _next_pts(self) -> int:
        pts = max(int((time.monotonic() - self._start) * _CLOCK_RATE), self._last_pts + 1)
        self._last_pts = pts
        return pts
