"""Dead connections are noticed in both directions by the WebSocket heartbeat."""

from __future__ import annotations

import asyncio
import json
import signal
import time

import aiohttp

from client.call.signaling import SignalingClient
from client.netconfig import NetworkSettings
from client.protocol import PROTOCOL_VERSION
from client.protocol.link import parse_link
from client.sfu.server import ServerSettings, SfuServer
from tests.helpers import LOOPBACK, HostProcess


def join_frame(room: str, secret: str, name: str) -> str:
    payload = {
        "action": "join",
        "protocol_version": PROTOCOL_VERSION,
        "room": room,
        "secret": secret,
        "display_name": name,
    }
    return json.dumps({"namespace": "core", "payload": payload})


def test_server_drops_a_client_that_stops_answering_pings() -> None:
    async def scenario() -> None:
        server = SfuServer(
            ServerSettings(
                listen_host=LOOPBACK,
                network=NetworkSettings(bind_addresses=(LOOPBACK,)),
                heartbeat_seconds=0.5,
            )
        )
        await server.start()
        _, link = server.create_room()
        pin = aiohttp.Fingerprint(link.fingerprint)
        async with aiohttp.ClientSession() as session:
            # The observer answers pings; the frozen client does not.
            observer = await session.ws_connect(link.signaling_url, ssl=pin)
            frozen = await session.ws_connect(link.signaling_url, ssl=pin, autoping=False)
            await observer.send_str(join_frame(link.room, link.secret, "Observer"))
            welcome = [await observer.receive_json() for _ in range(4)]
            # join_success, then the chat history, the raised hands and the meeting's rules
            assert [m["namespace"] for m in welcome] == [
                "core",
                "chat",
                "raise_hands",
                "moderation",
            ]
            await frozen.send_str(join_frame(link.room, link.secret, "Frozen"))
            joined = await observer.receive_json(timeout=5)
            assert joined["payload"]["message"] == "participant_joined"
            started = time.monotonic()
            left = await observer.receive_json(timeout=5)
            assert left["payload"]["message"] == "participant_left"
            assert left["payload"]["reason"] == "timeout"
            assert time.monotonic() - started < 3.0
            await observer.close()
            await frozen.close()
        await server.stop()

    asyncio.run(scenario())


def test_client_notices_a_frozen_server(host: HostProcess) -> None:
    async def scenario() -> float:
        client = await SignalingClient.connect(parse_link(host.link), heartbeat=0.5)
        host.process.send_signal(signal.SIGSTOP)
        started = time.monotonic()
        try:
            message = await asyncio.wait_for(client.receive(), timeout=5)
        finally:
            host.process.send_signal(signal.SIGCONT)
            await client.close()
        assert message is None  # the connection is reported closed
        return time.monotonic() - started

    assert asyncio.run(scenario()) < 3.0
