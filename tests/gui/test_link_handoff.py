"""A link handed over by a later start, while the user is already in a meeting."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QMessageBox

from client.protocol.link import MeetingLink
from tests.gui.conftest import App
from tests.gui.test_app import start_meeting

OTHER_MEETING = MeetingLink("127.0.0.1", 9, "elsewhere", "x" * 32, bytes(32)).to_text()


def switch_question() -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        if (
            isinstance(widget, QMessageBox)
            and widget.objectName() == "switch_meeting_question"
            and widget.isVisible()
        ):
            return widget
    return None


def test_a_handed_link_asks_before_leaving_the_meeting(make_app: Callable[..., App]) -> None:
    app = make_app()

    async def scenario() -> None:
        own_link = await start_meeting(app)

        app.window.receive_link(OTHER_MEETING, True)
        await app.until(lambda: switch_question() is not None, 5, "the question")
        question = switch_question()
        assert question is not None
        assert question.defaultButton() is question.button(QMessageBox.StandardButton.No)
        assert "ends it for everyone" in question.text()  # this computer hosts it
        question.button(QMessageBox.StandardButton.No).click()
        await app.until(lambda: switch_question() is None, 5, "the question closed")
        assert app.controller.state.value == "joined"
        assert app.controller.link == own_link

        app.window.receive_link(OTHER_MEETING, True)
        await app.until(lambda: switch_question() is not None, 5, "the question again")
        question = switch_question()
        assert question is not None
        question.button(QMessageBox.StandardButton.Yes).click()
        await app.until(lambda: app.controller.state.value == "idle", 10, "left the meeting")
        await app.until(
            lambda: app.window.stack.currentWidget() is app.window.prejoin_view,
            5,
            "the pre-join for the other meeting",
        )
        assert app.window.pending_link == OTHER_MEETING

    app.run(scenario())


def test_a_handed_link_opens_the_prejoin_when_idle(make_app: Callable[..., App]) -> None:
    app = make_app()

    async def scenario() -> None:
        app.window.receive_link(OTHER_MEETING, True)
        assert switch_question() is None
        assert app.window.stack.currentWidget() is app.window.prejoin_view

    app.run(scenario())
