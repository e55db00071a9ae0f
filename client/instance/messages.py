"""The one-line JSON protocol between a starting Runde and the one already running.

Versioned so that an older running app refuses a newer request plainly instead of misreading
it. Checked by hand rather than with the pydantic schema of the meeting protocol: the
starting side runs before anything else loads, and pydantic alone would add a tenth of a
second to every link click. Nothing here imports Qt.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

PROTOCOL_VERSION = 1
MAX_LINE_BYTES = 8192  # a link is at most 512 characters; anything larger is not ours
MAX_LINK_CHARS = 4096  # the link itself is checked by parse_link after this
MAX_ERROR_CHARS = 1000


class HandoffError(ValueError):
    """A message on the instance socket that cannot be used."""


@dataclass(frozen=True)
class OpenRequest:
    """Show the app; with a link, open the pre-join for it (or join at once)."""

    link: str | None = None
    prejoin: bool = True


@dataclass(frozen=True)
class Reply:
    ok: bool
    error: str = ""


def encode(message: OpenRequest | Reply) -> bytes:
    fields: dict[str, Any] = {"v": PROTOCOL_VERSION}
    if isinstance(message, OpenRequest):
        fields["action"] = "open"
    fields.update(asdict(message))
    return json.dumps(fields).encode("utf-8") + b"\n"


def _fields(line: bytes, allowed: dict[str, tuple[type, ...]]) -> dict[str, Any]:
    if len(line) > MAX_LINE_BYTES:
        raise HandoffError(f"the message is longer than {MAX_LINE_BYTES} bytes")
    try:
        value = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HandoffError(f"the message is not JSON text ({exc})") from None
    if not isinstance(value, dict):
        raise HandoffError("the message is not a JSON object")
    version = value.pop("v", None)
    if version != PROTOCOL_VERSION or isinstance(version, bool):
        raise HandoffError(
            f"protocol version {version!r} is not supported (this Runde speaks {PROTOCOL_VERSION})"
        )
    for key, item in value.items():
        if key not in allowed:
            raise HandoffError(f"the message is malformed: unknown field {key[:32]!r}")
        if not isinstance(item, allowed[key]):
            raise HandoffError(f"the message is malformed: {key!r} has the wrong type")
    return value


def decode_request(line: bytes) -> OpenRequest:
    value = _fields(line, {"action": (str,), "link": (str, type(None)), "prejoin": (bool,)})
    if value.pop("action", None) != "open":
        raise HandoffError("the message is malformed: the only action is 'open'")
    link = value.get("link")
    if link is not None and len(link) > MAX_LINK_CHARS:
        raise HandoffError(f"the message is malformed: the link is over {MAX_LINK_CHARS} chars")
    return OpenRequest(**value)


def decode_reply(line: bytes) -> Reply:
    value = _fields(line, {"ok": (bool,), "error": (str,)})
    if "ok" not in value:
        raise HandoffError("the reply is malformed: it lacks 'ok'")
    return Reply(ok=value["ok"], error=value.get("error", "")[:MAX_ERROR_CHARS])
