"""The app's asyncio loop on Qt (qasync), reading UDP in batches.

qasync wakes a datagram transport through a QSocketNotifier and a zero-delay timer, and
asyncio's transport reads one datagram per wake-up. With eight remote videos (over a
hundred packets per second each) and a loop that also paints, that is slower than packets
arrive: the receive queues of the app's sockets filled (400 KB each), pictures arrived
seconds late, and ICE consent checks timed out, which ended the streams after about 40 s.
Reading what waits, up to a bound so one flooded socket cannot starve the window, keeps the
queues empty. Must be imported with ``QT_API`` set (qasync picks its Qt binding then).
"""

from __future__ import annotations

import asyncio
import os
import socket
from asyncio import selector_events
from typing import Any

import qasync
from PySide6.QtCore import QCoreApplication

MAX_DATAGRAMS_PER_WAKEUP = 64


class _BatchReadingDatagramTransport(selector_events._SelectorDatagramTransport):  # type: ignore[name-defined,misc]
    def _read_ready(self) -> None:
        # asyncio's own _read_ready, in a loop until the socket has nothing more.
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


class _BatchReadingLoop(qasync.QSelectorEventLoop):  # type: ignore[misc]
    def _make_datagram_transport(
        self,
        sock: socket.socket,
        protocol: asyncio.DatagramProtocol,
        address: Any = None,
        waiter: asyncio.Future[None] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> asyncio.DatagramTransport:
        transport: asyncio.DatagramTransport = _BatchReadingDatagramTransport(
            self, sock, protocol, address, waiter, extra
        )
        return transport


def make_event_loop(app: QCoreApplication, **options: Any) -> qasync.QEventLoop:
    """The loop the app runs on. On Windows qasync's IOCP loop reads differently and is
    used as it is."""
    if os.name == "nt":
        return qasync.QEventLoop(app, **options)
    return _BatchReadingLoop(app, **options)
