"""Before entering: see yourself, check the microphone, pick devices, type your name."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.ui.media_buttons import Device, MediaToggleButton
from client.ui.message_text import MessageText
from client.ui.video_tile import VideoTile

Choices = list[tuple[str, str]]  # (label shown, value stored)


class PreJoinView(QWidget):
    """Signals:
    joinRequested(str name)
    backRequested()
    microphoneToggled(bool), cameraToggled(bool)
    devicesChanged(str camera, str microphone, str speaker)
    backgroundChosen(str choice): the camera's background effect, as written in the settings
    """

    joinRequested = Signal(str)
    backRequested = Signal()
    microphoneToggled = Signal(bool)
    cameraToggled = Signal(bool)
    devicesChanged = Signal(str, str, str)
    backgroundChosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.preview = VideoTile("self", self.tr("You"), is_self=True)
        self.preview.setAccessibleName(self.tr("Camera preview"))
        self.preview.pin_button.hide()  # nothing to pin before the meeting
        self.heading = QLabel()
        self.heading.setWordWrap(True)

        self.level_meter = QProgressBar()
        self.level_meter.setRange(0, 60)
        self.level_meter.setTextVisible(False)
        self.level_meter.setAccessibleName(self.tr("Microphone level"))

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(self.tr("Your name"))
        self.name_edit.setMaxLength(64)
        self.name_edit.setPlaceholderText(self.tr("How others see you"))
        self.name_edit.textChanged.connect(self._update_join_button)
        self.name_edit.textChanged.connect(self._show_name)

        self.microphone_button = MediaToggleButton(Device.MICROPHONE, "Ctrl+D")
        self.microphone_button.toggled.connect(self._microphone_toggled)
        self.camera_button = MediaToggleButton(Device.CAMERA, "Ctrl+E")
        self.camera_button.toggled.connect(self._camera_toggled)

        self.camera_box = QComboBox()
        self.camera_box.setAccessibleName(self.tr("Camera"))
        self.microphone_box = QComboBox()
        self.microphone_box.setAccessibleName(self.tr("Microphone"))
        self.speaker_box = QComboBox()
        self.speaker_box.setAccessibleName(self.tr("Speaker"))
        for box in (self.camera_box, self.microphone_box, self.speaker_box):
            box.activated.connect(self._devices_changed)
        self.background_box = QComboBox()
        self.background_box.setAccessibleName(self.tr("Background"))
        self.background_box.activated.connect(
            lambda index: self.backgroundChosen.emit(self.background_box.itemData(index) or "")
        )

        self.join_button = QPushButton(self.tr("&Join now"))
        self.join_button.setDefault(True)
        # Named by its visible text (what voice control users say); the rest describes it.
        self.join_button.setAccessibleDescription(self.tr("Join the meeting now"))
        self.join_button.clicked.connect(self._join)
        self.back_button = QPushButton(self.tr("&Back"))
        self.back_button.setAccessibleName(self.tr("Back to the start"))
        self.back_button.clicked.connect(self.backRequested)
        self.back_button.setAutoDefault(True)  # Enter on a focused "Back" goes back
        self.message_label = MessageText(self.tr("Message"), error=True)

        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow(self.tr("&Camera:"), self.camera_box)
        form.addRow(self.tr("Back&ground:"), self.background_box)
        form.addRow(self.tr("&Microphone:"), self.microphone_box)
        form.addRow(self.tr("Micro&phone level:"), self.level_meter)
        form.addRow(self.tr("&Speaker:"), self.speaker_box)

        toggles = QHBoxLayout()
        toggles.addWidget(self.microphone_button)
        toggles.addWidget(self.camera_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.join_button)

        side = QVBoxLayout()
        side.addWidget(self.heading)
        side.addLayout(form)
        side.addLayout(toggles)
        side.addWidget(self.message_label)
        side.addStretch(1)
        side.addLayout(buttons)

        row = QHBoxLayout(self)
        row.addWidget(self.preview, 3)
        row.addLayout(side, 2)
        self.set_microphone(True)
        self.set_camera(True)

    # ---- filled in by the window ---------------------------------------------------------

    def prepare(
        self,
        heading: str,
        name: str,
        cameras: Choices,
        microphones: Choices,
        speakers: Choices,
        chosen: tuple[str, str, str],
    ) -> None:
        self.heading.setText(heading)
        self.name_edit.setText(name)
        self.message_label.clear()
        for box, choices, value in zip(
            (self.camera_box, self.microphone_box, self.speaker_box),
            (cameras, microphones, speakers),
            chosen,
            strict=True,
        ):
            box.clear()
            box.addItem(self.tr("System default"), "")
            for label, data in choices:
                box.addItem(label, data)
            index = box.findData(value)
            box.setCurrentIndex(max(index, 0))
        self._update_join_button()

    def focus_start(self) -> None:
        """Keyboard focus where one starts: the name if it is missing, else "Join now".
        Called once the view is shown (a hidden widget cannot take focus)."""
        (self.name_edit if not self.name_edit.text().strip() else self.join_button).setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter joins wherever the focus is, as a dialog's default button would (a focused
        # "Back" takes it itself: it is auto-default).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.join_button.isEnabled():
            self._join()
            return
        super().keyPressEvent(event)

    def lock(self, camera_on: bool | None, microphone_on: bool | None, name: str | None) -> None:
        """Show the administrator's fixed choices as set and unchangeable; None unlocks."""
        locked = self.tr("Set by your administrator")
        self.camera_button.set_locked(locked if camera_on is not None else None)
        self.microphone_button.set_locked(locked if microphone_on is not None else None)
        self.name_edit.setEnabled(name is None)
        self.name_edit.setAccessibleDescription(locked if name is not None else "")
        if name is not None:
            self.name_edit.setToolTip(locked)
        if camera_on is not None:
            self.set_camera(camera_on)
        if microphone_on is not None:
            self.set_microphone(microphone_on)
        if name is not None:
            self.name_edit.setText(name)
        self._label_toggles()

    def set_backgrounds(self, choices: Choices, current: str, locked: bool) -> None:
        """The background effects offered, the one in use, and whether it is fixed."""
        box = self.background_box
        box.clear()
        for label, value in choices:
            box.addItem(label, value)
        box.setCurrentIndex(max(box.findData(current), 0))
        text = self.tr("Set by your administrator") if locked else ""
        box.setEnabled(not locked)
        box.setToolTip(text)
        box.setAccessibleDescription(text)

    def set_level(self, dbfs: float) -> None:
        self.level_meter.setValue(int(max(0.0, min(60.0, dbfs + 60.0))))

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)

    def set_microphone(self, on: bool) -> None:
        self.microphone_button.setChecked(on)
        self._label_toggles()

    def set_camera(self, on: bool) -> None:
        self.camera_button.setChecked(on)
        self._label_toggles()

    # ---- internals ---------------------------------------------------------------------

    def _label_toggles(self) -> None:
        # The buttons' texts say the state; a new text drops a button's shortcut: set it again.
        self.microphone_button.setShortcut("Ctrl+D")
        self.camera_button.setShortcut("Ctrl+E")
        self.preview.set_media(self.microphone_button.isChecked(), self.camera_button.isChecked())

    def _microphone_toggled(self, on: bool) -> None:
        self._label_toggles()
        self.microphoneToggled.emit(on)

    def _camera_toggled(self, on: bool) -> None:
        self._label_toggles()
        self.cameraToggled.emit(on)

    def _devices_changed(self) -> None:
        self.devicesChanged.emit(
            self.camera_box.currentData() or "",
            self.microphone_box.currentData() or "",
            self.speaker_box.currentData() or "",
        )

    def _show_name(self, name: str) -> None:
        self.preview.name = name.strip() or self.tr("You")
        self.preview.update()

    def _update_join_button(self) -> None:
        self.join_button.setEnabled(bool(self.name_edit.text().strip()))

    def _join(self) -> None:
        name = self.name_edit.text().strip()
        if name:
            self.joinRequested.emit(name)
