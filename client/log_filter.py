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
LINES_PER_INTERVAL = 5  # the same line, word for word
TEMPLATE_LINES_PER_INTERVAL = 60  # lines from one format string with varying values
_MAX_KEYS = 1024  # distinct lines remembered; the oldest is forgotten first


class RepeatLimiter(logging.Filter):
    """Passes at most ``limit`` copies of one line and ``template_limit`` lines of one format
    string per ``interval`` for each logger and level; the first line let through after a
    quiet spell says how many were held back."""

    def __init__(
        self,
        limit: int = LINES_PER_INTERVAL,
        interval: float = INTERVAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        template_limit: int = TEMPLATE_LINES_PER_INTERVAL,
    ) -> None:
        super().__init__()
        self.limit = limit
        self.template_limit = template_limit
        self.interval = interval
        self._clock = clock
        # key -> [window start, passed in window, suppressed since last passed]
        self._seen: OrderedDict[tuple[str, str, int, str], list[float]] = OrderedDict()

    def _entry(self, key: tuple[str, str, int, str], now: float) -> list[float]:
        entry = self._seen.get(key)
        if entry is None:
            entry = self._seen[key] = [now, 0.0, 0.0]
            if len(self._seen) > _MAX_KEYS:
                self._seen.popitem(last=False)
        else:
            self._seen.move_to_end(key)
        if now - entry[0] >= self.interval:
            entry[0], entry[1] = now, 0.0
        return entry

    def filter(self, record: logging.LogRecord) -> bool:
        # One verdict per record: it passes every handler (file, console) through this filter.
        verdict = record.__dict__.get("repeat_verdict")
        if not isinstance(verdict, bool):
            verdict = self._decide(record)
            setattr(record, "repeat_verdict", verdict)  # noqa: B010
        return verdict

    def _decide(self, record: logging.LogRecord) -> bool:
        now = self._clock()
        try:
            line = record.getMessage()
        except (TypeError, ValueError):  # a broken format: let logging report it
            return True
        template = self._entry(("template", record.name, record.levelno, str(record.msg)), now)
        exact = self._entry(("line", record.name, record.levelno, line), now)
        if template[1] >= self.template_limit or exact[1] >= self.limit:
            template[2] += 1
            return False
        template[1] += 1
        exact[1] += 1
        if template[2]:
            # Said once, with the count, instead of every copy.
            record.msg, record.args = f"{line} ({int(template[2])} similar lines suppressed)", None
            template[2] = 0.0
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
