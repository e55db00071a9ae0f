"""The main window: start view, pre-join and meeting, switched as the meeting goes."""

from __future__ import annotations

from enum import Enum, auto

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStackedWidget

from client.settings import SettingsStore
from client.ui.controller import LocalMedia, MeetingController, State
from client.ui.dialogs import DiagnosticsDialog, SettingsDialog, ShortcutsDialog
from client.ui.meeting_view import MeetingView
from client.ui.prejoin_view import PreJoinView
from client.ui.sharing_ui import SharingUi
from client.ui.start_view import StartView


class Intent(Enum):
    HOST = auto()
    JOIN = auto()


class MainWindow(QMainWindow):
    def __init__(
        self,
        controller: MeetingController,
        media: LocalMedia,
        settings: SettingsStore,
        hosting_allowed: bool = True,
    ) -> None:
        super().__init__()
        self.controller = controller
        self.media = media
        self.settings = settings
        self._intent = Intent.JOIN
        self._pending_link = ""
        self.setWindowTitle(self.tr("Runde"))
        self.resize(1100, 700)

        self.start_view = StartView(hosting_allowed)
        self.prejoin_view = PreJoinView()
        self.meeting_view = MeetingView()
        self.stack = QStackedWidget()
        for view in (self.start_view, self.prejoin_view, self.meeting_view):
            self.stack.addWidget(view)
        self.setCentralWidget(self.stack)

        self.start_view.startRequested.connect(self.begin_hosting)
        self.start_view.joinRequested.connect(self.open_link)
        self.start_view.settingsRequested.connect(self.open_settings)
        self.prejoin_view.joinRequested.connect(self._enter)
        self.prejoin_view.backRequested.connect(self.show_start)
        self.prejoin_view.microphoneToggled.connect(controller.set_microphone)
        self.prejoin_view.cameraToggled.connect(controller.set_camera)
        self.prejoin_view.devicesChanged.connect(self._devices_changed)
        self.meeting_view.microphoneToggled.connect(controller.set_microphone)
        self.meeting_view.cameraToggled.connect(controller.set_camera)
        self.meeting_view.leaveRequested.connect(controller.leave)
        self.meeting_view.fullscreenRequested.connect(self.toggle_fullscreen)
        self.meeting_view.shortcutsRequested.connect(self.show_shortcuts)

        controller.stateChanged.connect(self._state_changed)
        controller.linkChanged.connect(self.meeting_view.set_link)
        controller.participantJoined.connect(self.meeting_view.add_participant)
        controller.participantLeft.connect(self.meeting_view.remove_participant)
        controller.participantMediaChanged.connect(self.meeting_view.set_participant_media)
        controller.remoteVideo.connect(self.meeting_view.attach_video)
        controller.localMediaChanged.connect(self._local_media_changed)
        controller.problem.connect(self._problem)
        controller.ownImage.connect(self.prejoin_view.preview.set_image)
        controller.ownImage.connect(self.meeting_view.show_own_image)
        self.sharing = SharingUi(controller, self.meeting_view, media, self)

        self._level_timer = QTimer(self)
        self._level_timer.timeout.connect(self._show_level)
        self._level_timer.start(100)
        self._add_window_actions()
        self.show_start()

    def _add_window_actions(self) -> None:
        for text, keys, slot in (
            (self.tr("Keyboard shortcuts"), "F1", self.show_shortcuts),
            (self.tr("Audio diagnostics"), "Ctrl+Shift+D", self.show_diagnostics),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            self.addAction(action)

    # ---- navigation -------------------------------------------------------------------

    def show_start(self, message: str = "") -> None:
        self.start_view.show_message(message)
        self.stack.setCurrentWidget(self.start_view)
        self.start_view.start_button.setFocus()
        self.controller.spawn(self.controller.close_preview())

    def begin_hosting(self) -> None:
        self._intent = Intent.HOST
        self._show_prejoin(self.tr("Start a meeting: check your camera and microphone."))

    def open_link(self, link: str, prejoin: bool = True) -> None:
        """Show the pre-join for ``link`` (or join right away with ``prejoin=False``)."""
        self._intent = Intent.JOIN
        self._pending_link = link
        name = self.settings.load().display_name
        if not prejoin and name:
            self._enter(name)
            return
        self._show_prejoin(self.tr("Join the meeting: check your camera and microphone."))

    def _show_prejoin(self, heading: str) -> None:
        stored = self.settings.load()
        self.prejoin_view.prepare(
            heading,
            stored.display_name,
            self.media.cameras(),
            self.media.microphones(),
            self.media.speakers(),
            (stored.camera, stored.microphone, stored.speaker),
        )
        self.prejoin_view.set_microphone(stored.microphone_on)
        self.prejoin_view.set_camera(stored.camera_on)
        self.controller.set_microphone(stored.microphone_on)
        self.controller.set_camera(stored.camera_on)
        self.stack.setCurrentWidget(self.prejoin_view)
        self.controller.open_preview()

    def _enter(self, name: str) -> None:
        self.settings.update(
            display_name=name,
            microphone_on=self.controller.microphone_on,
            camera_on=self.controller.camera_on,
        )
        self.meeting_view.reset(name)
        self.meeting_view.set_local_media(self.controller.microphone_on, self.controller.camera_on)
        self.stack.setCurrentWidget(self.meeting_view)
        if self._intent is Intent.HOST:
            self.controller.start_meeting(name)
        else:
            self.controller.join(self._pending_link, name)

    # ---- reactions ----------------------------------------------------------------------

    def _state_changed(self, state: str, reason: str) -> None:
        texts = {
            State.CONNECTING.value: self.tr("Connecting…"),
            State.JOINED.value: "",
            State.RECONNECTING.value: reason or self.tr("Reconnecting…"),
        }
        if state in texts:
            self.meeting_view.set_status(texts[state])
        elif state == State.FAILED.value:
            self.show_start(self.tr("Could not join the meeting: %1").replace("%1", reason))
        elif state == State.IDLE.value:
            self.show_start(reason)

    def _local_media_changed(self, microphone_on: bool, camera_on: bool) -> None:
        self.meeting_view.set_local_media(microphone_on, camera_on)
        self.prejoin_view.set_microphone(microphone_on)
        self.prejoin_view.set_camera(camera_on)

    def _problem(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)
        if self.stack.currentWidget() is self.prejoin_view:
            self.prejoin_view.show_message(message)

    def _devices_changed(self, camera: str, microphone: str, speaker: str) -> None:
        self.settings.update(camera=camera, microphone=microphone, speaker=speaker)
        self.controller.spawn(self.controller.reopen_devices())

    def _show_level(self) -> None:
        if self.stack.currentWidget() is self.prejoin_view:
            self.prejoin_view.set_level(self.controller.microphone_level())
        elif self.stack.currentWidget() is self.meeting_view:
            self.meeting_view.show_speaking(self.controller.speaking())

    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self).exec()

    def show_diagnostics(self) -> None:
        DiagnosticsDialog(self.controller.audio_report, self).exec()

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.settings.load(), self)
        if dialog.exec():
            self.settings.update(**dialog.changes())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.controller.state is not State.IDLE:
            self.controller.leave()
        else:
            self.controller.spawn(self.controller.close_preview())
        self.sharing.close()
        super().closeEvent(event)
