"""Joining a meeting that is already under way: everyone already there is seen at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.gui.conftest import App
from tests.gui.test_app import BLUE, shows
from tests.helpers import HostProcess, start_host


@pytest.fixture
def meeting_host() -> Iterator[HostProcess]:
    host = start_host(log_level="warning")
    yield host
    host.stop()


def test_participants_already_there_show_their_video(
    make_app: Callable[..., App], meeting_host: HostProcess
) -> None:
    app = make_app()

    async def scenario() -> None:
        anna = app.colleague(meeting_host.link, "Anna", BLUE, 440)
        await anna.join()
        # Anna's stream is offered while we are still joining, before the participant list
        # names her: the picture must still reach her tile.
        app.window.open_link(meeting_host.link, prejoin=False)
        await app.until(lambda: app.controller.state.value == "joined", 10, "joined")
        await app.until(lambda: shows(app, "Anna", BLUE), 5, "Anna's blue picture")

    app.run(scenario())
