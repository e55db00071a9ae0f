"""What a meeting backend reports to its session, as plain immutable objects."""

from __future__ import annotations

from dataclasses import dataclass

from aiortc import MediaStreamTrack

from client.protocol.messages import MediaSessionType, MediaState, ParticipantInfo


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
class ServerError:
    """The server refused a request; the meeting goes on."""

    code: str
    text: str


@dataclass(frozen=True)
class MeetingEnded:
    """The meeting is over for us: ``reason`` is a sentence for the user."""

    reason: str
    connection_lost: bool = False


MeetingEvent = (
    ParticipantJoined
    | ParticipantLeft
    | MediaStateChanged
    | RemoteTrackAdded
    | RemoteStreamEnded
    | ServerError
    | MeetingEnded
)
