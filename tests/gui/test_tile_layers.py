"""A colleague's camera sent in layers reaches the window at the size its tile needs.

The colleague is a headless participant in this process sending a 1280x720 test picture
(so its camera goes in three layers: 720, 360 and 180 rows); the app hosts the meeting with
its embedded SFU. Shrinking the window makes the colleague's tile small and the pictures
that arrive drop to a smaller layer; enlarging it brings the tall one back; minimising it
stops the colleague's video until the window is shown again. What arrives is
read from the received pictures' height and from the diagnostics view.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QSize

from tests.gui.conftest import App
from tests.gui.test_app import start_meeting, tile_of


def _received_rows(app: App) -> int | None:
    tile = tile_of(app, "Carl")
    source = tile.source if tile is not None else None
    return source.frame_height if source is not None else None


def test_the_tile_size_picks_the_layer_a_colleague_s_camera_arrives_in(
    make_app: Callable[..., App],
) -> None:
    app = make_app()
    window = app.window

    async def scenario() -> None:
        link = await start_meeting(app)
        carl = app.colleague(link, "Carl", "00ff00", 440, video="testsrc:1280x720@15")
        await carl.join()
        await app.until(lambda: _received_rows(app) is not None, 20, "Carl's camera arrives")

        # as small as the window goes: Carl's tile is about 220 rows, so the 360 layer
        # (up to 1.5 times the tile's rows), not 720 and not the blurry 180
        window.resize(QSize(420, 300))
        await app.until(lambda: _received_rows(app) == 360, 10, "the middle layer")
        tile = tile_of(app, "Carl")
        assert tile is not None and tile.height() <= 240, tile.height()

        window.resize(QSize(1600, 1000))  # large: his tile is several hundred rows tall
        await app.until(lambda: _received_rows(app) == 720, 10, "the tall layer again")
        tile = tile_of(app, "Carl")
        assert tile is not None and tile.height() > 400, tile.height()

        dialog = window.diagnostics_dialog()
        await app.until(lambda: "(720 rows tall)" in _refreshed(dialog), 5, "the diagnostics")
        dialog.deleteLater()

        # minimised, no tile is seen: no video arrives (the SFU sends none), then it comes back
        # (Anna's camera is small, one layer: hers stops too)
        anna = app.colleague(link, "Anna", "0000ff", 550)
        await anna.join()
        await app.until(lambda: _decoded(app, "Anna") > 10, 20, "Anna's camera arrives")
        window.showMinimized()
        for name in ("Carl", "Anna"):
            await app.until(
                lambda n=name: _still_for(app, n, 2.0), 10, f"no more of {name}'s pictures"
            )
        window.showNormal()
        for name in ("Carl", "Anna"):
            before = _decoded(app, name)
            await app.until(
                lambda n=name, b=before: _decoded(app, n) > b + 10, 10, f"{name}'s pictures again"
            )

    app.run(scenario())


_last_change: dict[str, tuple[int, float]] = {}  # name -> (pictures counted, since when)


def _decoded(app: App, name: str) -> int:
    tile = tile_of(app, name)
    source = tile.source if tile is not None else None
    return source.frames_decoded if source is not None else 0


def _still_for(app: App, name: str, seconds: float) -> bool:
    """True once the count of ``name``'s pictures has not moved for ``seconds``."""
    count, now = _decoded(app, name), time.monotonic()
    if name not in _last_change or _last_change[name][0] != count:
        _last_change[name] = (count, now)
    return now - _last_change[name][1] >= seconds


def _refreshed(dialog: object) -> str:
    dialog.refresh()  # type: ignore[attr-defined]
    text: str = dialog.text.toPlainText()  # type: ignore[attr-defined]
    return text
