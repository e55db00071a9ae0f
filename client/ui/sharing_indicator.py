""" "You are sharing": a small always-on-top window with a stop button, seen even when the
main window is minimised or hidden behind what is being presented."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

_RED = "#b3261e"


class SharingIndicator(QWidget):
    """Frameless, on top of every window, at the top centre of the primary screen.

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

    def show_sharing(self, title: str) -> None:
        self.label.setText(self.tr("You are sharing: %1").replace("%1", title))
        self.adjustSize()
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.center().x() - self.width() // 2, area.top() + 8)
        self.show()
        self.raise_()
