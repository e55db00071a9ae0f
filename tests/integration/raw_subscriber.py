"""An aiortc peer that joins a Runde meeting over the signaling protocol and subscribes to the
first participant's camera and microphone, so a test can look at what reaches a subscriber
(RTCP, RTP, decoded frames) without a Runde client in between."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import aiohttp
from aiortc import (
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpTransceiver,
    RTCSessionDescription,
)

from client import compat
from client.protocol import PROTOCOL_VERSION
from client.protocol.link import MeetingLink


async def _send(ws: aiohttp.ClientWebSocketResponse, namespace: str, payload: Any) -> None:
    transaction = f"t{time.monotonic_ns()}"
    frame = {"namespace": namespace, "transaction_id": transaction, "payload": payload}
    await ws.send_str(json.dumps(frame))


async def _next_offer(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    async with asyncio.timeout(30):
        while True:
            received = await ws.receive()
            assert received.type == aiohttp.WSMsgType.TEXT, f"signaling ended: {received.type}"
            payload: dict[str, Any] = json.loads(received.data)["payload"]
            if payload.get("message") == "sdp_offer" and payload["media_session_type"] == "video":
                return payload


async def subscribe(
    link: MeetingLink, prepare: Callable[[RTCRtpTransceiver], None], seconds: float
) -> None:
    """Join as "Sven", answer the first camera/microphone offer, and stay ``seconds``.
    ``prepare`` sees each receiving transceiver before the answer goes out."""
    config = RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
    pc = RTCPeerConnection(config)
    compat.set_host_addresses(lambda use_ipv4, use_ipv6: ["127.0.0.1"] if use_ipv4 else [])
    try:
        async with aiohttp.ClientSession() as session:
            ws = await session.ws_connect(
                link.signaling_url, ssl=aiohttp.Fingerprint(link.fingerprint), max_msg_size=0
            )
            join = {"action": "join", "protocol_version": PROTOCOL_VERSION, "room": link.room,
                    "secret": link.secret, "display_name": "Sven"}  # fmt: skip
            await _send(ws, "core", join)
            offer = await _next_offer(ws)
            await pc.setRemoteDescription(RTCSessionDescription(sdp=offer["sdp"], type="offer"))
            for transceiver in pc.getTransceivers():
                prepare(transceiver)
            await pc.setLocalDescription(await pc.createAnswer())
            answer = {"action": "sdp_answer", "target": offer["target"],
                      "media_session_type": "video", "sdp": pc.localDescription.sdp}  # fmt: skip
            await _send(ws, "media", answer)
            await asyncio.sleep(seconds)
            await ws.close()
    finally:
        await pc.close()
        compat.set_host_addresses(None)
