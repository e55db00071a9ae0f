"""The signaling schema: every message a client or the server may send, as pydantic models.

The envelope follows OpenTalk's signaling: a client sends
``{"namespace", "transaction_id"?, "payload": {"action", ...}}`` and the server answers
``{"namespace", "transaction_id"?, "timestamp", "payload": {"message", ...}}``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, StringConstraints, field_serializer

# Bounds keep a hostile peer from making the server hold large strings per participant.
DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
TransactionId = Annotated[str, StringConstraints(max_length=64)]
Sdp = Annotated[str, StringConstraints(min_length=1, max_length=32_000)]


class MediaSessionType(StrEnum):
    """Which of a participant's streams a media message is about."""

    VIDEO = "video"
    SCREEN = "screen"


class ErrorCode(StrEnum):
    INVALID_JSON = "invalid_json"
    INVALID_MESSAGE = "invalid_message"
    UNKNOWN_NAMESPACE = "unknown_namespace"
    UNKNOWN_ACTION = "unknown_action"
    UNSUPPORTED_VERSION = "unsupported_version"
    NOT_JOINED = "not_joined"
    ALREADY_JOINED = "already_joined"
    JOIN_REFUSED = "join_refused"
    INVALID_SDP = "invalid_sdp"
    UNKNOWN_TARGET = "unknown_target"
    ROOM_FULL = "room_full"
    PRESENTER_BUSY = "presenter_busy"


class _Strict(BaseModel):
    # Unknown fields are refused so that typos and injected keys surface as errors.
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---- shared value objects -------------------------------------------------------------


class MediaState(_Strict):
    audio: bool
    video: bool


class ParticipantInfo(_Strict):
    id: Identifier
    display_name: DisplayName
    media: MediaState
    publishing: list[MediaSessionType] = Field(default_factory=list, max_length=4)


# ---- client -> server: core -----------------------------------------------------------


class Join(_Strict):
    action: Literal["join"]
    protocol_version: int
    room: Identifier
    # SecretStr keeps the room secret out of reprs and therefore out of logs.
    secret: Annotated[SecretStr, Field(min_length=1, max_length=128)]
    display_name: DisplayName
    media: MediaState = MediaState(audio=True, video=True)

    @field_serializer("secret", when_used="json")
    def _reveal_secret_on_the_wire(self, secret: SecretStr) -> str:
        return secret.get_secret_value()


class Leave(_Strict):
    action: Literal["leave"]


CoreAction = Annotated[Join | Leave, Field(discriminator="action")]


# ---- client -> server: media ----------------------------------------------------------


class Publish(_Strict):
    """Offer to send a stream to the SFU; the server replies with ``sdp_answer``."""

    action: Literal["publish"]
    media_session_type: MediaSessionType
    sdp: Sdp


class Unpublish(_Strict):
    action: Literal["unpublish"]
    media_session_type: MediaSessionType


class SubscribeAnswer(_Strict):
    """The answer to a server's ``sdp_offer`` for another participant's stream."""

    action: Literal["sdp_answer"]
    target: Identifier
    media_session_type: MediaSessionType
    sdp: Sdp


class UpdateMediaState(_Strict):
    """Mute or unmute: the server tells everyone else."""

    action: Literal["update_media_state"]
    media: MediaState


class RequestKeyframe(_Strict):
    action: Literal["request_keyframe"]
    target: Identifier
    media_session_type: MediaSessionType


MediaAction = Annotated[
    Publish | Unpublish | SubscribeAnswer | UpdateMediaState | RequestKeyframe,
    Field(discriminator="action"),
]


class CoreRequest(_Strict):
    namespace: Literal["core"]
    transaction_id: TransactionId | None = None
    payload: CoreAction


class MediaRequest(_Strict):
    namespace: Literal["media"]
    transaction_id: TransactionId | None = None
    payload: MediaAction


ClientMessage = Annotated[CoreRequest | MediaRequest, Field(discriminator="namespace")]
CLIENT_NAMESPACES = {"core": CoreRequest, "media": MediaRequest}


# ---- server -> client: core -----------------------------------------------------------


class JoinSuccess(_Strict):
    message: Literal["join_success"]
    protocol_version: int
    participant_id: Identifier
    participants: list[ParticipantInfo]


class ParticipantJoined(_Strict):
    message: Literal["participant_joined"]
    participant: ParticipantInfo


class ParticipantLeft(_Strict):
    message: Literal["participant_left"]
    participant_id: Identifier
    reason: Literal["left", "disconnected", "timeout"]


class MeetingEnded(_Strict):
    message: Literal["meeting_ended"]
    reason: Literal["host_ended", "server_shutdown"]


class Error(_Strict):
    message: Literal["error"]
    code: ErrorCode
    text: Annotated[str, StringConstraints(max_length=500)]


CoreEvent = Annotated[
    JoinSuccess | ParticipantJoined | ParticipantLeft | MeetingEnded | Error,
    Field(discriminator="message"),
]


# ---- server -> client: media ----------------------------------------------------------


class SubscribeOffer(_Strict):
    """The server offers another participant's stream; answer with ``sdp_answer``."""

    message: Literal["sdp_offer"]
    target: Identifier
    media_session_type: MediaSessionType
    sdp: Sdp


class PublishAnswer(_Strict):
    message: Literal["sdp_answer"]
    media_session_type: MediaSessionType
    sdp: Sdp


class StreamEnded(_Strict):
    message: Literal["stream_ended"]
    target: Identifier
    media_session_type: MediaSessionType


class MediaStateChanged(_Strict):
    message: Literal["media_state"]
    participant_id: Identifier
    media: MediaState


MediaEvent = Annotated[
    SubscribeOffer | PublishAnswer | StreamEnded | MediaStateChanged,
    Field(discriminator="message"),
]


def _now() -> datetime:
    return datetime.now(UTC)


class CoreNotice(_Strict):
    namespace: Literal["core"] = "core"
    transaction_id: TransactionId | None = None
    timestamp: datetime = Field(default_factory=_now)
    payload: CoreEvent


class MediaNotice(_Strict):
    namespace: Literal["media"] = "media"
    transaction_id: TransactionId | None = None
    timestamp: datetime = Field(default_factory=_now)
    payload: MediaEvent


ServerMessage = Annotated[CoreNotice | MediaNotice, Field(discriminator="namespace")]
