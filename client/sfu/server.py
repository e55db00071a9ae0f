"""The SFU's signaling server: TLS WebSocket endpoint, the guest page and the room registry."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from dataclasses import dataclass, field
from importlib import resources

import ifaddr
from aiohttp import web

from client import compat, log_filter
from client.netconfig import NetworkSettings
from client.protocol.link import MeetingLink, new_room_id, new_secret
from client.sfu.admission import Admission, Ticket
from client.sfu.connection import Connection
from client.sfu.http_guard import GuardedRequestHandler, add_security_headers, origin_allowed
from client.sfu.join_throttle import JoinThrottle
from client.sfu.listener import Listener, raise_open_file_limit
from client.sfu.room import HostedRoom
from client.sfu.seats import SeatWarden
from client.sfu.tls import ServerCertificate, generate_certificate

logger = logging.getLogger(__name__)

_ANY_ADDRESS = ("0.0.0.0", "::", "")


@dataclass(frozen=True)
class ServerSettings:
    listen_host: str = "0.0.0.0"
    port: int = 0
    advertised_host: str | None = None  # the host put into links; derived when None
    network: NetworkSettings = field(default_factory=NetworkSettings)
    heartbeat_seconds: float = 10.0
    max_message_bytes: int = 64 * 1024  # a frame of exactly this size is accepted
    # Per connection, over all namespaces; a chat or reaction flood is refused by the room's
    # own limits first (with an error), so only a client that ignores those is closed.
    message_rate: float = 20.0  # per second, sustained
    message_burst: float = 120.0
    max_participants: int = 50
    # Several people may share their screen at once (default: one presenter at a time).
    allow_multiple_presenters: bool = False
    # Connections that have not joined yet (strangers, until they prove the secret); the
    # overall cap is lowered to a quarter of the open-file limit when that is smaller.
    max_pending_connections: int = 256
    max_pending_per_source: int = 32


def _first_public_address() -> str:
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if isinstance(ip.ip, str) and not ipaddress.ip_address(ip.ip).is_loopback:
                return ip.ip
    return "127.0.0.1"


class SfuServer:
    """Hosts rooms; :meth:`create_room` returns the link participants join with."""

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self._rooms: dict[str, HostedRoom] = {}
        self._connections: set[web.WebSocketResponse] = set()
        self._runner: web.AppRunner | None = None
        self._listener: Listener | None = None
        self._wardens: dict[str, SeatWarden] = {}
        self._port = 0
        self.admission = Admission(
            settings.max_pending_connections, settings.max_pending_per_source
        )
        self.join_throttle = JoinThrottle()
        self.advertised_host = settings.advertised_host or (
            settings.network.bind_addresses[0]
            if settings.network.bind_addresses
            else settings.listen_host
            if settings.listen_host not in _ANY_ADDRESS
            else _first_public_address()
        )
        self.certificate: ServerCertificate = generate_certificate(self.advertised_host)

    @property
    def port(self) -> int:
        return self._port

    async def start(self) -> None:
        log_filter.install()  # a stranger who makes us repeat a line cannot fill the disk
        # browsers that stamp transport-wide sequence numbers get transport feedback
        compat.negotiate_transport_cc()
        open_files = raise_open_file_limit()
        if open_files:
            self.admission.max_pending = max(8, min(self.admission.max_pending, open_files // 4))
        app = web.Application(client_max_size=self.settings.max_message_bytes)
        app.on_response_prepare.append(add_security_headers)
        app.router.add_get("/signaling", self._signaling)
        app.router.add_get("/r/{room}", self._guest_page)
        # At shutdown, handlers still busy (a refused join waiting for its turn) are cancelled
        # after this, rather than holding the host up for aiohttp's default minute.
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=3.0
        )
        await self._runner.setup()
        server = self._runner.server
        assert server is not None
        loop = asyncio.get_running_loop()

        def protocol(ticket: Ticket) -> asyncio.Protocol:
            # Small header limits: 256 strangers' half-sent headers must not cost much memory.
            return GuardedRequestHandler(
                server,
                ticket,
                loop=loop,
                access_log=None,
                keepalive_timeout=5.0,
                max_line_size=4096,
                max_field_size=4096,
                max_headers=40,
            )

        self._listener = Listener(
            self.settings.listen_host or None,
            self.settings.port,
            self.certificate.ssl_context(),
            self.admission,
            protocol,
        )
        self._listener.start()
        self._port = self._listener.port
        logger.info(
            "signaling listens on %s:%d (open-file limit %d, at most %d unjoined connections)",
            self.settings.listen_host,
            self._port,
            open_files,
            self.admission.max_pending,
        )

    def create_room(self, waiting_room: bool = False) -> tuple[HostedRoom, MeetingLink]:
        """A new room; the link returned is the moderator link (``for_participants()`` is the
        one to invite with)."""
        room_id, secret, moderator_secret = new_room_id(), new_secret(), new_secret()
        room = HostedRoom.create(
            room_id,
            secret,
            self.settings.network,
            moderator_secret=moderator_secret,
            max_participants=self.settings.max_participants,
            allow_multiple_presenters=self.settings.allow_multiple_presenters,
        )
        room.conference.rules.waiting_room = waiting_room
        warden = SeatWarden(room.conference, room.media)
        room.conference.seat_keeper = warden
        self._wardens[room_id] = warden
        warden.start()

        def forget() -> None:  # ended by a moderator: forget the room and its secrets
            self._rooms.pop(room_id, None)
            stopped = self._wardens.pop(room_id, None)
            if stopped is not None:
                stopped.stop()

        room.conference.on_end = forget
        self._rooms[room_id] = room
        link = MeetingLink(
            host=self.advertised_host,
            port=self._port,
            room=room_id,
            secret=secret,
            fingerprint=self.certificate.fingerprint,
            moderator_secret=moderator_secret,
        )
        logger.info("room created: %s", link.redacted())
        return room, link

    def room(self, room_id: str) -> HostedRoom | None:
        return self._rooms.get(room_id)

    async def end_room(self, room: HostedRoom) -> None:
        """The host ended the meeting: tell everyone, then forget the room and its secret."""
        if self._rooms.pop(room.id, None) is not None:
            await room.conference.end("host_ended")

    async def stop(self) -> None:
        """End every meeting (participants are told), then close the server."""
        for room in list(self._rooms.values()):
            await room.conference.end("server_shutdown")
        self._rooms.clear()
        for warden in self._wardens.values():
            warden.stop()
        self._wardens.clear()
        if self._listener is not None:
            await self._listener.stop()
            self._listener = None
        for ws in list(self._connections):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _own_hosts(self) -> set[str]:
        hosts = {self.advertised_host, *self.settings.network.bind_addresses}
        if self.settings.listen_host not in _ANY_ADDRESS:
            hosts.add(self.settings.listen_host)
        return {h.strip("[]") for h in hosts}

    async def _signaling(self, request: web.Request) -> web.StreamResponse:
        if not origin_allowed(
            request.headers.get("Origin"), self._own_hosts(), self._port, request.host
        ):
            logger.info("refused a WebSocket from a page on another site")
            raise web.HTTPForbidden(text="this page may not connect to the meeting\n")
        ticket = getattr(request.protocol, "ticket", None)
        ws = web.WebSocketResponse(
            heartbeat=self.settings.heartbeat_seconds,
            # aiohttp refuses a message of exactly max_msg_size bytes; the protocol allows it.
            max_msg_size=self.settings.max_message_bytes + 1,
        )
        await ws.prepare(request)
        if isinstance(ticket, Ticket):
            ticket.upgraded = True  # the join deadline takes over
        self._connections.add(ws)
        try:
            connection = Connection(
                ws,
                self.room,
                self.settings.message_rate,
                self.settings.message_burst,
                source=ticket.source if isinstance(ticket, Ticket) else str(request.remote),
                throttle=self.join_throttle,
                on_joined=ticket.joined if isinstance(ticket, Ticket) else None,
            )
            await connection.run()
        finally:
            self._connections.discard(ws)
        return ws

    async def _guest_page(self, request: web.Request) -> web.Response:
        # The same page for every room name: it reveals nothing about which rooms exist.
        page = resources.files("client.sfu").joinpath("guest_page.html").read_text("utf-8")
        return web.Response(
            text=page,
            content_type="text/html",
            headers={
                "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; "
                "style-src 'unsafe-inline'",
                "Referrer-Policy": "no-referrer",
                "Cache-Control": "no-store",
            },
        )
