"""Hosting from the desktop app: the embedded SFU, started when the user starts a meeting."""

from __future__ import annotations

import logging

from client.call.media_thread import MediaThread, run_on
from client.netconfig import NetworkSettings
from client.sfu.room import HostedRoom
from client.sfu.server import ServerSettings, SfuServer

logger = logging.getLogger(__name__)


class EmbeddedHost:
    """Starts the SFU on first use; each :meth:`start` opens a fresh room with a new secret.

    With a ``media_thread`` the SFU runs on that thread's loop, whichever loop awaits these
    methods.
    """

    def __init__(
        self,
        network: NetworkSettings,
        listen_host: str = "0.0.0.0",
        media_thread: MediaThread | None = None,
    ) -> None:
        self._settings = ServerSettings(listen_host=listen_host, network=network)
        self._server: SfuServer | None = None
        self._room: HostedRoom | None = None
        self._thread = media_thread

    async def start(self) -> str:
        return await run_on(self._thread, self._start())

    async def end(self) -> None:
        """End the hosted meeting for everyone still in it."""
        await run_on(self._thread, self._end())

    async def stop(self) -> None:
        await run_on(self._thread, self._stop())

    async def _start(self) -> str:
        if self._server is None:
            server = SfuServer(self._settings)
            await server.start()
            self._server = server
        self._room, link = self._server.create_room()
        return link.to_text()

    def allow_multiple_presenters(self, allowed: bool) -> None:
        """The host's choice: several people may share their screen at once in this meeting.

        The room belongs to the media thread: the change is made there, not by the caller.
        """
        if self._thread is None:
            self._set_multiple_presenters(allowed)
        else:
            self._thread.call(self._set_multiple_presenters, allowed)

    def _set_multiple_presenters(self, allowed: bool) -> None:
        if self._room is not None:
            self._room.media.allow_multiple_presenters = allowed

    async def _end(self) -> None:
        if self._server is not None and self._room is not None:
            await self._server.end_room(self._room)
            self._room = None

    async def _stop(self) -> None:
        if self._server is not None:
            await self._server.stop()
            self._server = None
