"""A participant whose connection is too thin for video: the tile says so instead of freezing
on the last picture, and a screen reader hears it."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from client.ui.meeting_view import SELF_ID, MeetingView
from tests.gui.test_app import BLUE, center_color, is_color


def _blue_picture() -> QImage:
    image = QImage(640, 360, QImage.Format.Format_RGB32)
    image.fill(QColor("#0000ff"))
    return image


def test_a_paused_video_shows_a_note_not_the_last_picture(qtbot: QtBot) -> None:
    view = MeetingView()
    qtbot.addWidget(view)
    view.reset("Ute")
    view.add_participant("a", "Anna", True, True)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    anna = view.tiles["a"]
    anna.set_image(_blue_picture())
    qtbot.waitUntil(lambda: is_color(center_color(anna), BLUE))

    view.set_video_paused("a", True)
    qtbot.waitUntil(lambda: not is_color(center_color(anna), BLUE))
    assert "Video paused: connection too weak" in anna.accessibleName()
    pixels = anna.grab().toImage()
    top = {pixels.pixelColor(x, 14).name() for x in range(0, pixels.width(), 4)}
    assert len(top) > 1, "no note drawn at the top of the tile"

    view.set_video_paused("a", False)
    qtbot.waitUntil(lambda: is_color(center_color(anna), BLUE))
    assert "paused" not in anna.accessibleName()

    view.set_video_paused(SELF_ID, True)
    assert "Your video is paused" in view.tiles[SELF_ID].accessibleName()
