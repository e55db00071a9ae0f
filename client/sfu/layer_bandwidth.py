"""Which layer of a camera a subscriber's downlink can carry: the decision, without any I/O.

Each layer's rate is measured where it arrives at the SFU (:class:`LayerRate`: now, and its
peak of the last seconds, as an encoder's output swings), and each subscriber reports what
its downlink can take (its REMB). :class:`DownlinkFit` keeps one subscriber's estimates and
picks the tallest layer under its ``set_preferred_layer`` limit that its link carries.

A receiver's REMB (aiortc's, as libwebrtc's) is no measure of its link: it starts at what
arrives, *falls* to 85% of what arrives when the delay grows (the link is full), and otherwise
rises by 8% a second, never above 1.5 times what arrives. So:

* down when the estimate has just fallen and stays under
  :data:`DOWN_MARGIN` of the current layer's rate for :data:`DOWN_HOLD` seconds: to the
  tallest layer whose peak the link carried (the estimate over :data:`DOWN_MARGIN`). An
  estimate still climbing after a switch up is no full link;
* up when the estimate exceeds a taller layer's peak by :data:`UP_HEADROOM` for
  :data:`UP_HOLD` seconds;
* and, since a subscriber on a small layer can never report room for a much taller one, up
  one layer as a *trial* when its link has not been full for a while (from
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
DOWN_MARGIN = 0.85  # a fallen estimate this far under the layer's rate says the link is full
FALL_MEMORY = 3.0  # seconds a fall of the estimate counts as the sign of a full link
FALL = 0.97  # an estimate under this part of the one before has fallen
DOWN_HOLD = 1.0  # seconds the link must stay full before going down
UP_HEADROOM = 1.25  # a taller layer needs this much more estimate than its peak rate
UP_HOLD = 2.0  # seconds the headroom must last before going up
RATE_WINDOW = 1.5  # seconds a layer's rate is measured over
PEAK_WINDOW = 6.0  # seconds over which a layer's peak rate is kept
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
        keep = PEAK_WINDOW + RATE_WINDOW
        while len(self._samples) > 2 and now - self._samples[1][0] >= keep:
            self._samples.popleft()

    @property
    def bits_per_second(self) -> int | None:
        """Over the last :data:`RATE_WINDOW` seconds or so; None until two samples."""
        return self._rate_to(len(self._samples) - 1)

    @property
    def peak(self) -> int | None:
        """The highest :attr:`bits_per_second` of the last :data:`PEAK_WINDOW` seconds."""
        rates = [self._rate_to(end) for end in range(1, len(self._samples))]
        measured = [rate for rate in rates if rate is not None]
        return max(measured) if measured else None

    def _rate_to(self, end: int) -> int | None:
        """The rate over about RATE_WINDOW seconds up to sample ``end``."""
        if end < 1:
            return None
        end_time, last = self._samples[end]
        start = end - 1
        while start > 0 and end_time - self._samples[start][0] < RATE_WINDOW:
            start -= 1
        start_time, first = self._samples[start]
        if end_time <= start_time:
            return None
        return int((last - first) * 8 / (end_time - start_time))


class DownlinkFit:
    """One subscriber's downlink estimate, and the layer it carries (with hysteresis)."""

    def __init__(self) -> None:
        self._estimate: int | None = None
        self._estimate_at = 0.0
        self._fell_at: float | None = None  # when the estimate last fell
        self._full_since: float | None = None  # since when the link has looked full
        self._up_since: float | None = None  # since when a taller layer has had headroom
        self._calm_since: float | None = None  # since when the link has not looked full
        self._trial_wait = TRIAL_FIRST
        self._trial_at: float | None = None  # when the last trial went up
        self._ceiling: int | None = None  # the tallest the subscriber wanted last time

    def note_estimate(self, bitrate: int, now: float) -> None:
        """The subscriber's REMB: bits per second its downlink takes."""
        # (a receiver's first estimate is what arrived: no sign of a full link by itself)
        if self._estimate is not None and bitrate < self._estimate * FALL:
            self._fell_at = now
        self._estimate, self._estimate_at = bitrate, now

    def estimate(self, now: float) -> int | None:
        """The subscriber's estimate, None when it has sent none for :data:`ESTIMATE_TTL`."""
        if self._estimate is None or now - self._estimate_at >= ESTIMATE_TTL:
            return None
        return self._estimate

    def choose(
        self,
        rates: Sequence[int | None],
        ceiling: int,
        current: int | None,
        now: float,
        peaks: Sequence[int | None] | None = None,
    ) -> Decision:
        """The layer to send, of layers ascending whose measured ``rates`` (and ``peaks``,
        the same when not given) are known (None: not measured yet, taken to fit);
        ``ceiling`` is the tallest the subscriber wants, ``current`` the one it gets now
        (None: nothing yet)."""
        peaks = rates if peaks is None else peaks
        wider = self._ceiling is not None and ceiling > self._ceiling
        self._ceiling = ceiling
        estimate = self.estimate(now)
        if estimate is None or current is None or current > ceiling:
            self._full_since = self._up_since = self._calm_since = None
            if estimate is None:
                return Decision(ceiling, "preference")
            fitting = _tallest(peaks, ceiling, estimate)
            return Decision(fitting, "preference" if fitting == ceiling else "downlink")
        if wider and current < ceiling:  # a wider tile: try what it wants at once
            return self._trial(ceiling, now, "preference")
        if self._link_full(rates[current], estimate, now) and current > 0:
            self._up_since = self._calm_since = None
            self._full_since = now if self._full_since is None else self._full_since
            if now - self._full_since < DOWN_HOLD:
                return Decision(current, "downlink")
            self._full_since = None
            if self._trial_at is not None and now - self._trial_at < TRIAL_PROVEN:
                self._trial_wait = min(self._trial_wait * 2, TRIAL_LONGEST)  # it failed
            self._trial_at = None
            # the tallest layer the link carried (not the smallest ever tried)
            return Decision(_tallest(peaks, current - 1, estimate / DOWN_MARGIN), "downlink")
        self._full_since = None
        if self._trial_at is not None and now - self._trial_at >= TRIAL_PROVEN:
            self._trial_wait, self._trial_at = TRIAL_FIRST, None  # it found room
        if current >= ceiling:
            self._up_since = self._calm_since = None
            return Decision(current, "preference")
        roomy = _tallest(peaks, ceiling, estimate / UP_HEADROOM)
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

    def _link_full(self, rate: int | None, estimate: int, now: float) -> bool:
        """The estimate fell lately (once the link looked full: still) and is well under
        what the layer sends."""
        if rate is None or estimate >= DOWN_MARGIN * rate:
            return False
        fell_lately = self._fell_at is not None and now - self._fell_at < FALL_MEMORY
        return fell_lately or self._full_since is not None

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
