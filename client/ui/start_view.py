"""The first screen: start a meeting, join one by link, or open the settings."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class StartView(QWidget):
    """Signals:
    startRequested(): host a new meeting.
    joinRequested(str link): join the meeting behind the pasted link.
    settingsRequested()
    """

    startRequested = Signal()
    joinRequested = Signal(str)
    settingsRequested = Signal()

    def __init__(self, hosting_allowed: bool = True) -> None:
        super().__init__()
        title = QLabel(self.tr("Runde"))
        title.setObjectName("title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = title.font()
        font.setPointSize(font.pointSize() * 2)
        title.setFont(font)
        subtitle = QLabel(self.tr("Meetings on your own infrastructure."))
        subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.start_button = QPushButton(self.tr("&Start meeting"))
        self.start_button.setAccessibleName(self.tr("Start a new meeting"))
        self.start_button.setToolTip(self.tr("Host a meeting from this computer (Ctrl+N)"))
        self.start_button.setShortcut("Ctrl+N")
        self.start_button.setEnabled(hosting_allowed)
        self.start_button.clicked.connect(self.startRequested)

        self.link_edit = QLineEdit()
        self.link_edit.setPlaceholderText(self.tr("Paste a meeting link"))
        self.link_edit.setAccessibleName(self.tr("Meeting link"))
        self.link_edit.returnPressed.connect(self._join)
        link_label = QLabel(self.tr("Meeting &link:"))
        link_label.setBuddy(self.link_edit)
        self.join_button = QPushButton(self.tr("&Join"))
        self.join_button.setAccessibleName(self.tr("Join the meeting behind the link"))
        self.join_button.clicked.connect(self._join)

        self.settings_button = QPushButton(self.tr("Se&ttings"))
        self.settings_button.setAccessibleName(self.tr("Settings"))
        self.settings_button.clicked.connect(self.settingsRequested)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(self.tr("Message"))
        self.error_label.setStyleSheet("color: #b3261e")

        join_row = QHBoxLayout()
        join_row.addWidget(link_label)
        join_row.addWidget(self.link_edit, 1)
        join_row.addWidget(self.join_button)

        column = QVBoxLayout(self)
        column.addStretch(1)
        column.addWidget(title)
        column.addWidget(subtitle)
        column.addSpacing(24)
        column.addWidget(self.start_button)
        column.addLayout(join_row)
        column.addWidget(self.settings_button)
        column.addWidget(self.error_label)
        column.addStretch(2)
        self.setTabOrder(self.start_button, self.link_edit)
        self.setTabOrder(self.link_edit, self.join_button)
        self.setTabOrder(self.join_button, self.settings_button)

    def show_message(self, text: str) -> None:
        self.error_label.setText(text)

    def _join(self) -> None:
        text = self.link_edit.text().strip()
        if text:
            self.joinRequested.emit(text)
