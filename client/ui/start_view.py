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

from client.policy import Policy
from client.ui.link_check import LinkCheck
from client.ui.message_text import MessageText


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
        self.start_button.setToolTip(self.tr("Host a meeting from this computer (Ctrl+N)"))
        self.start_button.setShortcut("Ctrl+N")
        self.start_button.setEnabled(hosting_allowed)
        self.start_button.clicked.connect(self.startRequested)

        self.link_edit = QLineEdit()
        self.link_edit.setPlaceholderText(self.tr("Paste a meeting link"))
        self.link_edit.setAccessibleName(self.tr("Meeting link"))
        self.link_edit.returnPressed.connect(self._join)
        self.link_edit.textChanged.connect(self._check_link)
        link_label = QLabel(self.tr("Meeting &link:"))
        link_label.setBuddy(self.link_edit)
        self.join_button = QPushButton(self.tr("&Join"))
        self.join_button.setAccessibleName(self.tr("Join the meeting behind the link"))
        self.join_button.clicked.connect(self._join)
        # What is wrong with the link typed so far, under the field; Join waits for a good one.
        self._link_check = LinkCheck(self)
        self._joining_allowed = True
        # Plain text (it may quote the link); the field's description says it while typing.
        self.link_problem = MessageText(self.tr("What is wrong with the link"), announce=False)
        self.link_problem.setObjectName("link_problem")

        self.settings_button = QPushButton(self.tr("Se&ttings"))
        self.settings_button.setAccessibleName(self.tr("Settings"))
        self.settings_button.clicked.connect(self.settingsRequested)

        # What the administrator's policy turned off, and why: visible, not only in tooltips.
        self.policy_label = MessageText(self.tr("Administrator policy"), announce=False)

        self.error_label = MessageText(self.tr("Message"), error=True)

        join_row = QHBoxLayout()
        join_row.addWidget(link_label)
        join_row.addWidget(self.link_edit, 1)
        join_row.addWidget(self.join_button)

        column = QVBoxLayout(self)
        column.addWidget(self.policy_label)
        column.addStretch(1)
        column.addWidget(title)
        column.addWidget(subtitle)
        column.addSpacing(24)
        column.addWidget(self.start_button)
        column.addLayout(join_row)
        column.addWidget(self.link_problem)
        column.addWidget(self.settings_button)
        column.addWidget(self.error_label)
        column.addStretch(2)
        self.setTabOrder(self.start_button, self.link_edit)
        self.setTabOrder(self.link_edit, self.join_button)
        self.setTabOrder(self.join_button, self.settings_button)
        self._check_link("")

    def apply_policy(self, policy: Policy) -> None:
        """Turn off what the policy forbids, each with the reason in words."""
        notes = []
        locked = self.tr("Set by your administrator")
        if policy.problem is not None:
            self.policy_label.setStyleSheet(
                "background: #fde7e9; color: #8c1d18; padding: 8px; border: 1px solid #b3261e"
            )
            notes.append(
                self.tr(
                    "The administrator policy in %1 cannot be used: %2. Until it is fixed, "
                    "Runde neither joins nor hosts meetings."
                )
                .replace("%1", policy.source)
                .replace("%2", policy.problem)
            )
        elif not policy.hosting_allowed:
            notes.append(self.tr("Your administrator has turned off hosting meetings."))
        if not policy.hosting_allowed:
            self.start_button.setEnabled(False)
            self.start_button.setToolTip(locked)
            self.start_button.setAccessibleDescription(locked)
        if not policy.joining_allowed:
            self._joining_allowed = False
            for control in (self.link_edit, self.join_button):
                control.setEnabled(False)
                control.setToolTip(locked)
                control.setAccessibleDescription(locked)
        if policy.default_server:
            self.link_edit.setPlaceholderText(
                self.tr("Paste a meeting link from %1").replace("%1", policy.default_server)
            )
        self.policy_label.setText("\n".join(notes))
        self.policy_label.setVisible(bool(notes))

    def show_message(self, text: str) -> None:
        self.error_label.setText(text)

    def _check_link(self, text: str) -> None:
        text = text.strip()
        problem = self._link_check.problem(text) if text else ""
        self.link_problem.setText(problem)
        self.link_problem.setVisible(bool(problem))
        if self._joining_allowed:
            self.join_button.setEnabled(bool(text) and not problem)
            self.link_edit.setAccessibleDescription(problem)

    def _join(self) -> None:
        text = self.link_edit.text().strip()
        if text and self.join_button.isEnabled():
            self.joinRequested.emit(text)
