"""The app that hosts moderates: waiting room, mute and remove from its moderation panel."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QTextEdit,
    QWidget,
)

from client.call import events
from client.call.backend import JoinError
from client.call.events import SessionState
from tests.gui.conftest import App
from tests.gui.test_app import start_meeting


def test_the_host_lets_in_mutes_and_removes_from_the_panel(make_app: Callable[..., App]) -> None:
    app = make_app()
    panel = app.window.moderation.panel
    dock = panel  # the moderation tab of the side panel

    async def scenario() -> None:
        link = await start_meeting(app)
        assert "m=" not in link, "the link shown to invite with is the participants' one"
        app.window.moderation.toggle()  # Ctrl+Shift+M: the moderation tab
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


async def _guest_in(make_app: Callable[..., App], link: str) -> App:
    """A second app that joins ``link`` as a plain participant, without the pre-join."""
    guest: App = make_app(name="Gast")
    guest.window.open_link(link, prejoin=False)
    await guest.until(lambda: guest.controller.state.value == "joined", 10, "joined")
    return guest


def test_a_participant_sees_no_moderation(make_app: Callable[..., App]) -> None:
    host_app = make_app(name="Vorsitz")

    async def scenario() -> None:
        link = await start_meeting(host_app)
        guest = await _guest_in(make_app, link)
        assert not guest.window.moderation.panel.isVisible()
        guest.window.moderation.toggle()
        assert not guest.window.moderation.panel.isVisible()
        side = guest.window.meeting_view.side_panel
        assert not side.has_page(guest.window.moderation.panel)  # no tab for participants
        guest.controller.leave()
        await guest.until(lambda: guest.controller.state.value == "idle", 5, "left")

    host_app.run(scenario())


async def _focus(app: App, widget: QWidget) -> None:
    """Keyboard focus on ``widget`` in the active window, as a person's Tab would leave it."""
    widget.window().activateWindow()
    await app.until(lambda: QApplication.activeWindow() is widget.window(), 5, "window active")
    widget.setFocus()
    await app.until(widget.hasFocus, 5, "focus on the list")


async def _choose(app: App, text: str) -> None:
    """In the open pop-up menu, walk with the arrow keys to ``text`` and press Enter."""
    await app.until(
        lambda: isinstance(QApplication.activePopupWidget(), QMenu), 5, "the menu opens"
    )
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    for _ in range(len(menu.actions()) + 1):
        QTest.keyClick(menu, Qt.Key.Key_Down)
        active = menu.activeAction()
        if active is not None and active.text() == text:
            QTest.keyClick(menu, Qt.Key.Key_Return)
            return
    raise AssertionError(f"{text!r} not in the menu: {[a.text() for a in menu.actions()]}")


def test_a_moderator_acts_on_a_person_from_the_participant_list_by_keyboard(
    make_app: Callable[..., App],
) -> None:
    app = make_app()
    people = app.window.meeting_view.participant_list

    async def scenario() -> None:
        link = await start_meeting(app)
        anna = app.colleague(link, "Anna", "00ff00", 440)
        heard: list[events.MeetingEvent] = []
        anna.session.subscribe(heard.append)
        await anna.join()
        QTest.keyClick(app.window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        await app.until(lambda: people.isVisible() and people.count() == 2, 5, "the list")
        await _focus(app, people)
        people.setCurrentRow(people.ids().index(str(anna.session.participant_id)))

        QTest.keyClick(people, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
        await _choose(app, "Ask to turn the camera off")
        await app.until(
            lambda: any(isinstance(e, events.CameraOffRequested) for e in heard),
            5,
            "Anna is asked to turn her camera off",
        )

        await _focus(app, people)
        QTest.keyClick(people, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
        await _choose(app, "Rename…")
        await app.until(
            lambda: isinstance(QApplication.activeModalWidget(), QInputDialog), 5, "rename asks"
        )
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        field = dialog.findChild(QLineEdit)
        assert field is not None
        QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(field, "Anna Schmidt (Kiel)")
        QTest.keyClick(field, Qt.Key.Key_Return)
        await app.until(
            lambda: any(
                isinstance(e, events.ParticipantRenamed) and e.display_name == "Anna Schmidt (Kiel)"
                for e in heard
            ),
            5,
            "Anna hears her new name",
        )
        await app.until(
            lambda: any("Anna Schmidt (Kiel)" in people.item(r).text() for r in range(2)),
            5,
            "the list shows the new name",
        )

    app.run(scenario())


def test_a_participant_gets_no_menu_in_the_participant_list(make_app: Callable[..., App]) -> None:
    host_app = make_app(name="Vorsitz")

    async def scenario() -> None:
        link = await start_meeting(host_app)
        guest = await _guest_in(make_app, link)
        people = guest.window.meeting_view.participant_list
        guest.window.meeting_view.toggle_participant_list()
        await guest.until(lambda: people.count() == 2, 5, "the list")
        await _focus(guest, people)
        people.setCurrentRow(0 if "Vorsitz" in people.item(0).text() else 1)
        QTest.keyClick(people, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
        await asyncio.sleep(0.3)
        assert QApplication.activePopupWidget() is None
        guest.controller.leave()
        await guest.until(lambda: guest.controller.state.value == "idle", 5, "left")

    host_app.run(scenario())


@pytest.mark.usefixtures("german")
def test_a_locked_meeting_turns_a_german_guest_away_in_german(
    make_app: Callable[..., App],
) -> None:
    host_app = make_app(name="Vorsitz")

    async def scenario() -> None:
        link = await start_meeting(host_app)
        host_app.window.moderation.panel.lock_box.click()
        await host_app.until(
            lambda: (
                host_app.controller.snapshot is not None
                and host_app.controller.snapshot.rules.locked
            ),
            5,
            "locked",
        )
        guest = make_app(name="Gast")
        reasons: list[str] = []
        guest.controller.stateChanged.connect(lambda _state, reason: reasons.append(reason))
        guest.window.open_link(link, prejoin=False)
        await guest.until(lambda: guest.controller.state.value == "failed", 10, "turned away")
        assert any("die Besprechung ist gesperrt" in reason for reason in reasons), reasons
        shown = [label.text() for label in guest.window.findChildren(QLabel)]
        shown += [text.toPlainText() for text in guest.window.findChildren(QTextEdit)]
        assert any("gesperrt" in text for text in shown), shown

    host_app.run(scenario())


def test_the_participant_list_shows_each_person_s_microphone_camera_and_role(
    make_app: Callable[..., App],
) -> None:
    app = make_app()
    people = app.window.meeting_view.participant_list

    async def scenario() -> None:
        link = await start_meeting(app)
        anna = app.colleague(link, "Anna", "00ff00", 440)
        await anna.join()
        await app.until(lambda: people.count() == 2, 5, "Anna listed")
        await anna.session.set_media(audio=False, video=False)

        def rows() -> list[str]:
            return [people.item(row).text() for row in range(people.count())]

        await app.until(lambda: "Anna · muted · camera off" in rows(), 5, str(rows()))
        assert "Ute (you) · moderator" in rows()
        assert people.accessibleName() == "Participants (2)"

    app.run(scenario())
