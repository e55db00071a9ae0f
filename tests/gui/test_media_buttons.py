"""The microphone and camera buttons show the state, not the action, in words, shape and for
screen readers; the Leave button's text is readable on its red."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from client import i18n
from client.ui.media_buttons import MediaToggleButton
from client.ui.meeting_view import MeetingView
from client.ui.prejoin_view import PreJoinView


@pytest.fixture
def view(qtbot: QtBot) -> MeetingView:
    view = MeetingView()
    qtbot.addWidget(view)
    view.reset("Ute")
    view.resize(1100, 500)
    view.show()
    qtbot.waitExposed(view)
    return view


def icon_image(button: MediaToggleButton) -> QImage:
    return button.icon().pixmap(button.iconSize()).toImage()


def crossed_out(button: MediaToggleButton) -> bool:
    """Ink in the icon's top left corner, where neither device is drawn: only the slash."""
    image = icon_image(button)
    return image.pixelColor(image.width() // 5, image.height() // 5).alpha() > 128


def test_the_buttons_say_the_state(view: MeetingView) -> None:
    microphone, camera = view.microphone_button, view.camera_button
    view.set_local_media(True, True)
    assert microphone.text() == "Microphone: on" and microphone.isChecked()
    assert camera.text() == "Camera: on" and camera.isChecked()
    assert not crossed_out(microphone) and not crossed_out(camera)
    assert microphone.toolTip() == "Turn the microphone off (Ctrl+D)"
    assert microphone.accessibleName() == "Microphone (Ctrl+D)"
    assert microphone.accessibleDescription() == "The microphone is on: the others hear you."

    view.set_local_media(False, False)
    assert microphone.text() == "Microphone: off" and not microphone.isChecked()
    assert camera.text() == "Camera: off" and not camera.isChecked()
    assert crossed_out(microphone) and crossed_out(camera)
    assert microphone.toolTip() == "Turn the microphone on (Ctrl+D)"
    assert camera.toolTip() == "Turn the camera on (Ctrl+E)"
    assert microphone.accessibleName() == "Microphone (Ctrl+D)"  # the name stays: the state
    assert microphone.accessibleDescription() == (  # is its checked state and this sentence
        "The microphone is off: the others do not hear you."
    )
    assert camera.accessibleDescription() == "The camera is off: the others do not see you."


def test_a_click_turns_it_off_and_says_so(view: MeetingView) -> None:
    turned: list[bool] = []
    view.microphoneToggled.connect(turned.append)
    view.set_local_media(True, True)
    view.microphone_button.click()
    assert turned == [False]
    assert view.microphone_button.text() == "Microphone: off"
    assert crossed_out(view.microphone_button)


def test_the_icon_is_drawn_in_the_palettes_text_colour(view: MeetingView, qtbot: QtBot) -> None:
    button = view.microphone_button
    assert button.styleSheet() == "" and view.camera_button.styleSheet() == ""
    palette = button.palette()
    ink = QColor(0, 110, 40)
    palette.setColor(QPalette.ColorRole.ButtonText, ink)
    button.setPalette(palette)
    view.set_local_media(False, True)
    image = icon_image(button)
    colours = Counter(
        image.pixelColor(x, y).rgb()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    )
    assert colours.most_common(1)[0][0] == ink.rgb()
    # On the screen: the button shows that ink left of its text.
    qtbot.waitUntil(lambda: button.isVisible())
    shown = button.grab().toImage()
    left = [
        shown.pixelColor(x, y) for x in range(shown.width() // 4) for y in range(shown.height())
    ]
    assert sum(1 for c in left if c.rgb() == ink.rgb()) > 10


def luminance(color: QColor) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(color.redF())
        + 0.7152 * linear(color.greenF())
        + 0.0722 * linear(color.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_leave_is_red_with_readable_white_text(view: MeetingView) -> None:
    image = view.leave_button.grab().toImage()
    pixels = Counter(
        image.pixelColor(x, y).rgb()
        for x in range(2, image.width() - 2)
        for y in range(2, image.height() - 2)
    )
    background = QColor.fromRgb(pixels.most_common(1)[0][0])
    assert background.red() > 150 and background.green() < 60  # red
    text = max((QColor.fromRgb(rgb) for rgb in pixels), key=lambda c: contrast(c, background))
    assert text.lightness() > 240  # white
    assert contrast(text, background) >= 4.5


def test_before_joining_the_same_buttons_and_the_administrators_lock(qtbot: QtBot) -> None:
    prejoin = PreJoinView()
    qtbot.addWidget(prejoin)
    prejoin.set_microphone(False)
    assert prejoin.microphone_button.text() == "Microphone: off"
    assert crossed_out(prejoin.microphone_button)
    assert prejoin.microphone_button.shortcut().toString() == "Ctrl+D"
    prejoin.lock(camera_on=True, microphone_on=None, name=None)
    assert not prejoin.camera_button.isEnabled() and prejoin.camera_button.text() == "Camera: on"
    assert prejoin.camera_button.toolTip() == "Set by your administrator"
    assert prejoin.camera_button.shortcut().toString() == "Ctrl+E"


def test_in_german(qapp: QApplication, qtbot: QtBot) -> None:
    before = set(qapp.findChildren(QTranslator))
    assert i18n.install(qapp, "de") == "de"
    try:
        view = MeetingView()
        qtbot.addWidget(view)
        view.set_local_media(False, True)
        assert view.microphone_button.text() == "Mikrofon: aus"
        assert view.camera_button.text() == "Kamera: an"
        assert view.microphone_button.toolTip() == "Mikrofon einschalten (Strg+D)"
        assert view.microphone_button.accessibleDescription() == (
            "Das Mikrofon ist aus: Die anderen hören Sie nicht."
        )
    finally:
        for translator in set(qapp.findChildren(QTranslator)) - before:
            qapp.removeTranslator(translator)
