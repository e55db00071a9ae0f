"""One meeting room: members, their media state, chat, raised hands and reactions.

The room does not forward media. It tells its :class:`MediaPlane` when someone comes or
goes, and the media plane (the embedded SFU, or another media server) does the rest.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from client.conference.chat import ChatLog
from client.conference.errors import RoomError as RoomError  # re-exported: the room's refusal
from client.conference.hands import HandQueue
from client.conference.limits import TokenBucket
from client.conference.modules import broadcast_hands, send_module_state
from client.protocol import PROTOCOL_VERSION
from client.protocol.common import ErrorCode
from client.protocol.link import SECRET_BYTES
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
from client.protocol.moderation import (
    Denied,
    MeetingSettings,
    ModerationNotice,
    Muted,
    Removed,
    Role,
    Waiting,
    WaitingList,
    WaitingPerson,
)
from client.protocol.modules import ChatNotice, HandsNotice, Module, ReactionNotice

logger = logging.getLogger(__name__)

LeaveReason = Literal["left", "disconnected", "timeout", "removed"]
Notice = CoreNotice | MediaNotice | ChatNotice | HandsNotice | ReactionNotice | ModerationNotice

# Per participant: enough for a quick exchange, far below what would bother the others.
CHAT_RATE, CHAT_BURST = 2.0, 10.0
REACTION_RATE, REACTION_BURST = 2.0, 6.0
HAND_RATE, HAND_BURST = 1.0, 6.0


class Outbox(Protocol):
    """Where the room puts messages for one participant's connection."""

    def send(self, notice: Notice) -> None: ...

    def disconnect(self) -> None:
        """Close this connection (taken over by a reconnect, removed, or denied)."""


@dataclass(eq=False)
class Member:
    id: str
    display_name: str
    media: MediaState
    outbox: Outbox
    role: Role = Role.PARTICIPANT
    # a ``runde moderate`` connection: moderates, is not seated, gets no media
    moderation_only: bool = False
    chat_limit: TokenBucket = field(default_factory=lambda: TokenBucket(CHAT_RATE, CHAT_BURST))
    reaction_limit: TokenBucket = field(
        default_factory=lambda: TokenBucket(REACTION_RATE, REACTION_BURST)
    )
    hand_limit: TokenBucket = field(default_factory=lambda: TokenBucket(HAND_RATE, HAND_BURST))


class SeatKeeper(Protocol):
    """Frees seats held by connections whose media never came (strangers filling the room)."""

    async def make_room(self, room: ConferenceRoom, moderator: bool) -> None:
        """Before a newcomer is seated: give up a stale seat, or raise RoomError to refuse."""


class MediaPlane(Protocol):
    """Carries the members' streams; the room calls it as they come and go."""

    def publishing(self, member_id: str) -> list[MediaSessionType]: ...

    def audio_allowed(self, member_id: str, allowed: bool) -> None:
        """Forward this member's sound only while the room says its microphone is on."""

    async def end_screen_share(self, member: Member) -> bool:
        """End this member's screen share (a moderator's decision); True when there was one."""

    async def admit(self, member: Member) -> None:
        """``member`` is in: offer it what the others publish."""

    async def release(self, member: Member) -> None:
        """``member`` is gone: end its streams and what it received."""


@dataclass
class MeetingRules:
    """What moderators decided for the meeting."""

    locked: bool = False
    waiting_room: bool = False
    microphones_locked: bool = False
    microphone_allowed: set[str] = field(default_factory=set)

    def notice(self) -> ModerationNotice:
        return ModerationNotice(
            payload=MeetingSettings(
                message="settings",
                locked=self.locked,
                waiting_room=self.waiting_room,
                microphones_locked=self.microphones_locked,
                microphone_allowed=sorted(self.microphone_allowed),
            )
        )


class ConferenceRoom:
    MODULES = (Module.CHAT, Module.RAISE_HANDS, Module.REACTION, Module.MODERATION)

    def __init__(
        self,
        room_id: str,
        secret: str,
        moderator_secret: str | None = None,
        max_participants: int = 50,
    ) -> None:
        self.id = room_id
        self._secret = secret
        self._moderator_secret = moderator_secret
        self.max_participants = max_participants
        self.members: dict[str, Member] = {}
        self.observers: dict[str, Member] = {}  # moderation-only connections
        self.waiting: dict[str, Member] = {}  # newcomers no moderator has let in yet
        self.rules = MeetingRules()
        self.media: MediaPlane | None = None
        self.chat = ChatLog()
        self.hands = HandQueue()
        # resume token -> (member id, role); dropped when that member leaves for good
        self._resume: dict[str, tuple[str, Role]] = {}
        self._revoked: set[str] = set()  # resume tokens of removed participants
        self._lock = asyncio.Lock()
        self.ended = False
        self.on_end: Callable[[], None] | None = None
        self.seat_keeper: SeatKeeper | None = None

    def attach_media(self, media: MediaPlane) -> None:
        self.media = media

    def secret_matches(self, secret: str) -> bool:
        return hmac.compare_digest(self._secret.encode(), secret.encode())

    def moderator_secret_matches(self, secret: str) -> bool:
        wanted = self._moderator_secret or secrets.token_urlsafe(24)  # never matches
        return hmac.compare_digest(wanted.encode(), secret.encode())

    def forget_resume_tokens(self, member_id: str) -> None:
        """``member_id`` cannot take its place back: its seat was given up for not using it."""
        self._resume = {t: v for t, v in self._resume.items() if v[0] != member_id}

    def renew_secret(self) -> str:
        """A new participant secret; the old link stops working, nobody inside is dropped."""
        self._secret = secrets.token_urlsafe(SECRET_BYTES)
        return self._secret

    def others(self, member: Member) -> list[Member]:
        return [m for m in self.members.values() if m is not member]

    def moderators(self) -> list[Member]:
        everyone = [*self.members.values(), *self.observers.values()]
        return [m for m in everyone if m.role is Role.MODERATOR]

    def seated(self, member: Member) -> bool:
        """In the meeting (or moderating it), not waiting and not gone."""
        return self.members.get(member.id) is member or self.observers.get(member.id) is member

    def tell_everyone(self, notice: Notice) -> None:
        for member in [*self.members.values(), *self.observers.values()]:
            member.outbox.send(notice)

    def info(self, member: Member) -> ParticipantInfo:
        return ParticipantInfo(
            id=member.id,
            display_name=member.display_name,
            media=member.media,
            publishing=self.media.publishing(member.id) if self.media else [],
            role=member.role,
        )

    # ---- coming and going -------------------------------------------------------------

    async def join(
        self,
        display_name: str,
        media: MediaState,
        outbox: Outbox,
        resume_token: str | None = None,
        moderator: bool = False,
        moderation_only: bool = False,
    ) -> Member:
        """Seat a newcomer, put them in the waiting room, or refuse them with a sentence."""
        if self.ended:
            raise RoomError("the meeting has ended", ErrorCode.JOIN_REFUSED)
        if moderation_only:
            if not moderator:
                raise RoomError("only a moderator link can moderate", ErrorCode.FORBIDDEN)
            return self._observe(display_name, outbox)
        async with self._lock:
            if resume_token is not None and resume_token in self._revoked:
                raise RoomError("a moderator removed you from this meeting", ErrorCode.FORBIDDEN)
            resumed = self._resume.pop(resume_token, None) if resume_token else None
            if resumed is None and not moderator and self.rules.locked:
                raise RoomError(
                    "the meeting is locked; a moderator can unlock it", ErrorCode.MEETING_LOCKED
                )
            if resumed is None and self.seat_keeper is not None:
                await self.seat_keeper.make_room(self, moderator)
            if resumed is None and len(self.members) >= self.max_participants:
                raise RoomError(
                    f"the meeting is full ({self.max_participants} participants)",
                    ErrorCode.ROOM_FULL,
                )
            role = Role.MODERATOR if moderator else resumed[1] if resumed else Role.PARTICIPANT
            member = Member(
                id=resumed[0] if resumed else secrets.token_urlsafe(8),
                display_name=display_name,
                media=media,
                outbox=outbox,
                role=role,
            )
            if resumed is None and role is Role.PARTICIPANT and self.rules.waiting_room:
                self.waiting[member.id] = member
                outbox.send(ModerationNotice(payload=Waiting(message="waiting")))
                self.tell_moderators_who_waits()
                logger.info("participant %s waits to enter room %s", member.id, self.id)
                return member
            await self._seat(member, resumed is not None)
        return member

    def _observe(self, display_name: str, outbox: Outbox) -> Member:
        member = Member(
            id=secrets.token_urlsafe(8),
            display_name=display_name,
            media=MediaState(audio=False, video=False),
            outbox=outbox,
            role=Role.MODERATOR,
            moderation_only=True,
        )
        self.observers[member.id] = member
        outbox.send(self._join_success(member, list(self.members.values())))
        outbox.send(self.rules.notice())
        self.tell_moderators_who_waits()
        return member

    def _join_success(self, member: Member, present: list[Member]) -> CoreNotice:
        token = secrets.token_urlsafe(24)
        if not member.moderation_only:
            self._resume[token] = (member.id, member.role)
        return CoreNotice(
            payload=JoinSuccess(
                message="join_success",
                protocol_version=PROTOCOL_VERSION,
                participant_id=member.id,
                participants=[self.info(m) for m in present],
                modules=list(self.MODULES),
                resume_token=token,  # type: ignore[arg-type]
                role=member.role,
            )
        )

    async def _seat(self, member: Member, returning: bool) -> None:
        """``member`` is in: tell them and the others, then hand them to the media plane."""
        seated = self.members.pop(member.id, None)
        if seated is not None:
            # The old connection has not noticed it is dead yet: this one takes its place.
            if self.media is not None:
                await self.media.release(seated)
            seated.outbox.disconnect()
        muted = member.media.audio and not self.may_unmute(member)
        if muted:
            member.media = member.media.model_copy(update={"audio": False})
        existing = list(self.members.values())
        self.members[member.id] = member
        member.outbox.send(self._join_success(member, existing))
        if muted:
            member.outbox.send(ModerationNotice(payload=Muted(message="muted")))
        for other in [*existing, *self.observers.values()]:
            other.outbox.send(
                CoreNotice(
                    payload=ParticipantJoined(
                        message="participant_joined", participant=self.info(member)
                    )
                )
                if seated is None
                else MediaNotice(
                    payload=MediaStateChanged(
                        message="media_state", participant_id=member.id, media=member.media
                    )
                )
            )
        send_module_state(self, member)
        logger.info(
            "participant %s %s room %s", member.id, "rejoined" if returning else "joined", self.id
        )
        if self.media is not None:
            self.media.audio_allowed(member.id, member.media.audio)
            await self.media.admit(member)

    async def admit(self, member: Member) -> None:
        if self.waiting.pop(member.id, None) is None:
            return
        self.tell_moderators_who_waits()
        await self._seat(member, False)

    def deny(self, member: Member) -> None:
        if self.waiting.pop(member.id, None) is None:
            return
        member.outbox.send(ModerationNotice(payload=Denied(message="denied")))
        member.outbox.disconnect()
        self.tell_moderators_who_waits()

    async def remove(self, member: Member) -> None:
        member.outbox.send(ModerationNotice(payload=Removed(message="removed")))
        await self.leave(member, "removed")
        member.outbox.disconnect()

    def tell_moderators_who_waits(self) -> None:
        notice = ModerationNotice(
            payload=WaitingList(
                message="waiting_list",
                waiting=[
                    WaitingPerson(id=m.id, display_name=m.display_name)
                    for m in self.waiting.values()
                ],
            )
        )
        for moderator in self.moderators():
            moderator.outbox.send(notice)

    async def leave(self, member: Member, reason: LeaveReason) -> None:
        if self.waiting.get(member.id) is member:
            del self.waiting[member.id]
            self.tell_moderators_who_waits()
            return
        if self.observers.pop(member.id, None) is not None:
            return
        if self.members.get(member.id) is not member:
            return  # already gone, or its place was taken over by a reconnect
        del self.members[member.id]
        if reason in ("left", "removed"):
            if reason == "removed":  # a removed participant's client may try to come back
                self._revoked |= {t for t, v in self._resume.items() if v[0] == member.id}
            self._resume = {t: v for t, v in self._resume.items() if v[0] != member.id}
        self.rules.microphone_allowed.discard(member.id)
        logger.info("participant %s left room %s (%s)", member.id, self.id, reason)
        if self.media is not None:
            await self.media.release(member)
        if self.members.get(member.id) is not None:
            return  # it came back while its streams were being ended
        self.tell_everyone(
            CoreNotice(
                payload=ParticipantLeft(
                    message="participant_left", participant_id=member.id, reason=reason
                )
            )
        )
        if self.hands.lower(member.id):
            broadcast_hands(self)

    async def end(self, reason: Literal["host_ended", "server_shutdown"]) -> None:
        """Tell everyone the meeting is over and release their media."""
        self.ended = True
        notice = CoreNotice(payload=MeetingEnded(message="meeting_ended", reason=reason))
        everyone = [*self.members.values(), *self.observers.values(), *self.waiting.values()]
        for member in everyone:
            member.outbox.send(notice)
        for member in everyone:
            await self.leave(member, "left")
        if self.on_end is not None:
            self.on_end()

    # ---- microphones -------------------------------------------------------------------

    def may_unmute(self, member: Member) -> bool:
        return (
            not self.rules.microphones_locked
            or member.role is Role.MODERATOR
            or member.id in self.rules.microphone_allowed
        )

    def update_media_state(self, member: Member, media: MediaState) -> None:
        if media.audio and not member.media.audio and not self.may_unmute(member):
            raise RoomError(
                "microphones are locked in this meeting; a moderator must allow you to speak",
                ErrorCode.MICROPHONE_LOCKED,
            )
        self._set_media(member, media)

    def mute(self, member: Member) -> None:
        """Turn a microphone off by a moderator's word (one already off stays as it is)."""
        if member.media.audio:
            member.outbox.send(ModerationNotice(payload=Muted(message="muted")))
            self._set_media(member, member.media.model_copy(update={"audio": False}))

    def _set_media(self, member: Member, media: MediaState) -> None:
        member.media = media
        if self.media is not None:
            self.media.audio_allowed(member.id, media.audio)
        notice = MediaNotice(
            payload=MediaStateChanged(message="media_state", participant_id=member.id, media=media)
        )
        for other in [*self.others(member), *self.observers.values()]:
            other.outbox.send(notice)
