"""The meeting's link with Copy link and Copy invitation, to invite colleagues."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

COPIED_SHOWN_MS = 2000


class LinkBar(QWidget):
    """Signals:
    copied(str message): something went to the clipboard ("Link copied"), for the status bar
    """

    copied = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.link_edit = QLineEdit()
        self.link_edit.setReadOnly(True)
        self.link_edit.setAccessibleName(self.tr("Meeting link"))
        self.copy_button = QPushButton(self.tr("Copy &link"))
        # Named by its visible text (what voice control users say); the rest describes it.
        self.copy_button.setAccessibleDescription(self.tr("Copy the meeting link"))
        self.copy_button.clicked.connect(self._copy_link)
        self.invite_button = QPushButton(self.tr("Copy &invitation"))
        self.invite_button.setAccessibleDescription(
            self.tr("Copy an invitation text with the link")
        )
        self.invite_button.clicked.connect(self._copy_invitation)
        self._labels: dict[QPushButton, str] = {}
        self._timers: dict[QPushButton, QTimer] = {}
        for button in (self.copy_button, self.invite_button):
            self._labels[button] = button.text()
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(COPIED_SHOWN_MS)
            timer.timeout.connect(lambda b=button: b.setText(self._labels[b]))
            self._timers[button] = timer
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        label = QLabel(self.tr("Link:"))
        label.setBuddy(self.link_edit)  # screen readers read the field with its label
        row.addWidget(label)
        row.addWidget(self.link_edit, 1)
        row.addWidget(self.copy_button)
        row.addWidget(self.invite_button)

    def set_link(self, link: str) -> None:
        self.link_edit.setText(link)
        self.setVisible(bool(link))

    def _copy_link(self) -> None:
        QGuiApplication.clipboard().setText(self.link_edit.text())
        self._confirm(self.copy_button, self.tr("Link copied"))

    def _copy_invitation(self) -> None:
        QGuiApplication.clipboard().setText(
            self.tr(
                "You are invited to a Runde meeting.\n\nJoin with the Runde app:\n%1\n\n"
                "The link contains the meeting's key: share it only with the people "
                "you invite."
            ).replace("%1", self.link_edit.text())
        )
        self._confirm(self.invite_button, self.tr("Invitation copied"))

    def _confirm(self, button: QPushButton, message: str) -> None:
        """The button says "Copied" for a moment (keeping its width); the window says what."""
        button.setMinimumWidth(max(button.minimumWidth(), button.sizeHint().width()))
        button.setText(self.tr("Copied"))
        self._timers[button].start()
        self.copied.emit(message)
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(button, message))
