"""aiortc's delay-based bandwidth estimator, with a rate counter that costs little per packet.

aiortc's ``RateCounter`` keeps one bucket per millisecond and, on every packet, walks over
each millisecond since the last one to empty it: ten or more Python loop turns per video
packet, the largest single cost of the SFU's feedback. :class:`RateWindow` counts the same
(the bytes of the last ``window_ms`` milliseconds, over the span it has seen) from a queue
of arrivals, touching each one twice.
"""

from __future__ import annotations

from collections import deque

from aiortc.rate import RemoteBitrateEstimator


class RateWindow:
    """What aiortc's ``RateCounter(window_ms, scale)`` answers, without per-millisecond work."""

    def __init__(self, window_ms: int, scale: int = 8000) -> None:
        self._window_ms = window_ms
        self._scale = scale
        self._arrivals: deque[tuple[int, int]] = deque()  # (ms, value)
        self._origin_ms: int | None = None
        self._count = 0
        self._total = 0

    def add(self, value: int, now_ms: int) -> None:
        if self._origin_ms is None:
            self._origin_ms = now_ms
        else:
            self._forget_before(now_ms)
        self._arrivals.append((now_ms, value))
        self._count += 1
        self._total += value

    def rate(self, now_ms: int) -> int | None:
        """``scale`` × the values of the window ÷ its span in ms (bits/s for bytes and 8000);
        None before two milliseconds have passed with something in them."""
        if self._origin_ms is None:
            return None
        self._forget_before(now_ms)
        span = now_ms - self._origin_ms + 1
        if self._count > 0 and span > 1:
            return round(self._scale * self._total / span)
        return None

    def reset(self) -> None:
        self._arrivals.clear()
        self._origin_ms = None
        self._count = 0
        self._total = 0

    def _forget_before(self, now_ms: int) -> None:
        origin = now_ms - self._window_ms + 1
        if self._origin_ms is not None and self._origin_ms >= origin:
            return
        self._origin_ms = origin
        arrivals = self._arrivals
        while arrivals and arrivals[0][0] < origin:
            _, value = arrivals.popleft()
            self._count -= 1
            self._total -= value


def delay_based_estimator() -> RemoteBitrateEstimator:
    """aiortc's REMB estimator (arrival-time trend, AIMD rate control), counting what arrived
    with a :class:`RateWindow`."""
    estimator = RemoteBitrateEstimator()
    estimator.incoming_bitrate = RateWindow(1000, 8000)  # type: ignore[assignment]
    return estimator
