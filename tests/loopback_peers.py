"""Running two aiortc peers in one test: candidates on 127.0.0.1 only, and waiting for a
condition the peers reach on their own."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

from client import compat


def run_on_loopback(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """``asyncio.run(scenario())`` with ICE gathering on 127.0.0.1 alone."""
    compat.set_host_addresses(lambda use_ipv4, use_ipv6: ["127.0.0.1"] if use_ipv4 else [])
    try:
        asyncio.run(scenario())
    finally:
        compat.set_host_addresses(None)


async def until(condition: Callable[[], bool]) -> None:
    """Return once ``condition()`` holds; fail after 10 s."""
    deadline = time.monotonic() + 10.0
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)
