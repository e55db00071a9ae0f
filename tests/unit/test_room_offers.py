"""Each subscriber gets one offer per stream, and a repeated answer is refused, not fatal.

Real aiortc peer connections in one process, gathering only on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription

from client.conference.room import RoomError
from client.netconfig import NetworkSettings, apply_bind_addresses
from client.protocol.messages import MediaNotice, MediaSessionType, MediaState, SubscribeOffer
from client.sfu.room import HostedRoom


class RecordingOutbox:
    def __init__(self) -> None:
        self.offers: list[SubscribeOffer] = []

    def send(self, notice: object) -> None:
        if isinstance(notice, MediaNotice) and isinstance(notice.payload, SubscribeOffer):
            self.offers.append(notice.payload)

    def disconnect(self) -> None:
        pass


@pytest.fixture(autouse=True)
def loopback_only() -> Iterator[None]:
    apply_bind_addresses(["127.0.0.1"])
    yield
    apply_bind_addresses([])


async def _video_offer(pc: RTCPeerConnection) -> str:
    pc.addTransceiver("video", direction="sendonly")
    await pc.setLocalDescription(await pc.createOffer())
    return pc.localDescription.sdp


async def _answer(pc: RTCPeerConnection, offer: str) -> str:
    await pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
    await pc.setLocalDescription(await pc.createAnswer())
    return pc.localDescription.sdp


def test_a_stream_offered_by_two_paths_at_once_is_offered_once() -> None:
    """A join offers the streams already published, a publish offers its stream to everyone
    present; when they overlap both reach the same (stream, subscriber) while the other's
    offer is still being made. Called twice at once here, so the overlap is certain."""

    async def scenario() -> None:
        room = HostedRoom.create("r", "s", NetworkSettings())
        media_plane = room.media
        media = MediaState(audio=False, video=True)
        anna_pc = RTCPeerConnection()
        clara_out = RecordingOutbox()
        try:
            anna = await room.conference.join("Anna", media, RecordingOutbox())
            clara = await room.conference.join("Clara", media, clara_out)
            await media_plane.publish(anna, MediaSessionType.VIDEO, await _video_offer(anna_pc))
            assert len(clara_out.offers) == 1
            anna_peer, clara_peer = media_plane.peers[anna.id], media_plane.peers[clara.id]
            publication = media_plane.peers[anna.id].publications[MediaSessionType.VIDEO]
            # As if neither offer had been made yet:
            await (
                media_plane.peers[clara.id]
                .subscriptions.pop((anna.id, MediaSessionType.VIDEO))
                .close()
            )
            await asyncio.gather(
                *(
                    media_plane._offer(anna_peer, MediaSessionType.VIDEO, publication, clara_peer)
                    for _ in "ab"
                )
            )
            assert len(clara_out.offers) == 2, "the second path must not offer again"
            assert len(clara_peer.subscriptions) == 1
        finally:
            await room.conference.end("server_shutdown")
            await anna_pc.close()

    asyncio.run(scenario())


def test_answering_an_offer_twice_is_refused_and_keeps_the_stream() -> None:
    async def scenario() -> None:
        room = HostedRoom.create("r", "s", NetworkSettings())
        media_plane = room.media
        media = MediaState(audio=False, video=True)
        anna_pc, clara_pc = RTCPeerConnection(), RTCPeerConnection()
        clara_out = RecordingOutbox()
        try:
            anna = await room.conference.join("Anna", media, RecordingOutbox())
            await media_plane.publish(anna, MediaSessionType.VIDEO, await _video_offer(anna_pc))
            clara = await room.conference.join("Clara", media, clara_out)
            (offer,) = clara_out.offers
            answer = await _answer(clara_pc, offer.sdp)
            await media_plane.answer_subscription(clara, anna.id, MediaSessionType.VIDEO, answer)
            with pytest.raises(RoomError, match="already answered"):
                await media_plane.answer_subscription(
                    clara, anna.id, MediaSessionType.VIDEO, answer
                )
            assert (anna.id, MediaSessionType.VIDEO) in media_plane.peers[clara.id].subscriptions
        finally:
            await room.conference.end("server_shutdown")
            await asyncio.gather(anna_pc.close(), clara_pc.close())

    asyncio.run(scenario())
