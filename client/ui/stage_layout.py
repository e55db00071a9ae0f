"""Where the tiles go on the meeting's stage: grid, speaker and presentation layouts."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QWidget

_NO_LIMIT = 16777215  # QWIDGETSIZE_MAX
STRIP_HEIGHT = 140


def place_grid(grid: QGridLayout, tiles: Sequence[QWidget]) -> None:
    """All tiles the same size, in a square-ish grid."""
    columns = math.ceil(math.sqrt(len(tiles)))
    for index, tile in enumerate(tiles):
        tile.setMaximumHeight(_NO_LIMIT)
        grid.addWidget(tile, index // columns, index % columns)
    grid.setRowStretch(0, 1)
    grid.setRowStretch(1, 1 if len(tiles) > columns else 0)


def place_speaker(grid: QGridLayout, main: QWidget, strip: Sequence[QWidget]) -> None:
    """One tile large, the others in a strip below."""
    grid.addWidget(main, 0, 0, 1, max(1, len(strip)))
    for column, tile in enumerate(strip):
        tile.setMaximumHeight(STRIP_HEIGHT)
        grid.addWidget(tile, 1, column)
    main.setMaximumHeight(_NO_LIMIT)
    grid.setRowStretch(0, 4)
    grid.setRowStretch(1, 1)


def place_presentation(
    grid: QGridLayout, screens: Sequence[QWidget], cameras: Sequence[QWidget]
) -> None:
    """The newest shared screen large; other screens and the cameras in a strip below."""
    main = screens[-1]
    strip = [*screens[:-1], *cameras]
    grid.addWidget(main, 0, 0, 1, max(1, len(strip)))
    main.setMaximumHeight(_NO_LIMIT)
    for column, tile in enumerate(strip):
        tile.setMaximumHeight(STRIP_HEIGHT)
        grid.addWidget(tile, 1, column)
    grid.setRowStretch(0, 5)
    grid.setRowStretch(1, 1 if strip else 0)


def tab_through(grid: QGridLayout, after: QWidget) -> None:
    """Tab reaches the tiles where they stand, row by row, right after ``after`` (the last
    control above the stage) and before the controls below: tiles added later would
    otherwise come last, after the control bar."""
    stage = grid.parentWidget()
    if stage is None:
        return
    # Widgets, not grid.itemAt(): a Python wrapper of a layout item outlives the item that
    # _arrange's takeAt() deletes, and a later object at its address then crashed PySide.
    placed: list[tuple[int, int, QWidget]] = []
    for tile in stage.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
        index = grid.indexOf(tile)
        if index >= 0:
            position: tuple[int, int, int, int] = grid.getItemPosition(index)  # type: ignore[assignment]
            placed.append((position[0], position[1], tile))
    previous = after
    for _, _, tile in sorted(placed, key=lambda p: (p[0], p[1])):
        for stop in [tile, *tile.findChildren(QWidget)]:  # a tile, then its buttons
            if stop.focusPolicy() != Qt.FocusPolicy.NoFocus:
                QWidget.setTabOrder(previous, stop)
                previous = stop
