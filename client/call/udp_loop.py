"""An asyncio loop that reads every waiting UDP datagram when a socket wakes it.

asyncio's datagram transport reads one datagram per wake-up. A loop that also does real work
per packet (SRTP, jitter buffers, forwarding) then serves each socket less often than packets
arrive: in a meeting with eight remote videos the receive queues filled (about 400 KB each),
pictures arrived seconds late, and ICE consent checks, which must be answered within half a
second, timed out and ended the streams after about 40 s. Reading what waits, up to a bound
so one flooded socket cannot starve the others, keeps the queues empty.
"""

from __future__ import annotations

import asyncio
import socket
from asyncio import selector_events
from typing import Any

MAX_DATAGRAMS_PER_WAKEUP = 64


class BatchReadingDatagramTransport(selector_events._SelectorDatagramTransport):  # type: ignore[name-defined,misc]
    def _read_ready(self) -> None:
        # asyncio's own _read_ready, repeated until the socket has nothing more.
        for _ in range(MAX_DATAGRAMS_PER_WAKEUP):
            if self._conn_lost:
                return
            try:
                data, addr = self._sock.recvfrom(self.max_size)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                self._protocol.error_received(exc)
                return
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException as exc:
                self._fatal_error(exc, "Fatal read error on datagram transport")
                return
            self._protocol.datagram_received(data, addr)


class BatchReadingMixin:
    """For a selector-based loop class: its datagram endpoints read in batches."""

    def _make_datagram_transport(
        self,
        sock: socket.socket,
        protocol: asyncio.DatagramProtocol,
        address: Any = None,
        waiter: asyncio.Future[None] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> asyncio.DatagramTransport:
        transport: asyncio.DatagramTransport = BatchReadingDatagramTransport(
            self, sock, protocol, address, waiter, extra
        )
        return transport


class BatchReadingEventLoop(BatchReadingMixin, asyncio.SelectorEventLoop):
    """The loop for media: the media thread's, and the headless host's and participant's."""
