"""Small dialogs: keyboard shortcuts, diagnostics and settings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QSize, QTimer
from PySide6.QtGui import QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from client.policy import LockedSettings
from client.settings import UserSettings

MINIMUM_SIZE = QSize(480, 360)


def fit_dialog(dialog: QDialog, layout: QVBoxLayout, content: QSize, below: QWidget) -> None:
    """Resize ``dialog`` so ``content`` (its scroll area's whole contents, the first item of
    ``layout``, with ``below`` under it) shows without scroll bars: at least MINIMUM_SIZE, at
    most the screen's free area."""
    margins = layout.contentsMargins()
    width = content.width() + margins.left() + margins.right()
    height = content.height() + layout.spacing() + below.sizeHint().height()
    height += margins.top() + margins.bottom()
    wanted = QSize(width, height).expandedTo(MINIMUM_SIZE)
    dialog.resize(wanted.boundedTo(dialog.screen().availableGeometry().size()))


def native_keys(keys: str) -> str:
    """Keys as this system and language write them ("Strg+D" in German)."""
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


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
    """Every shortcut at a glance: opens large enough for the whole list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = shortcuts()
        self.table = table = QTableWidget(len(rows), 2)
        table.setAccessibleName(self.tr("Keyboard shortcuts"))
        table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action")])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        for row, (keys, action) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(native_keys(keys)))
            table.setItem(row, 1, QTableWidgetItem(action))
        table.resizeColumnsToContents()
        table.resizeRowsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        frame = 2 * table.frameWidth()
        width = sum(table.columnWidth(c) for c in range(2)) + frame + 24  # 24: some air
        height = sum(table.rowHeight(r) for r in range(len(rows)))
        height += table.horizontalHeader().sizeHint().height() + frame + 2
        fit_dialog(self, layout, QSize(width, height), buttons)


class DiagnosticsDialog(QDialog):
    """Live figures, refreshed every second: the camera's size sent, pictures received and
    shown per tile, and the speakers' jitter buffers (fill, underruns, late frames)."""

    def __init__(self, report: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Diagnostics"))
        self._report = report
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setAccessibleName(self.tr("Diagnostics"))
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self._buttons.rejected.connect(self.reject)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.text)
        self._layout.addWidget(self._buttons)
        self._fitted = QSize(0, 0)  # the report's size the dialog was last made to fit
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(1000)
        self.refresh()

    def refresh(self) -> None:
        self.text.setPlainText(self._report())
        needed = self._report_size()
        if needed.width() > self._fitted.width() or needed.height() > self._fitted.height():
            # The report grew: the dialog grows with it (it never shrinks what the user set).
            self._fitted = self._fitted.expandedTo(needed)
            shown = self.text.size() if self.isVisible() else QSize(0, 0)
            fit_dialog(self, self._layout, self._fitted.expandedTo(shown), self._buttons)

    def _report_size(self) -> QSize:
        """The text edit's size that shows every line of the report whole."""
        metrics = QFontMetrics(self.text.font())
        lines = self.text.toPlainText().splitlines() or [""]
        margin = round(2 * self.text.document().documentMargin()) + 2 * self.text.frameWidth()
        # and a scroll bar's breadth of air: a bar shown for a moment must not stay
        air = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        width = max(metrics.horizontalAdvance(line) for line in lines) + margin + air
        height = (len(lines) + 1) * metrics.lineSpacing() + margin + air
        return QSize(width, height)


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
        self.sound_box = QCheckBox(self.tr("Play a &sound with notifications"))
        self.sound_box.setAccessibleName(self.sound_box.text().replace("&", ""))
        self.sound_box.setChecked(settings.notification_sound)
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
        form.addRow("", self.sound_box)
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
            "notification_sound": self.sound_box.isChecked(),
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
