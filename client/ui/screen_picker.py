"""Choosing what to share: screens and windows with live thumbnails and titles."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import av
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from client.media.screen import (
    ScreenCaptureError,
    ShareSource,
    SourceKind,
    UnsupportedSession,
)

logger = logging.getLogger("runde.ui.picker")

THUMBNAIL = QSize(240, 135)
REFRESH_MS = 1500  # live enough to recognise a window, cheap enough to leave the call alone

SourceLister = Callable[[], list[ShareSource]]
Thumbnailer = Callable[[ShareSource, int, int], av.VideoFrame]

# Grabbing takes tens of milliseconds per source: never on the GUI thread.
_grabber = ThreadPoolExecutor(max_workers=1, thread_name_prefix="runde-thumbnails")


def _to_image(frame: av.VideoFrame) -> QImage:
    plane = frame.planes[0]
    image = QImage(
        bytes(plane), frame.width, frame.height, plane.line_size, QImage.Format.Format_ARGB32
    )
    return image.copy()


class ScreenPicker(QDialog):
    """Lists what can be shared; :attr:`chosen` is the picked source once accepted.

    Runde's own windows are left out by the lister, so a meeting cannot share itself.
    When sharing cannot work here (a Wayland session) the dialog says so in one sentence
    and offers nothing to share.

    Signals:
        thumbnailReady(str key, QImage): from the grabbing thread, shown on the GUI thread.
    """

    thumbnailReady = Signal(str, QImage)

    def __init__(
        self, lister: SourceLister, thumbnailer: Thumbnailer, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Share your screen"))
        self._lister = lister
        self._thumbnailer = thumbnailer
        self.chosen: ShareSource | None = None
        self.sources: dict[str, ShareSource] = {}
        self._grabbing = False

        self.message = QLabel(self.tr("Choose a screen or a window. Others see it until you stop."))
        self.message.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Screens and windows to share"))
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(THUMBNAIL)
        self.list.setGridSize(QSize(THUMBNAIL.width() + 24, THUMBNAIL.height() + 48))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setMinimumSize(800, 420)
        self.list.itemActivated.connect(lambda _: self.accept())
        self.list.currentItemChanged.connect(lambda *_: self._update_button())

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.share_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.share_button.setText(self.tr("&Share"))
        self.share_button.setAccessibleName(self.tr("Share the chosen screen or window"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)

        self.thumbnailReady.connect(self._show_thumbnail)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self.refresh()
        self._timer.start(REFRESH_MS)
        self.list.setFocus()

    # ---- listing ----------------------------------------------------------------------

    def refresh(self) -> None:
        """List again (windows come and go) and grab new thumbnails."""
        try:
            found = self._lister()
        except ScreenCaptureError as exc:
            self._timer.stop()
            self.list.clear()
            self.sources.clear()
            self.list.setEnabled(False)
            self.message.setText(self._explain(exc))
            self._update_button()
            return
        keys = [source.key for source in found]
        current = self.list.currentItem()
        current_key = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        for row in reversed(range(self.list.count())):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) not in keys:
                self.list.takeItem(row)
        for source in found:
            if source.key not in self.sources or self._item(source.key) is None:
                self._add_item(source)
            self.sources[source.key] = source
        for key in list(self.sources):
            if key not in keys:
                del self.sources[key]
        kept = self._item(current_key) if current_key is not None else None
        if kept is not None:
            self.list.setCurrentItem(kept)
        elif self.list.count():
            self.list.setCurrentRow(0)
        self._update_button()
        self._grab_thumbnails(found)

    def _explain(self, problem: ScreenCaptureError) -> str:
        if isinstance(problem, UnsupportedSession) and problem.kind == "wayland":
            return self.tr(
                "Screen sharing is not available in a Wayland session yet: Runde would only "
                "send a black picture. Sign in with an X11 session (often called 'on Xorg' on "
                "the login screen) to share your screen."
            )
        if isinstance(problem, UnsupportedSession) and problem.kind == "no_display":
            return self.tr("There is no display to share.")
        return str(problem)

    def _add_item(self, source: ShareSource) -> None:
        label = (
            self.tr("Whole screen: %1").replace("%1", source.title)
            if source.kind is SourceKind.SCREEN
            else source.title
        )
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, source.key)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, label)
        item.setToolTip(f"{label} ({source.width} × {source.height})")
        self.list.addItem(item)

    def _item(self, key: str) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key:
                return item
        return None

    def _grab_thumbnails(self, sources: list[ShareSource]) -> None:
        if self._grabbing:
            return  # the last round is still running: skip rather than queue up
        self._grabbing = True
        _grabber.submit(self._grab_all, list(sources))

    def _grab_all(self, sources: list[ShareSource]) -> None:
        """On the grabbing thread."""
        try:
            for source in sources:
                try:
                    frame = self._thumbnailer(source, THUMBNAIL.width(), THUMBNAIL.height())
                except ScreenCaptureError as exc:
                    logger.debug("no thumbnail: %s", exc)
                    continue
                try:
                    self.thumbnailReady.emit(source.key, _to_image(frame))
                except RuntimeError:
                    return  # the dialog was closed and deleted meanwhile
        finally:
            self._grabbing = False

    def _show_thumbnail(self, key: str, image: QImage) -> None:
        item = self._item(key)
        if item is not None:
            item.setIcon(QIcon(QPixmap.fromImage(image)))

    def thumbnail(self, key: str) -> QImage | None:
        item = self._item(key)
        if item is None or item.icon().isNull():
            return None
        return item.icon().pixmap(THUMBNAIL).toImage()

    # ---- choosing ---------------------------------------------------------------------

    def _update_button(self) -> None:
        self.share_button.setEnabled(self.list.currentItem() is not None)

    def accept(self) -> None:
        item: QListWidgetItem | None = self.list.currentItem()
        if item is None:
            return
        self.chosen = self.sources.get(item.data(Qt.ItemDataRole.UserRole))
        self._timer.stop()
        super().accept()

    def reject(self) -> None:
        self._timer.stop()
        super().reject()
