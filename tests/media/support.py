"""Helpers of the media tests: error collectors, remote tracks with scripted timing, waits."""

from __future__ import annotations

import asyncio
import fractions
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any

import av
import numpy as np
from aiortc import MediaStreamTrack

from client.media.playout import AudioPlayout

RATE = 48000
FRAME = 960  # 20 ms, as aiortc's Opus decoder hands them out


def run(coro: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(coro())


class Errors:
    """Collects ``on_error`` calls, which may come from a device thread."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.arrived = threading.Event()

    def __call__(self, message: str) -> None:
        self.messages.append(message)
        self.arrived.set()


class ScriptedTrack(MediaStreamTrack):
    """A remote voice whose timing the test controls: ``schedule(frame_index)`` is the delay
    (seconds, from the start) at which that 20 ms frame is handed out."""

    kind = "audio"

    def __init__(self, freq: int, schedule: Callable[[int], float]) -> None:
        super().__init__()
        self.delivered = 0
        self._schedule = schedule
        self._start: float | None = None
        t = np.arange(FRAME) / RATE
        self._freq = freq
        self._t = t

    async def recv(self) -> av.AudioFrame:
        if self._start is None:
            self._start = time.monotonic()
        delay = self._start + self._schedule(self.delivered) - time.monotonic()
        await asyncio.sleep(max(0.0, delay))
        phase = 2 * np.pi * self._freq * (self._t + self.delivered * FRAME / RATE)
        mono = (np.sin(phase) * 8000).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(
            np.repeat(mono, 2).reshape(1, -1), format="s16", layout="stereo"
        )
        frame.sample_rate = RATE
        frame.pts = self.delivered * FRAME
        frame.time_base = fractions.Fraction(1, RATE)
        self.delivered += 1
        return frame


async def playing(playout: AudioPlayout, within: float = 10.0) -> None:
    """Waits until the device plays steadily: the first stream of a process through ALSA's
    pulse plugin may pause for a second or two after its first few callbacks."""
    deadline = time.monotonic() + within
    while playout.stats().frames_played < 0.3 * RATE:
        if time.monotonic() > deadline:
            raise AssertionError(f"the speakers did not start within {within} s")
        await asyncio.sleep(0.05)
