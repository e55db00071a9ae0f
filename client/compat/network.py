"""aioice's host addresses, aiohttp's sockets, PortAudio's restart, asyncio's datagram reading."""

from __future__ import annotations

import asyncio
import socket
from asyncio import selector_events
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

import aioice.ice

if TYPE_CHECKING:
    from aiohttp import web


class HostAddressLookup(Protocol):
    """aioice's ``get_host_addresses``: the addresses to gather host candidates on (aioice
    passes both arguments by keyword)."""

    def __call__(self, use_ipv4: bool, use_ipv6: bool) -> list[str]: ...


# --- aioice -----------------------------------------------------------------------------------

_aioice_host_addresses: list[HostAddressLookup] = []  # aioice's own lookup, once replaced


def set_host_addresses(lookup: HostAddressLookup | None) -> None:
    """Make ICE in this whole process gather host candidates on what ``lookup`` returns; None
    restores aioice's own choice. aioice has no per-connection setting."""
    if not _aioice_host_addresses:
        _aioice_host_addresses.append(aioice.ice.get_host_addresses)
    aioice.ice.get_host_addresses = lookup if lookup is not None else _aioice_host_addresses[0]


# --- aiohttp, sounddevice ---------------------------------------------------------------------


def listening_sockets(site: web.BaseSite) -> list[socket.socket]:
    """The sockets a started aiohttp site listens on (empty before it started)."""
    server = site._server
    return list(getattr(server, "sockets", None) or [])


def restart_portaudio(sd: ModuleType) -> None:
    """Terminate and initialise PortAudio again, so that it lists devices anew. ``sd`` is the
    sounddevice module; its errors (``OSError``, ``sd.PortAudioError``) pass through."""
    sd._terminate()
    sd._initialize()


# --- asyncio ----------------------------------------------------------------------------------


class _BatchReadingDatagramTransport(selector_events._SelectorDatagramTransport):  # type: ignore[name-defined,misc]
    def __init__(self, max_datagrams: int, *args: Any) -> None:
        self._runde_max_datagrams = max_datagrams
        super().__init__(*args)

    def _read_ready(self) -> None:
        # asyncio's own _read_ready, repeated until the socket has nothing more.
        for _ in range(self._runde_max_datagrams):
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


class BatchReadingDatagrams:
    """Mixin for a selector event loop class: when a datagram socket wakes the loop, its
    transport reads up to ``max_datagrams_per_wakeup`` datagrams (asyncio reads one)."""

    max_datagrams_per_wakeup = 1

    def _make_datagram_transport(
        self,
        sock: socket.socket,
        protocol: asyncio.DatagramProtocol,
        address: Any = None,
        waiter: asyncio.Future[None] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> asyncio.DatagramTransport:
        transport: asyncio.DatagramTransport = _BatchReadingDatagramTransport(
            self.max_datagrams_per_wakeup, self, sock, protocol, address, waiter, extra
        )
        return transport
