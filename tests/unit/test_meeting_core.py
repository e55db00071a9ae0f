"""The meeting core on its own: snapshots, chat without duplicates, the reconnect policy.

The backend here is an in-memory stand-in (as aiortc tests protocol logic without sockets):
it records commands and lets the test report what a server would. The real backend and host
are exercised in tests/integration/test_chat_resilience.py.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from aiortc import MediaStreamTrack
from aiortc.mediastreams import AudioStreamTrack

from client.call import events
from client.call.backend import EventSink, JoinError, JoinResult, MeetingBackend
from client.call.events import ChatEntry, SessionState
from client.call.session import ChatError, MeetingSession
from client.protocol.messages import MediaSessionType, MediaState, ParticipantInfo

ANNA = ParticipantInfo(id="anna", display_name="Anna", media=MediaState(audio=True, video=True))


class MemoryBackend(MeetingBackend):
    def __init__(self, sink: EventSink, log: list[str], refuse: bool = False) -> None:
        self.report = sink
        self.log = log
        self.refuse = refuse

    async def join(
        self, display_name: str, media: MediaState, resume_token: str | None = None
    ) -> JoinResult:
        self.log.append(f"join {display_name} token={resume_token}")
        if self.refuse:
            raise JoinError("the meeting host is not reachable")
        return JoinResult("me", [ANNA], frozenset(), resume_token="t-next")

    async def publish(
        self, session_type: MediaSessionType, tracks: Sequence[MediaStreamTrack]
    ) -> None:
        self.log.append(f"publish {session_type.value} {len(tracks)}")

    async def unpublish(self, session_type: MediaSessionType) -> None:
        self.log.append(f"unpublish {session_type.value}")

    async def set_media_state(self, media: MediaState) -> None:
        self.log.append("media")

    async def send_chat(self, text: str, to: str | None) -> None:
        self.log.append(f"chat {text} to={to}")

    async def leave(self) -> None:
        self.log.append("leave")


def entry(number: int, text: str) -> ChatEntry:
    return ChatEntry(number, "anna", "Anna", text, datetime.now(UTC))


class Harness:
    def __init__(self, attempts: int = 2, refuse_after_first: bool = False) -> None:
        self.log: list[str] = []
        self.backends: list[MemoryBackend] = []
        self.heard: list[events.MeetingEvent] = []

        def factory(sink: EventSink) -> MeetingBackend:
            refuse = refuse_after_first and bool(self.backends)
            backend = MemoryBackend(sink, self.log, refuse)
            self.backends.append(backend)
            return backend

        self.session = MeetingSession(factory, reconnect_attempts=attempts)
        self.session.subscribe(self.heard.append)

    @property
    def backend(self) -> MemoryBackend:
        return self.backends[-1]


def test_snapshots_are_immutable_moments_and_chat_arrives_once() -> None:
    async def scenario() -> None:
        harness = Harness()
        session = harness.session
        await session.join("Ute")
        before = session.snapshot()
        harness.backend.report(events.ChatReceived(entry(1, "eins")))
        harness.backend.report(events.ChatReceived(entry(1, "eins"), history=True))
        harness.backend.report(events.HandsChanged(("anna", "me")))
        after = session.snapshot()
        assert before.chat == () and before.hands == ()
        assert [e.text for e in after.chat] == ["eins"]
        assert after.hands == ("anna", "me")
        assert [p.hand_raised for p in after.participants] == [True]
        with pytest.raises(dataclasses.FrozenInstanceError):
            after.state = SessionState.ENDED  # type: ignore[misc]
        chats = [e for e in harness.heard if isinstance(e, events.ChatReceived)]
        assert len(chats) == 1, "a repeated message is not reported again"

    asyncio.run(scenario())


def test_chat_is_checked_before_it_is_sent() -> None:
    async def scenario() -> None:
        harness = Harness()
        with pytest.raises(ChatError, match="not connected"):
            await harness.session.send_chat("zu früh")
        await harness.session.join("Ute")
        with pytest.raises(ChatError, match="4,001 characters"):
            await harness.session.send_chat("x" * 4001)
        with pytest.raises(ChatError, match="empty"):
            await harness.session.send_chat(" \n")
        with pytest.raises(ChatError, match="no longer in the meeting"):
            await harness.session.send_chat("hallo", "gone")
        await harness.session.send_chat("hallo", "anna")
        assert harness.log[-1] == "chat hallo to=anna"

    asyncio.run(scenario())


def test_a_lost_connection_rejoins_with_the_token_and_the_same_tracks() -> None:
    async def scenario() -> None:
        harness = Harness()
        session = harness.session
        track = AudioStreamTrack()
        await session.join("Ute", [track])
        first = harness.backend
        first.report(events.MeetingEnded("the connection was lost", connection_lost=True))
        assert session.state is SessionState.RECONNECTING
        left = [e for e in harness.heard if isinstance(e, events.ParticipantLeft)]
        assert [e.participant_id for e in left] == ["anna"], "tiles go until we are back"
        await asyncio.sleep(1.3)
        assert session.state is SessionState.JOINED
        assert harness.log == [
            "join Ute token=None",
            "publish video 1",
            "leave",
            "join Ute token=t-next",
            "publish video 1",
        ]
        # The old backend's late reports are not this meeting's.
        first.report(events.ChatReceived(entry(9, "spät")))
        assert session.chat == []
        states = [e.state for e in harness.heard if isinstance(e, events.StateChanged)]
        assert states == [
            SessionState.JOINING,
            SessionState.JOINED,
            SessionState.RECONNECTING,
            SessionState.JOINED,
        ]
        await session.leave()

    asyncio.run(scenario())


def test_when_reconnecting_fails_the_meeting_ends_with_the_reason() -> None:
    async def scenario() -> None:
        harness = Harness(attempts=2, refuse_after_first=True)
        session = harness.session
        await session.join("Ute")
        harness.backend.report(events.MeetingEnded("the connection was lost", connection_lost=True))
        await asyncio.sleep(1.0 + 2.0 + 0.5)
        ended = [e for e in harness.heard if isinstance(e, events.MeetingEnded)]
        assert len(ended) == 1 and ended[0].connection_lost
        assert "reconnecting did not succeed" in ended[0].reason
        assert session.state is SessionState.ENDED
        assert harness.log.count("join Ute token=t-next") == 2

    asyncio.run(scenario())


def test_a_loss_that_would_repeat_itself_ends_the_meeting_without_reconnecting() -> None:
    """The host gave up our seat because our media never connected: joining again would end
    the same way after its deadline, again and again; the user is told why instead."""

    async def scenario() -> None:
        harness = Harness()
        session = harness.session
        await session.join("Ute")
        harness.backend.report(
            events.MeetingEnded("media could not flow", connection_lost=True, retry=False)
        )
        await asyncio.sleep(1.3)  # past the first reconnect's wait
        assert session.state is SessionState.ENDED
        assert harness.log.count("join Ute token=t-next") == 0
        ended = [e for e in harness.heard if isinstance(e, events.MeetingEnded)]
        assert [e.reason for e in ended] == ["media could not flow"]

    asyncio.run(scenario())
