"""How much audio a voice's playout buffer should hold, from how unevenly its frames arrive.

Each frame's delay is its arrival time minus its media time (RTP timestamp): on a perfect
link a constant, on a real one it spreads. Measured against the quickest frame of the last
two seconds (so a sender's clock drifting against ours, or a step when its sound card
skipped, is not mistaken for jitter), a frame is "late" by some milliseconds. The buffer
must hold about what nearly every frame is late by: the 97th percentile over the last few
seconds; a frame later than that is concealed instead of waited for. A clean LAN gives a
target near the minimum, a jittery link a larger one; after the link calms down the target
follows down as the window forgets the bad seconds.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection

SAMPLE_RATE = 48000
WINDOW_FRAMES = 250  # ~5 s of 20 ms frames
BASELINE_FRAMES = 100  # ~2 s: the quickest frame of these is "on time"
QUANTILE = 0.97
MARGIN_MS = 10.0  # one sound-card pull: frames arrive whole, the card takes 10 ms at a time
NEW_TIMELINE_S = 1.0  # a jump in relative delay this large is a new stream, not jitter
RECOMPUTE_EVERY = 10  # frames between recomputing the quantile (it sorts the window)


class ArrivalJitter:
    """Relative delays of one voice's frames, and the buffer target they call for."""

    def __init__(self, min_target_ms: float, max_target_ms: float, start_ms: float) -> None:
        self.min_target_ms = min_target_ms
        self.max_target_ms = max_target_ms
        self.target_ms = start_ms
        self.spread_ms = 0.0
        self._lateness: deque[float] = deque(maxlen=WINDOW_FRAMES)
        # (index, delay) with increasing delays: the front is the window's minimum
        self._quickest: deque[tuple[int, float]] = deque()
        self._count = 0
        self._last_delay: float | None = None
        self._since_recompute = 0

    def add(self, arrival_s: float, media_samples: int) -> float:
        """A frame arrived at ``arrival_s`` (monotonic) with media time ``media_samples``
        (48 kHz); returns the target in milliseconds."""
        delay = arrival_s - media_samples / SAMPLE_RATE
        if self._last_delay is not None and abs(delay - self._last_delay) > NEW_TIMELINE_S:
            self._lateness.clear()
            self._quickest.clear()
        self._last_delay = delay
        self._count += 1
        while self._quickest and self._quickest[-1][1] >= delay:
            self._quickest.pop()
        self._quickest.append((self._count, delay))
        if self._quickest[0][0] <= self._count - BASELINE_FRAMES:
            self._quickest.popleft()
        self._lateness.append(delay - self._quickest[0][1])
        self._since_recompute += 1
        if self._since_recompute >= RECOMPUTE_EVERY and len(self._lateness) >= RECOMPUTE_EVERY:
            self._since_recompute = 0
            self.spread_ms = quantile(self._lateness, QUANTILE) * 1000
            target = self.spread_ms + MARGIN_MS
            self.target_ms = min(self.max_target_ms, max(self.min_target_ms, target))
        return self.target_ms


def quantile(values: Collection[float], q: float) -> float:
    """numpy's default (linear) quantile of ``values``, a non-empty window of a few hundred.

    Sorting in Python is 9x cheaper here than ``np.quantile`` (13 against 123 µs for 250
    values), whose argument handling costs more than the sort; it runs for every voice on
    the media loop.
    """
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)
