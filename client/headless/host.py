"""``runde host --headless``: one meeting on the embedded SFU until told to stop."""

from __future__ import annotations

import asyncio
import logging
from typing import TextIO

from client.protocol.link import LinkForm
from client.sfu.server import ServerSettings, SfuServer

logger = logging.getLogger(__name__)


async def run_host(
    settings: ServerSettings, form: LinkForm, stop: asyncio.Event, out: TextIO
) -> None:
    """Serve one meeting until ``stop`` is set; the link is the first line on ``out``."""
    server = SfuServer(settings)
    await server.start()
    try:
        _, link = server.create_room()
        out.write(link.to_text(form) + "\n")
        out.flush()
        await stop.wait()
    finally:
        await server.stop()
        logger.info("meeting ended, server stopped")
