"""client/sfu/layers.py: which layer a subscriber's preference picks."""

from __future__ import annotations

import pytest

from client.sfu.layers import choose_layer

HEIGHTS = [180, 360, 720]


@pytest.mark.parametrize(
    ("max_height", "expected"),
    [
        (None, 720),
        (720, 720),
        (1080, 720),
        (719, 360),
        (360, 360),
        (200, 180),
        (180, 180),
        (90, 180),  # nothing that small: the smallest there is
    ],
)
def test_the_tallest_layer_that_fits(max_height: int | None, expected: int) -> None:
    assert HEIGHTS[choose_layer(HEIGHTS, max_height)] == expected


def test_two_layers() -> None:
    assert choose_layer([180, 360], 300) == 0
    assert choose_layer([180, 360], None) == 1
