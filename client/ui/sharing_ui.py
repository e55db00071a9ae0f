"""Screen sharing in the main window: the picker, the indicator, and the view's reactions."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect
from PySide6.QtWidgets import QWidget

from client.ui.controller import LocalMedia, MeetingController
from client.ui.meeting_view import MeetingView
from client.ui.screen_picker import ScreenPicker
from client.ui.sharing_indicator import SharingIndicator


class SharingUi(QObject):
    """Connects the meeting view's share button, the picker and the "You are sharing" window
    to the controller; the view shows remote screens as a presentation."""

    def __init__(
        self,
        controller: MeetingController,
        view: MeetingView,
        media: LocalMedia,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._controller = controller
        self._view = view
        self._media = media
        self._window = window
        self.picker: ScreenPicker | None = None
        # No parent, so it stays up when the main window is minimised; it goes with it.
        self.indicator = SharingIndicator()
        window.destroyed.connect(self.indicator.deleteLater)
        self.indicator.stopRequested.connect(controller.stop_sharing)
        view.set_screen_sharing_allowed(controller.screen_sharing_allowed)
        view.shareRequested.connect(self.pick)
        view.stopShareRequested.connect(controller.stop_sharing)
        controller.sharingChanged.connect(self._sharing_changed)
        controller.remoteScreen.connect(view.add_screen)
        controller.remoteScreenEnded.connect(view.remove_screen)
        controller.stateChanged.connect(self._state_changed)  # a method: gone with the window
        view.multiplePresentersToggled.connect(controller.allow_multiple_presenters)
        window.installEventFilter(self)  # the indicator moves out of the window's way

    def _state_changed(self, _state: str, _reason: str) -> None:
        self._view.set_hosting(self._controller.hosting)

    def pick(self) -> None:
        """Open the picker (without blocking the meeting); sharing starts when accepted."""
        if not self._controller.screen_sharing_allowed or self._controller.sharing is not None:
            return
        if self.picker is not None:
            self.picker.raise_()
            return
        picker = ScreenPicker(self._media.share_sources, self._media.share_thumbnail, self._window)
        picker.finished.connect(lambda _: self._picked(picker))
        self.picker = picker
        picker.open()

    def _picked(self, picker: ScreenPicker) -> None:
        self.picker = None
        if picker.result() and picker.chosen is not None:
            self._controller.share_screen(picker.chosen)
        picker.deleteLater()

    def _sharing_changed(self, sharing: bool, title: str) -> None:
        self._view.set_sharing(sharing)
        if sharing:
            self.indicator.show_sharing(title, self._window.screen(), *self._window_areas())
        else:
            self.indicator.hide()

    def _window_areas(self) -> tuple[QRect | None, QRect | None]:
        """The meeting window and its video stage on the screen; None when not shown."""
        window = self._window
        if not window.isVisible() or window.isMinimized():
            return None, None
        stage = self._view.stage
        free = QRect(stage.mapToGlobal(QPoint(0, 0)), stage.size()) if stage.isVisible() else None
        return window.frameGeometry(), free

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        moved = (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.WindowStateChange)
        if watched is self._window and event.type() in moved and self.indicator.isVisible():
            self.indicator.place(self._window.screen(), *self._window_areas())
        return False

    def close(self) -> None:
        self.indicator.hide()
