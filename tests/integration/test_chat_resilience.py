"""Chat under a cut connection and under a flood: nothing lost, nothing twice, nobody else hurt.

Participants run in this process against a real headless host; a TCP relay on 127.0.0.1
stands between one of them and the host, so its signaling connection can be cut for real.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections.abc import Awaitable, Callable

import aiohttp
import pytest

from client.call.events import SessionState
from client.headless import HeadlessParticipant
from client.media.sources import open_audio_source, open_video_source
from client.netconfig import NetworkSettings, apply_bind_addresses
from client.protocol import PROTOCOL_VERSION
from client.protocol.link import MeetingLink, parse_link
from tests.helpers import LOOPBACK, HostProcess, until

NETWORK = NetworkSettings(bind_addresses=(LOOPBACK,))


@pytest.fixture(autouse=True)
def loopback_ice() -> None:
    apply_bind_addresses([LOOPBACK])


class TcpRelay:
    """Forwards 127.0.0.1:port to the host; :meth:`cut` drops every open connection."""

    def __init__(self, target: tuple[str, int]) -> None:
        self._target = target
        self._writers: list[asyncio.StreamWriter] = []
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, LOOPBACK, 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*self._target)
        self._writers += [writer, upstream_writer]

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pump(reader, upstream_writer), pump(upstream_reader, writer))

    def cut(self) -> None:
        for writer in self._writers:
            writer.transport.abort()  # a reset, as when a network goes away
        self._writers.clear()

    async def stop(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


def participant(link: MeetingLink, name: str) -> HeadlessParticipant:
    sources = [open_audio_source("sine"), open_video_source("testsrc")]
    return HeadlessParticipant(link, name, NETWORK, [s for s in sources if s], time.monotonic())


def texts(who: HeadlessParticipant) -> list[str]:
    return [entry.text for entry in who.stats.chat]


def video_from(receiver: HeadlessParticipant, sender: HeadlessParticipant) -> int:
    counts = receiver.stats.counts.get(sender.session.participant_id or "")
    return counts.video_frames if counts else 0


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(scenario(), 90))  # type: ignore[arg-type]


def test_a_participant_whose_connection_is_cut_has_every_message_exactly_once(
    host: HostProcess,
) -> None:
    link = parse_link(host.link)

    async def scenario() -> None:
        relay = TcpRelay((link.host, link.port))
        await relay.start()
        anna, bernd = participant(link, "Anna"), participant(link, "Bernd")
        clara = participant(dataclasses.replace(link, port=relay.port), "Clara")
        everyone = (anna, bernd, clara)
        try:
            for who in everyone:
                await who.join()
            await until(lambda: len(clara.session.participants) == 2, 10, "all three in")
            clara_id = clara.session.participant_id
            assert clara_id is not None
            await anna.session.send_chat("eins")
            await bernd.session.send_chat("privat an Clara", clara_id)
            # (generous: three joins and their media share two cores with the rest of the suite)
            await until(lambda: texts(clara) == ["eins", "privat an Clara"], 15, "two messages")
            await until(lambda: video_from(clara, anna) > 5, 10, "Anna's video at Clara")

            relay.cut()
            await until(
                lambda: clara.session.state is SessionState.RECONNECTING, 5, "Clara notices"
            )
            await anna.session.send_chat("zwei, während Clara weg ist")
            await until(lambda: clara.session.state is SessionState.JOINED, 20, "Clara is back")
            await until(lambda: len(texts(clara)) == 3, 5, "the missed message")
            await anna.session.send_chat("drei")
            await until(lambda: len(texts(clara)) == 4, 5, "the next message")
            assert texts(clara) == [
                "eins",
                "privat an Clara",
                "zwei, während Clara weg ist",
                "drei",
            ]
            assert clara.session.participant_id == clara_id, "the same place in the meeting"
            # Anna's own copy comes back on her connection; it may arrive after Clara's.
            await until(lambda: len(texts(anna)) == 3, 5, "Anna's own copy")
            assert texts(anna) == ["eins", "zwei, während Clara weg ist", "drei"]
            assert [e.text for e in clara.session.snapshot().chat] == texts(clara)
            seen = video_from(clara, anna)
            await until(lambda: video_from(clara, anna) > seen + 10, 10, "video again")
            await until(lambda: clara_id in anna.session.participants, 5, "Anna sees Clara")
            assert clara.end is None
        finally:
            for who in everyone:
                await who.leave()
            await relay.stop()

    run(scenario)


def _frame(namespace: str, payload: dict[str, object]) -> str:
    return json.dumps({"namespace": namespace, "payload": payload})


def test_a_chat_flood_is_refused_to_the_flooder_while_the_others_go_on(
    host: HostProcess,
) -> None:
    link = parse_link(host.link)

    async def scenario() -> None:
        anna, bernd = participant(link, "Anna"), participant(link, "Bernd")
        try:
            await anna.join()
            await bernd.join()
            await until(lambda: video_from(anna, bernd) > 5, 10, "video flows")
            async with aiohttp.ClientSession() as http:
                ws = await http.ws_connect(
                    link.signaling_url, ssl=aiohttp.Fingerprint(link.fingerprint)
                )
                await ws.send_str(
                    _frame(
                        "core",
                        {
                            "action": "join",
                            "protocol_version": PROTOCOL_VERSION,
                            "room": link.room,
                            "secret": link.secret,
                            "display_name": "Flooder",
                        },
                    )
                )
                video_before = video_from(anna, bernd)
                started = time.monotonic()
                for number in range(100):
                    await ws.send_str(
                        _frame("chat", {"action": "send_message", "text": f"flood {number}"})
                    )
                flood_seconds = time.monotonic() - started
                await ws.send_str(_frame("chat", {"action": "send_message", "text": "x" * 4001}))
                echoed, refused, too_long = 0, 0, ""
                deadline = time.monotonic() + 3
                while time.monotonic() < deadline:
                    try:
                        message = await ws.receive_json(timeout=0.5)
                    except TimeoutError:
                        continue
                    payload = message["payload"]
                    if payload.get("message") == "chat_message":
                        echoed += 1
                    elif payload.get("code") == "rate_limited":
                        refused += 1
                    elif payload.get("code") == "invalid_message":
                        too_long = payload["text"]
                assert flood_seconds < 1.0
                assert 1 <= echoed <= 12, echoed
                assert refused == 100 - echoed, "every refused message is answered"
                assert "text" in too_long and "4000" in too_long, too_long
                assert not ws.closed, "the flooder is refused, not thrown out"
                await asyncio.sleep(1.0)
                await ws.send_str(_frame("chat", {"action": "send_message", "text": "noch da"}))
                await until(lambda: "noch da" in texts(anna), 5, "a later message arrives")
                await ws.close()
            flood = [t for t in texts(bernd) if t.startswith("flood")]
            assert len(flood) == echoed
            assert texts(bernd)[-1] == "noch da"
            await until(lambda: video_from(anna, bernd) > video_before + 30, 10, "media goes on")
            assert anna.end is None and bernd.end is None
        finally:
            await anna.leave()
            await bernd.leave()

    run(scenario)


def test_a_version_1_client_is_refused_with_a_sentence_not_seated(host: HostProcess) -> None:
    link = parse_link(host.link)

    async def scenario() -> None:
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(
                link.signaling_url, ssl=aiohttp.Fingerprint(link.fingerprint)
            )
            join = {
                "action": "join",
                "protocol_version": 1,
                "room": link.room,
                "secret": link.secret,
                "display_name": "Alt",
            }
            await ws.send_str(_frame("core", join))
            reply = await ws.receive_json(timeout=5)
            assert reply["payload"]["code"] == "unsupported_version"
            speaks = f"this server speaks version {PROTOCOL_VERSION}"
            assert reply["payload"]["text"] == f"protocol version 1 is not supported; {speaks}"
            await ws.send_str(_frame("chat", {"action": "send_message", "text": "hallo"}))
            refused = await ws.receive_json(timeout=5)
            assert refused["payload"]["code"] == "not_joined"
            await ws.close()

    run(scenario)
