"""The host is asked before leaving ends the meeting for everyone; a participant just leaves."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from client import i18n
from client.headless import HeadlessParticipant
from tests.gui.conftest import App
from tests.gui.test_app import BLUE, start_meeting
from tests.gui.test_chat import joined, press
from tests.gui.test_join_existing import meeting_host
from tests.helpers import HostProcess

__all__ = ["meeting_host"]

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def question(app: App) -> QMessageBox | None:
    found = app.window.findChild(QMessageBox, "end_meeting_question")
    return found if found is not None and found.isVisible() else None


def answer(box: QMessageBox, text: str) -> None:
    (button,) = [b for b in box.buttons() if b.text() == text]
    button.click()


async def asked(app: App) -> QMessageBox:
    await app.until(lambda: question(app) is not None, 5, "the question")
    box = question(app)
    assert box is not None
    assert box.text() == "End the meeting for everyone?"
    assert sorted(b.text() for b in box.buttons()) == [
        "End meeting for all",
        "Stay in the meeting",
    ]
    assert box.defaultButton().text() == "Stay in the meeting"
    return box


async def still_in(app: App, anna: HeadlessParticipant) -> None:
    await asyncio.sleep(0.5)
    assert app.controller.state.value == "joined"
    assert app.window.stack.currentWidget() is app.window.meeting_view
    assert not anna.ended.is_set()


def test_the_host_is_asked_and_only_the_confirmation_leaves(make_app: Callable[..., App]) -> None:
    app = make_app()

    async def scenario() -> None:
        link = await start_meeting(app)
        anna = app.colleague(link, "Anna", BLUE, 440)
        await joined(app, anna)

        app.window.meeting_view.leave_button.click()
        answer(await asked(app), "Stay in the meeting")
        await still_in(app, anna)
        assert question(app) is None

        await press(app, Qt.Key.Key_L, CTRL_SHIFT)  # the key asks the same
        box = await asked(app)
        box.reject()  # Escape, or closing the question: no answer is no
        await still_in(app, anna)

        await press(app, Qt.Key.Key_L, CTRL_SHIFT)
        answer(await asked(app), "End meeting for all")
        await app.until(lambda: app.controller.state.value == "idle", 5, "left")
        assert app.window.stack.currentWidget() is app.window.start_view
        await app.until(anna.ended.is_set, 5, "Anna told the meeting ended")

    app.run(scenario())


def test_closing_the_window_asks_the_host_too(make_app: Callable[..., App]) -> None:
    app = make_app()

    async def scenario() -> None:
        link = await start_meeting(app)
        anna = app.colleague(link, "Anna", BLUE, 440)
        await joined(app, anna)

        assert not app.window.close()  # not closed: asked first
        answer(await asked(app), "Stay in the meeting")
        await still_in(app, anna)
        assert app.window.isVisible()

        app.window.close()
        answer(await asked(app), "End meeting for all")
        await app.until(lambda: not app.window.isVisible(), 5, "the window closed")
        await app.until(anna.ended.is_set, 5, "Anna told the meeting ended")
        await app.until(lambda: app.controller.state.value == "idle", 5, "left")

    app.run(scenario())


def test_a_participant_leaves_at_once(
    make_app: Callable[..., App], meeting_host: HostProcess
) -> None:
    app = make_app()

    async def scenario() -> None:
        app.window.open_link(meeting_host.link, prejoin=False)
        await app.until(lambda: app.controller.state.value == "joined", 10, "joined")
        assert not app.controller.hosting
        app.window.meeting_view.leave_button.click()
        await app.until(lambda: app.controller.state.value == "idle", 5, "left")
        assert question(app) is None
        assert app.window.stack.currentWidget() is app.window.start_view

    app.run(scenario())


def test_the_question_in_german(qapp: QApplication, make_app: Callable[..., App]) -> None:
    before = set(qapp.findChildren(QTranslator))
    assert i18n.install(qapp, "de") == "de"
    try:
        app = make_app()

        async def scenario() -> None:
            await start_meeting(app)
            app.window.meeting_view.leave_button.click()
            await app.until(lambda: question(app) is not None, 5, "the question")
            box = question(app)
            assert box is not None
            assert box.text() == "Die Besprechung für alle beenden?"
            assert sorted(b.text() for b in box.buttons()) == [
                "Besprechung für alle beenden",
                "In der Besprechung bleiben",
            ]
            box.reject()

        app.run(scenario())
    finally:
        for translator in set(qapp.findChildren(QTranslator)) - before:
            qapp.removeTranslator(translator)
