"""A menu beside the microphone and the camera button: another device, during the meeting.

The microphone's menu also lists the speakers (as in other meeting apps: one place for
sound). A pick is remembered in the settings and the devices switch in place; the meeting
goes on. "Try again" reopens the chosen devices after one failed or came back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QBoxLayout, QMenu, QToolButton, QWidget

from client.call.device_problems import DeviceKind
from client.call.local_media import Choices
from client.settings import UserSettings

_SETTING = {
    DeviceKind.MICROPHONE: "microphone",
    DeviceKind.CAMERA: "camera",
    DeviceKind.SPEAKERS: "speaker",
}


def setting_of(kind: DeviceKind) -> str:
    """The settings field that remembers the chosen device of ``kind``."""
    return _SETTING[kind]


# the background effects offered (label, choice), the one in use, and whether it is fixed
BackgroundOffer = Callable[[], tuple[Choices, str, bool]]


class DeviceMenus(QObject):
    """Signals: devicePicked(DeviceKind kind, str value), retryRequested(),
    backgroundPicked(str choice) (the camera's background effect, from its own section)."""

    devicePicked = Signal(object, str)
    retryRequested = Signal()
    backgroundPicked = Signal(str)

    def __init__(
        self,
        choices: Callable[[DeviceKind], Choices],
        chosen: Callable[[], UserSettings],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._choices = choices
        self._chosen = chosen
        self._backgrounds: BackgroundOffer | None = None

    def offer_backgrounds(self, offer: BackgroundOffer) -> None:
        """Give the camera's menu a section for its background effect."""
        self._backgrounds = offer

    def add_beside(
        self, toggle: QWidget, controls: QBoxLayout, kinds: tuple[DeviceKind, ...]
    ) -> QToolButton:
        """A menu button right after ``toggle`` in ``controls`` (and in the Tab order)."""
        button = QToolButton()
        first = kinds[0]
        name = (
            self.tr("Choose the microphone and speakers")
            if first is DeviceKind.MICROPHONE
            else self.tr("Choose the camera")
        )
        button.setText("▾")
        button.setToolTip(name)
        button.setAccessibleName(name)
        menu = QMenu(button)
        menu.setAccessibleName(name)

        def open_menu() -> None:
            # popup, not the tool button's own exec: a nested event loop would stall the
            # window's asyncio loop while the menu is open
            self._fill(menu, kinds)
            menu.popup(button.mapToGlobal(button.rect().bottomLeft()))

        button.clicked.connect(open_menu)
        controls.insertWidget(controls.indexOf(toggle) + 1, button)
        QWidget.setTabOrder(toggle, button)
        return button

    def _fill(self, menu: QMenu, kinds: tuple[DeviceKind, ...]) -> None:
        menu.clear()
        settings = self._chosen()
        for kind in kinds:
            heading = menu.addSection(self._heading(kind))
            heading.setEnabled(False)
            group = QActionGroup(menu)
            current = str(getattr(settings, setting_of(kind)))
            for label, value in [(self.tr("System default"), ""), *self._choices(kind)]:
                action = menu.addAction(label)
                action.setCheckable(True)
                action.setChecked(value == current)
                group.addAction(action)
                action.triggered.connect(
                    lambda _=False, k=kind, v=value: self.devicePicked.emit(k, v)
                )
        if DeviceKind.CAMERA in kinds and self._backgrounds is not None:
            self._add_backgrounds(menu, *self._backgrounds())
        menu.addSeparator()
        again = menu.addAction(self.tr("Try the devices again"))
        again.triggered.connect(self.retryRequested)

    def _add_backgrounds(self, menu: QMenu, offered: Choices, current: str, locked: bool) -> None:
        title = self.tr("Background")
        if locked:
            title = self.tr("Background (set by your administrator)")
        menu.addSection(title).setEnabled(False)
        group = QActionGroup(menu)
        for label, value in offered:
            action = menu.addAction(label)
            action.setCheckable(value != "choose")
            action.setChecked(value == current)
            action.setEnabled(not locked)
            group.addAction(action)
            action.triggered.connect(lambda _=False, v=value: self.backgroundPicked.emit(v))

    def _heading(self, kind: DeviceKind) -> str:
        match kind:
            case DeviceKind.MICROPHONE:
                return self.tr("Microphone")
            case DeviceKind.CAMERA:
                return self.tr("Camera")
            case DeviceKind.SPEAKERS:
                return self.tr("Speakers")
