"""The meeting's keyboard shortcuts, pressed on the window, keep working after the buttons'
texts change (a button's setText drops a shortcut set on the button)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton

from tests.gui.conftest import App
from tests.gui.test_app import start_meeting
from tests.gui.test_chat import press

CTRL = Qt.KeyboardModifier.ControlModifier


def test_each_key_is_bound_once_in_the_meeting(make_app: Callable[..., App]) -> None:
    """Two bindings of one key in a window are ambiguous: Qt then triggers neither."""
    app = make_app()
    window, view = app.window, app.window.meeting_view
    bound = [a.shortcut().toString() for a in window.actions() + view.actions()]
    bound += [b.shortcut().toString() for b in view.findChildren(QAbstractButton) if b.shortcut()]
    assert all(isinstance(a, QAction) for a in view.actions())
    twice = [keys for keys, count in Counter(k for k in bound if k).items() if count > 1]
    assert twice == []
    assert {"F1", "Ctrl+D", "Ctrl+Shift+C", "Ctrl+Shift+H", "Ctrl+Shift+R"} <= set(bound)


def test_microphone_camera_layout_and_list_keys_work_again_and_again(
    make_app: Callable[..., App],
) -> None:
    app = make_app()
    view = app.window.meeting_view
    controller = app.controller

    async def scenario() -> None:
        await start_meeting(app)
        for on in (False, True, False):
            await press(app, Qt.Key.Key_D, CTRL)
            await app.until(lambda: controller.microphone_on is on, 2, f"microphone {on}")  # noqa: B023
            assert view.microphone_button.text() == f"Microphone: {'on' if on else 'off'}"
        for on in (False, True):
            await press(app, Qt.Key.Key_E, CTRL)
            await app.until(lambda: controller.camera_on is on, 2, f"camera {on}")  # noqa: B023
        for speaker in (True, False, True):
            await press(app, Qt.Key.Key_L, CTRL)
            await app.until(lambda: view.speaker_layout is speaker, 2, "the layout")  # noqa: B023
        await press(app, Qt.Key.Key_P, CTRL)
        await app.until(view.participant_list.isVisible, 2, "the participant list")

    app.run(scenario())
