"""Tile sizes become layer preferences: sharp enough, in steps, only when they change."""

from __future__ import annotations

from client.call.tile_heights import TileHeights, max_height_for


def test_a_tile_asks_for_up_to_half_again_its_rows_in_steps() -> None:
    assert max_height_for(222) == 360  # the 360 layer, not 180 scaled up
    assert max_height_for(480) == 720
    assert max_height_for(60) == 180  # a thumbnail still gets the smallest layer
    assert max_height_for(241) == 450  # between layers: the 360 one


def test_only_a_change_across_a_step_is_asked_again() -> None:
    heights = TileHeights()
    assert heights.update("anna", 222) == 360
    assert heights.update("anna", 225) is None  # a few pixels: nothing new
    assert heights.update("anna", 500) == 810
    heights.forget("anna")
    assert heights.update("anna", 500) == 810  # she came back: asked again
    heights.clear()
    assert heights.update("anna", 500) == 810  # another meeting: asked there too


def test_a_tile_nobody_sees_asks_for_no_video_and_comes_back() -> None:
    heights = TileHeights()
    assert heights.update("anna", 222) == 360
    assert heights.update("anna", None) == 0  # the window is minimised
    assert heights.update("anna", None) is None
    assert heights.update("anna", 222) == 360  # shown again
