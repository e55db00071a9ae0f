"""Participants and chat share one side panel as tabs: one key opens each, the same key or
Escape closes it, and the chat's unread count follows what is really shown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QSplitter

from tests.gui.conftest import App
from tests.gui.test_app import start_meeting

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


def test_participants_and_chat_are_tabs_of_one_side_panel(make_app: Callable[..., App]) -> None:
    app = make_app()
    view = app.window.meeting_view
    panel = view.side_panel

    async def key(code: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
        app.window.activateWindow()
        await app.until(lambda: QApplication.activeWindow() is app.window, 5, "window active")
        QTest.keyClick(app.window, code, modifiers)

    async def scenario() -> None:
        link = await start_meeting(app)
        anna = app.colleague(link, "Anna", "00ff00", 440)
        await anna.join()
        assert not panel.isVisible()  # the video has the room until asked
        assert panel.has_page(app.window.moderation.panel)  # the host moderates: a tab

        await key(Qt.Key.Key_P, CTRL)
        await app.until(view.participant_list.isVisible, 5, "the participants tab")
        await key(Qt.Key.Key_C, CTRL_SHIFT)
        await app.until(view.chat_panel.isVisible, 5, "the chat tab instead")
        assert not view.participant_list.isVisible() and panel.isVisible()
        assert app.window.modules.chat_open

        panel.tabs.setCurrentWidget(view.people_page)  # the user clicks the other tab
        assert not app.window.modules.chat_open  # the chat is not shown: new ones count
        await anna.session.send_chat("Hallo")
        await app.until(lambda: app.window.modules.unread == 1, 5, "counted as unread")

        QTest.keyClick(view.participant_list, Qt.Key.Key_Escape)
        await app.until(lambda: not panel.isVisible(), 5, "Escape closes the panel")
        await key(Qt.Key.Key_C, CTRL_SHIFT)
        await app.until(view.chat_panel.isVisible, 5, "the chat again")
        assert app.window.modules.unread == 0
        panel.close_button.click()
        await app.until(lambda: not panel.isVisible(), 5, "closed by its button")
        assert not app.window.modules.chat_open

    app.run(scenario())


def test_the_side_panel_opens_as_wide_as_it_was_dragged_last_time(
    make_app: Callable[..., App],
) -> None:
    app = make_app()
    panel = app.window.meeting_view.side_panel

    async def scenario() -> None:
        await start_meeting(app)
        app.window.meeting_view.toggle_participant_list()
        await app.until(panel.isVisible, 5, "open")
        splitter = panel.parentWidget()
        assert isinstance(splitter, QSplitter)
        total = sum(splitter.sizes())
        splitter.setSizes([total - 410, 410])  # the user drags the handle
        await app.until(lambda: app.settings.load().side_panel_width == 410, 3, "remembered")

        app.window.meeting_view.toggle_participant_list()  # closed
        await app.until(lambda: not panel.isVisible(), 5, "closed")
        panel.set_width(300)  # as a later start would read it
        app.window.meeting_view.toggle_participant_list()
        await app.until(lambda: abs(panel.width() - 300) <= 2, 3, f"reopened {panel.width()}")
        await app.until(lambda: app.settings.load().side_panel_width == 300, 3, "kept")
        later = make_app()  # the next start reads what was kept
        assert later.window.meeting_view.side_panel.width_wanted == 300

    app.run(scenario())
