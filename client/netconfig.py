"""Network settings shared by the SFU and the client: where ICE gathers, which STUN/TURN to use."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiortc import RTCBundlePolicy, RTCConfiguration, RTCIceServer

from client import compat

logger = logging.getLogger(__name__)

_ICE_SCHEMES = ("stun:", "stuns:", "turn:", "turns:")


class NetworkSettingsError(ValueError):
    """A network setting that cannot be used; the message names it."""


@dataclass(frozen=True)
class IceServerSetting:
    url: str
    username: str | None = None
    credential: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.url.startswith(_ICE_SCHEMES):
            raise NetworkSettingsError(
                f"ICE server {self.url[:64]!r} must start with one of {', '.join(_ICE_SCHEMES)}"
            )
        if self.url.startswith("turn") and (not self.username or not self.credential):
            raise NetworkSettingsError(f"TURN server {self.url[:64]!r} needs a user and password")


@dataclass(frozen=True)
class NetworkSettings:
    """``bind_addresses`` empty means every non-loopback interface (aioice's default)."""

    bind_addresses: tuple[str, ...] = ()
    ice_servers: tuple[IceServerSetting, ...] = ()
    # http(s)://HOST:PORT the signaling connection goes through (administrator policy)
    signaling_proxy: str | None = None

    def __post_init__(self) -> None:
        for address in self.bind_addresses:
            try:
                ipaddress.ip_address(address)
            except ValueError:
                raise NetworkSettingsError(f"--bind {address!r} is not an IP address") from None

    def rtc_configuration(self) -> RTCConfiguration:
        # An explicit (possibly empty) list: aiortc would otherwise add a public STUN server,
        # and Runde never contacts a server nobody configured.
        servers = [
            RTCIceServer(urls=s.url, username=s.username, credential=s.credential)
            for s in self.ice_servers
        ]
        return RTCConfiguration(iceServers=servers, bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)


def apply_bind_addresses(addresses: Sequence[str]) -> None:
    """Make ICE in this process gather host candidates only on ``addresses``.

    aioice has no per-connection setting and leaves 127.0.0.1 out, so the module-level
    lookup is replaced; an empty sequence restores aioice's own choice.
    """
    chosen = list(addresses)
    if not chosen:
        compat.set_host_addresses(None)
        return

    def fixed_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
        return [
            a
            for a in chosen
            if (use_ipv4 and ipaddress.ip_address(a).version == 4)
            or (use_ipv6 and ipaddress.ip_address(a).version == 6)
        ]

    compat.set_host_addresses(fixed_addresses)
    logger.info("ICE gathers host candidates on %s", ", ".join(chosen))
