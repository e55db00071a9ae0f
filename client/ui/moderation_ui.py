"""The moderators' tab in the side panel: there only while the user moderates a meeting."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QListWidget, QMainWindow

from client.call.events import SessionState
from client.call.session import MeetingSnapshot
from client.protocol.moderation import Role
from client.ui.controller import MeetingController
from client.ui.moderation_panel import ModerationPanel
from client.ui.person_menu import offer_person_menus
from client.ui.side_panel import SidePanel

MODERATION_KEYS = "Ctrl+Shift+M"


class ModerationUi(QObject):
    def __init__(
        self,
        controller: MeetingController,
        window: QMainWindow,
        side_panel: SidePanel,
        people: QListWidget,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._side = side_panel
        self.panel = ModerationPanel()
        self.action = QAction(self.tr("Moderation: go to the panel, or hide it"), window)
        self.action.setShortcut(QKeySequence(MODERATION_KEYS))
        self.action.triggered.connect(self.toggle)
        window.addAction(self.action)
        self._moderating = False
        self._waiting: set[str] = set()
        self._ask = controller.commands.moderate
        self.panel.actionRequested.connect(self._ask)
        self._snapshot: MeetingSnapshot | None = None
        # the participant list beside the video offers the same actions to moderators
        offer_person_menus(people, lambda: self._snapshot if self._moderating else None, self._ask)
        controller.snapshotChanged.connect(self._snapshot_changed)
        controller.stateChanged.connect(self._state_changed)

    def toggle(self) -> None:
        """The moderation key: into the panel (shown if hidden) where there is work, and
        out again (hidden) when pressed inside it."""
        if not self._moderating:
            return
        focus = QApplication.focusWidget()
        if self.panel.isVisible() and focus is not None and self.panel.isAncestorOf(focus):
            self._side.close_panel()
            return
        self._side.show_page(self.panel)
        self.panel.focus_work()

    def _snapshot_changed(self, snapshot: MeetingSnapshot) -> None:
        self._snapshot = snapshot
        moderating = snapshot.role is Role.MODERATOR and snapshot.state is SessionState.JOINED
        if moderating and not self._moderating:
            # a tab, not opened by itself: the video keeps the room until someone waits
            self._side.add_page(self.panel, self.tr("Moderation"))
        self._moderating = moderating
        if not moderating:
            self._side.remove_page(self.panel)
            return
        self.panel.show_snapshot(snapshot)
        waiting = {participant_id for participant_id, _ in snapshot.waiting}
        newcomers = [name for pid, name in snapshot.waiting if pid not in self._waiting]
        self._waiting = waiting
        if newcomers:
            self._side.show_page(self.panel)
            self._window.statusBar().showMessage(
                self.tr("Waiting to be let in: %1").replace("%1", ", ".join(newcomers)), 10000
            )

    def _state_changed(self, state: str, _reason: str) -> None:
        if state != SessionState.JOINED.value:
            self._moderating = False
            self._waiting = set()
            self._side.remove_page(self.panel)
