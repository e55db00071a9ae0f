"""Devices as they really are: a failed one shows on its button and in a banner.

The banner names the device and what happened in the user's language, offers "Try again"
(after plugging it back in, or when the sound server is back), and is read out by screen
readers. The meeting goes on meanwhile; the others see the device as off.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from client.call.device_problems import DeviceKind, DeviceProblem, DeviceTrouble
from client.ui.media_buttons import MediaToggleButton
from client.ui.message_text import MessageText


def problem_text(problem: DeviceProblem) -> str:
    """One sentence for the banner: what is wrong and what it means for the meeting."""
    match (problem.kind, problem.trouble):
        case (DeviceKind.MICROPHONE, DeviceTrouble.NOT_FOUND):
            return QCoreApplication.translate(
                "DeviceStatus", "No microphone was found: the others cannot hear you."
            )
        case (DeviceKind.MICROPHONE, DeviceTrouble.FAILED):
            return QCoreApplication.translate(
                "DeviceStatus",
                "The microphone stopped working or could not be opened: "
                "the others cannot hear you.",
            )
        case (DeviceKind.CAMERA, DeviceTrouble.NOT_FOUND):
            return QCoreApplication.translate(
                "DeviceStatus", "No camera was found: the others do not see you."
            )
        case (DeviceKind.CAMERA, DeviceTrouble.FAILED):
            return QCoreApplication.translate(
                "DeviceStatus",
                "The camera stopped working or could not be opened: the others do not see you.",
            )
        case (DeviceKind.SPEAKERS, DeviceTrouble.NOT_FOUND):
            return QCoreApplication.translate(
                "DeviceStatus", "No speakers were found: you cannot hear the others."
            )
        case (DeviceKind.SPEAKERS, DeviceTrouble.FAILED):
            return QCoreApplication.translate(
                "DeviceStatus",
                "The speakers stopped working or could not be opened: you cannot hear the others.",
            )
        case _:
            return QCoreApplication.translate("DeviceStatus", "A device does not work.")


class DeviceBanner(QFrame):
    """Every device problem at once, one line each, with one "Try again".

    Signals: retryRequested().
    """

    retryRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("device_banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Device problems"))
        self.problems: dict[DeviceKind, DeviceProblem] = {}
        # a text field that looks like a label: screen readers can read it, and it says
        # itself when it changes
        self.text = MessageText(self.tr("Device problems"), error=True)
        self.retry_button = QPushButton(self.tr("Try again"))
        self.retry_button.setAccessibleName(self.tr("Try again"))
        self.retry_button.setAccessibleDescription(
            self.tr("Open the chosen devices again, for example after plugging one back in")
        )
        self.retry_button.clicked.connect(self.retryRequested)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.text, 1)
        row.addWidget(self.retry_button)
        self.hide()

    def set_problem(self, kind: DeviceKind, problem: DeviceProblem | None) -> None:
        if problem is None:
            self.problems.pop(kind, None)
        else:
            self.problems[kind] = problem
        text = "\n".join(problem_text(p) for p in self.problems.values())
        self.text.setText(text)
        # the media layer's own words (device names, the system's error) for whoever helps
        self.setToolTip("\n".join(p.detail for p in self.problems.values()))
        self.setVisible(bool(text))


class DeviceStatus(QObject):
    """Keeps the buttons and banners of the pre-join and the meeting in step with the devices.

    ``buttons``: the microphone and camera toggles of each view.
    """

    retryRequested = Signal()

    def __init__(
        self,
        banners: list[DeviceBanner],
        buttons: dict[DeviceKind, list[MediaToggleButton]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._banners = banners
        self._buttons = buttons
        for banner in banners:
            banner.retryRequested.connect(self.retryRequested)

    def device_changed(self, kind: DeviceKind, problem: DeviceProblem | None) -> None:
        for banner in self._banners:
            banner.set_problem(kind, problem)
        note = problem_text(problem) if problem is not None else None
        for button in self._buttons.get(kind, []):
            button.set_unavailable(note)
