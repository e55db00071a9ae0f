"""The window's part in device troubles and choices: banner, buttons and menus together."""

from __future__ import annotations

from PySide6.QtCore import QObject

from client.call.device_problems import DeviceKind
from client.settings import SettingsStore
from client.ui.controller import MeetingController
from client.ui.device_menus import DeviceMenus, setting_of
from client.ui.device_status import DeviceBanner, DeviceStatus
from client.ui.meeting_view import MeetingView
from client.ui.prejoin_view import PreJoinView


class DeviceUi(QObject):
    def __init__(
        self,
        controller: MeetingController,
        settings: SettingsStore,
        banner: DeviceBanner,
        prejoin: PreJoinView,
        meeting: MeetingView,
    ) -> None:
        super().__init__(meeting)
        self._controller = controller
        self._settings = settings
        self.status = DeviceStatus(
            [banner],
            {
                DeviceKind.MICROPHONE: [prejoin.microphone_button, meeting.microphone_button],
                DeviceKind.CAMERA: [prejoin.camera_button, meeting.camera_button],
            },
            self,
        )
        controller.deviceChanged.connect(self.status.device_changed)
        self.status.retryRequested.connect(self.retry)
        self.menus = DeviceMenus(controller.devices.choices, settings.load, self)
        self.microphone_menu = self.menus.add_beside(
            meeting.microphone_button,
            meeting.controls,
            (DeviceKind.MICROPHONE, DeviceKind.SPEAKERS),
        )
        self.camera_menu = self.menus.add_beside(
            meeting.camera_button, meeting.controls, (DeviceKind.CAMERA,)
        )
        self.menus.devicePicked.connect(self.pick)
        self.menus.retryRequested.connect(self.retry)

    def pick(self, kind: DeviceKind, value: str) -> None:
        self._settings.update(**{setting_of(kind): value})
        self.retry()

    def retry(self) -> None:
        self._controller.spawn(self._controller.reopen_devices())
