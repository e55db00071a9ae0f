"""Refused joins cost a secret guesser time, per source address and per room.

A right secret is never slowed down, and a guesser's address does not slow anyone else's.
The numbers are documented in docs/protocol.md ("Admission").
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable

# Per source (an IPv4 address or an IPv6 /64): a few typos, then one refused join every 2 s.
SOURCE_BURST, SOURCE_RATE = 5.0, 0.5
# Per room, over all sources: beyond this, a refused join is answered late.
ROOM_BURST, ROOM_RATE = 20.0, 5.0
ROOM_DELAY = 1.0
_MAX_TRACKED = 10_000


class _Bucket:
    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.stamp = burst, now

    def refill(self, now: float) -> float:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return self.tokens

    def wait(self, now: float) -> float:
        """Seconds until one token is there (0: now)."""
        missing = 1.0 - self.refill(now)
        return max(0.0, missing / self.rate)


class JoinThrottle:
    """Remembers refused joins; tells when a source must wait and when an answer is late."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._sources: OrderedDict[str, _Bucket] = OrderedDict()
        self._rooms: OrderedDict[str, _Bucket] = OrderedDict()

    def wait_for(self, source: str) -> float:
        """Seconds this source must wait before a join of its is looked at (0: go ahead)."""
        bucket = self._sources.get(source)
        return bucket.wait(self._clock()) if bucket is not None else 0.0

    def refused(self, source: str, room: str) -> float:
        """Count one refused join; returns how late to answer it (the room is being guessed)."""
        now = self._clock()
        source_bucket = self._bucket(self._sources, source, SOURCE_RATE, SOURCE_BURST, now)
        source_bucket.tokens = max(0.0, source_bucket.refill(now) - 1.0)
        room_bucket = self._bucket(self._rooms, room, ROOM_RATE, ROOM_BURST, now)
        if room_bucket.refill(now) >= 1.0:
            room_bucket.tokens -= 1.0
            return 0.0
        return ROOM_DELAY

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


def wait_sentence(seconds: float) -> str:
    return (
        "too many refused joins from your address; "
        f"try again in {max(1, math.ceil(seconds))} seconds"
    )
