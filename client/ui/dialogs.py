"""Small dialogs: keyboard shortcuts, diagnostics and settings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from client.policy import LockedSettings
from client.settings import UserSettings


def shortcuts() -> list[tuple[str, str]]:
    translate = QCoreApplication.translate
    return [
        ("Ctrl+N", translate("Shortcuts", "Start a meeting")),
        ("Ctrl+D", translate("Shortcuts", "Microphone on/off")),
        ("Ctrl+E", translate("Shortcuts", "Camera on/off")),
        ("Ctrl+L", translate("Shortcuts", "Grid or speaker layout")),
        ("Ctrl+Shift+S", translate("Shortcuts", "Share your screen or stop sharing")),
        ("Ctrl+Shift+G", translate("Shortcuts", "Shared screen large or the grid")),
        ("Enter", translate("Shortcuts", "Pin the focused tile")),
        ("Ctrl+P", translate("Shortcuts", "Show or hide the participant list")),
        ("Ctrl+Shift+C", translate("Shortcuts", "Show or hide the chat")),
        ("Ctrl+Shift+H", translate("Shortcuts", "Raise or lower your hand")),
        ("Ctrl+Shift+R", translate("Shortcuts", "React (thumbs up, applause …)")),
        ("F11", translate("Shortcuts", "Full screen")),
        ("Ctrl+Shift+L", translate("Shortcuts", "Leave the meeting")),
        ("Ctrl+Shift+D", translate("Shortcuts", "Diagnostics")),
        ("F1", translate("Shortcuts", "This list")),
    ]


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = shortcuts()
        table = QTableWidget(len(rows), 2)
        table.setAccessibleName(self.tr("Keyboard shortcuts"))
        table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action")])
        for row, (keys, action) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(action))
        table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)


class DiagnosticsDialog(QDialog):
    """Live figures, refreshed every second: the camera's size sent, pictures received and
    shown per tile, and the speakers' jitter buffers (fill, underruns, late frames)."""

    def __init__(self, report: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Diagnostics"))
        self._report = report
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName(self.tr("Diagnostics"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(1000)
        self.refresh()

    def refresh(self) -> None:
        self.text.setPlainText(self._report())


RESOLUTIONS = [(1280, 720), (960, 540), (640, 360)]


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: UserSettings,
        parent: QWidget | None = None,
        *,
        locked: LockedSettings | None = None,
        secrets_available: bool = True,
    ) -> None:
        super().__init__(parent)
        locked = locked or LockedSettings()
        self._locked = locked
        self.setWindowTitle(self.tr("Settings"))
        self.name_edit = QLineEdit(settings.display_name)
        self.name_edit.setMaxLength(64)
        self.name_edit.setAccessibleName(self.tr("Your name"))
        self.resolution_box = QComboBox()
        self.resolution_box.setAccessibleName(self.tr("Camera resolution"))
        for width, height in RESOLUTIONS:
            self.resolution_box.addItem(f"{width} × {height}", (width, height))
        index = self.resolution_box.findData((settings.video_width, settings.video_height))
        self.resolution_box.setCurrentIndex(max(index, 0))
        self.adapt_box = QCheckBox(self.tr("Send a smaller picture while the computer is &busy"))
        self.adapt_box.setAccessibleName(self.adapt_box.text().replace("&", ""))
        self.adapt_box.setChecked(settings.adapt_camera_to_cpu)
        self.language_box = QComboBox()
        self.language_box.setAccessibleName(self.tr("Language"))
        for label, code in ((self.tr("System language"), ""), ("Deutsch", "de"), ("English", "en")):
            self.language_box.addItem(label, code)
        self.language_box.setCurrentIndex(max(self.language_box.findData(settings.language), 0))
        if locked.language is not None:
            self.language_box.setCurrentIndex(max(self.language_box.findData(locked.language), 0))
        self.turn_server_edit = QLineEdit(settings.turn_server)
        self.turn_server_edit.setAccessibleName(self.tr("TURN server"))
        self.turn_server_edit.setPlaceholderText("turns:turn.example.org:443")
        self.turn_user_edit = QLineEdit(settings.turn_username)
        self.turn_user_edit.setAccessibleName(self.tr("TURN user name"))
        self.turn_password_edit = QLineEdit()
        self.turn_password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.turn_password_edit.setAccessibleName(self.tr("TURN password"))
        self.turn_password_edit.setPlaceholderText(self.tr("unchanged"))
        administrator = self.tr("Set by your administrator")
        for control, is_locked in (
            (self.name_edit, locked.name_from_account),
            (self.language_box, locked.language is not None),
        ):
            if is_locked:
                control.setEnabled(False)
                control.setToolTip(administrator)
                control.setAccessibleDescription(administrator)
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow(self.tr("Camera &resolution:"), self.resolution_box)
        form.addRow("", self.adapt_box)
        form.addRow(self.tr("&Language:"), self.language_box)
        form.addRow(self.tr("&TURN server:"), self.turn_server_edit)
        form.addRow(self.tr("TURN &user:"), self.turn_user_edit)
        form.addRow(self.tr("TURN &password:"), self.turn_password_edit)
        note = QLabel(self.tr("A new language applies after Runde restarts."))
        note.setWordWrap(True)
        self.secrets_note = QLabel()
        self.secrets_note.setWordWrap(True)
        if not secrets_available:
            self.secrets_note.setText(
                self.tr(
                    "This computer has no password store Runde can use: a TURN password "
                    "is not saved and must be typed again after Runde restarts."
                )
            )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.secrets_note)
        layout.addWidget(buttons)

    def changes(self) -> dict[str, object]:
        width, height = self.resolution_box.currentData()
        changes: dict[str, object] = {
            "display_name": self.name_edit.text().strip(),
            "video_width": width,
            "video_height": height,
            "adapt_camera_to_cpu": self.adapt_box.isChecked(),
            "language": self.language_box.currentData(),
            "turn_server": self.turn_server_edit.text().strip(),
            "turn_username": self.turn_user_edit.text().strip(),
        }
        # What the administrator fixed is not the user's choice: keep their own for later.
        if self._locked.name_from_account:
            del changes["display_name"]
        if self._locked.language is not None:
            del changes["language"]
        return changes

    def turn_password(self) -> str:
        """The newly typed TURN password ("" when unchanged); it goes to the keyring only."""
        return self.turn_password_edit.text()
