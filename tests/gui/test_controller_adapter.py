"""The controller only adapts the meeting core to Qt: core events in, signals out.

Events are handed to the controller the way the core hands them (from the media thread);
the meeting itself is a real one hosted by the app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from client.call import events
from client.call.events import ChatEntry, SessionState
from client.protocol.modules import Reaction
from tests.gui.conftest import App
from tests.gui.test_app import start_meeting


def test_core_events_become_signals_and_state_changes(make_app: Callable[..., App]) -> None:
    app = make_app()
    heard: list[tuple[str, object]] = []
    controller = app.controller
    controller.chatReceived.connect(lambda entry, history: heard.append(("chat", entry.text)))
    controller.handsChanged.connect(lambda queue: heard.append(("hands", queue)))
    controller.reactionReceived.connect(lambda who, what: heard.append(("reaction", what)))
    controller.stateChanged.connect(lambda state, reason: heard.append(("state", state)))
    controller.sharingChanged.connect(lambda sharing, _: heard.append(("sharing", sharing)))

    async def scenario() -> None:
        await start_meeting(app)
        session = controller._session
        assert session is not None
        # The host sends the raised hands right after letting us in: wait for those first.
        await app.until(lambda: ("hands", ()) in heard, 5, "the hands at joining")
        heard.clear()
        said = ChatEntry(7, "anna", "Anna", "<b>hallo</b>", datetime.now(UTC))
        for event in (
            events.ChatReceived(said),
            events.HandsChanged(("anna",)),
            events.ReactionReceived("anna", Reaction.TADA),
            events.StateChanged(SessionState.RECONNECTING, "lost"),
            events.ScreenShareStopped("lost"),
        ):
            controller._event_from_session(session, event)
        await app.until(lambda: len(heard) >= 4, 2, "the signals")
        assert heard == [
            ("chat", "<b>hallo</b>"),
            ("hands", ("anna",)),
            ("reaction", "tada"),
            ("state", "reconnecting"),
        ], "no sharing signal: we were not sharing"
        assert controller.state is SessionState.RECONNECTING
        assert controller.snapshot is not None
        assert controller.snapshot.participant_id == session.participant_id
        assert "reconnecting" in app.window.meeting_view.status.text().lower()

    app.run(scenario())
