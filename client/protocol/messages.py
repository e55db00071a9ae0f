"""The signaling schema: every message a client or the server may send, as pydantic models.

The envelope follows OpenTalk's signaling: a client sends
``{"namespace", "transaction_id"?, "payload": {"action", ...}}`` and the server answers
``{"namespace", "transaction_id"?, "timestamp", "payload": {"message", ...}}``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, SecretStr, StringConstraints, field_serializer, model_validator

from client.protocol.common import NAME_CHARACTERS_TEXT as NAME_CHARACTERS_TEXT  # re-exported
from client.protocol.common import (
    ChosenName,
    DisplayName,
    Identifier,
    Sdp,
    TransactionId,
    _now,
    _Strict,
)
from client.protocol.common import ErrorCode as ErrorCode  # re-exported: part of the schema
from client.protocol.moderation import ModerationNotice, ModerationRequest, Role
from client.protocol.modules import (
    ChatNotice,
    ChatRequest,
    HandsNotice,
    HandsRequest,
    Module,
    ReactionNotice,
    ReactionRequest,
)

ResumeToken = Annotated[SecretStr, Field(min_length=1, max_length=128)]


class MediaSessionType(StrEnum):
    """Which of a participant's streams a media message is about."""

    VIDEO = "video"
    SCREEN = "screen"


# ---- shared value objects -------------------------------------------------------------


class MediaState(_Strict):
    audio: bool
    video: bool
    # The camera is on, but its pictures are held back: the sender's connection is too thin
    # for video (its bandwidth estimate fell under the floor); sound goes on.
    video_paused: bool = False


class ParticipantInfo(_Strict):
    id: Identifier
    display_name: DisplayName
    media: MediaState
    publishing: list[MediaSessionType] = Field(default_factory=list, max_length=4)
    role: Role = Role.PARTICIPANT


# ---- client -> server: core -----------------------------------------------------------


class Join(_Strict):
    action: Literal["join"]
    protocol_version: int
    room: Identifier
    # SecretStr keeps the room secret out of reprs and therefore out of logs.
    secret: Annotated[SecretStr, Field(min_length=1, max_length=128)]
    display_name: ChosenName
    media: MediaState = MediaState(audio=True, video=True)
    # From an earlier join_success of this meeting: the host takes this participant's place
    # over (same id, private chat kept) instead of seating a stranger next to a ghost.
    resume_token: ResumeToken | None = None
    # From a moderator link (m=): join as a moderator.
    moderator_secret: ResumeToken | None = None
    # Only with the moderator secret: a connection that moderates without being seated
    # (``runde moderate``); nobody is told it came, and it gets no media.
    moderation_only: bool = False

    @field_serializer("secret", "resume_token", "moderator_secret", when_used="json")
    def _reveal_secrets_on_the_wire(self, secret: SecretStr | None) -> str | None:
        return secret.get_secret_value() if secret is not None else None


class Leave(_Strict):
    action: Literal["leave"]


CoreAction = Annotated[Join | Leave, Field(discriminator="action")]


# ---- client -> server: media ----------------------------------------------------------


MAX_VIDEO_LAYERS = 3


class VideoLayer(_Strict):
    """One quality of a layered camera: which video section of the offer carries it, and the
    size its pictures have at most."""

    mid: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,32}$")]
    width: Annotated[int, Field(ge=16, le=8192)]
    height: Annotated[int, Field(ge=16, le=8192)]


class Publish(_Strict):
    """Offer to send a stream to the SFU; the server replies with ``sdp_answer``.

    ``layers`` (a camera sent in up to three qualities, one video section each) names the
    video sections by their ``a=mid``; without it the offer has at most one video section.
    """

    action: Literal["publish"]
    media_session_type: MediaSessionType
    sdp: Sdp
    layers: Annotated[list[VideoLayer], Field(min_length=2, max_length=MAX_VIDEO_LAYERS)] | None = (
        None
    )

    @model_validator(mode="after")
    def _layers_differ(self) -> Publish:
        if self.layers is None:
            return self
        if self.media_session_type is not MediaSessionType.VIDEO:
            raise ValueError("only the camera (media_session_type video) may be sent in layers")
        if len({layer.mid for layer in self.layers}) < len(self.layers):
            raise ValueError("two layers name the same mid")
        if len({layer.height for layer in self.layers}) < len(self.layers):
            raise ValueError("two layers have the same height")
        return self


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


class SetPreferredLayer(_Strict):
    """The tallest picture this client wants of ``target``'s camera (omitted: of everyone's);
    ``max_height`` null or omitted lifts the limit, 0 asks for no video at all (a hidden
    tile; sound goes on). The SFU forwards the best layer that fits."""

    action: Literal["set_preferred_layer"]
    target: Identifier | None = None
    max_height: Annotated[int, Field(ge=0, le=8192)] | None = None


MediaAction = Annotated[
    Publish | Unpublish | SubscribeAnswer | UpdateMediaState | RequestKeyframe | SetPreferredLayer,
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


ClientMessage = Annotated[
    CoreRequest | MediaRequest | ChatRequest | HandsRequest | ReactionRequest | ModerationRequest,
    Field(discriminator="namespace"),
]
CLIENT_NAMESPACES = {
    "core": CoreRequest,
    "media": MediaRequest,
    "chat": ChatRequest,
    "raise_hands": HandsRequest,
    "reaction": ReactionRequest,
    "moderation": ModerationRequest,
}


# ---- server -> client: core -----------------------------------------------------------


class JoinSuccess(_Strict):
    message: Literal["join_success"]
    protocol_version: int
    participant_id: Identifier
    participants: list[ParticipantInfo]
    # The modules this host offers; the chat history and raised hands follow in their own
    # namespaces right after this message.
    modules: list[Module] = Field(default_factory=list, max_length=16)
    # Join again with this after a lost connection to keep the same place in the meeting.
    resume_token: ResumeToken
    role: Role = Role.PARTICIPANT

    @field_serializer("resume_token", when_used="json")
    def _reveal_token_on_the_wire(self, token: SecretStr) -> str:
        return token.get_secret_value()


class ParticipantJoined(_Strict):
    message: Literal["participant_joined"]
    participant: ParticipantInfo


class ParticipantLeft(_Strict):
    message: Literal["participant_left"]
    participant_id: Identifier
    reason: Literal["left", "disconnected", "timeout", "removed"]


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


ServerMessage = Annotated[
    CoreNotice | MediaNotice | ChatNotice | HandsNotice | ReactionNotice | ModerationNotice,
    Field(discriminator="namespace"),
]
