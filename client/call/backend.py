"""The interface a media server backend offers the meeting session.

The embedded SFU is one backend; another media server (Janus VideoRoom) plugs in by
implementing the same methods and reporting the same events.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from aiortc import MediaStreamTrack

from client.call.events import MeetingEvent
from client.call.link_report import StreamFigures
from client.protocol.messages import MediaSessionType, MediaState, ParticipantInfo
from client.protocol.moderation import ModerationAction, Role
from client.protocol.modules import Module, Reaction

EventSink = Callable[[MeetingEvent], None]


class JoinError(Exception):
    """Joining failed; the message is one sentence for the user that names the problem.

    ``code`` is the host's error code when the host refused (e.g. ``forbidden``).
    """

    def __init__(self, text: str, code: str | None = None) -> None:
        super().__init__(text)
        self.code = code


class PublishError(Exception):
    """The server refused a stream (e.g. someone else already shares their screen).

    The message is one sentence for the user that names the problem.
    """


class ModuleUnavailable(Exception):
    """The meeting's server does not offer this module (chat, hands, reactions)."""


@dataclass(frozen=True)
class JoinResult:
    participant_id: str
    participants: list[ParticipantInfo]
    modules: frozenset[Module] = frozenset()
    # Join again with this after a lost connection to keep our place (None: not offered).
    resume_token: str | None = None
    role: Role = Role.PARTICIPANT


class MeetingBackend(ABC):
    """Connects to one meeting and carries this participant's media to and from it."""

    @abstractmethod
    async def join(
        self, display_name: str, media: MediaState, resume_token: str | None = None
    ) -> JoinResult:
        """Connect and enter the meeting; raises :class:`JoinError`.

        With the ``resume_token`` of an earlier join, the meeting keeps our place.
        """

    @abstractmethod
    async def publish(
        self, session_type: MediaSessionType, tracks: Sequence[MediaStreamTrack]
    ) -> None:
        """Start sending ``tracks`` (at most one audio and one video) as one stream.

        A ``SCREEN`` stream is encoded for readability (sharp text, low frame rate). Raises
        :class:`PublishError` when the server refuses the stream.
        """

    @abstractmethod
    async def unpublish(self, session_type: MediaSessionType) -> None: ...

    @abstractmethod
    async def set_media_state(self, media: MediaState) -> None:
        """Tell the others whether our microphone and camera are on."""

    @abstractmethod
    async def leave(self) -> None:
        """Leave the meeting and release every connection; safe to call twice."""

    # The meeting modules; a server without them leaves these as they are.

    async def send_chat(self, text: str, to: str | None) -> None:
        """Send a chat message to the room, or privately to participant ``to``."""
        raise ModuleUnavailable("this meeting's server offers no chat")

    async def set_hand(self, raised: bool) -> None:
        raise ModuleUnavailable("this meeting's server offers no raised hands")

    async def set_preferred_layer(self, target: str | None, max_height: int | None) -> None:
        """Ask for camera pictures at most ``max_height`` tall from ``target`` (None: from
        everyone); a server that sends one quality of each camera ignores it."""
        return None

    async def link_figures(self) -> list[StreamFigures]:
        """What our streams go through on the network (diagnostics); [] when not known."""
        return []

    async def react(self, reaction: Reaction) -> None:
        raise ModuleUnavailable("this meeting's server offers no reactions")

    async def moderate(self, action: ModerationAction, transaction_id: str) -> None:
        """Ask the host to carry out a moderator's action (refused unless we moderate)."""
        raise ModuleUnavailable("this meeting's server offers no moderation")
