"""Refused joins cost a secret guesser time, per source address and per room.

A refused join is answered only when its source's (and its room's) budget allows: beyond a
small burst the answer waits, so guesses are answered at a fixed rate however many
connections ask. A right secret is never slowed down, and a guesser's address or room does
not slow anyone else. The numbers are documented in docs/protocol.md ("Admission").
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

# Per source (an IPv4 address or an IPv6 /64): a few typos, then one answer every 2 s.
SOURCE_BURST, SOURCE_RATE = 5.0, 0.5
# Per room, over all sources.
ROOM_BURST, ROOM_RATE = 20.0, 5.0
# A refusal that would have to wait longer is not answered: the connection is closed.
MAX_WAIT = 30.0
_MAX_TRACKED = 10_000


class _Bucket:
    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.stamp = burst, now

    def refill(self, now: float) -> float:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return self.tokens


class JoinThrottle:
    """Hands out the times at which refused joins may be answered."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._sources: OrderedDict[str, _Bucket] = OrderedDict()
        self._rooms: OrderedDict[str, _Bucket] = OrderedDict()

    def refusal_delay(self, source: str, room: str) -> float | None:
        """Count one refused join; seconds to wait before answering it, or None when the
        wait would be too long (then close the connection without an answer)."""
        now = self._clock()
        buckets = (
            self._bucket(self._sources, source, SOURCE_RATE, SOURCE_BURST, now),
            self._bucket(self._rooms, room, ROOM_RATE, ROOM_BURST, now),
        )
        for bucket in buckets:  # a token may go negative: a reserved future answer
            bucket.refill(now)
            bucket.tokens -= 1.0
        wait = max(max(0.0, -b.tokens / b.rate) for b in buckets)
        if wait > MAX_WAIT:
            for bucket in buckets:
                bucket.tokens += 1.0
            return None
        return wait

    def _bucket(
        self, buckets: OrderedDict[str, _Bucket], key: str, rate: float, burst: float, now: float
    ) -> _Bucket:
        bucket = buckets.get(key)
        if bucket is None:
            bucket = buckets[key] = _Bucket(rate, burst, now)
            while len(buckets) > _MAX_TRACKED:
                buckets.popitem(last=False)
        else:
            buckets.move_to_end(key)
        return bucket
