"""The app's loop reads every waiting datagram when it wakes, even while the window is busy."""

from __future__ import annotations

import asyncio
import socket
import time

from PySide6.QtWidgets import QApplication

from client.qt_loop import make_event_loop

DATAGRAMS = 100  # 100 bytes each: well inside a default socket receive buffer


def test_waiting_datagrams_are_read_while_the_window_keeps_the_loop_busy(
    qapp: QApplication,
) -> None:
    """Each pass of the loop also spends 20 ms elsewhere, as painting eight tiles does. Read
    one datagram per wake-up (asyncio's way under qasync), half a second takes about 25 of
    them; the app's loop takes all."""
    loop = make_event_loop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    received: list[bytes] = []

    class Counter(asyncio.DatagramProtocol):
        def datagram_received(self, data: bytes, addr: tuple[str | int, int]) -> None:
            received.append(data)

    async def scenario() -> None:
        transport, _ = await loop.create_datagram_endpoint(Counter, local_addr=("127.0.0.1", 0))
        port = transport.get_extra_info("sockname")[1]
        busy = True

        def paint() -> None:
            time.sleep(0.02)
            if busy:
                loop.call_soon(paint)

        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
            for number in range(DATAGRAMS):
                sender.sendto(number.to_bytes(2, "big") * 50, ("127.0.0.1", port))
        loop.call_soon(paint)
        await asyncio.sleep(0.5)
        busy = False
        transport.close()

    try:
        loop.run_until_complete(scenario())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    assert len(received) == DATAGRAMS
    assert [int.from_bytes(d[:2], "big") for d in received] == list(range(DATAGRAMS))
