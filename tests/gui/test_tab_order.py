"""Tab goes through the meeting as it is laid out: the link, then the tiles, then the
controls below them (WCAG 2.4.3 Focus Order), not the control bar before the tiles above."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from client.ui.video_tile import VideoTile
from tests.gui.conftest import App
from tests.gui.test_app import BLUE


def tab_stops(root: QWidget) -> list[QWidget]:
    """The widgets Tab reaches under ``root``, in Qt's focus chain order."""
    stops: list[QWidget] = []
    widget = root.nextInFocusChain()
    while widget is not None and widget is not root and len(stops) < 500:
        tabbable = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        if tabbable and widget.isVisible() and widget.isEnabled() and root.isAncestorOf(widget):
            stops.append(widget)
        widget = widget.nextInFocusChain()
    return stops


def test_tiles_come_before_the_controls_below_them(make_app: Callable[..., App]) -> None:
    app = make_app()
    window = app.window
    view = window.meeting_view
    order: list[str] = []

    async def scenario() -> None:
        window.start_view.start_button.click()
        await app.until(lambda: window.stack.currentWidget() is window.prejoin_view, 5, "pre-join")
        window.prejoin_view.join_button.click()
        await app.until(lambda: app.controller.state.value == "joined", 10, "joined")
        anna = app.colleague(app.controller.link, "Anna", BLUE, 440)
        await anna.join()
        await app.until(lambda: len(view.tiles) == 2, 10, "Anna's tile")
        stops = tab_stops(view)
        order[:] = [f"{type(w).__name__}:{w.accessibleName()}" for w in stops]
        tiles = [i for i, w in enumerate(stops) if isinstance(w, VideoTile)]
        link = stops.index(view.link_edit)
        controls = stops.index(view.leave_button)
        microphone = next(i for i, w in enumerate(stops) if "Microphone" in w.accessibleName())
        assert len(tiles) == 2, order
        assert link < min(tiles) and max(tiles) + 1 < min(microphone, controls), order
        for index in tiles:  # each tile's pin button right after it
            tile = stops[index]
            assert isinstance(tile, VideoTile) and stops[index + 1] is tile.pin_button, order
        # Anna leaves and comes back: the chain still holds (a broken one crashed Qt)
        await anna.leave()
        await app.until(lambda: len(view.tiles) == 1, 10, "Anna's tile gone")
        view.participant_list.setFocus()
        again = app.colleague(app.controller.link, "Anna", BLUE, 440)
        await again.join()
        await app.until(lambda: len(view.tiles) == 2, 10, "Anna's tile again")
        stops = tab_stops(view)
        tiles = [i for i, w in enumerate(stops) if isinstance(w, VideoTile)]
        assert len(tiles) == 2 and max(tiles) < stops.index(view.leave_button)

    app.run(scenario())
