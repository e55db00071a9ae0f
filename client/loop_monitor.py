"""How responsive the event loop is: how late short timers fire, as percentiles per window.

With qasync the asyncio loop is Qt's event loop, so a late timer means the window did not
react for that long either (a paint, a click, a key). Nothing here imports Qt.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

import numpy as np

TICK = 0.02  # seconds between probes: cheap (50 wake-ups a second), fine enough for 50 ms


@dataclass(frozen=True)
class Responsiveness:
    """Lateness of the probe timers over one window, in milliseconds."""

    samples: int
    p50_ms: float
    p99_ms: float
    max_ms: float

    def __str__(self) -> str:
        return (
            f"timers late by p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, "
            f"max {self.max_ms:.1f} ms ({self.samples} probes)"
        )


class LoopMonitor:
    def __init__(self, tick: float = TICK) -> None:
        self._tick = tick
        self._late: list[float] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._probe())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def take_window(self) -> Responsiveness | None:
        """The percentiles since the last call; None before the first probe."""
        late, self._late = self._late, []
        if not late:
            return None
        values = np.array(late) * 1000.0
        return Responsiveness(
            samples=len(late),
            p50_ms=float(np.percentile(values, 50)),
            p99_ms=float(np.percentile(values, 99)),
            max_ms=float(values.max()),
        )

    async def _probe(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(self._tick)
            self._late.append(max(0.0, loop.time() - before - self._tick))
