"""Malformed publish offers and subscription answers against a live host while a meeting goes on.

Each one gets `error invalid_sdp` with a sentence; the sender's connection stays open and a
correct offer works afterwards; the host logs no unhandled error; and the two real
participants' received frame counts keep rising throughout.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription

from client.protocol import PROTOCOL_VERSION
from client.protocol.link import MeetingLink, parse_link
from tests.helpers import HostProcess, finish, read_stats, start_host, start_participant, wait_for
from tests.hostile_sdp import CHROMIUM_OFFER, HOSTILE_OFFERS, HOSTILE_SIMULCAST_OFFERS

REFUSED_CODECS = ("G722", "PCMU", "PCMA", "VP9", "AV1", "red", "ulpfec")


@dataclass
class Meeting:
    host: HostProcess
    link: MeetingLink
    stats: dict[str, Path]
    participants: list[subprocess.Popen[str]]
    host_log: list[str] = field(default_factory=list)

    def frames(self) -> dict[str, int]:
        """Video frames each participant decoded from the other so far."""
        counts = {}
        for name, path in self.stats.items():
            try:
                remotes = read_stats(path)["remotes"]
                counts[name] = sum(r["video_frames"] for r in remotes.values())
            except (FileNotFoundError, ValueError, KeyError):
                counts[name] = 0
        return counts

    def media_keeps_flowing(self) -> None:
        before = self.frames()
        assert self.host.process.poll() is None, "the host process died"
        assert wait_for(lambda: all(self.frames()[n] > before[n] + 5 for n in before), 5), (
            f"media stalled: {before} -> {self.frames()}"
        )


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Meeting]:
    folder = tmp_path_factory.mktemp("hostile-offers")
    host = start_host(log_level="warning")
    stats = {name: folder / f"{name}.json" for name in ("Anna", "Bernd")}
    participants = [
        start_participant(host.link, name, path, 600.0, "--stats-every", "0.3")
        for name, path in stats.items()
    ]
    result = Meeting(host, parse_link(host.link), stats, participants)
    # Generous: the machine may be busy with other tests while the participants start.
    assert wait_for(lambda: min(result.frames().values()) > 10, 40), result.frames()
    yield result
    for process in participants:
        process.send_signal(signal.SIGTERM)
        finish(process)
    log = host.stop()
    # Every bad SDP was handled, none escaped to aiohttp or broke a peer connection's cleanup.
    for symptom in ("Error handling request", "Traceback", "closing a peer connection failed"):
        assert symptom not in log, log


class Attacker:
    """A participant on a raw WebSocket that sends what it likes."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.notices: list[dict[str, Any]] = []  # replies not awaited yet

    async def send(self, namespace: str, payload: dict[str, Any], transaction: str) -> None:
        frame = {"namespace": namespace, "transaction_id": transaction, "payload": payload}
        await self.ws.send_str(json.dumps(frame))

    async def reply(self, matches: Any, within: float = 10.0) -> dict[str, Any]:
        """The first message (kept or new) for which ``matches(message)`` holds."""
        for kept in self.notices:
            if matches(kept):
                self.notices.remove(kept)
                return kept
        async with asyncio.timeout(within):
            while True:
                received = await self.ws.receive()
                assert received.type == aiohttp.WSMsgType.TEXT, (
                    f"the connection ended: {received.type.name} {self.ws.close_code}"
                )
                message: dict[str, Any] = json.loads(received.data)
                if matches(message):
                    return message
                self.notices.append(message)

    async def refused(self, transaction: str) -> dict[str, Any]:
        reply = await self.reply(lambda m: m.get("transaction_id") == transaction)
        payload: dict[str, Any] = reply["payload"]
        assert payload["message"] == "error", payload
        return payload


async def _join(session: aiohttp.ClientSession, link: MeetingLink) -> Attacker:
    ws = await session.ws_connect(
        link.signaling_url, ssl=aiohttp.Fingerprint(link.fingerprint), max_msg_size=0
    )
    attacker = Attacker(ws)
    join = {
        "action": "join",
        "protocol_version": PROTOCOL_VERSION,
        "room": link.room,
        "secret": link.secret,
        "display_name": "Mallory",
    }
    await attacker.send("core", join, "join")
    joined = await attacker.reply(lambda m: m["payload"].get("message") == "join_success")
    assert joined["payload"]["message"] == "join_success"
    return attacker


def _publish(sdp: str) -> dict[str, Any]:
    return {"action": "publish", "media_session_type": "video", "sdp": sdp}


def test_every_hostile_offer_gets_invalid_sdp_and_a_good_one_works_after(
    meeting: Meeting,
) -> None:
    async def scenario() -> None:
        async with aiohttp.ClientSession() as session:
            attacker = await _join(session, meeting.link)
            hostile = HOSTILE_OFFERS + HOSTILE_SIMULCAST_OFFERS
            batches = [hostile[i::3] for i in range(3)]
            for batch_number, batch in enumerate(batches):
                for name, offer, words in batch:
                    transaction = f"publish-{batch_number}-{name}".replace(" ", "-")[:64]
                    await attacker.send("media", _publish(offer), transaction)
                    refusal = await attacker.refused(transaction)
                    assert refusal["code"] == "invalid_sdp", (name, refusal)
                    assert words in refusal["text"], (name, refusal)
                    assert "\n" not in refusal["text"]
                await asyncio.to_thread(meeting.media_keeps_flowing)
            # Still connected and still able to publish: a browser's offer is answered, with
            # only the codecs the meeting forwards.
            await attacker.send("media", _publish(CHROMIUM_OFFER), "publish-good")
            answer = await attacker.reply(
                lambda m: (
                    m["payload"].get("message") in ("sdp_answer", "error")
                    and "target" not in m["payload"]
                )
            )
            assert answer["payload"]["message"] == "sdp_answer", answer
            for refused in REFUSED_CODECS:
                assert f" {refused}/" not in answer["payload"]["sdp"], refused
            await attacker.send(
                "media", {"action": "unpublish", "media_session_type": "video"}, "u"
            )
            await attacker.ws.close()

    asyncio.run(scenario())
    meeting.media_keeps_flowing()


async def _answer(offer: str) -> str:
    pc = RTCPeerConnection()
    try:
        await pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        return str(pc.localDescription.sdp)
    finally:
        await pc.close()


def test_hostile_subscription_answers_get_invalid_sdp(meeting: Meeting) -> None:
    bad_answers: list[tuple[str, Callable[[str], str], str]] = [
        ("inactive", lambda a: a.replace("a=recvonly", "a=inactive"), "inactive"),
        ("md5", lambda a: a.replace("a=fingerprint:sha-256", "a=fingerprint:md5"), "sha-256"),
        (
            "not this offer's mids",
            lambda a: a.replace("a=mid:0", "a=mid:9").replace("BUNDLE 0 1", "BUNDLE 9 1"),
            "could not be used",
        ),
    ]

    async def scenario() -> None:
        async with aiohttp.ClientSession() as session:
            for name, change, words in bad_answers:
                # A fresh participant each time: the refused subscription is gone for good.
                attacker = await _join(session, meeting.link)
                offer = await attacker.reply(lambda m: m["payload"].get("message") == "sdp_offer")
                bad = change(await _answer(offer["payload"]["sdp"]))
                answer = {
                    "action": "sdp_answer",
                    "target": offer["payload"]["target"],
                    "media_session_type": offer["payload"]["media_session_type"],
                    "sdp": bad,
                }
                transaction = f"answer-{name}".replace(" ", "-")
                await attacker.send("media", answer, transaction)
                refusal = await attacker.refused(transaction)
                assert refusal["code"] == "invalid_sdp", (name, refusal)
                assert words in refusal["text"], (name, refusal)
                # The same connection goes on: its offer is answered.
                await attacker.send("media", _publish(CHROMIUM_OFFER), "publish-good")
                published = await attacker.reply(
                    lambda m: (
                        m["payload"].get("message") in ("sdp_answer", "error")
                        and "target" not in m["payload"]
                    )
                )
                assert published["payload"]["message"] == "sdp_answer", published
                await attacker.ws.close()

    asyncio.run(scenario())
    meeting.media_keeps_flowing()
