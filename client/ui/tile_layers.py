"""Each remote camera at the size its tile shows it: tile sizes become layer preferences.

The meeting view reports the height of every remote tile as it changes (a resized window, a
new layout); after a short pause this asks the meeting core for pictures no taller than
the tile needs (:mod:`client.call.tile_heights`), so small tiles cost little to receive
and decode; while the window is minimised, no video at all. Preferences are a hint: one
that cannot be sent now (the connection is interrupted) is sent again by the core after it
reconnects, and nothing is shown to the user.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, QTimer

from client.call.session import MeetingSession
from client.call.tile_heights import TileHeights

logger = logging.getLogger(__name__)

SETTLE_MS = 400  # a window being dragged larger sends once it stops, not on every pixel


class TileLayers(QObject):
    """Owned by the controller, on the GUI thread."""

    def __init__(
        self,
        session: Callable[[], MeetingSession | None],
        spawn: Callable[[Awaitable[None]], None],
        run: Callable[[Coroutine[Any, Any, None]], Awaitable[None]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._spawn = spawn
        self._run = run
        self._heights = TileHeights()
        self._asked_in: MeetingSession | None = None
        self._rows: dict[str, int] = {}
        self._window_shown = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self._ask)

    def tile_sized(self, participant_id: str, rows: int) -> None:
        """A remote tile is now ``rows`` device pixels tall."""
        if rows <= 0:
            return
        self._rows[participant_id] = rows
        self._timer.start()

    def window_shown(self, shown: bool) -> None:
        """The window was minimised (no tile can be seen: no video) or shown again."""
        if shown != self._window_shown:
            self._window_shown = shown
            self._timer.start()

    def tile_gone(self, participant_id: str) -> None:
        self._rows.pop(participant_id, None)
        self._heights.forget(participant_id)

    def _ask(self) -> None:
        session = self._session()
        if session is None:
            return
        if session is not self._asked_in:
            self._heights.clear()  # another meeting: ask everything there anew
            self._asked_in = session
        for participant_id, rows in self._rows.items():
            seen = rows if self._window_shown else None
            max_height = self._heights.update(participant_id, seen)
            if max_height is not None:
                logger.info(
                    "a tile %s rows tall asks for at most %d of %s",
                    seen,
                    max_height,
                    participant_id,
                )
                self._spawn(self._send(session, participant_id, max_height))

    async def _send(self, session: MeetingSession, target: str, max_height: int) -> None:
        try:
            await self._run(session.set_preferred_layer(max_height, target=target))
        except (ConnectionError, RuntimeError) as exc:
            logger.info("a layer preference for a tile was not sent now: %s", exc)
