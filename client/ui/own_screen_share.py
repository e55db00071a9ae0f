"""Sharing our own screen from the window, through the meeting core.

Owned by the controller, on the window's thread; the session's calls are awaited where the
session lives (``run``). A capture that fails (the window closed, the display went away)
asks, from the capture thread, for the share to stop (``stop_soon``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from PySide6.QtCore import QCoreApplication

from client.call.backend import PublishError
from client.call.local_media import LocalMedia
from client.call.session import MeetingSession
from client.media.screen import ShareSource


class OwnScreenShare:
    def __init__(
        self,
        media: LocalMedia,
        run: Callable[[Coroutine[Any, Any, None]], Awaitable[None]],
        stop_soon: Callable[[], None],
        problem: Callable[[str], None],
        changed: Callable[[bool, str], None],
    ) -> None:
        self._media = media
        self._run = run
        self._stop_soon = stop_soon
        self._problem = problem
        self._changed = changed
        self.source: ShareSource | None = None

    async def start(self, session: MeetingSession, source: ShareSource) -> None:
        if self.source is not None:
            return
        track = self._media.open_screen(source, self._capture_failed)
        self.source = source
        self._changed(True, source.title)
        try:
            await self._run(session.share_screen(track))
        except (PublishError, ConnectionError, TimeoutError) as exc:
            self.source = None
            self._changed(False, "")
            text = (
                str(exc)
                if isinstance(exc, PublishError)
                else QCoreApplication.translate("MeetingController", "no answer from the host")
            )
            self._problem(
                QCoreApplication.translate(
                    "MeetingController", "Your screen is not shared: %1"
                ).replace("%1", text)
            )

    async def stop(self, session: MeetingSession | None) -> None:
        if self.source is None:
            return
        self.ended()
        if session is not None:
            # a meeting that is gone shares nothing any more either
            with contextlib.suppress(ConnectionError):
                await self._run(session.stop_screen_share())

    def ended(self) -> None:
        """The share is over (the host ended it, or we left): say so, nothing to unpublish."""
        if self.source is not None:
            self.source = None
            self._changed(False, "")

    def _capture_failed(self, message: str) -> None:
        """From the capture thread: the window closed or the display went away."""
        self._problem(message)
        self._stop_soon()
