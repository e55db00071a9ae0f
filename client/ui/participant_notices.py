"""'Anna joined', 'Anna left': a short notice over the meeting, read out by screen readers."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QLabel

from client.call.events import SessionState
from client.call.session import MeetingSnapshot
from client.ui.controller import MeetingController
from client.ui.meeting_view import MeetingView

NOTICE_SHOWN_MS = 4000
LINES = 3  # at most this many notices at once; the newest last
# Who is listed in the first moments after joining was there before us: no notice for them.
SETTLE_S = 1.5


class ParticipantNotices(QObject):
    """Compares each snapshot of the meeting with the one before.

    Only changes while we are in the meeting count: not the list of those already there when
    we join, not everyone "leaving" when we leave, and not those who come back after our own
    connection was lost and restored.
    """

    def __init__(
        self,
        controller: MeetingController,
        view: MeetingView,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._clock = clock
        self._people: dict[str, str] = {}  # id -> name, in the latest snapshot
        self._returning: set[str] = set()  # there when our connection was lost
        self._settled_at: float | None = None  # the list at joining is in by then
        self._returned_by = 0.0  # after a reconnect, those there before are back by then
        self.lines: list[str] = []
        self.label = QLabel(view)
        self.label.setObjectName("participant_notice")
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # names are other people's text
        self.label.setStyleSheet(
            "background: rgba(32, 33, 36, 230); color: white; padding: 6px 10px; border-radius: 6px"
        )
        self.label.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(NOTICE_SHOWN_MS)
        self._timer.timeout.connect(self._expire)
        controller.stateChanged.connect(self._state_changed)
        controller.snapshotChanged.connect(self._snapshot_changed)

    def _state_changed(self, state: str, reason: str) -> None:
        if state == SessionState.JOINED.value and self._settled_at is None:
            self._settled_at = self._clock() + SETTLE_S
        elif state == SessionState.JOINED.value:
            self._returned_by = self._clock() + SETTLE_S
        elif state == SessionState.RECONNECTING.value:
            self._returning = set(self._people) | self._returning
        elif state in (SessionState.IDLE.value, SessionState.FAILED.value):
            self._people.clear()
            self._returning.clear()
            self._settled_at = None
            self._expire()

    def _snapshot_changed(self, snapshot: MeetingSnapshot) -> None:
        people = {p.id: p.display_name for p in snapshot.participants}
        before, self._people = self._people, people
        if snapshot.state is not SessionState.JOINED:
            return
        now = self._clock()
        settled = self._settled_at is not None and now >= self._settled_at
        for participant_id, name in people.items():
            if participant_id in before:
                continue
            if participant_id in self._returning and now < self._returned_by:
                self._returning.discard(participant_id)
            elif settled:
                self.show(self.tr("%1 joined").replace("%1", name))
        for participant_id, name in before.items():
            if participant_id not in people:
                self.show(self.tr("%1 left").replace("%1", name))

    def show(self, text: str) -> None:
        """Add ``text`` to the notice for a few seconds, and have screen readers say it."""
        self.lines = [*self.lines, text][-LINES:]
        label = self.label
        label.setText("\n".join(self.lines))  # its accessible name: the text itself
        label.adjustSize()
        stage = self._view.stage.geometry()
        label.move(max(0, stage.center().x() - label.width() // 2), stage.top() + 8)
        label.raise_()
        label.show()
        self._timer.start()
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(label, text))

    def _expire(self) -> None:
        self.lines = []
        self.label.hide()
