"""The app that hosts moderates: waiting room, mute and remove from its moderation panel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from client.call.backend import JoinError
from client.call.events import SessionState
from tests.gui.conftest import App
from tests.gui.test_app import start_meeting


def test_the_host_lets_in_mutes_and_removes_from_the_panel(make_app: Callable[..., App]) -> None:
    app = make_app()
    panel = app.window.moderation.panel
    dock = app.window.moderation.dock

    async def scenario() -> None:
        link = await start_meeting(app)
        assert "m=" not in link, "the link shown to invite with is the participants' one"
        await app.until(dock.isVisible, 5, "the host moderates")
        anna = app.colleague(link, "Anna", "00ff00", 440)
        await anna.join()
        await app.until(lambda: panel.people.count() == 1, 5, "Anna listed")

        panel.waiting_box.click()  # newcomers wait from now on
        await app.until(
            lambda: (
                app.controller.snapshot is not None and app.controller.snapshot.rules.waiting_room
            ),
            5,
            "waiting room on",
        )
        bernd = app.colleague(link, "Bernd", "0000ff", 660)
        joining = app.loop.create_task(bernd.join())
        await app.until(lambda: panel.waiting.count() == 1, 10, "Bernd waits")
        await app.until(lambda: bernd.session.state is SessionState.WAITING, 5, "Bernd told")
        assert "Bernd" in app.window.statusBar().currentMessage()
        panel.waiting.setCurrentRow(0)
        QTest.mouseClick(panel.admit_button, Qt.MouseButton.LeftButton)
        await joining
        await app.until(lambda: panel.people.count() == 2, 5, "Bernd let in")

        panel.people.setCurrentRow(0)
        chosen = panel.people.currentItem().text()
        target = anna if chosen.startswith("Anna") else bernd
        QTest.mouseClick(panel.mute_button, Qt.MouseButton.LeftButton)
        await app.until(lambda: target.session.media.audio is False, 5, "muted by the host")
        assert panel.remove_button.isEnabled(), (panel.people.currentItem(), app.problems)
        QTest.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
        # The host's side: gone from the meeting. (That the removed person's own client is
        # told is tests/integration/test_moderation.py's part.)
        await app.until(lambda: panel.people.count() == 1, 10, "removed")
        snapshot = app.controller.snapshot
        assert snapshot is not None
        assert target.session.participant_id not in {p.id for p in snapshot.participants}

        panel.lock_box.click()
        await app.until(
            lambda: app.controller.snapshot is not None and app.controller.snapshot.rules.locked,
            5,
            "locked",
        )
        clara = app.colleague(link, "Clara", "ff00ff", 880)
        try:
            await clara.join()
        except JoinError as exc:
            assert "locked" in str(exc)
        else:
            raise AssertionError("a locked meeting let Clara in")

    app.run(scenario())


def test_a_participant_sees_no_moderation(make_app: Callable[..., App]) -> None:
    host_app = make_app(name="Vorsitz")

    async def scenario() -> None:
        link = await start_meeting(host_app)
        guest = make_app(name="Gast")
        guest.window.open_link(link, prejoin=False)
        await guest.until(lambda: guest.controller.state.value == "joined", 10, "joined")
        assert not guest.window.moderation.dock.isVisible()
        guest.window.moderation.toggle()
        assert not guest.window.moderation.dock.isVisible()
        guest.controller.leave()
        await guest.until(lambda: guest.controller.state.value == "idle", 5, "left")

    host_app.run(scenario())
