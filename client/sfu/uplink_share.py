"""A publisher's uplink, shared by the layers of its camera.

The layers of one camera cross the same link to the SFU. Each layer's own arrival estimate
would let each of them fill that link, and together they would overflow it. So the layers of
a publication feed one estimator (aiortc's, over all their SSRCs), and each layer is told
what the estimate leaves after the taller layers' current rates (:meth:`UplinkShare.share_of`):
the top layer is told the whole estimate, as a camera in one layer would be (its sender pauses
it under the video floor, client/call/video_floor.py, and its receivers then get the next
layer, :class:`client.sfu.layers.LayerWatch`), and the smaller layers share the rest, down to
their encoders' minimum.
"""

from __future__ import annotations

from client.sfu.arrival_estimate import delay_based_estimator

RATE_WINDOW_MS = 1000  # a layer's rate is measured over about this long
MIN_SHARE = 30_000  # bits/s: what a layer is told at least (as a REMB)


class _RateMeter:
    __slots__ = ("bytes", "height", "rate", "start_ms")

    def __init__(self, height: int) -> None:
        self.height = height
        self.bytes = 0
        self.start_ms: int | None = None
        self.rate = 0  # bits/s over the last full window


class UplinkShare:
    """One arrival estimate for all layers of a publication, and each layer's part of it."""

    def __init__(self) -> None:
        self._estimator = delay_based_estimator()
        self.total: int | None = None  # bits/s the uplink carries, all layers together
        self._meters: dict[int, _RateMeter] = {}  # id(member) -> its rate

    def join(self, member: object, height: int) -> None:
        """``member`` is the layer ``height`` rows tall."""
        self._meters[id(member)] = _RateMeter(height)

    def add(
        self, member: object, arrival_time_ms: int, abs_send_time: int | None, size: int, ssrc: int
    ) -> bool:
        """A media packet of ``member`` (one layer) arrived; True when the estimate changed."""
        meter = self._meters[id(member)]
        if meter.start_ms is None:
            meter.start_ms = arrival_time_ms
        elapsed = arrival_time_ms - meter.start_ms
        if elapsed >= RATE_WINDOW_MS:
            meter.rate = meter.bytes * 8000 // elapsed
            meter.bytes, meter.start_ms = 0, arrival_time_ms
        meter.bytes += size
        if abs_send_time is None:
            return False
        estimate = self._estimator.add(
            arrival_time_ms=arrival_time_ms,
            abs_send_time=abs_send_time,
            payload_size=size,
            ssrc=ssrc,
        )
        if estimate is None:
            return False
        self.total = estimate[0]
        return True

    def share_of(self, member: object) -> int | None:
        """What the estimate leaves ``member`` after the taller layers' rates (None before
        the first estimate)."""
        if self.total is None:
            return None
        height = self._meters[id(member)].height
        taller = sum(m.rate for m in self._meters.values() if m.height > height)
        return max(MIN_SHARE, self.total - taller)
