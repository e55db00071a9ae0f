"""Which layer of a camera a subscriber's downlink can carry: the decision, without any I/O.

Each layer's rate is measured where it arrives at the SFU (:class:`LayerRate`), and each
subscriber reports what its downlink can take (its REMB). :class:`DownlinkFit` keeps one
subscriber's estimate and picks the tallest layer under its ``set_preferred_layer`` limit that
the estimate carries. It goes down at once when the estimate falls under the current layer's
rate (a thin link queues and drops from the first second), but up only when the estimate
exceeds the taller layer's rate by :data:`UP_HEADROOM` for :data:`UP_HOLD` seconds running,
so an estimate wobbling around one layer's rate does not switch back and forth.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

ESTIMATE_TTL = 5.0  # seconds a subscriber's REMB counts (aiortc sends one about every second)
UP_HEADROOM = 1.25  # a taller layer needs this much more estimate than its rate
UP_HOLD = 2.0  # seconds the headroom must last before going up
RATE_WINDOW = 1.5  # seconds a layer's rate is measured over


@dataclass(frozen=True)
class Decision:
    """The layer (index into the arriving layers, ascending) and why, for the log."""

    index: int
    reason: str


class LayerRate:
    """One layer's arriving bit rate, from a byte counter read now and then."""

    def __init__(self) -> None:
        self._samples: deque[tuple[float, int]] = deque()

    def sample(self, total_bytes: int, now: float) -> None:
        self._samples.append((now, total_bytes))
        while len(self._samples) > 2 and now - self._samples[1][0] >= RATE_WINDOW:
            self._samples.popleft()

    @property
    def bits_per_second(self) -> int | None:
        """Over the last :data:`RATE_WINDOW` seconds or so; None until two samples."""
        if len(self._samples) < 2:
            return None
        (start, first), (end, last) = self._samples[0], self._samples[-1]
        if end <= start:
            return None
        return int((last - first) * 8 / (end - start))


class DownlinkFit:
    """One subscriber's downlink estimate, and the layer it carries (with hysteresis)."""

    def __init__(self) -> None:
        self._estimate: int | None = None
        self._estimate_at = 0.0
        self._up_since: float | None = None  # since when a taller layer has had headroom

    def note_estimate(self, bitrate: int, now: float) -> None:
        """The subscriber's REMB: bits per second its downlink takes."""
        self._estimate, self._estimate_at = bitrate, now

    def estimate(self, now: float) -> int | None:
        """The subscriber's estimate, None when it has sent none for :data:`ESTIMATE_TTL`."""
        if self._estimate is None or now - self._estimate_at >= ESTIMATE_TTL:
            return None
        return self._estimate

    def choose(
        self, rates: Sequence[int | None], ceiling: int, current: int | None, now: float
    ) -> Decision:
        """The layer to send, of layers ascending whose measured ``rates`` are given (None:
        not measured yet, taken to fit); ``ceiling`` is the tallest the subscriber wants,
        ``current`` the one it gets now (None: nothing yet)."""
        estimate = self.estimate(now)
        if estimate is None:
            self._up_since = None
            return Decision(ceiling, "preference")
        fitting = _tallest(rates, ceiling, estimate)
        if current is None or current > ceiling or fitting < current:
            self._up_since = None
            reason = "preference" if fitting == ceiling else "downlink"
            return Decision(fitting, reason)
        roomy = _tallest(rates, ceiling, estimate / UP_HEADROOM)
        if roomy <= current:
            self._up_since = None
            return Decision(current, "downlink" if current < ceiling else "preference")
        if self._up_since is None:
            self._up_since = now
        if now - self._up_since < UP_HOLD:
            return Decision(current, "downlink")
        self._up_since = None
        return Decision(roomy, "headroom")


def _tallest(rates: Sequence[int | None], ceiling: int, budget: float) -> int:
    """The tallest layer up to ``ceiling`` whose rate is within ``budget`` (else the first)."""
    chosen = 0
    for index in range(min(ceiling, len(rates) - 1) + 1):
        rate = rates[index]
        if rate is None or rate <= budget:
            chosen = index
    return chosen
