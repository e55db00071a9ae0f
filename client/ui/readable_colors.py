"""Text colours that keep 4.5:1 contrast (WCAG 1.4.3) on light and on dark themes.

A fixed colour reads on one background only: the red of an error on white is unreadable on
a dark theme's grey. Each colour here comes in a pair, chosen by the palette's background.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

# (on a light background, on a dark one)
_ERROR = (QColor(0xB3, 0x26, 0x1E), QColor(0xF2, 0xB8, 0xB5))
_MUTED = (QColor(0x5F, 0x63, 0x68), QColor(0xBD, 0xC1, 0xC6))
_ACCENT = (QColor(0x19, 0x67, 0xD2), QColor(0x8A, 0xB4, 0xF8))


def _pick(pair: tuple[QColor, QColor], palette: QPalette, role: QPalette.ColorRole) -> QColor:
    dark = palette.color(role).lightnessF() < 0.5
    return QColor(pair[1] if dark else pair[0])


def error_color(palette: QPalette, role: QPalette.ColorRole = QPalette.ColorRole.Window) -> QColor:
    """Red for errors, readable on ``role`` (the window; Base for text fields)."""
    return _pick(_ERROR, palette, role)


def muted_color(palette: QPalette, role: QPalette.ColorRole = QPalette.ColorRole.Base) -> QColor:
    """Grey for secondary text such as a time, still readable."""
    return _pick(_MUTED, palette, role)


def accent_color(palette: QPalette, role: QPalette.ColorRole = QPalette.ColorRole.Base) -> QColor:
    """Blue for emphasis such as a private message's sender."""
    return _pick(_ACCENT, palette, role)
