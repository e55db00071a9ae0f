"""The event-loop monitor sees a blocked loop, and a free one as free."""

from __future__ import annotations

import asyncio
import time

from client.loop_monitor import LoopMonitor


def test_a_blocking_call_shows_as_a_late_timer() -> None:
    async def scenario() -> None:
        monitor = LoopMonitor(tick=0.01)
        monitor.start()
        await asyncio.sleep(0.2)
        calm = monitor.take_window()
        time.sleep(0.15)  # noqa: ASYNC251 - blocking the loop is what this test does
        await asyncio.sleep(0.05)
        blocked = monitor.take_window()
        await monitor.stop()
        assert calm is not None and blocked is not None
        assert blocked.max_ms >= 120
        assert calm.max_ms < blocked.max_ms

    asyncio.run(scenario())
