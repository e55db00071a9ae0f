"""A message or status line screen readers can read and that says itself when it changes.

A QLabel offers AT-SPI no Text interface: with a name like "Message" set, Orca could not read
what the message says. A read-only text field without a frame looks like a label and offers
the text; each new text is also announced (a status, not a focus change).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QApplication, QFrame, QSizePolicy, QTextEdit, QWidget

from client.ui.readable_colors import error_color


class MessageText(QTextEdit):
    """Plain text, wrapped, as tall as its lines; hidden while empty.

    ``announce`` says each new text to a screen reader: for errors and statuses that appear
    without the focus moving to them.
    """

    def __init__(
        self, name: str, error: bool = False, announce: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._error = error
        self.announce = announce
        self._applying = False
        self.setReadOnly(True)
        self.setAcceptRichText(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no extra Tab stop; read, not edited
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.viewport().setAutoFillBackground(False)
        self.document().setDocumentMargin(0)  # lined up with the labels around it
        self.setAccessibleName(name)
        self._apply_palette()
        self.setVisible(False)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # the same call as QLabel's
        if text == self.toPlainText():
            return
        self.setPlainText(text)
        self.setVisible(bool(text))
        self._fit_height()
        if text and self.announce and QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self, text))

    def set_error(self, error: bool) -> None:
        """Shown in the error colour, or in the window's text colour."""
        if error != self._error:
            self._error = error
            self._apply_palette()

    def clear(self) -> None:
        self.setText("")

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ParentChange):
            self._apply_palette()

    def _apply_palette(self) -> None:
        """Like a label: the window's colours (light or dark theme), not a text field's."""
        if self._applying:
            return
        self._applying = True
        try:
            parent = self.parentWidget()
            palette = QPalette(parent.palette() if parent is not None else QApplication.palette())
            palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
            text = palette.color(QPalette.ColorRole.WindowText)
            palette.setColor(QPalette.ColorRole.Text, error_color(palette) if self._error else text)
            self.setPalette(palette)
        finally:
            self._applying = False

    def _fit_height(self) -> None:
        document = self.document()
        document.setTextWidth(self.viewport().width())
        margins = self.contentsMargins()
        height = int(document.size().height()) + margins.top() + margins.bottom()
        if height != self.height():
            self.setFixedHeight(height)
