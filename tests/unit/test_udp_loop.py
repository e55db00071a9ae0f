"""The media loop reads every waiting datagram when it wakes, even while it is busy."""

from __future__ import annotations

import asyncio

from client.call.udp_loop import BatchReadingEventLoop
from tests.udp_burst import DATAGRAMS, datagrams_read_while_busy


def test_waiting_datagrams_are_read_while_the_loop_is_busy() -> None:
    loop = BatchReadingEventLoop()
    try:
        assert datagrams_read_while_busy(loop) == list(range(DATAGRAMS))
    finally:
        loop.close()


def test_a_plain_loop_reads_one_per_wake_up() -> None:
    """Why the batch loop exists: this asyncio behaviour is what starved the sockets."""
    loop = asyncio.SelectorEventLoop()
    try:
        assert len(datagrams_read_while_busy(loop)) < DATAGRAMS // 2
    finally:
        loop.close()
