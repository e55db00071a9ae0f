"""The SFU's signaling server: TLS WebSocket endpoint, the guest page and the room registry."""

from __future__ import annotations

import ipaddress
import logging
import socket
from dataclasses import dataclass, field
from importlib import resources

import ifaddr
from aiohttp import web

from client import compat
from client.netconfig import NetworkSettings
from client.protocol.link import MeetingLink, new_room_id, new_secret
from client.sfu.connection import Connection
from client.sfu.room import HostedRoom
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
    max_message_bytes: int = 64 * 1024
    # Per connection, over all namespaces; a chat or reaction flood is refused by the room's
    # own limits first (with an error), so only a client that ignores those is closed.
    message_rate: float = 20.0  # per second, sustained
    message_burst: float = 120.0
    max_participants: int = 50
    # Several people may share their screen at once (default: one presenter at a time).
    allow_multiple_presenters: bool = False


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
        self._port = 0
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
        app = web.Application(client_max_size=self.settings.max_message_bytes)
        app.router.add_get("/signaling", self._signaling)
        app.router.add_get("/r/{room}", self._guest_page)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(
            self._runner,
            self.settings.listen_host or None,
            self.settings.port,
            ssl_context=self.certificate.ssl_context(),
            reuse_address=True,
        )
        await site.start()
        sockets = compat.listening_sockets(site)
        self._port = next(
            (s.getsockname()[1] for s in sockets if s.family in (socket.AF_INET, socket.AF_INET6)),
            self.settings.port,
        )
        logger.info("signaling listens on %s:%d", self.settings.listen_host, self._port)

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

        def forget() -> None:  # ended by a moderator: forget the room and its secrets
            self._rooms.pop(room_id, None)

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
        for ws in list(self._connections):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _signaling(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(
            heartbeat=self.settings.heartbeat_seconds,
            max_msg_size=self.settings.max_message_bytes,
        )
        await ws.prepare(request)
        self._connections.add(ws)
        try:
            connection = Connection(
                ws, self.room, self.settings.message_rate, self.settings.message_burst
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
