"""The host's HTTP manners, against a real `runde host --headless` on loopback.

Pages may not be framed or sniffed, no response names the server's version, a WebSocket from
another site's page is refused, a malformed request is logged as one line and never echoed,
the 64 KiB message limit is exact, and display names cannot carry control characters.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import ssl
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from client.protocol import PROTOCOL_VERSION
from client.protocol.link import MeetingLink, parse_link
from client.protocol.messages import NAME_CHARACTERS_TEXT
from tests.helpers import HostProcess, start_host

MESSAGE_LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def hosted() -> Iterator[tuple[HostProcess, MeetingLink]]:
    host = start_host()
    yield host, parse_link(host.link)
    host.stop()


def _tls() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the tests look at responses, not at trust
    return context


def _raw_request(link: MeetingLink, request: bytes) -> bytes:
    """Send raw bytes over TLS and read the answer until the server closes."""
    with (
        socket.create_connection((link.host, link.port), timeout=10) as plain,
        _tls().wrap_socket(plain, server_hostname=link.host) as sock,
    ):
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
            if len(answer) > 1_000_000:
                break
        return answer


async def _get(link: MeetingLink, path: str) -> tuple[int, dict[str, str]]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"https://{link.host}:{link.port}{path}", ssl=aiohttp.Fingerprint(link.fingerprint)
        ) as response,
    ):
        await response.read()
        return response.status, dict(response.headers)


async def _ws_status(link: MeetingLink, origin: str | None) -> int:
    headers = {"Origin": origin} if origin is not None else {}
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(
                link.signaling_url, ssl=aiohttp.Fingerprint(link.fingerprint), headers=headers
            ):
                return 101
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status


def _join(link: MeetingLink, name: str) -> str:
    payload = {
        "action": "join",
        "protocol_version": PROTOCOL_VERSION,
        "room": link.room,
        "secret": link.secret,
        "display_name": name,
    }
    return json.dumps({"namespace": "core", "payload": payload})


async def _send(link: MeetingLink, frame: str, wait: float = 3.0) -> tuple[list[Any], int | None]:
    """One frame on a fresh connection: the replies within ``wait``, and the close code."""
    replies: list[Any] = []
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(
            link.signaling_url, ssl=aiohttp.Fingerprint(link.fingerprint), max_msg_size=0
        ) as ws,
    ):
        await ws.send_str(frame)
        try:
            async with asyncio.timeout(wait):
                async for message in ws:
                    if message.type == aiohttp.WSMsgType.TEXT:
                        replies.append(json.loads(message.data))
                        break
        except TimeoutError:
            pass
        if not ws.closed:
            await asyncio.sleep(0.3)  # a close sent right after the reply arrives by now
            with contextlib.suppress(TimeoutError):
                await ws.receive(timeout=0.5)
        return replies, ws.close_code if ws.closed else None


def _frame(opcode: int, payload: bytes, final: bool = True) -> bytes:
    """A client frame (masked with a zero key: the server must unmask, and zeros are easy)."""
    head = bytes([(0x80 if final else 0) | opcode])
    if len(payload) < 126:
        head += bytes([0x80 | len(payload)])
    elif len(payload) < 65536:
        head += bytes([0x80 | 126]) + len(payload).to_bytes(2, "big")
    else:
        head += bytes([0x80 | 127]) + len(payload).to_bytes(8, "big")
    return head + b"\0\0\0\0" + payload


def _close_code_after(link: MeetingLink, frames: list[bytes]) -> int | None:
    """Upgrade by hand, send ``frames``; the code of the server's close frame, if one came."""
    with (
        socket.create_connection((link.host, link.port), timeout=10) as plain,
        _tls().wrap_socket(plain, server_hostname=link.host) as sock,
    ):
        sock.sendall(
            b"GET /signaling HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            b"Sec-WebSocket-Version: 13\r\n\r\n"
        )
        received = b""
        while b"\r\n\r\n" not in received:
            received += sock.recv(4096)
        assert received.startswith(b"HTTP/1.1 101"), received[:200]
        received = received.split(b"\r\n\r\n", 1)[1]
        for frame in frames:
            sock.sendall(frame)
        while True:
            while len(received) < 4:
                chunk = sock.recv(65536)
                if not chunk:
                    return None
                received += chunk
            opcode, length = received[0] & 0x0F, received[1] & 0x7F
            if opcode == 0x8:
                return int.from_bytes(received[2:4], "big")
            start = 2 + {126: 2, 127: 8}.get(length, 0)
            if length >= 126:
                length = int.from_bytes(received[2:start], "big")
            while len(received) < start + length:
                received += sock.recv(65536)
            received = received[start + length :]


def _assert_safe_headers(headers: dict[str, str]) -> None:
    server = headers.get("Server", "")
    assert "aiohttp" not in server.lower() and "python" not in server.lower(), server
    assert not any(ch.isdigit() for ch in server), server
    assert headers.get("X-Content-Type-Options") == "nosniff", headers
    assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""), headers


def test_pages_cannot_be_framed_or_sniffed_and_name_no_version(
    hosted: tuple[HostProcess, MeetingLink],
) -> None:
    _, link = hosted
    status, headers = asyncio.run(_get(link, f"/r/{link.room}"))
    assert status == 200
    _assert_safe_headers(headers)
    # The guest page keeps its own policy; frame-ancestors is added to it.
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    status, headers = asyncio.run(_get(link, "/nothing-here"))
    assert status == 404
    _assert_safe_headers(headers)


def test_websocket_from_another_sites_page_is_refused(
    hosted: tuple[HostProcess, MeetingLink],
) -> None:
    _, link = hosted
    own = f"https://{link.host}:{link.port}"
    assert asyncio.run(_ws_status(link, None)) == 101  # the app and headless send no Origin
    assert asyncio.run(_ws_status(link, own)) == 101  # the host's guest page
    for stranger in (
        "https://evil.example",
        f"https://evil.example:{link.port}",
        f"http://{link.host}:{link.port}",  # not the TLS page
        f"https://{link.host}:{link.port + 1}",
        "null",
    ):
        assert asyncio.run(_ws_status(link, stranger)) == 403, stranger


def test_malformed_requests_are_refused_in_one_log_line_without_echo() -> None:
    host = start_host()
    try:
        link = parse_link(host.link)
        marker = "ECHOMARKER"
        long_line = f"GET /{marker}{'A' * 20000} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
        answer = _raw_request(link, long_line)
        assert answer.split(b"\r\n", 1)[0].endswith(b" 400 Bad Request"), answer[:200]
        assert marker.encode() not in answer
        assert b"aiohttp" not in answer.lower() and b"python" not in answer.lower()
        garbage = f"\x16\x03{marker} nonsense\r\n\r\n".encode()
        answer = _raw_request(link, garbage)
        assert answer.split(b"\r\n", 1)[0].endswith(b" 400 Bad Request"), answer[:200]
        assert marker.encode() not in answer
        # The host still works.
        status, _ = asyncio.run(_get(link, f"/r/{link.room}"))
        assert status == 200
    finally:
        log = host.stop()
    assert "Traceback" not in log, log[-3000:]
    assert marker not in log
    refusals = [line for line in log.splitlines() if "malformed HTTP request" in line]
    assert len(refusals) == 2, log[-3000:]


def test_a_message_of_exactly_64_kib_is_accepted_and_a_larger_one_closed(
    hosted: tuple[HostProcess, MeetingLink],
) -> None:
    _, link = hosted
    envelope = '{"namespace": "core", "payload": {"action": "leave"}, "padding": "'
    exact = envelope + "x" * (MESSAGE_LIMIT - len(envelope) - 2) + '"}'
    assert len(exact.encode()) == MESSAGE_LIMIT
    replies, closed = asyncio.run(_send(link, exact))
    # Read and answered (the padding is an unknown field), not cut off.
    assert [r["payload"]["code"] for r in replies] == ["invalid_message"], replies
    assert closed is None
    # One byte more, as two fragments (so the server has read every byte when it decides):
    # closed with 1009, message too big.
    larger = (exact[:-2] + 'x"}').encode()
    fragments = [_frame(0x1, larger[:MESSAGE_LIMIT], final=False), _frame(0x0, larger[-1:])]
    assert _close_code_after(link, fragments) == 1009
    # The same bytes as one frame: closed as soon as its header is read (the client may see
    # the abort before the 1009, as it is still sending).
    replies, closed = asyncio.run(_send(link, larger.decode()))
    assert replies == []
    assert closed in (1009, 1006)


@pytest.mark.parametrize(
    "name",
    [
        "Anna\nERROR forged log line",
        "An\rna",
        "\x1b[2JAnna",
        "An\x00na",
        "Anna\x7f",
        "An\x85na",
        "Anna\u202egpj.exe",
        "Anna\u2066x\u2069",
        "Anna\u202a",
    ],
)
def test_display_names_with_control_or_direction_characters_are_refused(
    hosted: tuple[HostProcess, MeetingLink], name: str
) -> None:
    _, link = hosted
    replies, _ = asyncio.run(_send(link, _join(link, name)))
    assert len(replies) == 1, replies
    payload = replies[0]["payload"]
    assert payload["message"] == "error" and payload["code"] == "invalid_message", payload
    assert NAME_CHARACTERS_TEXT in payload["text"]


def test_ordinary_names_in_any_script_are_welcome(
    hosted: tuple[HostProcess, MeetingLink],
) -> None:
    _, link = hosted
    replies, _ = asyncio.run(_send(link, _join(link, "Zoë Ünal-山田 (אורח)")))
    assert replies and replies[0]["payload"]["message"] == "join_success", replies
