"""A burst of datagrams read by a loop whose every pass also spends 20 ms elsewhere."""

from __future__ import annotations

import asyncio
import socket
import time

DATAGRAMS = 100  # 100 bytes each: well inside a default socket receive buffer


def datagrams_read_while_busy(loop: asyncio.AbstractEventLoop, seconds: float = 0.5) -> list[int]:
    """Sends DATAGRAMS to an endpoint on ``loop``, keeps the loop busy (as painting or per-packet
    work does) and returns the numbers of the datagrams read within ``seconds``. Read one per
    wake-up, half a second takes about 25 of them."""
    received: list[int] = []

    class Counter(asyncio.DatagramProtocol):
        def datagram_received(self, data: bytes, addr: tuple[str | int, int]) -> None:
            received.append(int.from_bytes(data[:2], "big"))

    async def scenario() -> None:
        transport, _ = await loop.create_datagram_endpoint(Counter, local_addr=("127.0.0.1", 0))
        port = transport.get_extra_info("sockname")[1]
        busy = True

        def work() -> None:
            time.sleep(0.02)
            if busy:
                loop.call_soon(work)

        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
            for number in range(DATAGRAMS):
                sender.sendto(number.to_bytes(2, "big") * 50, ("127.0.0.1", port))
        loop.call_soon(work)
        await asyncio.sleep(seconds)
        busy = False
        transport.close()

    loop.run_until_complete(scenario())
    return received
