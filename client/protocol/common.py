"""Value types every namespace of the signaling schema shares."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

# Bounds keep a hostile peer from making the server hold large strings per participant.
DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
TransactionId = Annotated[str, StringConstraints(max_length=64)]
Sdp = Annotated[str, StringConstraints(min_length=1, max_length=32_000)]


# Control characters (C0 with newline, ESC and NUL; DEL; C1), line separators and the
# bidirectional embedding/override/isolate characters: a name with them can forge log lines,
# drive a terminal, or show other people's text reversed ("gnp.exe").
_FORBIDDEN_IN_NAMES = frozenset(
    {
        *map(chr, range(0x00, 0x20)),
        *map(chr, range(0x7F, 0xA0)),
        "\u2028",
        "\u2029",
        *map(chr, range(0x202A, 0x202F)),
        *map(chr, range(0x2066, 0x206A)),
    }
)
NAME_CHARACTERS_TEXT = (
    "a display name may not contain control characters (such as a line break, ESC or NUL) "
    "or text-direction overrides"
)


def _printable_name(name: str) -> str:
    if not _FORBIDDEN_IN_NAMES.isdisjoint(name):
        raise ValueError(NAME_CHARACTERS_TEXT)
    return name


# A name someone chose (for themselves, or a moderator for them): shown to everyone, logged.
ChosenName = Annotated[DisplayName, AfterValidator(_printable_name)]


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
