"""One meeting room: members, their media state, chat, raised hands and reactions.

The room does not forward media. It tells its :class:`MediaPlane` when someone comes or
goes, and the media plane (the embedded SFU, or another media server) does the rest.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from dataclasses import dataclass, field
from typing import Literal, Protocol

from client.conference.chat import ChatLog
from client.conference.hands import HandQueue
from client.conference.limits import TokenBucket
from client.protocol import PROTOCOL_VERSION
from client.protocol.common import ErrorCode
from client.protocol.messages import (
    CoreNotice,
    JoinSuccess,
    MediaNotice,
    MediaSessionType,
    MediaState,
    MediaStateChanged,
    MeetingEnded,
    ParticipantInfo,
    ParticipantJoined,
    ParticipantLeft,
)
from client.protocol.modules import (
    ChatHistory,
    ChatNotice,
    HandsChanged,
    HandsNotice,
    Module,
    Reacted,
    Reaction,
    ReactionNotice,
)

logger = logging.getLogger(__name__)

LeaveReason = Literal["left", "disconnected", "timeout"]
Notice = CoreNotice | MediaNotice | ChatNotice | HandsNotice | ReactionNotice

# Per participant: enough for a quick exchange, far below what would bother the others.
CHAT_RATE, CHAT_BURST = 2.0, 10.0
REACTION_RATE, REACTION_BURST = 2.0, 6.0
HAND_RATE, HAND_BURST = 1.0, 6.0


class Outbox(Protocol):
    """Where the room puts messages for one participant's connection."""

    def send(self, notice: Notice) -> None: ...

    def disconnect(self) -> None:
        """Close this connection: its participant's place was taken over by a reconnect."""


class RoomError(Exception):
    """A request the room refuses; the code and text go back to the participant."""

    def __init__(self, text: str, code: ErrorCode = ErrorCode.INVALID_MESSAGE) -> None:
        super().__init__(text)
        self.code = code


@dataclass(eq=False)
class Member:
    id: str
    display_name: str
    media: MediaState
    outbox: Outbox
    chat_limit: TokenBucket = field(default_factory=lambda: TokenBucket(CHAT_RATE, CHAT_BURST))
    reaction_limit: TokenBucket = field(
        default_factory=lambda: TokenBucket(REACTION_RATE, REACTION_BURST)
    )
    hand_limit: TokenBucket = field(default_factory=lambda: TokenBucket(HAND_RATE, HAND_BURST))


class MediaPlane(Protocol):
    """Carries the members' streams; the room calls it as they come and go."""

    def publishing(self, member_id: str) -> list[MediaSessionType]: ...

    async def admit(self, member: Member) -> None:
        """``member`` is in: offer it what the others publish."""

    async def release(self, member: Member) -> None:
        """``member`` is gone: end its streams and what it received."""


class ConferenceRoom:
    MODULES = (Module.CHAT, Module.RAISE_HANDS, Module.REACTION)

    def __init__(self, room_id: str, secret: str, max_participants: int = 50) -> None:
        self.id = room_id
        self._secret = secret.encode()
        self.max_participants = max_participants
        self.members: dict[str, Member] = {}
        self.media: MediaPlane | None = None
        self.chat = ChatLog()
        self.hands = HandQueue()
        # resume token -> the member id it takes over; dropped when that member leaves for good
        self._resume: dict[str, str] = {}
        self._lock = asyncio.Lock()

    def attach_media(self, media: MediaPlane) -> None:
        self.media = media

    def secret_matches(self, secret: str) -> bool:
        return hmac.compare_digest(self._secret, secret.encode())

    def others(self, member: Member) -> list[Member]:
        return [m for m in self.members.values() if m is not member]

    def info(self, member: Member) -> ParticipantInfo:
        return ParticipantInfo(
            id=member.id,
            display_name=member.display_name,
            media=member.media,
            publishing=self.media.publishing(member.id) if self.media else [],
        )

    # ---- coming and going -------------------------------------------------------------

    async def join(
        self,
        display_name: str,
        media: MediaState,
        outbox: Outbox,
        resume_token: str | None = None,
    ) -> Member:
        async with self._lock:
            resumed_id = self._resume.get(resume_token) if resume_token else None
            seated = self.members.get(resumed_id) if resumed_id else None
            if resumed_id is None and len(self.members) >= self.max_participants:
                raise RoomError(
                    f"the meeting is full ({self.max_participants} participants)",
                    ErrorCode.ROOM_FULL,
                )
            if seated is not None:
                # The old connection has not noticed it is dead yet: this one takes its place.
                self.members.pop(seated.id)
                if self.media is not None:
                    await self.media.release(seated)
                seated.outbox.disconnect()
            member = Member(
                id=resumed_id or secrets.token_urlsafe(8),
                display_name=display_name,
                media=media,
                outbox=outbox,
            )
            if resume_token and resumed_id:
                del self._resume[resume_token]
            token = secrets.token_urlsafe(24)
            self._resume[token] = member.id
            existing = list(self.members.values())
            self.members[member.id] = member
            outbox.send(
                CoreNotice(
                    payload=JoinSuccess(
                        message="join_success",
                        protocol_version=PROTOCOL_VERSION,
                        participant_id=member.id,
                        participants=[self.info(m) for m in existing],
                        modules=list(self.MODULES),
                        resume_token=token,  # type: ignore[arg-type]
                    )
                )
            )
            for other in existing:
                if seated is None:
                    notice: Notice = CoreNotice(
                        payload=ParticipantJoined(
                            message="participant_joined", participant=self.info(member)
                        )
                    )
                else:
                    notice = MediaNotice(
                        payload=MediaStateChanged(
                            message="media_state", participant_id=member.id, media=media
                        )
                    )
                other.outbox.send(notice)
            self._send_module_state(member)
        logger.info(
            "participant %s %s room %s", member.id, "rejoined" if resumed_id else "joined", self.id
        )
        if self.media is not None:
            await self.media.admit(member)
        return member

    def _send_module_state(self, member: Member) -> None:
        for chunk, complete in self.chat.history_chunks(member.id):
            member.outbox.send(
                ChatNotice(
                    payload=ChatHistory(message="chat_history", messages=chunk, complete=complete)
                )
            )
        member.outbox.send(
            HandsNotice(payload=HandsChanged(message="hands", queue=self.hands.queue))
        )

    async def leave(self, member: Member, reason: LeaveReason) -> None:
        if self.members.get(member.id) is not member:
            return  # already gone, or its place was taken over by a reconnect
        del self.members[member.id]
        if reason == "left":
            self._resume = {t: i for t, i in self._resume.items() if i != member.id}
        logger.info("participant %s left room %s (%s)", member.id, self.id, reason)
        if self.media is not None:
            await self.media.release(member)
        if self.members.get(member.id) is not None:
            return  # it came back while its streams were being ended
        for other in self.members.values():
            other.outbox.send(
                CoreNotice(
                    payload=ParticipantLeft(
                        message="participant_left", participant_id=member.id, reason=reason
                    )
                )
            )
        if self.hands.lower(member.id):
            self._broadcast_hands()

    async def end(self, reason: Literal["host_ended", "server_shutdown"]) -> None:
        """Tell everyone the meeting is over and release their media."""
        for member in list(self.members.values()):
            member.outbox.send(
                CoreNotice(payload=MeetingEnded(message="meeting_ended", reason=reason))
            )
        for member in list(self.members.values()):
            await self.leave(member, "left")

    # ---- what members do --------------------------------------------------------------

    def update_media_state(self, member: Member, media: MediaState) -> None:
        member.media = media
        for other in self.others(member):
            other.outbox.send(
                MediaNotice(
                    payload=MediaStateChanged(
                        message="media_state", participant_id=member.id, media=media
                    )
                )
            )

    def send_chat(self, member: Member, text: str, to: str | None) -> None:
        if not text.strip():
            raise RoomError("the message is empty")
        addressee = self.members.get(to) if to is not None else None
        if to is not None and (addressee is None or addressee is member):
            raise RoomError(
                "a private message needs another participant who is in the meeting",
                ErrorCode.UNKNOWN_TARGET,
            )
        if not member.chat_limit.take():
            raise RoomError(
                "you are sending messages too fast; this one was not sent, wait a moment",
                ErrorCode.RATE_LIMITED,
            )
        message = self.chat.add(
            (member.id, member.display_name),
            text,
            (addressee.id, addressee.display_name) if addressee is not None else None,
        )
        notice = ChatNotice(payload=message)
        for receiver in [member, addressee] if addressee else self.members.values():
            receiver.outbox.send(notice)

    def raise_hand(self, member: Member, raised: bool) -> None:
        if not member.hand_limit.take():
            raise RoomError(
                "you are raising and lowering your hand too fast", ErrorCode.RATE_LIMITED
            )
        changed = self.hands.raise_hand(member.id) if raised else self.hands.lower(member.id)
        if changed:
            self._broadcast_hands()

    def react(self, member: Member, reaction: Reaction) -> None:
        if not member.reaction_limit.take():
            raise RoomError("you are sending reactions too fast", ErrorCode.RATE_LIMITED)
        notice = ReactionNotice(
            payload=Reacted(message="reaction", participant_id=member.id, reaction=reaction)
        )
        for receiver in self.members.values():
            receiver.outbox.send(notice)

    def _broadcast_hands(self) -> None:
        notice = HandsNotice(payload=HandsChanged(message="hands", queue=self.hands.queue))
        for member in self.members.values():
            member.outbox.send(notice)
