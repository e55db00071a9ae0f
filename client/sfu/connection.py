"""One participant's signaling connection: validate, rate-limit and dispatch its messages."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Callable
from typing import assert_never

from aiohttp import ServerTimeoutError, WSCloseCode, WSMsgType, web

from client.conference import modules
from client.conference.limits import TokenBucket
from client.conference.moderation import moderate
from client.conference.room import LeaveReason, Member, Notice, RoomError
from client.protocol import PROTOCOL_VERSION
from client.protocol.codec import ProtocolError, encode, parse_client_message
from client.protocol.messages import (
    ClientMessage,
    CoreNotice,
    CoreRequest,
    Error,
    ErrorCode,
    Join,
    Leave,
    MediaRequest,
    Publish,
    RequestKeyframe,
    SetPreferredLayer,
    SubscribeAnswer,
    Unpublish,
    UpdateMediaState,
)
from client.protocol.moderation import ModerationRequest
from client.protocol.modules import (
    ChatRequest,
    HandsRequest,
    RaiseHand,
    ReactionRequest,
)
from client.sfu.join_throttle import JoinThrottle
from client.sfu.peers import SdpError
from client.sfu.room import HostedRoom

logger = logging.getLogger(__name__)

# One text for a missing room and a wrong secret: a guesser learns nothing about the room.
JOIN_REFUSED_TEXT = "the meeting does not exist or its secret is wrong"
MAX_REFUSED_JOINS = 3
_DUMMY_SECRET = b"-" * 32


class Connection:
    """Drives one WebSocket: reads requests in order, writes through a bounded outbox."""

    OUTBOX_SIZE = 256
    JOIN_TIMEOUT = 10.0

    def __init__(
        self,
        ws: web.WebSocketResponse,
        find_room: Callable[[str], HostedRoom | None],
        message_rate: float,
        message_burst: float,
        source: str = "",
        throttle: JoinThrottle | None = None,
        on_joined: Callable[[], None] | None = None,
    ) -> None:
        self._ws = ws
        self._find_room = find_room
        self._source = source  # the address (or IPv6 /64) refused joins are counted by
        self._throttle = throttle or JoinThrottle()
        self._on_joined = on_joined
        self._limiter = TokenBucket(message_rate, message_burst)
        # Frames to write; an int is a close code: the writer closes after what came before.
        self._queue: asyncio.Queue[str | int] = asyncio.Queue(self.OUTBOX_SIZE)
        self._room: HostedRoom | None = None
        self._participant: Member | None = None
        self._refused_joins = 0
        self._closing = False
        self._closer: asyncio.Future[bool] | None = None

    # Outbox protocol, used by the room.
    def send(self, notice: Notice) -> None:
        if self._closing:
            return
        try:
            self._queue.put_nowait(encode(notice))
        except asyncio.QueueFull:
            logger.warning("closing a connection that does not read its messages")
            self._close_soon(WSCloseCode.POLICY_VIOLATION)

    def disconnect(self) -> None:
        if not self._closing:
            logger.info("closing a connection the room let go (reconnected, removed or unseated)")
            self._close_soon(WSCloseCode.GOING_AWAY)

    def _error(self, code: ErrorCode, text: str, transaction_id: str | None = None) -> None:
        self.send(
            CoreNotice(
                transaction_id=transaction_id,
                payload=Error(message="error", code=code, text=text[:500]),
            )
        )

    def _close_soon(self, code: int) -> None:
        self._closing = True
        self._stop_writer(code)

    def _stop_writer(self, code: int = WSCloseCode.OK) -> None:
        try:
            self._queue.put_nowait(code)
        except asyncio.QueueFull:
            self._closer = asyncio.ensure_future(self._ws.close(code=code))

    async def run(self) -> None:
        writer = asyncio.ensure_future(self._write_loop())
        join_timer = asyncio.get_running_loop().call_later(
            self.JOIN_TIMEOUT, self._close_if_not_joined
        )
        reason: LeaveReason = "disconnected"
        try:
            async for frame in self._ws:
                if frame.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    break
                if not self._limiter.take():
                    logger.warning("closing a connection that floods the server")
                    self._close_soon(WSCloseCode.POLICY_VIOLATION)
                    break
                if frame.type == WSMsgType.BINARY:
                    self._error(ErrorCode.INVALID_MESSAGE, "binary frames are not accepted")
                elif await self._handle(frame.data):
                    reason = "left"
                    break
                if self._closing:  # only the writer may read from here on, for the close
                    break
            if isinstance(self._ws.exception(), (TimeoutError, ServerTimeoutError)):
                reason = "timeout"  # the heartbeat got no pong
        except ConnectionError as exc:
            # e.g. answering a ping on a connection the peer already dropped: one line, the
            # participant is let go below as for any other disconnect
            logger.info("a signaling connection broke off: %s", exc)
        finally:
            join_timer.cancel()
            if self._room is not None and self._participant is not None:
                await self._room.conference.leave(self._participant, reason)
            if not self._closing:
                self._closing = True
                self._stop_writer()
            await asyncio.wait([writer], timeout=1.0)
            writer.cancel()
            await self._ws.close()

    def _close_if_not_joined(self) -> None:
        if self._participant is None and not self._closing:
            logger.info("closing a connection that did not join in time")
            self._close_soon(WSCloseCode.POLICY_VIOLATION)

    async def _write_loop(self) -> None:
        while True:
            frame = await self._queue.get()
            if self._ws.closed:
                return
            if isinstance(frame, int):
                await self._ws.close(code=frame)
                return
            try:
                await self._ws.send_str(frame)
            except (ConnectionError, RuntimeError):
                return

    async def _handle(self, frame: str) -> bool:
        """Handle one frame; True when the participant left."""
        try:
            message = parse_client_message(frame)
        except ProtocolError as exc:
            self._error(exc.code, exc.text, exc.transaction_id)
            return False
        try:
            return await self._dispatch(message)
        except ProtocolError as exc:
            self._error(exc.code, exc.text, message.transaction_id)
        except RoomError as exc:
            self._error(exc.code, str(exc), message.transaction_id)
        except SdpError as exc:
            self._error(ErrorCode.INVALID_SDP, str(exc), message.transaction_id)
        return False

    async def _dispatch(self, message: ClientMessage) -> bool:
        """Hand one request to the room; True when the participant left."""
        if isinstance(message, CoreRequest) and isinstance(message.payload, Join):
            await self._join(message.payload, message.transaction_id)
            return False
        room, member = self._room, self._participant
        if room is None or member is None:
            raise ProtocolError(ErrorCode.NOT_JOINED, "join the meeting first")
        if isinstance(message, CoreRequest) and isinstance(message.payload, Leave):
            return True
        if not room.conference.seated(member):
            raise ProtocolError(
                ErrorCode.NOT_JOINED, "you are waiting for a moderator to let you in"
            )
        if member.moderation_only and not isinstance(message, ModerationRequest):
            raise ProtocolError(ErrorCode.FORBIDDEN, "this connection only moderates")
        match message:
            case CoreRequest(payload=Leave()):
                return True
            case CoreRequest():
                raise AssertionError("join is handled above")
            case MediaRequest(payload=payload):
                await self._handle_media(room, member, payload)
            case ChatRequest(payload=payload):
                modules.send_chat(room.conference, member, payload.text, payload.to)
            case HandsRequest(payload=payload):
                modules.raise_hand(room.conference, member, isinstance(payload, RaiseHand))
            case ReactionRequest(payload=payload):
                modules.react(room.conference, member, payload.reaction)
            case ModerationRequest(payload=payload):
                await moderate(room.conference, member, payload, message.transaction_id)
            case _:
                assert_never(message)
        return False

    async def _join(self, join: Join, transaction_id: str | None) -> None:
        if self._participant is not None:
            raise ProtocolError(ErrorCode.ALREADY_JOINED, "this connection already joined")
        if join.protocol_version != PROTOCOL_VERSION:
            raise ProtocolError(
                ErrorCode.UNSUPPORTED_VERSION,
                f"protocol version {join.protocol_version} is not supported; "
                f"this server speaks version {PROTOCOL_VERSION}",
            )
        room = self._find_room(join.room)
        secret = join.secret.get_secret_value()
        moderator_secret = (
            join.moderator_secret.get_secret_value() if join.moderator_secret else None
        )
        if room is None:
            # Same work as a real comparison, so timing does not reveal which rooms exist.
            hmac.compare_digest(_DUMMY_SECRET, secret.encode())
        # A moderator link's own secret admits on its own: it stays valid when a moderator
        # renews the participant link. A wrong one is refused, never quietly downgraded.
        if room is None or not (
            room.conference.moderator_secret_matches(moderator_secret)
            if moderator_secret is not None
            else room.conference.secret_matches(secret)
        ):
            self._refused_joins += 1
            # Guessing is slow: beyond a few typos, a refusal is answered only as often as
            # its source's and room's budget allows (a right secret never waits).
            delay = self._throttle.refusal_delay(self._source, join.room)
            if delay is None:
                logger.info("closing a connection from %s that keeps guessing", self._source)
                self._close_soon(WSCloseCode.POLICY_VIOLATION)
                return
            if delay > 0:
                await asyncio.sleep(delay)
            self._error(ErrorCode.JOIN_REFUSED, JOIN_REFUSED_TEXT, transaction_id)
            if self._refused_joins >= MAX_REFUSED_JOINS:
                self._close_soon(WSCloseCode.POLICY_VIOLATION)
            return
        self._room = room
        token = join.resume_token.get_secret_value() if join.resume_token else None
        self._participant = await room.conference.join(
            join.display_name,
            join.media,
            self,
            token,
            moderator=moderator_secret is not None,
            moderation_only=join.moderation_only,
        )
        if self._on_joined is not None:
            self._on_joined()

    async def _handle_media(
        self,
        room: HostedRoom,
        member: Member,
        payload: (
            Publish
            | Unpublish
            | SubscribeAnswer
            | UpdateMediaState
            | RequestKeyframe
            | SetPreferredLayer
        ),
    ) -> None:
        match payload:
            case Publish():
                await room.media.publish(
                    member, payload.media_session_type, payload.sdp, payload.layers or ()
                )
            case SubscribeAnswer():
                await room.media.answer_subscription(
                    member, payload.target, payload.media_session_type, payload.sdp
                )
            case Unpublish():
                await room.media.unpublish(member, payload.media_session_type)
            case UpdateMediaState():
                room.conference.update_media_state(member, payload.media)
            case RequestKeyframe():
                room.media.request_keyframe(member, payload.target, payload.media_session_type)
            case SetPreferredLayer():
                room.media.set_preferred_layer(member, payload.target, payload.max_height)
            case _:
                assert_never(payload)
