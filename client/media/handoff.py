"""A bounded hand-over from a device thread to a coroutine that drops the oldest when full."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from typing import Generic, TypeVar

from aiortc.mediastreams import MediaStreamError

T = TypeVar("T")


class Handoff(Generic[T]):
    """Items put by a capture thread, taken by recv() on the event loop.

    A device delivers at its own pace whether or not anyone reads: when ``maxlen`` items wait,
    the oldest is dropped (``dropped`` counts them), so a slow reader gets fresh media rather
    than a growing backlog.
    """

    def __init__(self, maxlen: int) -> None:
        self.dropped = 0
        self._items: deque[T] = deque()
        self._maxlen = maxlen
        self._lock = threading.Lock()
        self._closed = False
        self._waiter: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None

    def __len__(self) -> int:
        return len(self._items)

    def put(self, item: T) -> None:
        """From any thread."""
        with self._lock:
            if len(self._items) >= self._maxlen:
                self._items.popleft()
                self.dropped += 1
            self._items.append(item)
            waiter, self._waiter = self._waiter, None
        _wake(waiter)

    def close(self) -> None:
        """Wakes the reader; get() raises MediaStreamError from now on."""
        with self._lock:
            self._closed = True
            waiter, self._waiter = self._waiter, None
        _wake(waiter)

    async def get(self) -> T:
        """The oldest item; waits for one."""
        while True:
            item = await self.get_within(None)
            if item is not None:
                return item

    async def get_within(self, seconds: float | None) -> T | None:
        """The oldest item, or None when none came within ``seconds`` (None: no limit)."""
        loop = asyncio.get_running_loop()
        deadline = None if seconds is None else loop.time() + seconds
        while True:
            with self._lock:
                if self._closed:
                    raise MediaStreamError
                if self._items:
                    return self._items.popleft()
                event = asyncio.Event()
                self._waiter = (loop, event)
            if deadline is not None and loop.time() >= deadline:
                return None
            # A timer rather than asyncio.wait_for: on Python 3.11 wait_for can swallow a
            # cancellation that arrives as the item does, and the reader never stops.
            timer = None if deadline is None else loop.call_at(deadline, event.set)
            try:
                await event.wait()
            finally:
                if timer is not None:
                    timer.cancel()


def _wake(waiter: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None) -> None:
    if waiter is None:
        return
    loop, event = waiter
    with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
        loop.call_soon_threadsafe(event.set)
