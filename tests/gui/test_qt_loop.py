"""The window's loop reads every waiting datagram when it wakes, even while it is busy."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QApplication

from client.qt_loop import make_event_loop
from tests.udp_burst import DATAGRAMS, datagrams_read_while_busy


def test_waiting_datagrams_are_read_while_the_window_keeps_the_loop_busy(
    qapp: QApplication,
) -> None:
    loop = make_event_loop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    try:
        assert datagrams_read_while_busy(loop) == list(range(DATAGRAMS))
    finally:
        loop.close()
        asyncio.set_event_loop(None)
