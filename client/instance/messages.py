"""The one-line JSON protocol between a starting Runde and the one already running.

Versioned so that an older running app refuses a newer request plainly instead of misreading
it. Nothing here imports Qt: the messages are plain, validated data.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

PROTOCOL_VERSION: Literal[1] = 1
MAX_LINE_BYTES = 8192  # a link is at most 512 characters; anything larger is not ours


class HandoffError(ValueError):
    """A message on the instance socket that cannot be used."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OpenRequest(_Strict):
    """Show the app; with a link, open the pre-join for it (or join at once)."""

    v: Literal[1] = PROTOCOL_VERSION
    action: Literal["open"] = "open"
    link: str | None = Field(default=None, max_length=4096)
    prejoin: bool = True


class Reply(_Strict):
    v: Literal[1] = PROTOCOL_VERSION
    ok: bool
    error: str = Field(default="", max_length=1000)


def encode(message: OpenRequest | Reply) -> bytes:
    return message.model_dump_json().encode("utf-8") + b"\n"


def _decode_line(line: bytes) -> object:
    if len(line) > MAX_LINE_BYTES:
        raise HandoffError(f"the message is longer than {MAX_LINE_BYTES} bytes")
    try:
        value = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HandoffError(f"the message is not JSON text ({exc})") from None
    if not isinstance(value, dict):
        raise HandoffError("the message is not a JSON object")
    if value.get("v") != PROTOCOL_VERSION:
        raise HandoffError(
            f"protocol version {value.get('v')!r} is not supported (this Runde speaks "
            f"{PROTOCOL_VERSION})"
        )
    return value


def decode_request(line: bytes) -> OpenRequest:
    try:
        return OpenRequest.model_validate(_decode_line(line))
    except ValidationError as exc:
        raise HandoffError(f"the request is malformed: {exc.errors()[0]['msg']}") from None


def decode_reply(line: bytes) -> Reply:
    try:
        return Reply.model_validate(_decode_line(line))
    except ValidationError as exc:
        raise HandoffError(f"the reply is malformed: {exc.errors()[0]['msg']}") from None
