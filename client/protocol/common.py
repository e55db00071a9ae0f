"""Value types every namespace of the signaling schema shares."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

# Bounds keep a hostile peer from making the server hold large strings per participant.
DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
TransactionId = Annotated[str, StringConstraints(max_length=64)]
Sdp = Annotated[str, StringConstraints(min_length=1, max_length=32_000)]


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
    RATE_LIMITED = "rate_limited"
    FORBIDDEN = "forbidden"
    MEETING_LOCKED = "meeting_locked"
    MICROPHONE_LOCKED = "microphone_locked"
    MEDIA_TIMEOUT = "media_timeout"


class _Strict(BaseModel):
    # Unknown fields are refused so that typos and injected keys surface as errors.
    model_config = ConfigDict(extra="forbid", frozen=True)


def _now() -> datetime:
    return datetime.now(UTC)
