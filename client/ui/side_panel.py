"""The meeting's side panel: participants and chat as tabs beside the video.

One page shows at a time; the panel opens on the page asked for (Ctrl+P, Ctrl+Shift+C, a
button) and closes with its close button, Escape inside it, or the same key again. It sits
in a splitter, so its width can be dragged; the width is kept in the settings.

Signals: changed() — shown, hidden or another page; resized(int width) — dragged.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QSplitter, QTabWidget, QToolButton, QVBoxLayout, QWidget

from client.settings import SettingsStore


class SidePanel(QWidget):
    changed = Signal()
    resized = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Side panel"))
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(lambda _index: self.changed.emit())
        close = QToolButton()
        close.setText(self.tr("Close"))
        close.setToolTip(self.tr("Close the side panel"))
        close.setAccessibleName(self.tr("Close the side panel"))
        close.clicked.connect(self.close_panel)
        self.tabs.setCornerWidget(close, Qt.Corner.TopRightCorner)
        self.close_button = close
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.tabs)
        self.setMinimumWidth(220)
        self.width_wanted = 320
        self.hide()

    def set_width(self, width: int) -> None:
        """The width to open with (the splitter holding the panel gives it that much)."""
        self.width_wanted = max(self.minimumWidth(), width)

    def add_page(self, page: QWidget, title: str) -> None:
        self.tabs.addTab(page, title)

    def remove_page(self, page: QWidget) -> None:
        """Take ``page`` out (closing the panel if it showed it); it can be added again."""
        self.hide_page(page)
        index = self.tabs.indexOf(page)
        if index >= 0:
            self.tabs.removeTab(index)

    def has_page(self, page: QWidget) -> bool:
        return self.tabs.indexOf(page) >= 0

    def set_title(self, page: QWidget, title: str) -> None:
        index = self.tabs.indexOf(page)
        if index >= 0:
            self.tabs.setTabText(index, title)

    def is_showing(self, page: QWidget) -> bool:
        return not self.isHidden() and self.tabs.currentWidget() is page

    def show_page(self, page: QWidget) -> None:
        was = self.is_showing(page)
        self.tabs.setCurrentWidget(page)
        if self.isHidden():
            self.show()
            splitter = self.parentWidget()
            if isinstance(splitter, QSplitter):
                total = sum(splitter.sizes())
                splitter.setSizes([max(total - self.width_wanted, 1), self.width_wanted])
        if not was:
            self.changed.emit()

    def hide_page(self, page: QWidget) -> None:
        """Close the panel if ``page`` is what it shows (another page stays open)."""
        if self.is_showing(page):
            self.close_panel()

    def toggle_page(self, page: QWidget) -> None:
        if self.is_showing(page):
            self.close_panel()
        else:
            self.show_page(page)

    def close_panel(self) -> None:
        if self.isHidden():
            return
        focus = self.focusWidget()
        had_focus = focus is not None and self.isAncestorOf(focus)
        self.hide()
        parent = self.parentWidget()
        if had_focus and parent is not None:
            parent.setFocus()  # the keyboard stays in the window, not nowhere
        self.changed.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.isVisible() and event.size().width() != event.oldSize().width():
            self.width_wanted = event.size().width()
            self.resized.emit(self.width_wanted)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_panel()
            return
        super().keyPressEvent(event)


def remember_width(panel: SidePanel, settings: SettingsStore) -> None:
    """Open at the width last dragged to, in this and later runs (saved once dragging stops)."""
    panel.set_width(settings.load().side_panel_width)
    pause = QTimer(panel)
    pause.setSingleShot(True)
    pause.setInterval(500)
    pause.timeout.connect(lambda: settings.update(side_panel_width=panel.width_wanted))
    panel.resized.connect(lambda _width: pause.start())
