"""A tile's name label follows the participant's state, drawn once per text."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from client.ui.video_tile import VideoTile


def label_width(tile: VideoTile) -> int:
    """Columns along the label's middle row that are not the tile's dark background."""
    image = tile.grab().toImage()
    row = image.height() - 4 - tile.fontMetrics().height() // 2 - 3
    background = QColor(image.pixelColor(image.width() - 2, row))
    return sum(image.pixelColor(x, row) != background for x in range(image.width()))


def test_the_label_grows_when_muted_and_pinned_and_shrinks_back(qapp: QApplication) -> None:
    tile = VideoTile("p1", "Anna Schmidt")
    tile.resize(320, 180)
    plain = label_width(tile)
    assert plain > 40, "the name is drawn"
    tile.set_media(audio_on=False, video_on=True)
    muted = label_width(tile)
    tile.set_pinned(True)
    pinned = label_width(tile)
    tile.set_media(audio_on=True, video_on=True)
    tile.set_pinned(False)
    assert plain < muted < pinned
    assert label_width(tile) == plain
    tile.deleteLater()
