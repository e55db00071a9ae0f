"""The backend for Runde's own SFU (embedded in a host's app or running headless)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import assert_never

from aiortc import MediaStreamTrack, RTCPeerConnection

from client.call import events
from client.call.backend import EventSink, JoinError, JoinResult, MeetingBackend
from client.call.link_report import StreamFigures
from client.call.moderation_events import moderation_event
from client.call.sfu_peers import SfuPeers
from client.call.signaling import SignalingClient
from client.netconfig import NetworkSettings
from client.protocol import PROTOCOL_VERSION
from client.protocol.common import ErrorCode
from client.protocol.link import MeetingLink
from client.protocol.messages import (
    ClientMessage,
    CoreNotice,
    CoreRequest,
    Error,
    Join,
    JoinSuccess,
    Leave,
    MediaNotice,
    MediaRequest,
    MediaSessionType,
    MediaState,
    MediaStateChanged,
    MeetingEnded,
    ParticipantJoined,
    ParticipantLeft,
    PublishAnswer,
    ServerMessage,
    SetPreferredLayer,
    StreamEnded,
    SubscribeOffer,
    UpdateMediaState,
)
from client.protocol.moderation import (
    Denied,
    ModerationAction,
    ModerationNotice,
    ModerationRequest,
    Waiting,
)
from client.protocol.modules import (
    ChatHistory,
    ChatMessage,
    ChatNotice,
    ChatRequest,
    HandsChanged,
    HandsNotice,
    HandsRequest,
    LowerHand,
    RaiseHand,
    React,
    Reacted,
    Reaction,
    ReactionNotice,
    ReactionRequest,
    SendMessage,
)

logger = logging.getLogger(__name__)
# set_preferred_layer goes with this id: refused for someone who has just left, it is no news
PREFERENCE_TRANSACTION = "set-preferred-layer"

MEDIA_TIMEOUT_TEXT = (
    "your audio and video could not reach the meeting host, so it gave up your seat "
    "(a firewall may block UDP; a TURN server, set by your administrator, gets around it)"
)
_ENDED_REASONS = {
    "host_ended": "the host ended the meeting",
    "server_shutdown": "the meeting host shut down",
}


class SfuBackend(MeetingBackend):
    def __init__(
        self,
        link: MeetingLink,
        network: NetworkSettings,
        on_event: EventSink,
        answer_timeout: float = 10.0,
        video_codec: str = "VP8",
        moderation_only: bool = False,
    ) -> None:
        self._link = link
        self._moderation_only = moderation_only
        self._network = network
        self._emit = on_event
        self._signaling: SignalingClient | None = None
        self._reader: asyncio.Task[None] | None = None
        self._peers = SfuPeers(
            network,
            video_codec,
            lambda payload, transaction_id: self._send_media(payload, transaction_id),
            on_event,
            self._media_died,
            answer_timeout,
        )
        self._left = False
        self._losing: asyncio.Task[None] | None = None
        # Closing runs once; whoever comes second (leave() or the reader) waits for it.
        self._closing: asyncio.Future[None] | None = None

    @property
    def peer_connections(self) -> list[RTCPeerConnection]:
        """Every peer connection this backend holds now (for diagnostics and tests)."""
        return self._peers.all

    @property
    def connected(self) -> bool:
        """True while the signaling connection to the meeting host is open."""
        return self._signaling is not None and not self._signaling.closed

    async def join(
        self, display_name: str, media: MediaState, resume_token: str | None = None
    ) -> JoinResult:
        signaling = await SignalingClient.connect(self._link, proxy=self._network.signaling_proxy)
        try:
            await signaling.send(
                CoreRequest(
                    namespace="core",
                    payload=Join(
                        action="join",
                        protocol_version=PROTOCOL_VERSION,
                        room=self._link.room,
                        secret=self._link.secret,  # type: ignore[arg-type]
                        display_name=display_name,
                        media=media,
                        resume_token=resume_token,  # type: ignore[arg-type]
                        moderator_secret=self._link.moderator_secret,  # type: ignore[arg-type]
                        moderation_only=self._moderation_only,
                    ),
                )
            )
            payload = await self._admission(signaling)
        except ConnectionError as exc:
            await signaling.close()
            raise JoinError(
                f"the meeting host closed the connection while joining ({exc})"
            ) from None
        except BaseException:
            await signaling.close()
            raise
        self._signaling = signaling
        self._reader = asyncio.ensure_future(self._read_loop())
        logger.info("joined %s as %s", self._link.redacted(), payload.participant_id)
        return JoinResult(
            payload.participant_id,
            payload.participants,
            frozenset(payload.modules),
            payload.resume_token.get_secret_value(),
            payload.role,
        )

    async def _admission(self, signaling: SignalingClient) -> JoinSuccess:
        """The host's answer to our join; in a waiting room, wait as long as it takes."""
        waiting = False
        while True:
            try:
                reply = (
                    await signaling.receive()
                    if waiting
                    else await asyncio.wait_for(signaling.receive(), timeout=10.0)
                )
            except (TimeoutError, ConnectionError) as exc:
                raise JoinError(
                    f"the meeting host did not confirm the join ({exc or 'timeout'})"
                ) from None
            if reply is None:
                raise JoinError(
                    "a moderator did not let you into the meeting"
                    if waiting
                    else "the meeting host closed the connection while joining"
                )
            payload = reply.payload
            match payload:
                case JoinSuccess():
                    return payload
                case Error():
                    raise JoinError(
                        f"the meeting refused the join: {payload.text}", payload.code.value
                    )
                case Waiting():
                    waiting = True
                    self._emit(events.Waiting())
                case Denied():
                    raise JoinError("a moderator did not let you into the meeting")
                case MeetingEnded():
                    raise JoinError("the meeting ended before you were let in")
                case _:
                    raise JoinError(f"the meeting host answered the join with {payload.message!r}")

    async def publish(
        self, session_type: MediaSessionType, tracks: Sequence[MediaStreamTrack]
    ) -> None:
        await self._peers.publish(session_type, tracks)

    async def unpublish(self, session_type: MediaSessionType) -> None:
        await self._peers.unpublish(session_type)

    async def set_media_state(self, media: MediaState) -> None:
        await self._send_media(UpdateMediaState(action="update_media_state", media=media))

    async def set_preferred_layer(self, target: str | None, max_height: int | None) -> None:
        await self._send_media(
            SetPreferredLayer(action="set_preferred_layer", target=target, max_height=max_height),
            PREFERENCE_TRANSACTION,
        )

    async def send_chat(self, text: str, to: str | None) -> None:
        await self._send(
            ChatRequest(
                namespace="chat", payload=SendMessage(action="send_message", text=text, to=to)
            )
        )

    async def moderate(self, action: ModerationAction, transaction_id: str) -> None:
        await self._send(
            ModerationRequest(
                namespace="moderation",
                transaction_id=transaction_id,
                payload=action,
            )
        )

    async def link_figures(self) -> list[StreamFigures]:
        return await self._peers.link_figures()

    async def set_hand(self, raised: bool) -> None:
        payload = RaiseHand(action="raise_hand") if raised else LowerHand(action="lower_hand")
        await self._send(HandsRequest(namespace="raise_hands", payload=payload))

    async def react(self, reaction: Reaction) -> None:
        await self._send(
            ReactionRequest(namespace="reaction", payload=React(action="react", reaction=reaction))
        )

    async def leave(self) -> None:
        if self._left:
            await self._close_once()
            return
        self._left = True
        signaling = self._signaling
        if signaling is not None:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await signaling.send(CoreRequest(namespace="core", payload=Leave(action="leave")))
        if self._reader is not None:
            self._reader.cancel()
        await self._close_once()

    def _close_once(self) -> asyncio.Future[None]:
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._close_all())
        return self._closing

    async def _close_all(self) -> None:
        await self._peers.close_all()
        if self._signaling is not None:
            await self._signaling.close()

    async def _send_media(self, payload: object, transaction_id: str | None = None) -> None:
        await self._send(
            MediaRequest(namespace="media", transaction_id=transaction_id, payload=payload)  # type: ignore[arg-type]
        )

    async def _send(self, request: ClientMessage) -> None:
        if self._signaling is None:
            raise ConnectionError("not connected to the meeting")
        await self._signaling.send(request)

    async def _read_loop(self) -> None:
        assert self._signaling is not None
        ended = events.MeetingEnded(
            "the connection to the meeting host was lost", connection_lost=True
        )
        try:
            while True:
                message = await self._signaling.receive()
                if message is None:
                    break
                end = await self._dispatch(message)
                if end is not None:
                    ended = end
                    break
        except asyncio.CancelledError:
            return
        except Exception:
            # Whatever broke the reading, the meeting must not go on silently without it.
            logger.warning("reading from the meeting host failed", exc_info=True)
        await self._end(ended)

    def _media_died(self, reason: str) -> None:
        """The media stopped while the signaling looked alive: a lost connection all the same."""
        if self._left or self._losing is not None:
            return
        if self._reader is not None:
            self._reader.cancel()
        lost = events.MeetingEnded(
            f"the connection to the meeting host was lost ({reason})", connection_lost=True
        )
        self._losing = asyncio.ensure_future(self._end(lost))

    async def _end(self, ended: events.MeetingEnded) -> None:
        """Close everything without saying goodbye (the host keeps our place), then report."""
        if self._left:
            return
        self._left = True
        closing = self._close_once()
        if not ended.connection_lost:
            # Ended, removed: say so at once; closing peer connections can take seconds.
            self._emit(ended)
        # Shielded: a leave() or the loop's shutdown must not cut the closing short.
        await asyncio.shield(closing)
        if ended.connection_lost:
            self._emit(ended)

    async def _dispatch(self, message: ServerMessage) -> events.MeetingEnded | None:
        """Handle one server message; returns how the meeting ended, when it did."""
        match message:
            case CoreNotice():
                return await self._dispatch_core(message)
            case ModerationNotice():
                event = moderation_event(message)
                if isinstance(event, events.MeetingEnded):
                    return event
                if isinstance(event, events.ScreenShareStopped):
                    # the host already ended the stream: close our side without unpublishing
                    await self._peers.forget_publication(MediaSessionType.SCREEN)
                if event is not None:
                    self._emit(event)
            case MediaNotice():
                await self._dispatch_media(message.payload)
            case ChatNotice(payload=ChatMessage() as chat):
                self._emit(events.ChatReceived(_entry(chat)))
            case ChatNotice(payload=ChatHistory() as history):
                for chat in history.messages:
                    self._emit(events.ChatReceived(_entry(chat), history=True))
            case ChatNotice():
                raise AssertionError("every chat message is handled above")
            case HandsNotice(payload=HandsChanged(queue=queue)):
                self._emit(events.HandsChanged(tuple(queue)))
            case ReactionNotice(payload=Reacted(participant_id=who, reaction=reaction)):
                self._emit(events.ReactionReceived(who, reaction))
            case _:
                assert_never(message)
        return None

    async def _dispatch_core(self, message: CoreNotice) -> events.MeetingEnded | None:
        payload = message.payload
        match payload:
            case ParticipantJoined():
                self._emit(events.ParticipantJoined(payload.participant))
            case ParticipantLeft():
                await self._peers.drop_subscriptions_of(payload.participant_id)
                self._emit(events.ParticipantLeft(payload.participant_id, payload.reason))
            case MeetingEnded():
                return events.MeetingEnded(_ENDED_REASONS[payload.reason])
            case Error(code=ErrorCode.MEDIA_TIMEOUT):
                # Joining again would fail the same way: say why, and do not retry.
                logger.warning("the host gave up our seat: %s", payload.text)
                return events.MeetingEnded(MEDIA_TIMEOUT_TEXT, connection_lost=True, retry=False)
            case Error(code=ErrorCode.UNKNOWN_TARGET) if (
                message.transaction_id == PREFERENCE_TRANSACTION
            ):
                # a tile's size for someone who left meanwhile: nothing to tell the user
                logger.info("a layer preference came too late: %s", payload.text)
            case Error():
                logger.warning("the server refused a request: %s (%s)", payload.text, payload.code)
                if not self._peers.refuse_pending_publish(message.transaction_id, payload.text):
                    self._emit(
                        events.ServerError(payload.code.value, payload.text, message.transaction_id)
                    )
            case JoinSuccess():
                logger.warning("ignoring a second join_success from the server")
            case _:
                assert_never(payload)
        return None

    async def _dispatch_media(
        self, payload: SubscribeOffer | PublishAnswer | StreamEnded | MediaStateChanged
    ) -> None:
        match payload:
            case SubscribeOffer():
                await self._peers.subscribe(payload)
            case PublishAnswer():
                self._peers.answered(payload)
            case StreamEnded():
                await self._peers.stream_ended(payload)
            case MediaStateChanged():
                self._emit(events.MediaStateChanged(payload.participant_id, payload.media))
            case _:
                assert_never(payload)


def _entry(message: ChatMessage) -> events.ChatEntry:
    return events.ChatEntry(
        id=message.id,
        sender_id=message.sender,
        sender_name=message.sender_name,
        text=message.text,
        sent_at=message.sent_at,
        to_id=message.to,
        to_name=message.to_name,
    )
