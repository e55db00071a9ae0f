""" "You are sharing": a small always-on-top window with a stop button, seen even when the
main window is minimised or hidden behind what is being presented."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

_RED = "#b3261e"
GAP = 8


def indicator_position(
    size: QSize, area: QRect, window: QRect | None, free: QRect | None
) -> QPoint:
    """Where the indicator goes: the top centre of the screen's free ``area``, unless that
    covers the meeting ``window``; then just above the window, else at the top of the
    window's ``free`` part (the video, where no control is), else just below the window."""
    top_centre = QPoint(area.center().x() - size.width() // 2, area.top() + GAP)
    if window is None or not QRect(top_centre, size).intersects(window):
        return top_centre
    x = _within(window.center().x() - size.width() // 2, area.left(), area.right(), size)
    if window.top() - GAP - size.height() >= area.top():
        return QPoint(x, window.top() - GAP - size.height())
    shown = free.intersected(area) if free is not None else QRect()
    if shown.width() >= size.width() and shown.height() >= 3 * size.height():
        x = _within(shown.center().x() - size.width() // 2, shown.left(), shown.right(), size)
        return QPoint(x, shown.top() + GAP)
    if window.bottom() + GAP + size.height() <= area.bottom():
        return QPoint(x, window.bottom() + GAP)
    return top_centre


def _within(x: int, left: int, right: int, size: QSize) -> int:
    return max(left, min(x, right + 1 - size.width()))


class SharingIndicator(QWidget):
    """Frameless, on top of every window, at the top centre of the screen, never over the
    meeting window's controls.

    Signals:
        stopRequested(): the presenter pressed "Stop sharing".
    """

    stopRequested = Signal()

    def __init__(self) -> None:
        super().__init__(
            None,
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint,
        )
        self.setWindowTitle(self.tr("You are sharing your screen"))
        self.setAccessibleName(self.tr("You are sharing your screen"))
        self.setStyleSheet(
            f"SharingIndicator {{ background: {_RED}; }} QLabel {{ color: white; "
            "font-weight: bold; }"
        )
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.label = QLabel()
        self.label.setAccessibleName(self.tr("Sharing state"))
        self.stop_button = QPushButton(self.tr("&Stop sharing"))
        self.stop_button.setAccessibleName(self.tr("Stop sharing your screen"))
        self.stop_button.clicked.connect(self.stopRequested)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 6, 6)
        row.addWidget(self.label)
        row.addWidget(self.stop_button)

    def show_sharing(
        self,
        title: str,
        screen: QScreen | None = None,
        window: QRect | None = None,
        free: QRect | None = None,
    ) -> None:
        """Show it on ``screen`` (the primary one without), clear of the meeting ``window``
        (global coordinates; None when it is minimised), its ``free`` part allowed."""
        self.label.setText(self.tr("You are sharing: %1").replace("%1", title))
        self.adjustSize()
        self.place(screen, window, free)
        self.show()
        self.raise_()

    def place(
        self, screen: QScreen | None, window: QRect | None = None, free: QRect | None = None
    ) -> None:
        screen = screen or QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(indicator_position(self.frameGeometry().size(), area, window, free))
