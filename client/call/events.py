"""What happens in a meeting, as plain immutable objects: the one vocabulary of the client.

A backend reports these to the meeting core (:mod:`client.call.session`), the core passes
them on to its listeners (the window's controller, the headless participant), adding
:class:`StateChanged`. Handlers dispatch with ``match`` and ``assert_never``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from aiortc import MediaStreamTrack

from client.protocol.messages import MediaSessionType, MediaState, ParticipantInfo
from client.protocol.moderation import Role
from client.protocol.modules import Reaction


class SessionState(StrEnum):
    IDLE = "idle"
    JOINING = "joining"
    WAITING = "waiting"  # in the waiting room, until a moderator lets us in
    JOINED = "joined"
    RECONNECTING = "reconnecting"
    ENDED = "ended"
    FAILED = "failed"


@dataclass(frozen=True)
class ChatEntry:
    """One chat message; ``to_id`` is None for a message to the whole room."""

    id: int
    sender_id: str
    sender_name: str
    text: str
    sent_at: datetime
    to_id: str | None = None
    to_name: str | None = None

    @property
    def private(self) -> bool:
        return self.to_id is not None


@dataclass(frozen=True)
class StateChanged:
    """The core's connection state; ``reason`` is a sentence for the user (may be empty)."""

    state: SessionState
    reason: str = ""


@dataclass(frozen=True)
class ParticipantJoined:
    participant: ParticipantInfo


@dataclass(frozen=True)
class ParticipantLeft:
    participant_id: str
    reason: str


@dataclass(frozen=True)
class MediaStateChanged:
    participant_id: str
    media: MediaState


@dataclass(frozen=True)
class RemoteTrackAdded:
    participant_id: str
    session_type: MediaSessionType
    track: MediaStreamTrack


@dataclass(frozen=True)
class RemoteStreamEnded:
    participant_id: str
    session_type: MediaSessionType


@dataclass(frozen=True)
class ChatReceived:
    """A message arrived; ``history`` marks one that was said before we (re)joined."""

    entry: ChatEntry
    history: bool = False


@dataclass(frozen=True)
class HandsChanged:
    """The raised hands, in the order they went up."""

    queue: tuple[str, ...]


@dataclass(frozen=True)
class ReactionReceived:
    participant_id: str
    reaction: Reaction


@dataclass(frozen=True)
class ScreenShareStopped:
    """Our screen share ended without being asked to (the connection was lost)."""

    reason: str


@dataclass(frozen=True)
class Waiting:
    """We are in the waiting room: nothing of the meeting reaches us until we are let in."""


@dataclass(frozen=True)
class MutedByModerator:
    """Our microphone is off by a moderator's word (or unmuting was refused: ``refused``)."""

    refused: bool = False


@dataclass(frozen=True)
class CameraOffRequested:
    """A moderator asks us to turn the camera off (it is our choice)."""


@dataclass(frozen=True)
class MeetingRulesChanged:
    locked: bool
    waiting_room: bool
    microphones_locked: bool
    microphone_allowed: tuple[str, ...]


@dataclass(frozen=True)
class WaitingListChanged:
    """For moderators: who waits, as (id, name), in arrival order."""

    waiting: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class RoleChanged:
    participant_id: str
    role: Role


@dataclass(frozen=True)
class ParticipantRenamed:
    participant_id: str
    display_name: str


@dataclass(frozen=True)
class LinkRenewed:
    """For moderators: the participant link's new secret."""

    secret: str


@dataclass(frozen=True)
class ModerationDone:
    """A moderation action we asked for was carried out."""

    action: str
    transaction_id: str | None


@dataclass(frozen=True)
class ServerError:
    """The server refused a request; the meeting goes on."""

    code: str
    text: str
    transaction_id: str | None = None


@dataclass(frozen=True)
class OwnVideoPaused:
    """Our camera's pictures are held back (``paused``) because the connection is too thin
    for video, or go out again (see :mod:`client.call.video_floor`)."""

    paused: bool


@dataclass(frozen=True)
class MeetingEnded:
    """The meeting is over for us: ``reason`` is a sentence for the user."""

    reason: str
    connection_lost: bool = False
    removed: bool = False  # a moderator removed us
    retry: bool = True  # False: reconnecting would end the same way (e.g. media cannot flow)


MeetingEvent = (
    StateChanged
    | ParticipantJoined
    | ParticipantLeft
    | MediaStateChanged
    | RemoteTrackAdded
    | RemoteStreamEnded
    | ChatReceived
    | HandsChanged
    | ReactionReceived
    | ScreenShareStopped
    | Waiting
    | MutedByModerator
    | CameraOffRequested
    | MeetingRulesChanged
    | WaitingListChanged
    | RoleChanged
    | ParticipantRenamed
    | LinkRenewed
    | ModerationDone
    | ServerError
    | OwnVideoPaused
    | MeetingEnded
)
