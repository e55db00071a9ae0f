"""Our subscriptions in a Janus VideoRoom: one subscriber handle and peer per publisher.

A publisher whose camera goes in layers (:mod:`client.call.janus_layers`) is received as its
audio and one layer: the tallest not above what this participant asked for with
``set_preferred_layer`` when the subscription starts (a later preference applies to later
subscriptions; the stream is not switched).
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription

from client import compat
from client.call import events
from client.call.backend import EventSink
from client.call.janus_connection import (
    FeedId,
    JanusConnection,
    JanusConnectionLost,
    JanusRequestError,
    JsonObject,
    PublisherInfo,
)
from client.call.janus_layers import streams_to_subscribe
from client.call.janus_roster import participant_id_of
from client.media.lip_sync import watch_sender_reports
from client.netconfig import NetworkSettings
from client.protocol.messages import MediaSessionType

logger = logging.getLogger(__name__)

_NO_SUCH_FEED = 428  # janus_videoroom.c: the publisher left before we subscribed


@dataclass
class _Subscription:
    """One publisher's streams arriving through their own subscriber handle."""

    participant_id: str
    handle: int | None = None
    pc: RTCPeerConnection | None = None

    async def close(self, connection: JanusConnection) -> None:
        if self.pc is not None:
            await self.pc.close()
        if self.handle is not None:
            with contextlib.suppress(JanusRequestError, JanusConnectionLost, TimeoutError):
                await connection.request("detach", handle=self.handle, reply_within=2.0)


@dataclass
class RoomAccess:
    """What a subscriber ``join`` needs to say besides the streams."""

    room: int
    pin: str | None = None
    private_id: int | None = None  # ties our subscriptions to our publisher (once joined)


class JanusSubscriptions:
    def __init__(self, network: NetworkSettings, access: RoomAccess, emit: EventSink) -> None:
        self._network = network
        self.access = access
        self._emit = emit
        self._active: dict[str, _Subscription] = {}
        # set_preferred_layer: for everyone (key None) and for some participants
        self._preferred_heights: dict[str | None, int | None] = {}

    def prefer(self, target: str | None, max_height: int | None) -> None:
        if target is None:
            self._preferred_heights.clear()
        self._preferred_heights[target] = max_height

    def _max_height_for(self, participant_id: str) -> int | None:
        if participant_id in self._preferred_heights:
            return self._preferred_heights[participant_id]
        return self._preferred_heights.get(None)

    async def subscribe(self, connection: JanusConnection, publisher: PublisherInfo) -> None:
        participant_id = participant_id_of(publisher.id)
        if participant_id is None:
            return
        if participant_id in self._active or not any(
            not s.disabled and s.type in ("audio", "video") for s in publisher.streams
        ):
            return
        subscription = _Subscription(participant_id)
        self._active[participant_id] = subscription  # so leaving can close it midway
        streams = streams_to_subscribe(publisher, self._max_height_for(participant_id))
        try:
            await self._negotiate(connection, subscription, streams)
        except (JanusRequestError, TimeoutError, ValueError) as exc:
            logger.warning("could not subscribe to %s: %s", participant_id, exc)
            if self._active.get(participant_id) is subscription:
                del self._active[participant_id]
            await subscription.close(connection)
            if isinstance(exc, JanusRequestError) and exc.code != _NO_SUCH_FEED:
                self._emit(events.ServerError(str(exc.code), exc.reason))

    async def _negotiate(
        self, connection: JanusConnection, subscription: _Subscription, streams: list[JsonObject]
    ) -> None:
        subscription.handle = await connection.attach()
        body: JsonObject = {
            "request": "join",
            "ptype": "subscriber",
            "room": self.access.room,
            "streams": streams,
        }
        if self.access.private_id is not None:
            body["private_id"] = self.access.private_id
        if self.access.pin is not None:
            body["pin"] = self.access.pin
        reply = await connection.request("message", subscription.handle, body)
        if reply.jsep is None or reply.jsep.type != "offer":
            raise JanusRequestError(0, "Janus sent no SDP offer for the subscription")
        pc = RTCPeerConnection(self._network.rtc_configuration())
        subscription.pc = pc
        participant_id = subscription.participant_id

        @pc.on("track")
        def _on_track(track: MediaStreamTrack) -> None:
            watch_sender_reports(pc, track)  # for lip sync
            self._emit(events.RemoteTrackAdded(participant_id, MediaSessionType.VIDEO, track))

        await pc.setRemoteDescription(RTCSessionDescription(reply.jsep.sdp, "offer"))
        compat.receive_directly(pc)
        await pc.setLocalDescription(await pc.createAnswer())
        await connection.request(
            "message", subscription.handle, {"request": "start"}, jsep=pc.localDescription
        )
        logger.debug("subscribed to %s: %s", participant_id, streams)

    async def end(self, connection: JanusConnection, feed: FeedId) -> None:
        """The publisher stopped sending or left: close what we received of it."""
        subscription = self._active.pop(participant_id_of(feed) or "", None)
        if subscription is None:
            return
        await subscription.close(connection)
        self._emit(events.RemoteStreamEnded(subscription.participant_id, MediaSessionType.VIDEO))

    def take_peers(self) -> list[RTCPeerConnection]:
        """Forget every subscription; their peers, for the caller to close."""
        pcs = [s.pc for s in self._active.values() if s.pc is not None]
        self._active.clear()
        return pcs
