"""Meeting links: create them for a hosted room and parse them strictly.

Two forms name the same meeting::

    runde://HOST:PORT/ROOM#k=SECRET&fp=FINGERPRINT
    https://HOST:PORT/r/ROOM#k=SECRET&fp=FINGERPRINT

The secret and the certificate fingerprint live in the fragment, which browsers and HTTP
clients never send in a request line, so neither ends up in a server or proxy log.
"""

from __future__ import annotations

import base64
import ipaddress
import re
import secrets
from dataclasses import dataclass, field, replace
from enum import StrEnum
from urllib.parse import urlsplit

MAX_LINK_LENGTH = 512
SECRET_BYTES = 24  # 192 bits: unguessable, and short enough to read out on the phone.
ROOM_BYTES = 9

_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
    r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"
)
_FINGERPRINT_CHARS = 43  # base64url of a SHA-256 digest, unpadded.


class LinkError(ValueError):
    """A link that cannot be used; the message says what is wrong with it."""


class LinkForm(StrEnum):
    RUNDE = "runde"
    HTTPS = "https"


def new_room_id() -> str:
    return secrets.token_urlsafe(ROOM_BYTES)


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def fingerprint_to_text(digest: bytes) -> str:
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def fingerprint_from_text(text: str) -> bytes:
    if len(text) != _FINGERPRINT_CHARS or not _TOKEN.match(text):
        raise LinkError("the certificate fingerprint (fp=) is not a SHA-256 fingerprint")
    return base64.urlsafe_b64decode(text + "=")


@dataclass(frozen=True)
class MeetingLink:
    host: str
    port: int
    room: str
    secret: str = field(repr=False)
    fingerprint: bytes = field(repr=False)
    # A moderator link carries a second secret (m=): who joins with it moderates.
    moderator_secret: str | None = field(default=None, repr=False)

    @property
    def moderates(self) -> bool:
        return self.moderator_secret is not None

    def for_participants(self) -> MeetingLink:
        """The same meeting without the moderator's secret: the link to invite with."""
        return replace(self, moderator_secret=None)

    @property
    def signaling_url(self) -> str:
        """The WebSocket URL; it carries neither the secret nor the fingerprint."""
        return f"wss://{self._netloc}/signaling"

    @property
    def _netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def to_text(self, form: LinkForm = LinkForm.HTTPS) -> str:
        fragment = f"k={self.secret}&fp={fingerprint_to_text(self.fingerprint)}"
        if self.moderator_secret is not None:
            fragment += f"&m={self.moderator_secret}"
        if form is LinkForm.RUNDE:
            return f"runde://{self._netloc}/{self.room}#{fragment}"
        return f"https://{self._netloc}/r/{self.room}#{fragment}"

    def redacted(self) -> str:
        """A form safe for logs: names the meeting, leaves out the secret."""
        return f"https://{self._netloc}/r/{self.room}#k=…"


def _check_host(host: str) -> str:
    if not host:
        raise LinkError("the link names no host")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if not _HOSTNAME.match(host):
        raise LinkError(f"the host {host[:64]!r} is not a valid host name or IP address")
    return host.lower()


def _parse_fragment(fragment: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for part in fragment.split("&"):
        key, sep, value = part.partition("=")
        if not sep:
            raise LinkError(f"the part {part[:16]!r} after '#' is not of the form key=value")
        if key in values:
            raise LinkError(f"the key {key!r} appears twice after '#'")
        if key not in ("k", "fp", "m"):
            raise LinkError(f"unknown key {key[:16]!r} after '#'; expected k, fp and m")
        values[key] = value
    return values


def parse_link(text: str) -> MeetingLink:
    """Parse a meeting link, raising :class:`LinkError` with a sentence that names the problem."""
    if not isinstance(text, str):
        raise LinkError("the link is not text")
    if len(text) > MAX_LINK_LENGTH:
        raise LinkError(f"the link is longer than {MAX_LINK_LENGTH} characters")
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        # Python hands argv bytes that are not UTF-8 over as these escapes.
        raise LinkError("the link is not valid UTF-8 text")
    if not text.isprintable() or any(ch.isspace() for ch in text):
        raise LinkError("the link contains spaces, line breaks or control characters")
    if not text.isascii():
        raise LinkError("the link contains characters outside ASCII")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise LinkError(f"the link is not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("runde", "https"):
        raise LinkError(f"unknown link scheme {scheme[:16]!r}; expected runde:// or https://")
    if parts.username is not None or parts.password is not None:
        raise LinkError("the link must not contain a user name or password")
    if port is None:
        raise LinkError("the link names no port")
    if port == 0:
        raise LinkError("the link's port 0 is not a valid port")
    host = _check_host(parts.hostname or "")
    if parts.query:
        raise LinkError("the link must not contain a query ('?...')")
    path = parts.path
    prefix = "/" if scheme == "runde" else "/r/"
    if not path.startswith(prefix):
        raise LinkError(f"the link's path must be {prefix}ROOM")
    room = path[len(prefix) :]
    if not room or len(room) > 64 or not _TOKEN.match(room):
        raise LinkError("the link names no valid meeting room")
    if not parts.fragment:
        raise LinkError("the link has no meeting secret and fingerprint after '#'")
    fragment = _parse_fragment(parts.fragment)
    secret = fragment.get("k", "")
    if "k" not in fragment:
        raise LinkError("the link has no meeting secret (k=)")
    if len(secret) < 22 or len(secret) > 128 or not _TOKEN.match(secret):
        raise LinkError("the meeting secret (k=) is malformed or too short to be safe")
    if "fp" not in fragment:
        raise LinkError("the link has no certificate fingerprint (fp=)")
    fingerprint = fingerprint_from_text(fragment["fp"])
    moderator_secret = fragment.get("m")
    if moderator_secret is not None and (
        len(moderator_secret) < 22
        or len(moderator_secret) > 128
        or not _TOKEN.match(moderator_secret)
    ):
        raise LinkError("the moderator secret (m=) is malformed or too short to be safe")
    return MeetingLink(
        host=host,
        port=port,
        room=room,
        secret=secret,
        fingerprint=fingerprint,
        moderator_secret=moderator_secret,
    )
