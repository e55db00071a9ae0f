"""The pin button in a tile's corner: pinning offered as a button, so screen readers list it
as the tile's action and a mouse user sees it, not only double-click and Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton, QWidget


class PinButton(QToolButton):
    """Small; reached with Tab after its tile (Enter on the tile pins as well)."""

    def __init__(self, tile: QWidget) -> None:
        super().__init__(tile)
        self.setObjectName("pin_button")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the focus where it was
        self.setAutoRaise(False)

    def label(self, whose: str, pinned: bool) -> None:
        """Name it after the tile: a screen reader lists the buttons of every tile at once."""
        if pinned:
            self.setText(self.tr("Unpin"))
            self.setAccessibleName(self.tr("Unpin %1").replace("%1", whose))
        else:
            self.setText(self.tr("Pin"))
            self.setAccessibleName(self.tr("Pin %1").replace("%1", whose))
        self.adjustSize()
        self.keep_in_corner()

    def keep_in_corner(self) -> None:
        """Bottom right: the hand is top left, a reaction top right, the name bottom left."""
        tile = self.parentWidget()
        if tile is not None:
            self.move(tile.width() - self.width() - 6, tile.height() - self.height() - 6)
