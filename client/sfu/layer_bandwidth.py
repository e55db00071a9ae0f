"""Which layer of a camera a subscriber's downlink can carry: the decision, without any I/O.

Each layer's rate is measured where it arrives at the SFU (:class:`LayerRate`), and each
subscriber reports what its downlink can take (its REMB). :class:`DownlinkFit` keeps one
subscriber's estimate and picks the tallest layer under its ``set_preferred_layer`` limit that
the estimate carries.

A receiver's REMB (aiortc's, as libwebrtc's) is not a measure of its link: it starts at what
arrives, falls to 85% of what arrives when the delay grows (the link is full), and otherwise
rises by 8% a second, but never above 1.5 times what arrives. So:

* down when the estimate stays under :data:`DOWN_MARGIN` of the current layer's rate for
  :data:`DOWN_HOLD` seconds (a full link), to the tallest layer the estimate carries;
* up when the estimate exceeds the taller layer's rate by :data:`UP_HEADROOM` for
  :data:`UP_HOLD` seconds (it may, after a switch down that no full link caused);
* otherwise, since a subscriber on a small layer can never report room for a much taller one,
  up one layer as a *trial* after the estimate has shown no full link for a while (from
  :data:`TRIAL_FIRST` seconds, twice as long after each trial that had to come back down
  within :data:`TRIAL_PROVEN` seconds, up to :data:`TRIAL_LONGEST`). A wider tile
  (``set_preferred_layer``) is such a trial at once.

An estimate wobbling around one layer's rate thus does not switch back and forth.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

ESTIMATE_TTL = 5.0  # seconds a subscriber's REMB counts (aiortc sends one about every second)
DOWN_MARGIN = 0.85  # an estimate this far under the layer's rate says the link is full
# Seconds the estimate must stay under it: a keyframe lifts a rate measured over
# RATE_WINDOW seconds for that long, and a receiver's first estimate is what arrived.
DOWN_HOLD = 1.5
UP_HEADROOM = 1.25  # a taller layer needs this much more estimate than its rate
UP_HOLD = 2.0  # seconds the headroom must last before going up
RATE_WINDOW = 1.5  # seconds a layer's rate is measured over
TRIAL_FIRST = 12.0  # seconds without a full link before trying the next layer up
TRIAL_LONGEST = 120.0  # seconds between trials at most, after trials that failed
TRIAL_PROVEN = 10.0  # a trial that stays up this long has found room


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
        self._full_since: float | None = None  # since when the estimate says the link is full
        self._up_since: float | None = None  # since when a taller layer has had headroom
        self._calm_since: float | None = None  # since when the estimate says it is not full
        self._trial_wait = TRIAL_FIRST
        self._trial_at: float | None = None  # when the last trial went up
        self._ceiling: int | None = None  # the tallest the subscriber wanted last time

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
        wider = self._ceiling is not None and ceiling > self._ceiling
        self._ceiling = ceiling
        estimate = self.estimate(now)
        if estimate is None or current is None or current > ceiling:
            self._full_since = self._up_since = self._calm_since = None
            if estimate is None:
                return Decision(ceiling, "preference")
            fitting = _tallest(rates, ceiling, estimate)
            return Decision(fitting, "preference" if fitting == ceiling else "downlink")
        if wider and current < ceiling:  # a wider tile: try what it wants at once
            return self._trial(ceiling, now, "preference")
        rate = rates[current]
        if rate is not None and estimate < DOWN_MARGIN * rate and current > 0:
            self._up_since = self._calm_since = None
            if self._full_since is None:
                self._full_since = now
            if now - self._full_since < DOWN_HOLD:
                return Decision(current, "downlink")
            self._full_since = None
            if self._trial_at is not None and now - self._trial_at < TRIAL_PROVEN:
                self._trial_wait = min(self._trial_wait * 2, TRIAL_LONGEST)  # it failed
            self._trial_at = None
            return Decision(_tallest(rates, current - 1, estimate), "downlink")
        self._full_since = None
        if self._trial_at is not None and now - self._trial_at >= TRIAL_PROVEN:
            self._trial_wait, self._trial_at = TRIAL_FIRST, None  # it found room
        if current >= ceiling:
            self._up_since = self._calm_since = None
            return Decision(current, "preference")
        roomy = _tallest(rates, ceiling, estimate / UP_HEADROOM)
        if roomy > current:
            self._up_since = now if self._up_since is None else self._up_since
            if now - self._up_since >= UP_HOLD:
                self._up_since = self._calm_since = None
                return Decision(roomy, "headroom")
        else:
            self._up_since = None
        self._calm_since = now if self._calm_since is None else self._calm_since
        if now - self._calm_since >= self._trial_wait:
            return self._trial(current + 1, now, "trial")
        return Decision(current, "downlink")

    def _trial(self, index: int, now: float, reason: str) -> Decision:
        self._trial_at = now
        self._full_since = self._up_since = self._calm_since = None
        return Decision(index, reason)


def _tallest(rates: Sequence[int | None], ceiling: int, budget: float) -> int:
    """The tallest layer up to ``ceiling`` whose rate is within ``budget`` (else the first)."""
    chosen = 0
    for index in range(min(ceiling, len(rates) - 1) + 1):
        rate = rates[index]
        if rate is None or rate <= budget:
            chosen = index
    return chosen
