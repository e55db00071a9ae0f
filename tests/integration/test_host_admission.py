"""Strangers cannot take a real `runde host --headless` down (everything on 127.0.0.0/8).

Attackers use other loopback addresses (127.0.0.2 and up) than the real participants
(127.0.0.1), as they would come from other machines.
"""

from __future__ import annotations

import asyncio
import json
import resource
import select
import ssl
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from client.protocol import PROTOCOL_VERSION
from client.protocol.link import MeetingLink, parse_link
from client.sfu import join_throttle, seats
from tests.helpers import (
    LOOPBACK,
    HostProcess,
    finish,
    read_stats,
    runde_command,
    start_participant,
    until,
)

OPEN_FILES = 1024  # the usual default soft limit; hard too, as the host raises soft to hard
# More than the host's whole file table, however many descriptors it uses itself: without
# admission control this starves accept() (measured here: a real join timed out after 30 s).
SLOW_CLIENTS = 1100
ATTACKER_SOURCES = [f"127.0.0.{n}" for n in range(2, 22)]  # 20 addresses


@pytest.fixture(autouse=True, scope="module")
def enough_files_for_the_attackers() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < SLOW_CLIENTS + 200:
        pytest.fail(f"this test needs {SLOW_CLIENTS + 200} open files; the hard limit is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _limited_host(log: Path) -> HostProcess:
    """A host whose open-file limit is 1,024 (soft and hard); its log goes to ``log``."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES, OPEN_FILES))

    with log.open("w") as sink:
        process = subprocess.Popen(
            runde_command("--log-level", "info", "host", "--headless", "--bind", LOOPBACK),
            stdout=subprocess.PIPE,
            stderr=sink,
            text=True,
            preexec_fn=limit,
        )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 20.0)
    assert ready, f"the host printed no link: {log.read_text()[-2000:]}"
    link, moderator_link = process.stdout.readline().strip(), process.stdout.readline().strip()
    assert link, log.read_text()[-2000:]
    return HostProcess(process, link, moderator_link)


def _join_frame(link: MeetingLink, name: str, secret: str | None = None) -> str:
    payload = {
        "action": "join",
        "protocol_version": PROTOCOL_VERSION,
        "room": link.room,
        "secret": link.secret if secret is None else secret,
        "display_name": name,
    }
    return json.dumps({"namespace": "core", "payload": payload})


def _session(source: str) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(source, 0)))


async def _timed_join(link: MeetingLink, name: str, source: str = LOOPBACK) -> float:
    """Seconds from opening the connection to ``join_success``."""
    started = time.monotonic()
    async with (
        _session(source) as session,
        session.ws_connect(link.signaling_url, ssl=aiohttp.Fingerprint(link.fingerprint)) as ws,
    ):
        await ws.send_str(_join_frame(link, name))
        async with asyncio.timeout(30):
            async for message in ws:
                payload = json.loads(message.data)["payload"]
                assert payload["message"] != "error", payload
                if payload["message"] == "join_success":
                    return time.monotonic() - started
    raise AssertionError("the connection closed before join_success")


# ---- slow TLS clients ------------------------------------------------------------------


# One context for all: loading the system's CA list per connection takes longer than the test.
_NO_CHECK = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
_NO_CHECK.check_hostname, _NO_CHECK.verify_mode = False, ssl.CERT_NONE


@dataclass
class SlowClients:
    opened: int = 0  # TLS handshakes that finished
    failed: int = 0  # connections refused or handshakes that failed
    dropped: int = 0  # open connections the host closed
    open_now: int = 0
    most_open: int = 0


async def _slow_client(link: MeetingLink, source: str, stop: asyncio.Event, s: SlowClients) -> None:
    request = (
        f"GET /signaling HTTP/1.1\r\nHost: {link.host}:{link.port}\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
    ).encode() * 4  # never finished: no blank line, and one byte every half second
    while not stop.is_set():
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(
                    link.host,
                    link.port,
                    ssl=_NO_CHECK,
                    local_addr=(source, 0),
                    ssl_handshake_timeout=10,
                ),
                15,
            )
        except (OSError, TimeoutError, ssl.SSLError):
            s.failed += 1
            await asyncio.sleep(1.0)
            continue
        s.opened += 1
        s.open_now += 1
        s.most_open = max(s.most_open, s.open_now)
        try:
            for byte in request:
                if stop.is_set():
                    break
                writer.write(bytes([byte]))
                await writer.drain()
                try:
                    if not await asyncio.wait_for(reader.read(1024), 0.5):
                        s.dropped += 1
                        break
                except TimeoutError:
                    continue
        except (OSError, ssl.SSLError):
            s.dropped += 1
        finally:
            s.open_now -= 1
            writer.close()
        await asyncio.sleep(1.0)


def test_slow_tls_clients_cannot_fill_the_file_table(tmp_path: Path) -> None:
    log = tmp_path / "host.log"
    host = _limited_host(log)
    link = parse_link(host.link)
    clients = SlowClients()

    async def attack_and_join() -> tuple[list[float], subprocess.Popen[str]]:
        stop = asyncio.Event()
        attackers = [
            asyncio.ensure_future(
                _slow_client(link, ATTACKER_SOURCES[n % len(ATTACKER_SOURCES)], stop, clients)
            )
            for n in range(SLOW_CLIENTS)
        ]
        await asyncio.sleep(6.0)  # every attacker has tried; many hold a connection
        assert clients.opened >= 200, clients
        times = [await _timed_join(link, f"Real {n}") for n in range(3)]
        participant = start_participant(host.link, "Anna", tmp_path / "anna.json", 2.0)
        await asyncio.to_thread(participant.wait)  # the attack goes on while Anna is in
        stop.set()
        await asyncio.gather(*attackers, return_exceptions=True)
        return times, participant

    try:
        times, participant = asyncio.run(attack_and_join())
        code, err = finish(participant)
        assert code == 0, err[-2000:]
        assert read_stats(tmp_path / "anna.json")["errors"] == []
    finally:
        host.stop()
    print(f"\njoin under attack: {', '.join(f'{t:.2f} s' for t in times)}; {clients}")
    print(f"host log: {log.stat().st_size} bytes")
    # The issue asks for 2 s; a loaded 2-core test machine gets a generous margin.
    assert max(times) <= 5.0, times
    assert log.stat().st_size < 1_000_000
    assert clients.dropped > 0, clients  # the host did close strangers' connections
    assert "Too many open files" not in log.read_text()


# ---- signaling-only joins ----------------------------------------------------------------


@dataclass
class Ghost:
    replies: list[dict[str, Any]] = field(default_factory=list)
    closed: int | None = None

    def codes(self) -> list[str]:
        return [r["payload"].get("code") or r["payload"]["message"] for r in self.replies]


async def _ghost(
    link: MeetingLink, source: str, name: str, ghost: Ghost, stop: asyncio.Event
) -> None:
    """Joins and never answers an offer."""
    async with (
        _session(source) as session,
        session.ws_connect(link.signaling_url, ssl=aiohttp.Fingerprint(link.fingerprint)) as ws,
    ):
        await ws.send_str(_join_frame(link, name))
        while not stop.is_set():
            try:
                message = await ws.receive(timeout=0.5)
            except TimeoutError:
                continue
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            ghost.replies.append(json.loads(message.data))
        ghost.closed = ws.close_code


async def _publishing(link: MeetingLink, name: str) -> bool:
    async with (
        _session(LOOPBACK) as session,
        session.ws_connect(link.signaling_url, ssl=aiohttp.Fingerprint(link.fingerprint)) as ws,
    ):
        await ws.send_str(_join_frame(link, "Probe"))
        async for message in ws:
            payload = json.loads(message.data)["payload"]
            if payload["message"] == "join_success":
                return any(
                    p["display_name"] == name and p["publishing"] for p in payload["participants"]
                )
    return False


def test_signaling_only_joins_cannot_keep_people_out(host: HostProcess, tmp_path: Path) -> None:
    link = parse_link(host.link)
    anna = start_participant(host.link, "Anna", tmp_path / "anna.json", 45.0)
    ghosts = [Ghost() for _ in range(60)]

    async def scenario() -> subprocess.Popen[str]:
        deadline = time.monotonic() + 20
        while not await _publishing(link, "Anna"):
            assert time.monotonic() < deadline, "Anna never published"
            await asyncio.sleep(0.5)
        stop = asyncio.Event()
        tasks = [
            asyncio.ensure_future(_ghost(link, ATTACKER_SOURCES[n % 5], f"Ghost {n}", ghost, stop))
            for n, ghost in enumerate(ghosts)
        ]
        await asyncio.sleep(seats.GRACE + 0.5)
        bernd = start_participant(host.link, "Bernd", tmp_path / "bernd.json", 4.0)
        # Every ghost is told, within the seat deadline (and the join deadline for the
        # refused ones), with some margin for a busy machine.
        try:
            await until(
                lambda: all(g.closed is not None for g in ghosts),
                seats.SEAT_DEADLINE + 10,
                "every ghost's connection closed",
            )
        finally:
            stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        return bernd

    bernd = asyncio.run(scenario())
    code, err = finish(bernd)
    assert code == 0, err[-2000:]
    assert read_stats(tmp_path / "bernd.json")["remotes"]["Anna"]["video_frames"] > 0
    anna.terminate()
    finish(anna)
    outcomes = Counter("seated" if "join_success" in g.codes() else "refused" for g in ghosts)
    print(f"\nghosts: {dict(outcomes)}")
    assert outcomes["seated"] <= seats.UNCONNECTED_ALLOWANCE, outcomes
    for ghost in ghosts:
        errors = [r["payload"] for r in ghost.replies if r["payload"]["message"] == "error"]
        assert errors, ghost.replies
        if "join_success" in ghost.codes():
            assert errors[-1]["code"] == "media_timeout", errors
            assert errors[-1]["text"] in (seats.EXPIRED_TEXT, seats.DISPLACED_TEXT)
        else:
            assert errors[0] == {**errors[0], "code": "rate_limited", "text": seats.BUSY_TEXT}
        assert ghost.closed is not None, ghost.replies


# ---- secret guessing ------------------------------------------------------------------


async def _guesser(
    link: MeetingLink, source: str, stop: asyncio.Event, codes: Counter[str]
) -> None:
    """Guesses secrets as fast as the host answers, on one connection after another."""
    while not stop.is_set():
        try:
            async with (
                _session(source) as session,
                session.ws_connect(
                    link.signaling_url, ssl=aiohttp.Fingerprint(link.fingerprint)
                ) as ws,
            ):
                while not stop.is_set() and not ws.closed:
                    await ws.send_str(_join_frame(link, "Guesser", secret="wrong-" + "x" * 20))
                    codes["sent"] += 1
                    while not stop.is_set():
                        try:
                            message = await ws.receive(timeout=0.2)
                        except TimeoutError:
                            continue
                        if message.type == aiohttp.WSMsgType.TEXT:
                            codes[json.loads(message.data)["payload"]["code"]] += 1
                        break
                    if ws.closed:
                        break
        except (aiohttp.ClientError, ConnectionError, TimeoutError):
            pass
        await asyncio.sleep(0.1)


def test_secret_guessing_is_throttled_per_address(host: HostProcess) -> None:
    link = parse_link(host.link)
    codes: Counter[str] = Counter()
    guessing_for = 6.0

    async def scenario() -> tuple[float, float]:
        stop = asyncio.Event()
        tasks = [
            asyncio.ensure_future(_guesser(link, ATTACKER_SOURCES[0], stop, codes))
            for _ in range(20)
        ]
        await asyncio.sleep(guessing_for / 2)
        joined_in = await _timed_join(link, "Anna")  # another address is not slowed down
        # Nor is a right secret from the guessing address itself (a colleague behind the
        # same NAT): only refusals wait for their turn.
        same_source_in = await _timed_join(link, "Bernd", source=ATTACKER_SOURCES[0])
        await asyncio.sleep(guessing_for / 2)
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        return joined_in, same_source_in

    joined_in, same_source_in = asyncio.run(scenario())
    answered = codes["join_refused"]
    print(
        f"\n20 guessing connections from one address, {guessing_for:.0f} s: {codes['sent']} "
        f"guesses sent, {answered} answered ({answered / guessing_for:.1f}/s); "
        f"a real join from another address took {joined_in:.2f} s, "
        f"from the guessing address {same_source_in:.2f} s"
    )
    allowed = join_throttle.SOURCE_BURST + join_throttle.SOURCE_RATE * (guessing_for + 1)
    assert answered <= allowed, codes
    assert codes["sent"] >= 20 and answered >= join_throttle.SOURCE_BURST, codes
    assert set(codes) <= {"sent", "join_refused"}, codes
    assert joined_in < 2.0 and same_source_in < 2.0


# ---- out of file descriptors ----------------------------------------------------------


def test_the_listener_backs_off_when_out_of_descriptors_and_recovers(tmp_path: Path) -> None:
    log = tmp_path / "listener.log"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))

    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("fd_starved_listener.py"))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=sink,
            text=True,
            preexec_fn=limit,
        )
    assert process.stdin is not None and process.stdout is not None
    try:
        port = json.loads(process.stdout.readline())["port"]

        async def connect_all() -> list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
            # TCP completes in the kernel's backlog; the listener cannot accept them yet.
            return [
                await asyncio.open_connection(LOOPBACK, port, local_addr=(source, 0))
                for source in ATTACKER_SOURCES[:10]
            ]

        async def scenario() -> list[bytes]:
            streams = await connect_all()
            await asyncio.sleep(3.0)
            process.stdin.write("release\n")
            process.stdin.flush()
            # Now accepted: a TLS handshake on each (a fresh connection, as the raw ones
            # above had no TLS) and the greeting.
            greetings = []
            for _, writer in streams:
                writer.close()
            for source in ATTACKER_SOURCES[:5]:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(LOOPBACK, port, ssl=_NO_CHECK, local_addr=(source, 0)),
                    10,
                )
                greetings.append(await asyncio.wait_for(reader.read(5), 10))
                writer.close()
            return greetings

        greetings = asyncio.run(scenario())
        cpu = json.loads(process.stdout.readline())["cpu_s"]
    finally:
        process.kill()
        process.wait()
    text = log.read_text()
    starved = [line for line in text.splitlines() if "cannot accept connections" in line]
    print(f"\n3 s without descriptors: {cpu:.2f} s CPU, {len(starved)} log line(s)")
    assert greetings == [b"hello"] * 5
    assert len(starved) == 1, text[-3000:]
    assert "Too many open files" in starved[0]
    assert "Traceback" not in text
    assert cpu < 1.0  # backing off, not spinning on accept()
