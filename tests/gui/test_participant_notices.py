"""'Anna joined' / 'Anna left' over the meeting, for a few seconds and for screen readers;
no notice for those already there when we join, nor for everyone when we leave."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent

from client.ui.participant_notices import NOTICE_SHOWN_MS, SETTLE_S
from tests.gui.conftest import App
from tests.gui.test_app import BLUE, GREEN, shows, start_meeting
from tests.gui.test_join_existing import meeting_host
from tests.helpers import HostProcess

__all__ = ["meeting_host"]


@pytest.fixture
def announced(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What the notices hand to a screen reader as an announcement (as if one were running);
    the connection state's own announcements ("Connecting…") are not theirs."""
    said: list[str] = []

    def update(event: QAccessibleEvent) -> None:
        notice = event.object().objectName() == "participant_notice"
        if isinstance(event, QAccessibleAnnouncementEvent) and notice:
            said.append(event.message())

    monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(update))
    QAccessible.setActive(True)
    yield said
    QAccessible.setActive(False)


def shown(app: App) -> str:
    label = app.window.notices.label
    return label.text() if label.isVisible() else ""


def test_joining_and_leaving_are_shown_and_announced(
    make_app: Callable[..., App], announced: list[str]
) -> None:
    app = make_app()
    label = app.window.notices.label

    async def scenario() -> None:
        link = await start_meeting(app)
        await asyncio.sleep(SETTLE_S + 0.5)  # Qt coarse timers may fire 5 % early
        anna = app.colleague(link, "Anna", BLUE, 440)
        await anna.join()
        await app.until(lambda: shown(app) == "Anna joined", 5, "Anna joined, shown")
        assert announced == ["Anna joined"]
        reader = QAccessible.queryAccessibleInterface(label)
        assert reader.text(QAccessible.Text.Name) == "Anna joined"
        # over the stage, not over the controls
        stage = app.window.meeting_view.stage.geometry()
        assert stage.contains(label.geometry())

        bernd = app.colleague(link, "<b>Bernd</b>", GREEN, 550)  # a name, never markup
        await bernd.join()
        await app.until(lambda: "<b>Bernd</b> joined" in shown(app), 5, "Bernd's notice")
        assert label.textFormat() is Qt.TextFormat.PlainText
        assert shown(app) == "Anna joined\n<b>Bernd</b> joined"

        await anna.leave()
        await app.until(lambda: shown(app).endswith("Anna left"), 5, "Anna left, shown")
        assert announced[-1] == "Anna left"
        await app.until(lambda: not label.isVisible(), NOTICE_SHOWN_MS / 1000 + 2, "it goes")

        app.controller.leave()  # our own leaving is no news about Bernd
        await app.until(lambda: app.controller.state.value == "idle", 5, "left")
        await asyncio.sleep(0.3)
        assert "<b>Bernd</b> left" not in announced and not label.isVisible()

    app.run(scenario())


def test_those_already_there_are_not_announced(
    make_app: Callable[..., App], meeting_host: HostProcess, announced: list[str]
) -> None:
    app = make_app()

    async def scenario() -> None:
        anna = app.colleague(meeting_host.link, "Anna", BLUE, 440)
        await anna.join()
        app.window.open_link(meeting_host.link, prejoin=False)
        await app.until(lambda: app.controller.state.value == "joined", 10, "joined")
        await app.until(lambda: shows(app, "Anna", BLUE), 5, "Anna is there")
        await asyncio.sleep(SETTLE_S + 0.5)  # Qt coarse timers may fire 5 % early
        assert announced == [] and shown(app) == ""

        bernd = app.colleague(meeting_host.link, "Bernd", GREEN, 550)
        await bernd.join()
        await app.until(lambda: shown(app) == "Bernd joined", 5, "Bernd joined, shown")
        assert announced == ["Bernd joined"]

    app.run(scenario())
