"""The network section of the diagnostics view: gathered on the media loop, read on Qt's."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from client.call.session import MeetingSession

T = TypeVar("T")


class NetworkReport:
    """Each :meth:`text` call returns the last figures and asks for fresh ones, so the view,
    refreshed every second, is never more than a second behind and never waits for them."""

    def __init__(
        self,
        spawn: Callable[[Awaitable[None]], None],
        on_media: Callable[[Coroutine[Any, Any, list[str]]], Awaitable[list[str]]],
    ) -> None:
        self._spawn = spawn
        self._on_media = on_media
        self._text = ""
        self._asking = False

    def text(self, session: MeetingSession | None) -> str:
        if session is None:
            self._text = ""
        elif not self._asking:
            self._asking = True
            self._spawn(self._refresh(session))
        return self._text

    async def _refresh(self, session: MeetingSession) -> None:
        try:
            self._text = "\n".join(await self._on_media(session.link_report()))
        finally:
            self._asking = False
