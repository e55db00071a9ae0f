"""Screen sharing in the app: the picker, the "You are sharing" window, the presentation.

The app runs offscreen (Qt's windows are not on the X display), so Runde's own window on the
shared Xvfb display is stood in for by an X window that carries this process's id, which is
how the picker recognises Runde's windows.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt

from client.headless import ShareSettings
from client.media.screen import WAYLAND_MESSAGE
from client.protocol.messages import MediaSessionType
from client.ui.controller import MeetingController
from client.ui.main_window import MainWindow
from tests.gui.conftest import NETWORK, App
from tests.gui.test_app import BLUE, GREEN, is_color, start_meeting
from tests.screen_display import PatternWindow, XDisplay, pattern, start_xvfb

RED = "ff0000"


@pytest.fixture
def display(monkeypatch: pytest.MonkeyPatch) -> Iterator[XDisplay]:
    screen = start_xvfb()
    monkeypatch.setenv("DISPLAY", screen.name)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
    yield screen
    screen.process.terminate()
    screen.process.wait(10)


def own_window(display: XDisplay) -> PatternWindow:
    return PatternWindow(
        display.name, pattern(400, 300), "Runde – meeting", x=1400, y=600, pid=os.getpid()
    )


def titles(app: App) -> list[str]:
    picker = app.window.sharing.picker
    assert picker is not None
    return [picker.list.item(row).text() for row in range(picker.list.count())]


def test_picker_offers_screen_and_window_and_sharing_reaches_a_colleague(
    make_app: Callable[..., App], display: XDisplay
) -> None:
    app = make_app()
    report = PatternWindow(display.name, pattern(640, 400), "Quarterly report", x=100, y=80)
    ours = own_window(display)

    async def scenario() -> None:
        link = await start_meeting(app)
        anna = app.colleague(link, "Anna", BLUE, 440)
        await anna.join()
        view = app.window.meeting_view
        # Camera off and microphone muted: the screen is shared all the same.
        view.camera_button.click()
        view.microphone_button.click()
        assert not app.controller.camera_on and not app.controller.microphone_on

        view.share_button.click()
        picker = app.window.sharing.picker
        assert picker is not None and picker.isVisible()
        assert "Whole screen: Screen 1" in titles(app)
        assert "Quarterly report" in titles(app)
        assert not any("Runde" in title for title in titles(app)), titles(app)
        key = next(k for k, s in picker.sources.items() if s.title == "Quarterly report")
        await app.until(lambda: picker.thumbnail(key) is not None, 5, "a live thumbnail")
        thumbnail = picker.thumbnail(key)
        assert thumbnail is not None
        # top-left quadrant of the pattern is red: the thumbnail shows the window, not black
        assert is_color(thumbnail.pixelColor(thumbnail.width() // 8, 4), RED)
        assert picker.list.accessibleName() and picker.share_button.accessibleName()

        # Keyboard: move to the window and press Enter.
        picker.list.setFocus()
        while picker.list.currentItem().text() != "Quarterly report":
            picker.list.setCurrentRow(picker.list.currentRow() + 1)
        picker.list.itemActivated.emit(picker.list.currentItem())
        await app.until(lambda: app.controller.sharing is not None, 5, "sharing")
        indicator = app.window.sharing.indicator
        assert indicator.isVisible()
        assert indicator.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
        assert "Quarterly report" in indicator.label.text()
        assert view.share_button.text() == "Stop sharing"

        app_id = next(iter(anna.session.participants))

        def anna_sees_the_window() -> bool:
            counts = anna.stats.counts.get(app_id)
            return counts is not None and counts.screen_frames >= 5

        await app.until(anna_sees_the_window, 10, "Anna receives the shared window")
        assert anna.stats.counts[app_id].screen_size == (640, 400)

        # Stop from the indicator: Anna's screen stream ends, the indicator goes away.
        indicator.stop_button.click()
        await app.until(
            lambda: (
                (MediaSessionType.SCREEN, "video") not in anna.session.participants[app_id].tracks
            ),
            5,
            "Anna's screen stream ended",
        )
        assert not indicator.isVisible()
        assert view.share_button.text() == "Share screen"

    try:
        app.run(scenario())
    finally:
        report.close()
        ours.close()


def test_a_colleagues_screen_is_presented_large_and_the_grid_comes_back(
    make_app: Callable[..., App], display: XDisplay
) -> None:
    app = make_app()
    shown = PatternWindow(display.name, pattern(display.width, display.height), "Slides")

    async def scenario() -> None:
        link = await start_meeting(app)
        anna = app.colleague(link, "Anna", BLUE, 440)
        bernd = app.colleague(link, "Bernd", GREEN, 550)
        await anna.join()
        await bernd.join()
        view = app.window.meeting_view
        assert view.layout_mode() == "grid"

        await anna.share_screen(ShareSettings(display.name))
        await app.until(lambda: view.layout_mode() == "presentation", 5, "presentation layout")
        anna_id = next(i for i, t in view.tiles.items() if t.name == "Anna")
        screen = view.screen_tiles[anna_id]
        await app.until(lambda: screen.image() is not None, 5, "the shared screen's picture")
        image = screen.grab().toImage()
        top_left = image.pixelColor(image.width() // 4, image.height() // 8)
        assert is_color(top_left, RED), top_left.name()
        # The screen is large, the cameras sit in a strip below it.
        camera = view.tiles[anna_id]
        assert screen.height() > 2 * camera.height()
        assert camera.isVisible() and camera.y() > screen.y()
        assert "Anna" in screen.accessibleName()

        # Only one presenter: the app's attempt is refused with a sentence.
        app.controller.share_screen(app.window.media.share_sources()[0])
        await app.until(
            lambda: any("Anna is already sharing" in p for p in app.problems), 5, "refusal"
        )
        await app.until(lambda: app.controller.sharing is None, 5, "not sharing")
        assert view.share_button.text() == "Share screen"

        # The host (the app hosts this meeting) lets several people share: now it may.
        view.list_button.click()
        assert view.presenters_box.isVisible()
        view.presenters_box.click()
        room = app.host._room
        assert room is not None
        # a second presenter may share (set on the media thread, where the room lives)
        await app.until(lambda: room.media.allow_multiple_presenters, 2, "several presenters")
        # (several presenters sharing at once are shown by tests/integration/test_screen_sharing.py)

        # The viewer switches back to the grid and to the presentation again.
        view.presentation_button.click()
        assert view.layout_mode() == "grid"
        assert view.presentation_button.text() == "Presentation view"
        view.presentation_button.click()
        assert view.layout_mode() == "presentation"

        # Anna stops: everyone is back to the grid.
        await anna.session.stop_screen_share()
        await app.until(lambda: not view.screen_tiles, 5, "the screen tile is gone")
        assert view.layout_mode() == "grid"
        assert not view.presentation_button.isVisible()

    try:
        app.run(scenario())
    finally:
        shown.close()


def test_a_wayland_session_is_told_plainly(
    make_app: Callable[..., App], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    app = make_app()

    async def scenario() -> None:
        await start_meeting(app)
        app.window.meeting_view.share_button.click()
        picker = app.window.sharing.picker
        assert picker is not None
        assert picker.message.text() == WAYLAND_MESSAGE  # the English text, worded alike
        assert picker.list.count() == 0 and not picker.share_button.isEnabled()
        picker.reject()

    app.run(scenario())


def test_the_policy_hides_screen_sharing(make_app: Callable[..., App]) -> None:
    app = make_app()
    controller = MeetingController(NETWORK, app.window.media, None, screen_sharing_allowed=False)
    window = MainWindow(controller, app.window.media, app.settings)
    try:
        assert app.window.meeting_view.share_button.isVisibleTo(app.window.meeting_view)
        assert not window.meeting_view.share_button.isVisibleTo(window.meeting_view)
        window.sharing.pick()
        assert window.sharing.picker is None
    finally:
        window.close()
        window.deleteLater()
