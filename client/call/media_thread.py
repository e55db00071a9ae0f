"""An asyncio loop in a thread of its own for everything that carries media.

The desktop app's main loop is Qt's (qasync): it paints, and while it paints nothing else
runs there. Packets, ICE consent checks, the camera's encode-and-send cycle and the embedded
SFU need a loop that answers within milliseconds, so they run here; the window talks to them
through :meth:`MediaThread.run` and hears back through its own loop or Qt signals.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from client.call.udp_loop import BatchReadingEventLoop

logger = logging.getLogger(__name__)

T = TypeVar("T")

STOP_TIMEOUT_S = 5.0


class MediaThread:
    """Owns the media loop and its thread; :meth:`stop` ends both."""

    def __init__(self, name: str = "runde-media") -> None:
        self.loop: asyncio.AbstractEventLoop = BatchReadingEventLoop()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Start ``coro`` on the media loop, from any thread."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    async def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Await ``coro`` on the media loop from another loop; cancelling this cancels it."""
        return await asyncio.wrap_future(self.submit(coro))

    def call(self, callback: Callable[..., object], *args: object) -> None:
        """Run ``callback(*args)`` on the media loop, from any thread."""
        self.loop.call_soon_threadsafe(callback, *args)

    def stop(self) -> None:
        """Cancel what still runs there, then end the thread."""
        if not self._thread.is_alive():
            return

        async def cancel_all() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            loop = asyncio.get_running_loop()
            await loop.shutdown_asyncgens()
            await loop.shutdown_default_executor()  # the encoders' threads

        try:
            self.submit(cancel_all()).result(STOP_TIMEOUT_S)
        except (concurrent.futures.TimeoutError, RuntimeError):
            logger.warning("media tasks did not end in time")
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(STOP_TIMEOUT_S)
        if not self._thread.is_alive():
            self.loop.close()


async def run_on(thread: MediaThread | None, coro: Coroutine[Any, Any, T]) -> T:
    """Await ``coro`` on ``thread``'s loop, or right here without one."""
    return await (thread.run(coro) if thread is not None else coro)
