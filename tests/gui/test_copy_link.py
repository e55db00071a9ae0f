"""Copy link and Copy invitation say "Copied" for about two seconds, on the button and in the
window's status bar."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from PySide6.QtGui import QGuiApplication

from client.ui.link_bar import COPIED_SHOWN_MS
from tests.gui.conftest import App
from tests.gui.test_app import start_meeting


def test_copying_says_copied_for_two_seconds(make_app: Callable[..., App]) -> None:
    app = make_app()
    bar = app.window.meeting_view.link_bar
    status = app.window.statusBar()

    async def scenario() -> None:
        link = await start_meeting(app)
        width = bar.copy_button.width()
        bar.copy_button.click()
        clicked = time.monotonic()
        assert QGuiApplication.clipboard().text() == link
        assert bar.copy_button.text() == "Copied"
        assert status.currentMessage() == "Link copied"
        await asyncio.sleep(0.1)
        assert bar.copy_button.width() >= width  # the row does not jump
        await app.until(lambda: bar.copy_button.text() == "Copy &link", 3, "the label back")
        assert time.monotonic() - clicked >= COPIED_SHOWN_MS / 1000 - 0.1
        await app.until(lambda: status.currentMessage() == "", 1, "the status bar empty")

        bar.invite_button.click()
        assert link in QGuiApplication.clipboard().text()
        assert QGuiApplication.clipboard().text().startswith("You are invited")
        assert bar.invite_button.text() == "Copied" and bar.copy_button.text() == "Copy &link"
        assert status.currentMessage() == "Invitation copied"
        await app.until(lambda: bar.invite_button.text() == "Copy &invitation", 3, "back")

    app.run(scenario())
