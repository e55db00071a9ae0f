"""Files and test signals skip what a slow sender fell behind on, so nothing queues up."""

from __future__ import annotations

import asyncio
from fractions import Fraction

import av
import pytest
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from client import compat
from client.media.catch_up import MAX_SKIPPED_IN_A_ROW, CatchingUpTrack
from client.media.sources import open_audio_source

FRAME_S = 0.02


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Stamped(MediaStreamTrack):
    """Audio frames 20 ms apart on the stream's clock, as fast as they are asked for."""

    kind = "audio"

    def __init__(self, clock: Clock | None = None, advance_s: float = 0.0) -> None:
        super().__init__()
        self.handed_out = 0
        self._clock, self._advance_s = clock, advance_s

    async def recv(self) -> av.AudioFrame:
        if self._clock is not None:
            self._clock.now += self._advance_s
        frame = av.AudioFrame(format="s16", layout="mono", samples=960)
        frame.pts, frame.time_base = self.handed_out * 960, Fraction(1, 48000)
        self.handed_out += 1
        return frame


def stream_time(frame: av.AudioFrame) -> float:
    assert frame.pts is not None and frame.time_base is not None
    return float(frame.pts * frame.time_base)


def test_frames_on_time_all_go_out() -> None:
    clock = Clock()
    track = CatchingUpTrack(Stamped(clock, advance_s=FRAME_S), clock=clock)
    times = [stream_time(asyncio.run(track.recv())) for _ in range(100)]
    assert times == pytest.approx([index * FRAME_S for index in range(100)])
    assert track.skipped == 0


def test_after_a_stall_the_frames_more_than_the_limit_late_are_skipped() -> None:
    clock = Clock()
    source = Stamped()
    track = CatchingUpTrack(source, max_late_s=0.21, clock=clock)
    assert stream_time(asyncio.run(track.recv())) == 0.0
    clock.now += 1.0  # the sender did not ask for a second
    frame = asyncio.run(track.recv())
    # due at 0.02 ... 0.78 s: 0.22 s late or more; 0.80 s is the first within the limit
    assert stream_time(frame) == pytest.approx(0.8)
    assert track.skipped == 39
    assert stream_time(asyncio.run(track.recv())) == pytest.approx(0.82)


def test_a_source_slower_than_the_clock_is_not_skipped_for_ever() -> None:
    clock = Clock()
    # every frame comes a whole second after the one before but is stamped 20 ms later
    track = CatchingUpTrack(Stamped(clock, advance_s=1.0), clock=clock)
    asyncio.run(track.recv())
    asyncio.run(track.recv())
    assert track.skipped == MAX_SKIPPED_IN_A_ROW


def test_frames_without_timestamps_are_never_skipped() -> None:
    class Unstamped(Stamped):
        async def recv(self) -> av.AudioFrame:
            frame = await super().recv()
            frame.pts = None
            return frame

    clock = Clock()
    track = CatchingUpTrack(Unstamped(clock, advance_s=5.0), clock=clock)
    for _ in range(3):
        asyncio.run(track.recv())
    assert track.skipped == 0


def test_stopping_stops_the_source() -> None:
    source = Stamped()
    track = CatchingUpTrack(source)
    track.stop()
    assert source.readyState == "ended"
    with pytest.raises(MediaStreamError):
        asyncio.run(track.recv())


def test_a_sine_source_left_unread_keeps_no_backlog() -> None:
    """aiortc's player queue once grew for as long as the sender lagged (docs/benchmarks.md)."""
    opened = open_audio_source("sine")
    assert opened is not None
    track = opened.track
    assert isinstance(track, CatchingUpTrack)

    async def stall_then_read() -> int:
        try:
            await track.recv()
            await asyncio.sleep(3.0)  # a sender this far behind: 150 frames are overdue
            await track.recv()
            # what the player read ahead of the clock is still there; the backlog is not
            waiting = compat.player_queue_length(track.source)
            assert waiting is not None
            return waiting
        finally:
            track.stop()  # on the loop: the player's thread hands frames to it until then

    waiting = asyncio.run(stall_then_read())
    assert track.skipped > 0
    # the player reads up to 1.1 s (55 frames) ahead, 0.5 s (25) may be late; without
    # skipping ~200 would wait here
    assert waiting <= 110, waiting
