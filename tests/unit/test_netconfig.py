"""Network settings: no server is contacted unless configured, and bad settings are named."""

from __future__ import annotations

import asyncio

import aioice.ice
import pytest
from aiortc import RTCPeerConnection

from client.netconfig import (
    IceServerSetting,
    NetworkSettings,
    NetworkSettingsError,
    apply_bind_addresses,
)


async def ice_connection_of(settings: NetworkSettings) -> aioice.ice.Connection:
    pc = RTCPeerConnection(settings.rtc_configuration())
    pc.addTransceiver("audio")
    await pc.setLocalDescription(await pc.createOffer())
    connection = pc.getTransceivers()[0].sender.transport.transport.iceGatherer._connection
    await pc.close()
    return connection


def test_no_stun_or_turn_server_unless_configured() -> None:
    connection = asyncio.run(ice_connection_of(NetworkSettings(bind_addresses=("127.0.0.1",))))
    assert connection.stun_server is None
    assert connection.turn_server is None


def test_configured_turn_server_is_used() -> None:
    settings = NetworkSettings(
        bind_addresses=("127.0.0.1",),
        ice_servers=(IceServerSetting("turn:127.0.0.1:3478?transport=tcp", "user", "password"),),
    )
    config = settings.rtc_configuration()
    assert config.iceServers is not None
    assert [s.urls for s in config.iceServers] == ["turn:127.0.0.1:3478?transport=tcp"]
    assert "password" not in repr(settings)


def test_bind_addresses_limit_host_candidates() -> None:
    apply_bind_addresses(["127.0.0.1"])
    try:
        assert aioice.ice.get_host_addresses(use_ipv4=True, use_ipv6=True) == ["127.0.0.1"]
    finally:
        apply_bind_addresses([])
    assert "127.0.0.1" not in aioice.ice.get_host_addresses(use_ipv4=True, use_ipv6=False)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: NetworkSettings(bind_addresses=("eth0",)), "'eth0' is not an IP address"),
        (lambda: IceServerSetting("http://x"), "must start with one of"),
        (lambda: IceServerSetting("turn:x:3478"), "needs a user and password"),
    ],
)
def test_bad_settings_are_named(make: object, words: str) -> None:
    with pytest.raises(NetworkSettingsError, match=words):
        make()  # type: ignore[operator]
