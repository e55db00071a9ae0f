"""Buttons of a view whose shortcut is an action of the view, so no button text can drop it."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QPushButton, QWidget


def label_button(button: QPushButton, text: str, keys: str) -> QPushButton:
    """Text, tooltip and accessible name naming the shortcut (kept as a window action)."""
    button.setText(text)
    button.setToolTip(f"{text} ({keys})")
    button.setAccessibleName(f"{text} ({keys})")
    return button


def press_with_keys(view: QWidget, button: QAbstractButton, keys: str) -> QAction:
    """``keys`` press ``button`` while ``view`` is shown and the button is part of it.

    An action of the view, not the button's shortcut: ``QAbstractButton.setText`` drops that.
    """

    def pressed() -> None:
        if button.isVisibleTo(view):  # e.g. no "Grid view" without a shared screen
            button.animateClick()

    action = QAction(view)
    action.setShortcut(QKeySequence(keys))
    action.triggered.connect(pressed)
    view.addAction(action)
    return action
