"""The backend for a Janus VideoRoom (Janus 1.x multistream API, WebSocket transport).

The connection and Janus's messages live in :mod:`client.call.janus_connection`, who is in
the room in :mod:`client.call.janus_roster`, what we receive in
:mod:`client.call.janus_subscriptions`; a camera in layers is named and chosen as
:mod:`client.call.janus_layers` describes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription

from client.call import events
from client.call.backend import EventSink, JoinError, JoinResult, MeetingBackend, PublishError
from client.call.encoded_layers import EncodedLayers
from client.call.janus_connection import (
    REQUEST_TIMEOUT,
    FeedId,
    JanusConnection,
    JanusConnectionLost,
    JanusMessage,
    JanusRequestError,
    JsonObject,
    PublisherInfo,
    RoomEvent,
)
from client.call.janus_layers import layer_description
from client.call.janus_roster import JanusRoster, participant_id_of
from client.call.janus_subscriptions import JanusSubscriptions, RoomAccess
from client.media.voice_encoder import use_voice_encoder
from client.netconfig import NetworkSettings
from client.protocol.messages import MediaSessionType, MediaState

logger = logging.getLogger(__name__)

KEEPALIVE_SECONDS = 25.0  # Janus ends sessions after 60 s of silence by default

# VideoRoom error codes (janus_videoroom.c) that have a sentence of their own.
_NO_SUCH_ROOM = 426
_PUBLISHERS_FULL = 432
_UNAUTHORIZED = 433
_MISSING_ELEMENT = 429
# Janus core error codes (janus.h).
_PLUGIN_NOT_FOUND = 460


@dataclass
class _Publication:
    pc: RTCPeerConnection
    streams: list[tuple[str, str]] = field(default_factory=list)  # (kind, mid) of each


class JanusBackend(MeetingBackend):
    """Joins a Janus VideoRoom as a publisher and subscribes to every other publisher.

    Janus 1.1 has no mute notice: :meth:`set_media_state` stops or resumes relaying our
    streams (``configure`` with ``send``), and others see no :class:`MediaStateChanged`.
    """

    def __init__(
        self,
        server_url: str,
        room: int,
        network: NetworkSettings,
        on_event: EventSink,
        pin: str | None = None,
    ) -> None:
        self._url = server_url
        self._room = room
        self._network = network
        self._emit = on_event
        self._pin = pin
        self._connection: JanusConnection | None = None
        self._handle: int | None = None  # the publisher handle: our place in the room
        self._feed: FeedId | None = None
        self._publication: _Publication | None = None
        self._roster = JanusRoster(on_event)
        self._subscriptions = JanusSubscriptions(network, RoomAccess(room, pin), on_event)
        self._tasks: list[asyncio.Task[None]] = []
        self._initial: list[PublisherInfo] = []
        self._media = MediaState(audio=True, video=True)
        self._left = False

    # ---- MeetingBackend ----------------------------------------------------------------

    async def join(
        self, display_name: str, media: MediaState, resume_token: str | None = None
    ) -> JoinResult:
        connection = await JanusConnection.open(self._url)
        try:
            joined = await self._join_room(connection, display_name)
        except JoinError:
            await connection.close()
            raise
        except JanusConnectionLost:
            await connection.close()
            raise JoinError(f"the Janus server at {self._url} closed the connection") from None
        except TimeoutError:
            await connection.close()
            raise JoinError(
                f"the Janus server at {self._url} did not answer within {REQUEST_TIMEOUT:.0f} s"
            ) from None
        except BaseException:
            await connection.close()
            raise
        self._connection = connection
        self._media = media
        self._feed = self._roster.own_feed = joined.id
        self._subscriptions.access.private_id = joined.private_id
        participants = self._roster.learn(joined, announce=False)
        # Subscribing waits until the session knows these participants (after join returns).
        self._initial = list(joined.publishers or [])
        self._tasks = [
            asyncio.ensure_future(self._dispatch_loop()),
            asyncio.ensure_future(self._keepalive_loop()),
        ]
        participant_id = participant_id_of(joined.id) if joined.id is not None else None
        logger.info("joined Janus room %d at %s as %s", self._room, self._url, joined.id)
        return JoinResult(participant_id or "self", participants)

    async def publish(
        self, session_type: MediaSessionType, tracks: Sequence[MediaStreamTrack]
    ) -> None:
        if session_type is MediaSessionType.SCREEN:
            raise PublishError(
                "screen sharing is not available in meetings on a Janus server; "
                "it works in meetings hosted by Runde"
            )
        if session_type is not MediaSessionType.VIDEO:
            raise ValueError("the Janus backend publishes the camera stream only")
        if self._publication is not None:
            raise ValueError(f"already publishing {session_type.value}")
        connection, handle = self._publisher()
        pc = RTCPeerConnection(self._network.rtc_configuration())
        publication = _Publication(pc)
        self._publication = publication
        try:
            # A camera in layers: each layer on a transceiver of its own, named by its size.
            layer_of: dict[MediaStreamTrack, str] = {}
            for track in tracks:
                if isinstance(track, EncodedLayers):
                    for layer, (width, height) in track.layers:
                        layer_of[layer] = layer_description(width, height)
                        pc.addTransceiver(layer, direction="sendonly")
                else:
                    pc.addTransceiver(track, direction="sendonly")
            await pc.setLocalDescription(await pc.createOffer())
            descriptions: list[JsonObject] = []
            for transceiver in pc.getTransceivers():
                if transceiver.mid is None:
                    continue
                publication.streams.append((transceiver.kind, transceiver.mid))
                layer = transceiver.sender.track
                if layer is not None and layer in layer_of:
                    descriptions.append({"mid": transceiver.mid, "description": layer_of[layer]})
            body: JsonObject = {"request": "publish"}
            if descriptions:
                body["descriptions"] = descriptions
            reply = await connection.request("message", handle, body, jsep=pc.localDescription)
            if reply.jsep is None or reply.jsep.type != "answer":
                raise JanusRequestError(0, "Janus sent no SDP answer")
            await pc.setRemoteDescription(RTCSessionDescription(reply.jsep.sdp, "answer"))
            for transceiver in pc.getTransceivers():
                use_voice_encoder(transceiver)  # no await since: before the first frame
        except JanusRequestError as exc:
            await self._drop_publication(pc)
            raise JoinError(f"the Janus room {self._room} refused our stream: {exc}") from None
        except BaseException:
            await self._drop_publication(pc)
            raise
        logger.info("publishing %s to Janus", ", ".join(k for k, _ in publication.streams))
        if not (self._media.audio and self._media.video):
            await self.set_media_state(self._media)  # joined muted

    async def unpublish(self, session_type: MediaSessionType) -> None:
        publication = self._publication
        if session_type is not MediaSessionType.VIDEO or publication is None:
            return
        self._publication = None
        connection, handle = self._publisher()
        with contextlib.suppress(JanusRequestError, TimeoutError):
            await connection.request("message", handle, {"request": "unpublish"})
        await publication.pc.close()

    async def set_media_state(self, media: MediaState) -> None:
        self._media = media
        publication = self._publication
        if publication is None:
            return
        wanted = {"audio": media.audio, "video": media.video}
        streams: list[JsonObject] = [
            {"mid": mid, "send": wanted[kind]}
            for kind, mid in publication.streams
            if kind in wanted
        ]
        connection, handle = self._publisher()
        try:
            await connection.request(
                "message", handle, {"request": "configure", "streams": streams}
            )
        except JanusRequestError as exc:
            self._emit(events.ServerError(str(exc.code), exc.reason))

    async def set_preferred_layer(self, target: str | None, max_height: int | None) -> None:
        """Chooses the layer of a camera in layers when we subscribe to it (Janus switches
        a subscription's streams only by renegotiating, which we do not do)."""
        self._subscriptions.prefer(target, max_height)

    async def leave(self) -> None:
        if self._left:
            return
        self._left = True
        await self._shutdown(say_goodbye=True)

    # ---- joining ------------------------------------------------------------------------

    async def _join_room(self, connection: JanusConnection, display_name: str) -> RoomEvent:
        try:
            await connection.create_session()
        except JanusRequestError as exc:
            raise JoinError(f"the Janus server refused to open a session: {exc.reason}") from None
        try:
            self._handle = await connection.attach()
        except JanusRequestError as exc:
            if exc.code == _PLUGIN_NOT_FOUND:
                raise JoinError(
                    f"the Janus server at {self._url} has no VideoRoom plugin"
                ) from None
            raise JoinError(f"the Janus server refused the VideoRoom plugin: {exc}") from None
        body: JsonObject = {
            "request": "join",
            "ptype": "publisher",
            "room": self._room,
            "display": display_name,
        }
        if self._pin is not None:
            body["pin"] = self._pin
        try:
            reply = await connection.request("message", self._handle, body)
        except JanusRequestError as exc:
            raise JoinError(self._join_refusal(exc)) from None
        data = reply.plugindata.data if reply.plugindata is not None else None
        if data is None or data.videoroom != "joined":
            raise JoinError(f"the Janus room {self._room} answered the join unexpectedly")
        return data

    def _join_refusal(self, exc: JanusRequestError) -> str:
        room = self._room
        if exc.code == _NO_SUCH_ROOM:
            return f"the Janus room {room} does not exist"
        if exc.code == _MISSING_ELEMENT and "(pin)" in exc.reason:
            return f"the Janus room {room} needs a PIN"
        if exc.code == _UNAUTHORIZED:
            if self._pin is None:
                return f"the Janus room {room} needs a PIN"
            return f"the Janus room {room} refused the PIN"
        if exc.code == _PUBLISHERS_FULL:
            return f"the Janus room {room} is full"
        return f"the Janus room {room} refused the join: {exc}"

    def _publisher(self) -> tuple[JanusConnection, int]:
        if self._connection is None or self._handle is None:
            raise ConnectionError("not connected to the Janus room")
        return self._connection, self._handle

    # ---- events from Janus ----------------------------------------------------------------

    async def _dispatch_loop(self) -> None:
        connection, _ = self._publisher()
        for publisher in self._initial:
            await self._subscribe(publisher)
        self._initial = []
        while True:
            message = await connection.events.get()
            if message is None:
                break
            try:
                reason = await self._dispatch(message)
            except JanusConnectionLost:
                break
            if reason is not None:
                await self._end(events.MeetingEnded(reason))
                return
        await self._end(
            events.MeetingEnded("the connection to the Janus server was lost", connection_lost=True)
        )

    async def _dispatch(self, message: JanusMessage) -> str | None:
        """Handle one asynchronous message; returns a reason when the meeting ended for us."""
        if message.janus == "timeout":
            return "the Janus server ended our session after a timeout"
        if message.janus == "hangup" and message.sender == self._handle:
            logger.warning("Janus hung up our stream: %s", message.reason)
        if message.janus != "event" or message.plugindata is None:
            return None
        if message.sender != self._handle:
            return None  # subscriber handles: renegotiations we do not ask for
        data = message.plugindata.data
        if data.videoroom == "destroyed":
            return f"the Janus room {self._room} was closed"
        if data.error_code is not None:
            logger.warning("Janus reported an error: %s (%s)", data.error, data.error_code)
            self._emit(events.ServerError(str(data.error_code), data.error or ""))
            return None
        if data.kicked is not None and data.kicked == self._feed:
            return f"you were removed from the Janus room {self._room}"
        self._roster.learn(data, announce=True)
        for publisher in data.publishers or []:
            await self._subscribe(publisher)
        if data.unpublished is not None and data.unpublished == self._feed:
            logger.warning("Janus stopped forwarding our stream")
        elif data.unpublished is not None and data.unpublished != "ok":
            await self._end_stream(data.unpublished)
            self._roster.forget_media(data.unpublished)
        gone = data.leaving if data.leaving is not None else data.kicked
        if gone is not None and gone != "ok":
            await self._participant_left(gone, "left" if data.leaving is not None else "kicked")
        return None

    async def _participant_left(self, feed: FeedId, reason: str) -> None:
        await self._end_stream(feed)
        self._roster.left(feed, reason)

    async def _end_stream(self, feed: FeedId) -> None:
        connection, _ = self._publisher()
        await self._subscriptions.end(connection, feed)

    async def _subscribe(self, publisher: PublisherInfo) -> None:
        # (a load generator's publish-only participants replace this to receive nothing)
        if publisher.id != self._feed:
            connection, _ = self._publisher()
            await self._subscriptions.subscribe(connection, publisher)

    async def _keepalive_loop(self) -> None:
        connection, _ = self._publisher()
        while True:
            await asyncio.sleep(KEEPALIVE_SECONDS)
            try:
                await connection.request("keepalive", ack_is_reply=True)
            except (JanusConnectionLost, TimeoutError, JanusRequestError) as exc:
                logger.warning("Janus keepalive failed: %s", exc)
                connection.events.put_nowait(None)  # the dispatcher ends the meeting
                return

    # ---- leaving --------------------------------------------------------------------------

    async def _drop_publication(self, pc: RTCPeerConnection) -> None:
        self._publication = None
        await pc.close()

    async def _end(self, ended: events.MeetingEnded) -> None:
        if self._left:
            return
        self._left = True
        await self._shutdown(say_goodbye=False, current=asyncio.current_task())
        self._emit(ended)

    async def _shutdown(
        self, say_goodbye: bool, current: asyncio.Task[object] | None = None
    ) -> None:
        others = [task for task in self._tasks if task is not current]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)
        connection = self._connection
        if connection is not None and say_goodbye:
            # Destroying the session ends the handles and tells the room we left.
            with contextlib.suppress(JanusRequestError, JanusConnectionLost, TimeoutError):
                await connection.request("destroy", reply_within=2.0)
        pcs = self._subscriptions.take_peers()
        if self._publication is not None:
            pcs.append(self._publication.pc)
        self._publication = None
        await asyncio.gather(*(pc.close() for pc in pcs), return_exceptions=True)
        if connection is not None:
            await connection.close()
