"""How much audio a voice's playout buffer should hold, from how unevenly its frames arrive.

Each frame's relative delay is its arrival time minus its media time (RTP timestamp): on a
perfect link a constant, on a real one it spreads. The buffer must hold about the spread
between the quickest frames and nearly the slowest (the 97th percentile over the last few
seconds): a frame later than that is concealed instead of waited for. A clean LAN gives a
target near the minimum, a jittery link a larger one; after the link calms down the target
follows down as the window forgets the bad seconds.
"""

from __future__ import annotations

from collections import deque

import numpy as np

SAMPLE_RATE = 48000
WINDOW_FRAMES = 250  # ~5 s of 20 ms frames
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
        self._delays: deque[float] = deque(maxlen=WINDOW_FRAMES)
        self._since_recompute = 0

    def add(self, arrival_s: float, media_samples: int) -> float:
        """A frame arrived at ``arrival_s`` (monotonic) with media time ``media_samples``
        (48 kHz); returns the target in milliseconds."""
        delay = arrival_s - media_samples / SAMPLE_RATE
        if self._delays and abs(delay - self._delays[-1]) > NEW_TIMELINE_S:
            self._delays.clear()
        self._delays.append(delay)
        self._since_recompute += 1
        if self._since_recompute >= RECOMPUTE_EVERY and len(self._delays) >= RECOMPUTE_EVERY:
            self._since_recompute = 0
            delays = np.fromiter(self._delays, dtype=np.float64)
            self.spread_ms = float(np.quantile(delays, QUANTILE) - delays.min()) * 1000
            target = self.spread_ms + MARGIN_MS
            self.target_ms = min(self.max_target_ms, max(self.min_target_ms, target))
        return self.target_ms
