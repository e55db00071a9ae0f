"""How tall a picture to ask each publisher for, from the size of the tile that shows it.

A camera sent in layers (720, 360 and 180 rows) reaches each receiver in the tallest layer
not above what the receiver asked for (``set_preferred_layer``). A tile shows its picture
scaled; asking for up to half as much again as the tile's rows keeps it sharp (a 300-row
tile gets the 360 layer, not 180 scaled up) while a thumbnail still gets the small layer.
Requests go in steps of :data:`STEP` rows, so resizing a window by a few pixels asks for
nothing new. A tile nobody can see (the window is minimised) asks for no video at all.
"""

from __future__ import annotations

import math

OVERSAMPLE = 1.5
STEP = 90  # rows: requests are multiples of this
SMALLEST = 180  # no tile asks for less: the smallest layer is about this tall
HIDDEN = 0  # what a tile nobody can see asks for: no video (its sound goes on)


def max_height_for(tile_rows: int) -> int:
    """The ``max_height`` to ask for a tile ``tile_rows`` device pixels tall."""
    wanted = math.ceil(tile_rows * OVERSAMPLE / STEP) * STEP
    return max(SMALLEST, wanted)


class TileHeights:
    """What has been asked of each publisher in one meeting; tells what to ask anew."""

    def __init__(self) -> None:
        self._asked: dict[str, int] = {}

    def update(self, target: str, tile_rows: int | None) -> int | None:
        """The new ``max_height`` to ask ``target`` for, or None when it is unchanged.
        ``tile_rows`` None: the tile cannot be seen (a minimised window), so 0: no video."""
        wanted = max_height_for(tile_rows) if tile_rows is not None else HIDDEN
        if self._asked.get(target) == wanted:
            return None
        self._asked[target] = wanted
        return wanted

    def forget(self, target: str) -> None:
        self._asked.pop(target, None)

    def clear(self) -> None:
        """A new meeting: nothing has been asked there yet."""
        self._asked.clear()
