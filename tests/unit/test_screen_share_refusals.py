"""Where screen sharing cannot happen, the refusal is a sentence and nothing is sent."""

from __future__ import annotations

import asyncio

import pytest

from client.call.backend import PublishError
from client.call.janus_backend import JanusBackend
from client.conference.room import RoomError
from client.netconfig import NetworkSettings
from client.protocol.messages import MediaSessionType, MediaState
from client.sfu.peers import SdpError
from client.sfu.room import HostedRoom


def test_janus_meetings_refuse_screen_sharing_plainly() -> None:
    """No Janus server is needed: the refusal comes before any connection is made."""
    backend = JanusBackend("ws://127.0.0.1:9/janus", 1234, NetworkSettings(), lambda _: None)
    with pytest.raises(PublishError, match="not available in meetings on a Janus server"):
        asyncio.run(backend.publish(MediaSessionType.SCREEN, []))


def test_room_refuses_a_second_presenter_until_the_host_allows_more() -> None:
    """The rule is checked before any media is negotiated, so a dummy offer suffices."""

    class Outbox:
        def send(self, notice: object) -> None:
            pass

        def disconnect(self) -> None:
            pass

    async def scenario() -> None:
        room = HostedRoom.create("r", "s", NetworkSettings())
        media = MediaState(audio=True, video=True)
        anna = await room.conference.join("Anna", media, Outbox())
        bernd = await room.conference.join("Bernd", media, Outbox())
        anna_peer = room.media.peers[anna.id]
        anna_peer.publications[MediaSessionType.SCREEN] = object()  # type: ignore[assignment]
        with pytest.raises(RoomError, match="Anna is already sharing") as refused:
            await room.media.publish(bernd, MediaSessionType.SCREEN, "v=0")
        assert refused.value.code == "presenter_busy"
        room.media.allow_multiple_presenters = True
        with pytest.raises(SdpError):  # allowed now: the dummy offer itself is the problem
            await room.media.publish(bernd, MediaSessionType.SCREEN, "v=0")
        anna_peer.publications.clear()

    asyncio.run(scenario())
