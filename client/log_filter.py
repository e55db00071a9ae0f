"""A logging filter that lets a repeated line through a few times per interval, then counts it.

Qt-free so the host (``client.sfu``) can install it; a stranger who makes the host log the same
line on every loop pass must not be able to fill the disk.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable

INTERVAL_SECONDS = 60.0
LINES_PER_INTERVAL = 5
_MAX_KEYS = 1024  # distinct lines remembered; the oldest is forgotten first


class RepeatLimiter(logging.Filter):
    """Passes at most ``limit`` records per ``interval`` for each (logger, level, template);
    the first one let through after a quiet spell says how many were held back."""

    def __init__(
        self,
        limit: int = LINES_PER_INTERVAL,
        interval: float = INTERVAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.limit = limit
        self.interval = interval
        self._clock = clock
        # key -> [window start, passed in window, suppressed since last passed]
        self._seen: OrderedDict[tuple[str, int, str], list[float]] = OrderedDict()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.levelno, str(record.msg))
        now = self._clock()
        entry = self._seen.get(key)
        if entry is None:
            entry = [now, 0.0, 0.0]
            self._seen[key] = entry
            if len(self._seen) > _MAX_KEYS:
                self._seen.popitem(last=False)
        else:
            self._seen.move_to_end(key)
        if now - entry[0] >= self.interval:
            entry[0], entry[1] = now, 0.0
        if entry[1] >= self.limit:
            entry[2] += 1
            return False
        entry[1] += 1
        if entry[2]:
            # Said once, with the count, instead of every copy.
            record.msg = f"{record.msg} ({int(entry[2])} similar lines suppressed)"
            entry[2] = 0.0
        return True


_installed: RepeatLimiter | None = None


def install() -> RepeatLimiter:
    """Put the one shared limiter on every handler of the root logger (idempotent)."""
    global _installed
    if _installed is None:
        _installed = RepeatLimiter()
    for handler in logging.getLogger().handlers:
        if _installed not in handler.filters:
            handler.addFilter(_installed)
    return _installed
