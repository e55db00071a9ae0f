"""The signaling port's own accept loop: admission before aiohttp sees a byte.

asyncio's server retries ``accept()`` on every loop pass when the process is out of file
descriptors and logs each failure with a traceback; this loop backs off instead, says so once
per interval, and sheds the oldest unjoined connection so a real participant can get in.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import ssl
import sys
import time
from collections.abc import Callable, Coroutine
from typing import Any

from client.sfu.admission import HANDSHAKE_DEADLINE, Admission, Ticket

logger = logging.getLogger(__name__)

_OUT_OF_RESOURCES = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}
_GONE_BEFORE_ACCEPT = {errno.ECONNABORTED, errno.EPROTO, errno.ECONNRESET}
_REPORT_EVERY = 10.0  # seconds between "out of file descriptors" lines
_BACKOFF_FIRST, _BACKOFF_MAX = 0.05, 1.0
BACKLOG = 1024  # a burst of strangers must not push a real SYN out of the queue

ProtocolFactory = Callable[[Ticket], asyncio.Protocol]


def raise_open_file_limit() -> int:
    """Raise the soft limit on open files to the hard limit; returns the soft limit now."""
    if sys.platform == "win32":
        return 0
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 1 << 20
    # An unlimited hard limit (macOS) is not a valid soft limit: ask for plenty instead.
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError) as exc:
            logger.warning("could not raise the open-file limit to %s: %s", target, exc)
    return int(soft)


def _listening_sockets(host: str | None, port: int) -> list[socket.socket]:
    """Bound, listening, non-blocking sockets; with no host, IPv4 and IPv6 on the same port."""
    infos = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP, flags=socket.AI_PASSIVE
    )
    sockets: list[socket.socket] = []
    seen: set[tuple[int, str]] = set()
    try:
        for family, kind, proto, _, address in infos:
            if (family, str(address[0])) in seen:
                continue
            seen.add((family, str(address[0])))
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            if sockets[0] is not sock:  # the others share the first one's (maybe random) port
                address = (address[0], sockets[0].getsockname()[1], *address[2:])
            sock.bind(address)
            sock.listen(BACKLOG)
            sock.setblocking(False)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


class Listener:
    """Accepts TCP connections, gives each a ticket, and runs TLS with a handshake deadline."""

    def __init__(
        self,
        host: str | None,
        port: int,
        ssl_context: ssl.SSLContext,
        admission: Admission,
        protocol_factory: ProtocolFactory,
    ) -> None:
        self._host, self._requested_port = host, port
        self._ssl = ssl_context
        self.admission = admission
        self._factory = protocol_factory
        self.sockets: list[socket.socket] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._starved_since: float | None = None
        self._failed_accepts = 0
        self._last_report = 0.0

    @property
    def port(self) -> int:
        return int(self.sockets[0].getsockname()[1]) if self.sockets else self._requested_port

    def start(self) -> None:
        self.sockets = _listening_sockets(self._host, self._requested_port)
        for sock in self.sockets:
            self._spawn(self._accept_forever(sock))

    async def stop(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for sock in self.sockets:
            sock.close()
        self.sockets = []

    def _spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _accept_forever(self, sock: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        backoff = _BACKOFF_FIRST
        while True:
            try:
                conn, address = await loop.sock_accept(sock)
            except OSError as exc:
                if exc.errno in _GONE_BEFORE_ACCEPT:  # the peer reset while queued: next one
                    continue
                if exc.errno not in _OUT_OF_RESOURCES:
                    logger.warning("accepting a connection failed: %s", exc.strerror or exc)
                    await asyncio.sleep(_BACKOFF_FIRST)
                    continue
                self._out_of_resources(exc)
                # Free a descriptor held by a stranger, then wait before trying again.
                self.admission.shed_one()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, _BACKOFF_MAX)
                continue
            backoff = _BACKOFF_FIRST
            self._resources_back()
            ticket = self.admission.admit(str(address[0]))
            if ticket is None:
                conn.close()
                continue
            self._spawn(self._serve(conn, ticket))

    async def _serve(self, conn: socket.socket, ticket: Ticket) -> None:
        loop = asyncio.get_running_loop()
        handshake = asyncio.current_task()
        assert handshake is not None

        def cancel_handshake() -> None:
            handshake.cancel()

        ticket.close = cancel_handshake
        conn.setblocking(False)
        try:
            transport, _ = await loop.connect_accepted_socket(
                lambda: self._factory(ticket),
                conn,
                ssl=self._ssl,
                ssl_handshake_timeout=HANDSHAKE_DEADLINE,
                ssl_shutdown_timeout=2.0,  # a peer that never says goodbye holds no descriptor
            )
        except (OSError, ssl.SSLError, TimeoutError, asyncio.CancelledError) as exc:
            # A failed or cancelled handshake: asyncio closed the socket already.
            conn.close()
            ticket.closed()
            logger.debug("TLS handshake with %s failed: %r", ticket.source, exc)
            return
        if not ticket.pending:  # shed or timed out while the handshake finished
            transport.abort()
            return
        ticket.close = transport.abort

    def _out_of_resources(self, exc: OSError) -> None:
        now = time.monotonic()
        self._failed_accepts += 1
        if self._starved_since is None:
            self._starved_since = now
        if now - self._last_report >= _REPORT_EVERY:
            self._last_report = now
            logger.error(
                "cannot accept connections: %s (%d attempts failed; backing off, "
                "closing unjoined connections)",
                exc.strerror or exc,
                self._failed_accepts,
            )

    def _resources_back(self) -> None:
        if self._starved_since is not None:
            logger.warning(
                "accepting connections again after %.1f s without file descriptors",
                time.monotonic() - self._starved_since,
            )
            self._starved_since = None
            self._failed_accepts = 0
