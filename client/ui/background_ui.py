"""The camera's background effect in the app: one choice, shown in the pre-join view and in
the camera's menu, remembered in the settings, fixed or limited by the administrator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from client.media.background.choice import BackgroundChoice, BackgroundKind
from client.policy import Policy
from client.settings import SettingsStore

Choices = list[tuple[str, str]]  # (label shown, choice as written)
CHOOSE_PICTURE = "choose"  # not a choice: opens the file dialog
PICTURE_FILTER = "*.png *.jpg *.jpeg *.bmp *.webp"


@runtime_checkable
class BackgroundMedia(Protocol):
    def set_background(
        self, choice: BackgroundChoice, on_turned_off: Callable[[str], None]
    ) -> None: ...


class BackgroundUi(QObject):
    """Signals: changed() when the choice (or its lock) changed, problem(str) for the user."""

    changed = Signal()
    problem = Signal(str)
    _turnedOff = Signal()  # from the capture thread, queued to the window's

    def __init__(
        self, media: object, settings: SettingsStore, policy: Policy, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._media = media if isinstance(media, BackgroundMedia) else None
        self._settings = settings
        self._policy = policy
        self._window = parent
        self._current = "none"
        self._turnedOff.connect(self._turned_off)
        self.apply(self._wanted(), remember=False)

    @property
    def locked(self) -> bool:
        return self._policy.locked.background is not None

    @property
    def current(self) -> str:
        return self._current

    def choices(self) -> Choices:
        """What the controls offer, in order; the user's own picture when allowed."""
        offered: Choices = [
            (self.tr("No effect"), "none"),
            (self.tr("Blur"), "blur"),
            (self.tr("Strong blur"), "blur-strong"),
            (self.tr("Picture: office wall"), "picture:office-wall"),
            (self.tr("Picture: grey"), "picture:grey"),
            (self.tr("Picture: blue"), "picture:blue"),
        ]
        if self._policy.own_background_pictures_allowed and not self.locked:
            own = BackgroundChoice.parse_or_none(self._settings.load().background)
            if own.kind is BackgroundKind.FILE:
                label = self.tr("Own picture: %1").replace("%1", Path(own.picture).name)
                offered.append((label, own.text()))
            offered.append((self.tr("Choose a picture…"), CHOOSE_PICTURE))
        return offered

    def choose(self, text: str) -> None:
        """The user picked ``text`` in a control."""
        if self.locked:
            self.changed.emit()  # show the fixed effect again
            return
        if text == CHOOSE_PICTURE:
            self._ask_for_picture()
            return
        self.apply(text, remember=True)

    def apply(self, text: str, remember: bool) -> None:
        choice = BackgroundChoice.parse_or_none(text)
        if self._policy.background_refusal(choice.text()) is not None:
            choice = BackgroundChoice()
        if self._media is not None:
            try:
                self._media.set_background(choice, lambda _sentence: self._turnedOff.emit())
            except (ValueError, RuntimeError) as exc:  # a bad picture, a broken model
                self.problem.emit(
                    self.tr("The background cannot be used: %1").replace("%1", str(exc))
                )
                self.changed.emit()
                return
        self._current = choice.text()
        if remember and not self.locked:
            self._settings.update(background=choice.text())
        self.changed.emit()

    def _wanted(self) -> str:
        return self._policy.locked.background or self._settings.load().background

    def _ask_for_picture(self) -> None:
        # open(), not exec(): a nested event loop would stall the window's asyncio loop
        dialog = QFileDialog(self._window, self.tr("Choose a background picture"))
        dialog.setNameFilter(self.tr("Pictures (%1)").replace("%1", PICTURE_FILTER))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self.apply(f"file:{path}", remember=True))
        dialog.rejected.connect(self.changed)  # the controls show the choice as it was
        dialog.open()

    def _turned_off(self) -> None:
        self._current = "none"
        self.changed.emit()
        self.problem.emit(
            self.tr(
                "The background effect was turned off: this computer cannot keep up with it. "
                "Your real background is visible again."
            )
        )
