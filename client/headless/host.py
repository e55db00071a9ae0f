"""``runde host --headless``: one meeting on the embedded SFU until told to stop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TextIO

from client.protocol.link import LinkForm
from client.sfu.server import ServerSettings, SfuServer

logger = logging.getLogger(__name__)


async def run_host(
    settings: ServerSettings,
    form: LinkForm,
    stop: asyncio.Event,
    out: TextIO,
    waiting_room: bool = False,
) -> None:
    """Serve one meeting until ``stop`` is set or a moderator ends it.

    The participant link is the first line on ``out``, the moderator link the second.
    """
    server = SfuServer(settings)
    await server.start()
    try:
        room, link = server.create_room(waiting_room=waiting_room)
        out.write(link.for_participants().to_text(form) + "\n" + link.to_text(form) + "\n")
        out.flush()
        ended = asyncio.Event()
        room.conference.on_end = _also(room.conference.on_end, ended.set)
        waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(ended.wait())]
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()
    finally:
        await server.stop()
        logger.info("meeting ended, server stopped")


def _also(first: Callable[[], None] | None, then: Callable[[], None]) -> Callable[[], None]:
    def both() -> None:
        if first is not None:
            first()
        then()

    return both
