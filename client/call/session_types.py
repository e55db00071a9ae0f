"""What the meeting core hands out: snapshots of the meeting, and its refusals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from aiortc import MediaStreamTrack

from client.call.events import ChatEntry, SessionState
from client.call.moderation_state import Rules
from client.protocol.messages import MediaSessionType, MediaState
from client.protocol.moderation import Role
from client.protocol.modules import Module


class ModerationRefused(Exception):
    """The host refused a moderator's action; the text names why.

    ``code`` is the host's error code (``None`` when the host did not answer at all).
    """

    def __init__(self, text: str, code: str | None = None) -> None:
        super().__init__(text)
        self.code = code


class ChatProblem(StrEnum):
    NOT_CONNECTED = "not_connected"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    ADDRESSEE_GONE = "addressee_gone"


class ChatError(ValueError):
    """A chat message that cannot be sent; the text names the problem.

    ``problem`` lets a window say it in the user's language.
    """

    def __init__(self, problem: ChatProblem, text: str) -> None:
        super().__init__(text)
        self.problem = problem


@dataclass(frozen=True)
class Participant:
    """Someone else in the meeting, as last heard."""

    id: str
    display_name: str
    media: MediaState
    hand_raised: bool = False
    role: Role = Role.PARTICIPANT


@dataclass(frozen=True)
class MeetingSnapshot:
    """The whole meeting at one moment; safe to hand to another thread."""

    state: SessionState
    participant_id: str | None
    participants: tuple[Participant, ...]
    chat: tuple[ChatEntry, ...]
    hands: tuple[str, ...]
    media: MediaState
    modules: frozenset[Module]
    sharing_screen: bool
    end_reason: str | None
    role: Role = Role.PARTICIPANT
    rules: Rules = field(default_factory=Rules)
    waiting: tuple[tuple[str, str], ...] = ()  # for moderators: (id, name) of who waits


@dataclass
class RemoteParticipant:
    """The core's own record of someone else (mutable, never leaves the media loop)."""

    id: str
    display_name: str
    media: MediaState
    tracks: dict[tuple[MediaSessionType, str], MediaStreamTrack] = field(default_factory=dict)

    def view(self, hands: Sequence[str], role: Role) -> Participant:
        return Participant(self.id, self.display_name, self.media, self.id in hands, role)
