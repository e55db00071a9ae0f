"""The backend for a Janus VideoRoom (Janus 1.x multistream API, WebSocket transport)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiohttp
from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription
from pydantic import BaseModel, ConfigDict, ValidationError

from client.call import events
from client.call.backend import EventSink, JoinError, JoinResult, MeetingBackend, PublishError
from client.media.lip_sync import watch_sender_reports
from client.media.voice_encoder import use_voice_encoder
from client.netconfig import NetworkSettings
from client.protocol.messages import MediaSessionType, MediaState, ParticipantInfo

logger = logging.getLogger(__name__)

PLUGIN = "janus.plugin.videoroom"
KEEPALIVE_SECONDS = 25.0  # Janus ends sessions after 60 s of silence by default
REQUEST_TIMEOUT = 10.0
_MAX_MESSAGE_BYTES = 1024 * 1024

# VideoRoom error codes (janus_videoroom.c) that have a sentence of their own.
_NO_SUCH_ROOM = 426
_NO_SUCH_FEED = 428
_PUBLISHERS_FULL = 432
_UNAUTHORIZED = 433
_MISSING_ELEMENT = 429
# Janus core error codes (janus.h).
_PLUGIN_NOT_FOUND = 460

_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

FeedId = int | str  # numeric unless the Janus room uses string_ids
JsonObject = dict[str, object]


# ---- what Janus sends (only the fields this backend reads) ---------------------------


class _Model(BaseModel):
    # Janus adds fields between versions: ignore what we don't read instead of failing.
    model_config = ConfigDict(extra="ignore", frozen=True)


class _Jsep(_Model):
    type: str
    sdp: str


class _Stream(_Model):
    type: str
    mid: str | None = None
    disabled: bool = False


class _Publisher(_Model):
    id: FeedId
    display: str | None = None
    streams: list[_Stream] = []


class _Attendee(_Model):
    id: FeedId
    display: str | None = None


class _RoomEvent(_Model):
    videoroom: str
    id: FeedId | None = None
    private_id: int | None = None
    publishers: list[_Publisher] | None = None
    attendees: list[_Attendee] | None = None
    joining: _Attendee | None = None
    leaving: FeedId | None = None
    unpublished: FeedId | None = None
    kicked: FeedId | None = None
    error_code: int | None = None
    error: str | None = None


class _PluginData(_Model):
    plugin: str
    data: _RoomEvent


class _CreatedId(_Model):
    id: int


class _CoreError(_Model):
    code: int
    reason: str


class _Message(_Model):
    janus: str
    transaction: str | None = None
    sender: int | None = None
    data: _CreatedId | None = None
    plugindata: _PluginData | None = None
    jsep: _Jsep | None = None
    error: _CoreError | None = None
    reason: str | None = None


class JanusRequestError(Exception):
    """Janus or its VideoRoom plugin refused a request."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"{reason} (code {code})")
        self.code = code
        self.reason = reason


class JanusConnectionLost(ConnectionError):
    """The WebSocket to Janus closed."""


def _check_reply(message: _Message) -> _Message:
    if message.error is not None:
        raise JanusRequestError(message.error.code, message.error.reason)
    plugin = message.plugindata
    if plugin is not None and plugin.data.error_code is not None:
        raise JanusRequestError(plugin.data.error_code, plugin.data.error or "unknown error")
    return message


# ---- the WebSocket connection: transactions and asynchronous events ------------------


@dataclass
class _Pending:
    future: asyncio.Future[_Message]
    ack_is_reply: bool  # keepalives are answered by an ack; plugin messages ack, then reply


class JanusConnection:
    """One Janus session over the WebSocket transport."""

    def __init__(
        self, http: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse, url: str
    ) -> None:
        self.url = url
        self._http = http
        self._ws = ws
        self._pending: dict[str, _Pending] = {}
        self._transactions = itertools.count(1)
        self._prefix = secrets.token_hex(4)
        self.session_id: int | None = None
        self.events: asyncio.Queue[_Message | None] = asyncio.Queue()
        self._reader = asyncio.ensure_future(self._read_loop())

    @classmethod
    async def open(cls, url: str, connect_timeout: float = REQUEST_TIMEOUT) -> JanusConnection:
        http = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(
                total=None, connect=connect_timeout, sock_connect=connect_timeout
            )
        )
        try:
            ws = await http.ws_connect(
                url, protocols=("janus-protocol",), max_msg_size=_MAX_MESSAGE_BYTES
            )
        except aiohttp.WSServerHandshakeError as exc:
            await http.close()
            raise JoinError(
                f"the server at {url} does not speak the Janus WebSocket protocol "
                f"(HTTP {exc.status})"
            ) from None
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            await http.close()
            raise JoinError(f"cannot reach the Janus server at {url}: {exc}") from None
        if ws.protocol != "janus-protocol":
            await ws.close()
            await http.close()
            raise JoinError(f"the server at {url} does not speak the Janus WebSocket protocol")
        return cls(http, ws, url)

    async def request(
        self,
        janus: str,
        handle: int | None = None,
        body: JsonObject | None = None,
        jsep: RTCSessionDescription | None = None,
        extra: JsonObject | None = None,
        ack_is_reply: bool = False,
        reply_within: float = REQUEST_TIMEOUT,
    ) -> _Message:
        """Send one request and wait for its reply; raises :class:`JanusRequestError`."""
        transaction = f"{self._prefix}-{next(self._transactions)}"
        message: JsonObject = {"janus": janus, "transaction": transaction, **(extra or {})}
        if self.session_id is not None:
            message["session_id"] = self.session_id
        if handle is not None:
            message["handle_id"] = handle
        if body is not None:
            message["body"] = body
        if jsep is not None:
            message["jsep"] = {"type": jsep.type, "sdp": jsep.sdp}
        future: asyncio.Future[_Message] = asyncio.get_running_loop().create_future()
        self._pending[transaction] = _Pending(future, ack_is_reply)
        try:
            try:
                await self._ws.send_str(json.dumps(message))
            except (ConnectionError, RuntimeError) as exc:
                raise JanusConnectionLost(f"cannot send to Janus: {exc}") from None
            reply = await asyncio.wait_for(future, timeout=reply_within)
        finally:
            self._pending.pop(transaction, None)
        return _check_reply(reply)

    async def _request_id(self, janus: str, extra: JsonObject | None = None) -> int:
        reply = await self.request(janus, extra=extra)
        if reply.data is None:
            raise JanusRequestError(0, f"Janus answered {janus!r} without an id")
        return reply.data.id

    async def create_session(self) -> None:
        self.session_id = await self._request_id("create")

    async def attach(self) -> int:
        """A new handle on the VideoRoom plugin."""
        return await self._request_id("attach", {"plugin": PLUGIN})

    async def close(self) -> None:
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        for pending in self._pending.values():
            if not pending.future.done():
                pending.future.set_exception(JanusConnectionLost("the connection was closed"))
        await self._ws.close()
        await self._http.close()

    async def _read_loop(self) -> None:
        try:
            async for frame in self._ws:
                if frame.type != aiohttp.WSMsgType.TEXT:
                    continue
                self._handle_text(frame.data)
        finally:
            for pending in self._pending.values():
                if not pending.future.done():
                    pending.future.set_exception(JanusConnectionLost("Janus closed the connection"))
            self.events.put_nowait(None)  # tells the backend the connection is gone

    def _handle_text(self, text: str) -> None:
        try:
            message = _Message.model_validate_json(text)
        except ValidationError as exc:
            logger.warning("ignoring a message from Janus we cannot read: %s", exc.errors()[:1])
            return
        pending = self._pending.get(message.transaction or "")
        if pending is not None and not pending.future.done():
            if message.janus != "ack" or pending.ack_is_reply:
                pending.future.set_result(message)
            return
        if message.janus != "ack":
            self.events.put_nowait(message)


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
class _Publication:
    pc: RTCPeerConnection
    mids: dict[str, str] = field(default_factory=dict)  # kind -> mid


def _participant_id(feed: FeedId) -> str | None:
    text = str(feed)
    return text if _ID_PATTERN.match(text) else None


def _display_name(display: str | None, participant_id: str) -> str:
    name = (display or "").strip()[:64].strip()
    return name or f"Participant {participant_id}"


def _publishing(media: MediaState) -> list[MediaSessionType]:
    return [MediaSessionType.VIDEO] if media.audio or media.video else []


def _media_of(publisher: _Publisher) -> MediaState:
    active = {s.type for s in publisher.streams if not s.disabled}
    return MediaState(audio="audio" in active, video="video" in active)


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
        self._private_id: int | None = None
        self._publication: _Publication | None = None
        self._participants: dict[str, ParticipantInfo] = {}
        self._subscriptions: dict[str, _Subscription] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._initial: list[_Publisher] = []
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
        self._feed = joined.id
        self._private_id = joined.private_id
        participants = self._learn_participants(joined, announce=False)
        # Subscribing waits until the session knows these participants (after join returns).
        self._initial = list(joined.publishers or [])
        self._tasks = [
            asyncio.ensure_future(self._dispatch_loop()),
            asyncio.ensure_future(self._keepalive_loop()),
        ]
        participant_id = _participant_id(joined.id) if joined.id is not None else None
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
            for track in tracks:
                pc.addTransceiver(track, direction="sendonly")
            await pc.setLocalDescription(await pc.createOffer())
            for transceiver in pc.getTransceivers():
                if transceiver.mid is not None:
                    publication.mids[transceiver.kind] = transceiver.mid
            reply = await connection.request(
                "message", handle, {"request": "publish"}, jsep=pc.localDescription
            )
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
        logger.info("publishing %s to Janus", ", ".join(sorted(publication.mids)))
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
            for kind, mid in publication.mids.items()
            if kind in wanted
        ]
        connection, handle = self._publisher()
        try:
            await connection.request(
                "message", handle, {"request": "configure", "streams": streams}
            )
        except JanusRequestError as exc:
            self._emit(events.ServerError(str(exc.code), exc.reason))

    async def leave(self) -> None:
        if self._left:
            return
        self._left = True
        await self._shutdown(say_goodbye=True)

    # ---- joining ------------------------------------------------------------------------

    async def _join_room(self, connection: JanusConnection, display_name: str) -> _RoomEvent:
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

    def _learn_participants(self, data: _RoomEvent, announce: bool) -> list[ParticipantInfo]:
        """Remember attendees and publishers; with ``announce`` emit what changed."""
        learned: list[ParticipantInfo] = []
        for attendee in data.attendees or []:
            info = self._remember(
                attendee.id, attendee.display, MediaState(audio=False, video=False)
            )
            if info is not None:
                learned.append(info)
        for publisher in data.publishers or []:
            info = self._remember(publisher.id, publisher.display, _media_of(publisher), announce)
            if info is not None:
                learned.append(info)
        if data.joining is not None:
            self._remember(
                data.joining.id,
                data.joining.display,
                MediaState(audio=False, video=False),
                announce,
            )
        return learned

    def _remember(
        self, feed: FeedId, display: str | None, media: MediaState, announce: bool = False
    ) -> ParticipantInfo | None:
        participant_id = _participant_id(feed)
        if participant_id is None or feed == self._feed:
            return None
        known = self._participants.get(participant_id)
        if known is not None:
            if media != known.media and (media.audio or media.video):
                known = known.model_copy(update={"media": media, "publishing": _publishing(media)})
                self._participants[participant_id] = known
                if announce:
                    self._emit(events.MediaStateChanged(participant_id, media))
            return known
        info = ParticipantInfo(
            id=participant_id,
            display_name=_display_name(display, participant_id),
            media=media,
            publishing=_publishing(media),
        )
        self._participants[participant_id] = info
        if announce:
            self._emit(events.ParticipantJoined(info))
        return info

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

    async def _dispatch(self, message: _Message) -> str | None:
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
        self._learn_participants(data, announce=True)
        for publisher in data.publishers or []:
            await self._subscribe(publisher)
        if data.unpublished is not None and data.unpublished == self._feed:
            logger.warning("Janus stopped forwarding our stream")
        elif data.unpublished is not None and data.unpublished != "ok":
            await self._end_stream(data.unpublished)
            self._forget_media(data.unpublished)
        gone = data.leaving if data.leaving is not None else data.kicked
        if gone is not None and gone != "ok":
            await self._participant_left(gone, "left" if data.leaving is not None else "kicked")
        return None

    async def _participant_left(self, feed: FeedId, reason: str) -> None:
        await self._end_stream(feed)
        participant_id = _participant_id(feed)
        if participant_id is not None and self._participants.pop(participant_id, None) is not None:
            self._emit(events.ParticipantLeft(participant_id, reason))

    def _forget_media(self, feed: FeedId) -> None:
        # A later publish by the same participant then shows as a media change.
        participant_id = _participant_id(feed)
        known = self._participants.get(participant_id or "")
        if participant_id is not None and known is not None:
            silent = MediaState(audio=False, video=False)
            self._participants[participant_id] = known.model_copy(
                update={"media": silent, "publishing": []}
            )

    async def _end_stream(self, feed: FeedId) -> None:
        participant_id = _participant_id(feed)
        subscription = self._subscriptions.pop(participant_id or "", None)
        if subscription is None:
            return
        connection, _ = self._publisher()
        await subscription.close(connection)
        self._emit(events.RemoteStreamEnded(subscription.participant_id, MediaSessionType.VIDEO))

    async def _subscribe(self, publisher: _Publisher) -> None:
        participant_id = _participant_id(publisher.id)
        if participant_id is None or publisher.id == self._feed:
            return
        if participant_id in self._subscriptions or not any(
            not s.disabled and s.type in ("audio", "video") for s in publisher.streams
        ):
            return
        connection, _ = self._publisher()
        subscription = _Subscription(participant_id)
        self._subscriptions[participant_id] = subscription  # so leave() can close it midway
        try:
            await self._negotiate_subscription(connection, subscription, publisher.id)
        except (JanusRequestError, TimeoutError, ValueError) as exc:
            logger.warning("could not subscribe to %s: %s", participant_id, exc)
            if self._subscriptions.get(participant_id) is subscription:
                del self._subscriptions[participant_id]
            await subscription.close(connection)
            if isinstance(exc, JanusRequestError) and exc.code != _NO_SUCH_FEED:
                self._emit(events.ServerError(str(exc.code), exc.reason))

    async def _negotiate_subscription(
        self, connection: JanusConnection, subscription: _Subscription, feed: FeedId
    ) -> None:
        subscription.handle = await connection.attach()
        body: JsonObject = {
            "request": "join",
            "ptype": "subscriber",
            "room": self._room,
            "streams": [{"feed": feed}],
        }
        if self._private_id is not None:
            body["private_id"] = self._private_id
        if self._pin is not None:
            body["pin"] = self._pin
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
        await pc.setLocalDescription(await pc.createAnswer())
        await connection.request(
            "message", subscription.handle, {"request": "start"}, jsep=pc.localDescription
        )
        logger.debug("subscribed to %s", participant_id)

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
        pcs = [s.pc for s in self._subscriptions.values() if s.pc is not None]
        if self._publication is not None:
            pcs.append(self._publication.pc)
        self._subscriptions.clear()
        self._publication = None
        await asyncio.gather(*(pc.close() for pc in pcs), return_exceptions=True)
        if connection is not None:
            await connection.close()
