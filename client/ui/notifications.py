"""While the window is in the background: chat, raised hands and the waiting room reach the
user through the system tray's notifications, or the taskbar's attention mark without one.

Nothing is said while the window is active: everything shows in it already. Messages are
plain text with the sender's name; the window's own chat and lists stay the record.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMainWindow, QSystemTrayIcon

from client.call.events import ChatEntry
from client.call.session import MeetingSnapshot
from client.protocol.moderation import Role
from client.ui.chat_panel import notice_text
from client.ui.controller import MeetingController

SHOWN_MS = 6000


def _round_icon() -> QIcon:
    """The app's icon where the desktop gave one, else a plain round mark."""
    own = QApplication.windowIcon()
    if not own.isNull():
        return own
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(26, 115, 232))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(2, 2, 28, 28)
    painter.end()
    return QIcon(pixmap)


class BackgroundNotifications(QObject):
    """``sent`` keeps (title, text) of what was notified, newest last, for the diagnostics."""

    def __init__(
        self,
        controller: MeetingController,
        window: QMainWindow,
        sound_wanted: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(window)
        self._sound_wanted = sound_wanted
        self.sounds = 0  # played with notifications
        self._window = window
        self._controller = controller
        self.sent: list[tuple[str, str]] = []
        self._hands: tuple[str, ...] = ()
        self._waiting: set[str] = set()
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(_round_icon(), self)
            self.tray.setToolTip(self.tr("Runde"))
            self.tray.activated.connect(lambda _reason: self._bring_forward())
            self.tray.messageClicked.connect(self._bring_forward)
            self.tray.show()
        controller.chatReceived.connect(self._chat)
        controller.snapshotChanged.connect(self._snapshot)

    def _in_background(self) -> bool:
        return not self._window.isActiveWindow() or self._window.isMinimized()

    def _notify(self, title: str, text: str) -> None:
        if not self._in_background():
            return
        self.sent = [*self.sent[-49:], (title, text)]
        if self.tray is not None:
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, SHOWN_MS)
        QApplication.alert(self._window)  # the taskbar marks the window as wanting attention
        if self._sound_wanted():
            self.sounds += 1
            QApplication.beep()  # the desktop's own alert sound

    def _bring_forward(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()

    def _chat(self, entry: ChatEntry, history: bool) -> None:
        snapshot = self._controller.snapshot
        own = snapshot.participant_id if snapshot is not None else None
        if history or entry.sender_id == own:
            return
        title = self.tr("Private message") if entry.to_id is not None else self.tr("Chat message")
        self._notify(title, notice_text(entry))

    def _snapshot(self, snapshot: MeetingSnapshot) -> None:
        names = {p.id: p.display_name for p in snapshot.participants}
        raised = [pid for pid in snapshot.hands if pid not in self._hands and pid in names]
        self._hands = snapshot.hands
        for participant_id in raised:
            self._notify(
                self.tr("Hand raised"),
                self.tr("%1 raised their hand").replace("%1", names[participant_id]),
            )
        waiting = {pid for pid, _ in snapshot.waiting}
        newcomers = [name for pid, name in snapshot.waiting if pid not in self._waiting]
        self._waiting = waiting
        if newcomers and snapshot.role is Role.MODERATOR:
            self._notify(
                self.tr("Waiting room"),
                self.tr("Waiting to be let in: %1").replace("%1", ", ".join(newcomers)),
            )
