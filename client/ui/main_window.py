"""The main window: start view, pre-join and meeting, switched as the meeting goes."""

from __future__ import annotations

import logging
from enum import Enum, auto

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStackedWidget, QVBoxLayout, QWidget

from client.call.events import SessionState
from client.media.level_probe import SPEAKING_DBFS
from client.netconfig import IceServerSetting, NetworkSettingsError
from client.policy import Policy
from client.policy.account import account_full_name
from client.protocol.link import LinkError, parse_link
from client.secrets import SecretStore, turn_secret_name
from client.settings import SettingsStore
from client.ui.background_ui import BackgroundUi
from client.ui.controller import LocalMedia, MeetingController
from client.ui.device_status import DeviceBanner
from client.ui.device_ui import DeviceUi
from client.ui.dialogs import DiagnosticsDialog, SettingsDialog, ShortcutsDialog
from client.ui.leaving import LeaveGuard
from client.ui.link_bar import COPIED_SHOWN_MS
from client.ui.meeting_modules import MeetingModulesUi
from client.ui.meeting_view import SELF_ID, MeetingView
from client.ui.moderation_ui import ModerationUi
from client.ui.notifications import BackgroundNotifications
from client.ui.participant_notices import ParticipantNotices
from client.ui.prejoin_view import PreJoinView
from client.ui.sharing_ui import SharingUi
from client.ui.side_panel import remember_width
from client.ui.start_view import StartView
from client.ui.video_report import VideoReport

logger = logging.getLogger("runde.ui")


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
        policy: Policy | None = None,
        secrets: SecretStore | None = None,
    ) -> None:
        super().__init__()
        self.controller = controller
        self.media = media
        self.settings = settings
        self.policy = policy or Policy.unrestricted()
        if not self.policy.screen_sharing_allowed:
            controller.screen_sharing_allowed = False  # before the sharing controls are made
        self.secrets = secrets or SecretStore()
        self._intent = Intent.JOIN
        self._pending_link = ""
        self._link_after_leaving: tuple[str, bool] | None = None
        self._may_close = False  # the host confirmed ending the meeting by closing the window
        self.setWindowTitle(self.tr("Runde"))
        self.resize(1100, 700)

        self.start_view = StartView(hosting_allowed)
        self.start_view.apply_policy(self.policy)
        self.prejoin_view = PreJoinView()
        self.meeting_view = MeetingView()
        self.stack = QStackedWidget()
        for view in (self.start_view, self.prejoin_view, self.meeting_view):
            self.stack.addWidget(view)
        self.device_banner = DeviceBanner()  # above every view: devices work or say why not
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.device_banner)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)

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
        self.meeting_view.remoteTileSized.connect(controller.tile_layers.tile_sized)
        self.meeting_view.remoteTileGone.connect(controller.tile_layers.tile_gone)
        self.leaving = LeaveGuard(controller, self)
        self.moderation = ModerationUi(
            controller, self, self.meeting_view.side_panel, self.meeting_view.participant_list
        )
        self.meeting_view.leaveRequested.connect(self.leaving.request)
        self.meeting_view.fullscreenRequested.connect(self.toggle_fullscreen)
        self.meeting_view.shortcutsRequested.connect(self.show_shortcuts)
        self.meeting_view.link_bar.copied.connect(
            lambda text: self.statusBar().showMessage(text, COPIED_SHOWN_MS)
        )

        controller.stateChanged.connect(self._state_changed)
        controller.linkChanged.connect(self.meeting_view.set_link)
        controller.participantJoined.connect(self.meeting_view.add_participant)
        controller.participantLeft.connect(self.meeting_view.remove_participant)
        controller.participantMediaChanged.connect(self.meeting_view.set_participant_media)
        controller.participantVideoPaused.connect(self.meeting_view.set_video_paused)
        controller.ownVideoPaused.connect(
            lambda paused: self.meeting_view.set_video_paused(SELF_ID, paused)
        )
        controller.remoteVideo.connect(self.meeting_view.attach_video)
        controller.localMediaChanged.connect(self._local_media_changed)
        controller.problem.connect(self._problem)
        controller.ownImage.connect(self.prejoin_view.preview.set_image)
        controller.ownImage.connect(self.meeting_view.show_own_image)
        self.sharing = SharingUi(controller, self.meeting_view, media, self)
        self.modules = MeetingModulesUi(controller, self.meeting_view)
        self.notices = ParticipantNotices(controller, self.meeting_view)
        self.background = BackgroundNotifications(
            controller, self, lambda: settings.load().notification_sound
        )
        remember_width(self.meeting_view.side_panel, settings)
        self.devices = DeviceUi(
            controller, settings, self.device_banner, self.prejoin_view, self.meeting_view
        )
        self.backgrounds = BackgroundUi(media, settings, self.policy, self)
        self.backgrounds.problem.connect(self._problem)
        self.backgrounds.changed.connect(self._show_backgrounds)
        self.prejoin_view.backgroundChosen.connect(self.backgrounds.choose)
        self.devices.menus.offer_backgrounds(
            lambda: (self.backgrounds.choices(), self.backgrounds.current, self.backgrounds.locked)
        )
        self.devices.menus.backgroundPicked.connect(self.backgrounds.choose)
        self._show_backgrounds()

        self._level_timer = QTimer(self)
        self._level_timer.timeout.connect(self._show_level)
        self._level_timer.start(100)
        self._add_window_actions()
        self.show_start()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.WindowStateChange:
            # minimised: no tile is seen, so no camera need be received
            self.controller.tile_layers.window_shown(not self.isMinimized())
        super().changeEvent(event)

    def _add_window_actions(self) -> None:
        for text, keys, slot in (
            (self.tr("Keyboard shortcuts"), "F1", self.show_shortcuts),
            (self.tr("Diagnostics"), "Ctrl+Shift+D", self.show_diagnostics),
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
        # The button is disabled then; this also covers every other way in.
        if not self.policy.hosting_allowed:
            self.show_start(
                self.start_view.policy_label.text()
                or self.tr("Your administrator has turned off hosting meetings.")
            )
            return
        self._intent = Intent.HOST
        self._show_prejoin(self.tr("Start a meeting: check your camera and microphone."))

    def open_link(self, link: str, prejoin: bool = True) -> None:
        """Show the pre-join for ``link`` (or join right away with ``prejoin=False``)."""
        refusal = self._link_refusal(link)
        if refusal:
            self.show_start(refusal)
            return
        self._intent = Intent.JOIN
        self._pending_link = link
        logger.info("opening %s (pre-join: %s)", _for_log(link), prejoin)
        name = self._display_name()
        if not prejoin and name:
            self._apply_media_choices()  # what the pre-join would have started with
            self._enter(name)
            return
        self._show_prejoin(self.tr("Join the meeting: check your camera and microphone."))

    @property
    def pending_link(self) -> str:
        """The link the pre-join (or the join under way) is for."""
        return self._pending_link

    def receive_link(self, link: str, prejoin: bool) -> None:
        """A later start handed us ``link`` (or just asked to be shown): come forward, open it.

        In a meeting, the user decides whether to leave it for the other one.
        """
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        if not link:
            return
        if self.controller.state is SessionState.IDLE:
            self.open_link(link, prejoin)
            return
        refusal = self._link_refusal(link)
        if refusal:  # never leave a meeting for a link the policy refuses
            self.statusBar().showMessage(refusal, 15000)
            return
        question = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Switch meetings?"),
            self.tr(
                "You host this meeting: leaving ends it for everyone. End it and open the "
                "other meeting?"
            )
            if self.controller.hosting
            else self.tr("You are in a meeting. Leave it and open the other meeting?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        question.setObjectName("switch_meeting_question")
        question.setDefaultButton(QMessageBox.StandardButton.No)
        question.accepted.connect(lambda: self._leave_then_open(link, prejoin))
        question.open()

    def _leave_then_open(self, link: str, prejoin: bool) -> None:
        self._link_after_leaving = (link, prejoin)
        self.controller.leave()

    def _link_refusal(self, link: str) -> str:
        """Why the policy forbids joining ``link``; "" when it may be joined.

        A link that does not parse is left to the controller, which names what is wrong.
        """
        if self.policy.problem is not None:
            return self.start_view.policy_label.text()
        try:
            host = parse_link(link).host
        except LinkError:
            return ""
        if self.policy.host_allowed(host):
            return ""
        return (
            self.tr("Your administrator allows meeting links only to %1; this link goes to %2.")
            .replace("%1", ", ".join(self.policy.allowed_link_hosts or ()) or "-")
            .replace("%2", host)
        )

    def _display_name(self) -> str:
        if self.policy.locked.name_from_account:
            return account_full_name()
        return self.settings.load().display_name

    def _apply_media_choices(self) -> tuple[bool, bool]:
        """Microphone and camera as the user left them, unless the administrator fixed them;
        returns (microphone on, camera on)."""
        stored = self.settings.load()
        locked = self.policy.locked
        microphone_on = (
            stored.microphone_on if locked.microphone_on is None else locked.microphone_on
        )
        camera_on = stored.camera_on if locked.camera_on is None else locked.camera_on
        self.controller.set_microphone(microphone_on)
        self.controller.set_camera(camera_on)
        return microphone_on, camera_on

    def _show_prejoin(self, heading: str) -> None:
        stored = self.settings.load()
        locked = self.policy.locked
        microphone_on, camera_on = self._apply_media_choices()
        self.prejoin_view.prepare(
            heading,
            self._display_name(),
            self.media.cameras(),
            self.media.microphones(),
            self.media.speakers(),
            (stored.camera, stored.microphone, stored.speaker),
        )
        self.prejoin_view.set_microphone(microphone_on)
        self.prejoin_view.set_camera(camera_on)
        self.prejoin_view.lock(
            locked.camera_on,
            locked.microphone_on,
            self._display_name() if locked.name_from_account else None,
        )
        self.stack.setCurrentWidget(self.prejoin_view)
        self.prejoin_view.focus_start()
        self.controller.open_preview()

    def _enter(self, name: str) -> None:
        # Remember the user's own choices, not what the administrator fixed.
        locked = self.policy.locked
        remembered: dict[str, object] = {}
        if not locked.name_from_account:
            remembered["display_name"] = name
        if locked.microphone_on is None:
            remembered["microphone_on"] = self.controller.microphone_on
        if locked.camera_on is None:
            remembered["camera_on"] = self.controller.camera_on
        self.settings.update(**remembered)
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
            SessionState.JOINING.value: self.tr("Connecting…"),
            SessionState.JOINED.value: "",
            SessionState.RECONNECTING.value: reason or self.tr("Reconnecting…"),
            SessionState.WAITING.value: reason,
        }
        if state in texts:
            self.meeting_view.set_status(texts[state])
        elif state == SessionState.FAILED.value:
            self.show_start(self.tr("Could not join the meeting: %1").replace("%1", reason))
        elif state == SessionState.IDLE.value and self._link_after_leaving is not None:
            link, prejoin = self._link_after_leaving
            self._link_after_leaving = None
            self.open_link(link, prejoin)
        elif state == SessionState.IDLE.value:
            self.show_start(reason)

    def _local_media_changed(self, microphone_on: bool, camera_on: bool) -> None:
        self.meeting_view.set_local_media(microphone_on, camera_on)
        self.prejoin_view.set_microphone(microphone_on)
        self.prejoin_view.set_camera(camera_on)

    def _problem(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)
        if self.stack.currentWidget() is self.prejoin_view:
            self.prejoin_view.show_message(message)

    def _show_backgrounds(self) -> None:
        ui = self.backgrounds
        self.prejoin_view.set_backgrounds(ui.choices(), ui.current, ui.locked)

    def _devices_changed(self, camera: str, microphone: str, speaker: str) -> None:
        self.settings.update(camera=camera, microphone=microphone, speaker=speaker)
        self.controller.spawn(self.controller.reopen_devices())

    def _show_level(self) -> None:
        if self.stack.currentWidget() is self.prejoin_view:
            self.prejoin_view.set_level(self.controller.microphone_level())
        elif self.stack.currentWidget() is self.meeting_view:
            speaking = self.controller.speaking()
            # our own tile gets the speaking ring too: we see that the microphone hears us
            speaking[SELF_ID] = self.controller.microphone_level() > SPEAKING_DBFS
            self.meeting_view.show_speaking(speaking)

    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self).exec()

    def show_diagnostics(self) -> None:
        self.diagnostics_dialog().exec()

    def diagnostics_dialog(self) -> DiagnosticsDialog:
        video = VideoReport()

        def report() -> str:
            tiles = [t for t in self.meeting_view.tiles.values() if not t.is_self]
            lines = video.lines(tiles, self.controller.camera_send_scale())
            network = self.controller.network_report()
            sections = ["\n".join(lines), self.controller.audio_report(), network]
            return "\n\n".join(section for section in sections if section)

        return DiagnosticsDialog(report, self)

    def open_settings(self) -> None:
        dialog = SettingsDialog(
            self.settings.load(),
            self,
            locked=self.policy.locked,
            secrets_available=self.secrets.available,
        )
        if dialog.exec():
            self.save_settings(dialog.changes(), dialog.turn_password())

    def save_settings(self, changes: dict[str, object], turn_password: str = "") -> None:
        """Settings go to QSettings; a TURN password only to the OS password store."""
        stored = self.settings.update(**changes)
        password = turn_password or None
        if stored.turn_server and stored.turn_username:
            name = turn_secret_name(stored.turn_server, stored.turn_username)
            if password and self.secrets.store(name, password) is not None:
                self.statusBar().showMessage(
                    self.tr(
                        "The TURN password was not saved: this computer has no password store "
                        "Runde can use. It is used until Runde closes."
                    )
                )
            password = password or self.secrets.load(name)
        server = None
        if stored.turn_server:
            try:
                server = IceServerSetting(
                    stored.turn_server, stored.turn_username or None, password
                )
            except NetworkSettingsError as exc:
                self.statusBar().showMessage(
                    self.tr("Your TURN server is not used: %1").replace("%1", str(exc))
                )
        self.controller.set_own_ice_server(server)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.leaving.must_ask() and not self._may_close:
            event.ignore()  # the host is asked first; the answer closes the window, or not
            self.leaving.request(self._close_after_leaving)
            return
        self._may_close = False
        if self.controller.state is not SessionState.IDLE:
            self.controller.leave()
        else:
            self.controller.spawn(self.controller.close_preview())
        self.sharing.close()
        super().closeEvent(event)

    def _close_after_leaving(self) -> None:
        self._may_close = True
        self.close()


def _for_log(link: str) -> str:
    """Names the meeting in the log without its secret."""
    try:
        return parse_link(link).redacted()
    except LinkError:
        return "a link that is not valid"
