"""Text contrast measured on the window's own pixels: at least 4.5:1 (WCAG 1.4.3) for every
text of the start view and the meeting view, in a light and in a dark palette.

The window is grabbed as one picture, so what is measured is what is composed on screen.
Per widget: the background is the most frequent colour in its box, the text the colour that
stands out most from it among those drawn on a few pixels at least (antialiased edges are
in between, a glyph's stems carry the text colour).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QStyleFactory,
    QTextEdit,
    QWidget,
)

from client.ui.readable_colors import accent_color, error_color, muted_color
from tests.gui.conftest import App
from tests.gui.test_app import BLUE

MINIMUM = 4.5
STEM_PIXELS = 3  # a colour on fewer pixels is an antialiasing accident, not the text


def luminance(color: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.red())
        + 0.7152 * channel(color.green())
        + 0.0722 * channel(color.blue())
    )


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def measured(picture: QImage, box: QRect) -> float | None:
    """The text's contrast inside ``box`` of ``picture``; None where nothing stands out."""
    colours: Counter[int] = Counter()
    box = box.intersected(picture.rect())
    for y in range(box.top(), box.bottom() + 1):
        for x in range(box.left(), box.right() + 1):
            colours[picture.pixel(x, y) & 0xFFFFFF] += 1
    if len(colours) < 2:
        return None
    background = QColor(colours.most_common(1)[0][0])
    inks = [QColor(rgb) for rgb, count in colours.items() if count >= STEM_PIXELS]
    return max(contrast(ink, background) for ink in inks)


def dark_palette() -> QPalette:
    """The usual dark Fusion palette, as dark desktop themes set it."""
    palette = QPalette()
    dark, darker, light = QColor(53, 53, 53), QColor(35, 35, 35), QColor(240, 240, 240)
    for role, colour in (
        (QPalette.ColorRole.Window, dark),
        (QPalette.ColorRole.WindowText, light),
        (QPalette.ColorRole.Base, darker),
        (QPalette.ColorRole.AlternateBase, dark),
        (QPalette.ColorRole.ToolTipBase, darker),
        (QPalette.ColorRole.ToolTipText, light),
        (QPalette.ColorRole.Text, light),
        (QPalette.ColorRole.Button, dark),
        (QPalette.ColorRole.ButtonText, light),
        (QPalette.ColorRole.Link, QColor(110, 170, 255)),
        (QPalette.ColorRole.Highlight, QColor(42, 130, 218)),
        (QPalette.ColorRole.HighlightedText, QColor(0, 0, 0)),
        (QPalette.ColorRole.PlaceholderText, QColor(160, 160, 160)),
    ):
        palette.setColor(role, colour)
    return palette


@pytest.fixture(params=["light", "dark"])
def theme(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    style, palette = qapp.style().name(), qapp.palette()
    qapp.setStyle(QStyleFactory.create("Fusion"))
    qapp.setPalette(dark_palette() if request.param == "dark" else qapp.style().standardPalette())
    yield request.param
    qapp.setStyle(QStyleFactory.create(style))
    qapp.setPalette(palette)


def text_of(widget: QWidget) -> str:
    if isinstance(widget, (QLabel, QAbstractButton, QLineEdit)):
        return widget.text()
    if isinstance(widget, QTextEdit):
        return widget.toPlainText()
    return ""


def low_contrast(window: QWidget, root: QWidget) -> list[str]:
    """Every enabled, visible text under ``root`` below the minimum, with its ratio."""
    picture = window.grab().toImage()
    found = []
    for widget in root.findChildren(QWidget):
        if not (widget.isVisible() and widget.isEnabled() and text_of(widget).strip()):
            continue
        if widget.width() < 8 or widget.height() < 8:
            continue
        box = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        if isinstance(widget, QAbstractButton):
            box = box.adjusted(3, 3, -3, -3)  # inside the frame: the text and its background
        ratio = measured(picture, box)
        if ratio is not None and ratio < MINIMUM:
            found.append(f"{type(widget).__name__} {text_of(widget)[:40]!r}: {ratio:.2f}:1")
    return found


def test_the_measure_finds_grey_on_white(qapp: QApplication) -> None:
    label = QLabel("Grey text on white")
    label.setStyleSheet("background: white; color: #999999")
    label.resize(200, 30)
    label.show()
    qapp.processEvents()
    ratio = measured(label.grab().toImage(), label.rect())
    assert ratio is not None and 2.6 < ratio < 3.0  # #999 on white is 2.85:1
    label.close()


def test_texts_are_readable_in_light_and_dark(make_app: Callable[..., App], theme: str) -> None:
    app = make_app()
    window = app.window
    findings: dict[str, list[str]] = {}

    async def scenario() -> None:
        window.start_view.show_message("Could not join the meeting: the meeting host shut down")
        await app.until(lambda: window.start_view.error_label.isVisible(), 5, "the message")
        findings["start view"] = low_contrast(window, window.start_view)
        window.start_view.start_button.click()
        await app.until(lambda: window.stack.currentWidget() is window.prejoin_view, 5, "pre-join")
        window.prejoin_view.show_message("The camera could not be opened.")
        findings["pre-join"] = low_contrast(window, window.prejoin_view)
        window.prejoin_view.join_button.click()
        await app.until(lambda: app.controller.state.value == "joined", 10, "joined")
        anna = app.colleague(app.controller.link, "Anna", BLUE, 440)
        await anna.join()
        await app.until(lambda: len(window.meeting_view.tiles) == 2, 10, "Anna's tile")
        window.meeting_view.chat_panel.show()
        window.meeting_view.chat_panel._show_notice("Your message could not be sent.", error=True)
        findings["meeting"] = low_contrast(window, window.meeting_view)

    app.run(scenario())
    assert not [f for found in findings.values() for f in found], "\n".join(
        f"{theme} {view}: {finding}" for view, found in findings.items() for finding in found
    )


@pytest.mark.parametrize("palette_name", ["light", "dark"])
def test_the_colours_of_secondary_texts_are_readable(qapp: QApplication, palette_name: str) -> None:
    """Error red, a time's grey and a private sender's blue keep 4.5:1 on either theme (the
    chat's times and senders are parts of one text field, measured here by their colours)."""
    fusion = QStyleFactory.create("Fusion")
    palette = dark_palette() if palette_name == "dark" else fusion.standardPalette()
    window, base = QPalette.ColorRole.Window, QPalette.ColorRole.Base
    assert contrast(error_color(palette), palette.color(window)) >= MINIMUM
    assert contrast(error_color(palette, base), palette.color(base)) >= MINIMUM
    assert contrast(muted_color(palette), palette.color(base)) >= MINIMUM
    assert contrast(accent_color(palette), palette.color(base)) >= MINIMUM
