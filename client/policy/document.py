"""The policy an administrator writes, as one strictly validated schema for file and registry."""

from __future__ import annotations

import ipaddress
import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_HOST_LABELS = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
    r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"
)
_ICE_SCHEMES = ("stun:", "stuns:", "turn:", "turns:")


def _check_host(text: str, what: str) -> str:
    """A host name or IP address, lower-cased; ``*.`` in front allows every sub-domain."""
    name = text.strip().lower()
    bare = name.removeprefix("*.")
    try:
        ipaddress.ip_address(bare.strip("[]"))
        if bare == name:
            return bare.strip("[]")
    except ValueError:
        if _HOST_LABELS.match(bare):
            return name
    raise ValueError(f"{what} {text[:80]!r} is not a host name or IP address")


class PolicyDocument(BaseModel):
    """Every key is optional; an absent key leaves the user's choice (or the default) alone.

    Unknown keys and wrong types are errors, never ignored: a policy Runde does not fully
    understand must not silently unlock what the administrator meant to lock.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    default_server: str | None = None
    allowed_link_hosts: list[str] | None = None
    hosting_allowed: bool = True
    screen_sharing_allowed: bool = True
    ice_servers: list[str] = Field(default_factory=list)
    turn_username: str | None = None
    turn_credential: str | None = Field(default=None, repr=False)
    proxy: str | None = None
    camera_on_at_join: bool | None = None
    microphone_on_at_join: bool | None = None
    language: Literal["de", "en"] | None = None
    display_name_source: Literal["user", "account"] = "user"
    # the camera's background effect, always on and not to be changed
    background_effect: Literal["blur", "blur-strong"] | None = None
    # False: the user cannot put their own picture behind them (blur and shipped ones remain)
    own_background_pictures_allowed: bool = True

    @field_validator("default_server")
    @classmethod
    def _server(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.startswith("*."):
            raise ValueError("default_server must name one host, without '*.'")
        return _check_host(value, "default_server")

    @field_validator("allowed_link_hosts")
    @classmethod
    def _hosts(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        return [_check_host(host, "allowed_link_hosts entry") for host in value]

    @field_validator("ice_servers")
    @classmethod
    def _ice(cls, value: list[str]) -> list[str]:
        for url in value:
            if not url.startswith(_ICE_SCHEMES):
                raise ValueError(
                    f"ICE server {url[:80]!r} must start with one of {', '.join(_ICE_SCHEMES)}"
                )
        return value

    @field_validator("proxy")
    @classmethod
    def _proxy(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"proxy {value[:80]!r} must be http://HOST:PORT or https://HOST:PORT")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise ValueError(f"proxy {value[:80]!r} must not have a path, query or fragment")
        try:
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            raise ValueError(f"proxy {value[:80]!r} has a port that is not a number") from None
        return value

    @model_validator(mode="after")
    def _turn_login(self) -> PolicyDocument:
        if any(url.startswith("turn") for url in self.ice_servers) and not (
            self.turn_username and self.turn_credential
        ):
            raise ValueError("a turn: or turns: server needs turn_username and turn_credential")
        return self


POLICY_KEYS: tuple[str, ...] = tuple(PolicyDocument.model_fields)
