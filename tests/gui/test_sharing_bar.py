"""The "You are sharing" bar stays on top but never covers the meeting window's controls."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QWidget

from client.ui.sharing_indicator import indicator_position
from tests.gui.conftest import App

SCREEN = QRect(0, 0, 1920, 1040)
BAR = QSize(420, 40)


def test_the_top_centre_of_the_screen_when_the_window_is_elsewhere() -> None:
    window = QRect(900, 500, 900, 500)
    place = indicator_position(BAR, SCREEN, window, None)
    assert place == QPoint(SCREEN.center().x() - 210, 8)
    assert indicator_position(BAR, SCREEN, None, None) == place  # minimised window


def test_above_the_window_when_there_is_room() -> None:
    window = QRect(300, 120, 1200, 800)
    bar = QRect(indicator_position(BAR, SCREEN, window, None), BAR)
    assert not bar.intersects(window) and SCREEN.contains(bar)
    assert bar.bottom() < window.top()


def test_over_the_video_when_the_window_fills_the_screen() -> None:
    stage = QRect(10, 90, 1900, 880)
    bar = QRect(indicator_position(BAR, SCREEN, SCREEN, stage), BAR)
    assert stage.contains(bar) and bar.top() == stage.top() + 8


def controls(window: QWidget) -> list[tuple[str, QRect]]:
    """Every control a person may need, where it is on the screen."""
    found = []
    for widget in window.findChildren(QWidget):
        if isinstance(widget, QAbstractButton | QLineEdit | QComboBox) and widget.isVisible():
            name = widget.accessibleName() or widget.objectName()
            found.append((name, QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())))
    return found


def test_the_bar_keeps_clear_of_the_meeting_windows_controls(
    make_app: Callable[..., App],
) -> None:
    app = make_app()
    window, view = app.window, app.window.meeting_view
    indicator = window.sharing.indicator

    async def scenario() -> None:
        area = window.screen().availableGeometry()
        window.stack.setCurrentWidget(view)
        view.reset("Ute")  # our own tile fills the stage, as in a meeting
        view.set_link("https://127.0.0.1:9/r/room#k=" + "a" * 32 + "&fp=" + "b" * 43)
        # At the top of the screen (as large as the screen or larger): the top centre, where
        # the bar used to go, is the window's link row.
        window.move(area.topLeft())
        await app.until(lambda: window.frameGeometry().topLeft() == area.topLeft(), 2, "moved")
        app.controller.sharingChanged.emit(True, "Quarterly report")
        await app.until(indicator.isVisible, 2, "the bar")
        assert indicator.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
        bar = indicator.frameGeometry()
        assert area.contains(bar)
        covered = [name for name, place in controls(window) if place.intersects(bar)]
        assert covered == []
        assert view.link_bar.copy_button.isVisible()

        # The window moves down: the bar goes back to the top centre of the screen.
        window.move(area.left(), area.top() + 200)
        await app.until(lambda: indicator.frameGeometry().top() == area.top() + 8, 2, "moved")
        assert not indicator.frameGeometry().intersects(window.frameGeometry())

        app.controller.sharingChanged.emit(False, "")
        assert not indicator.isVisible()

    app.run(scenario())
