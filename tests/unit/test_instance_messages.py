"""The instance hand-over protocol: what a running Runde accepts from a later start."""

from __future__ import annotations

import pytest

from client.instance.messages import (
    HandoffError,
    OpenRequest,
    Reply,
    decode_reply,
    decode_request,
    encode,
)


def test_requests_and_replies_round_trip() -> None:
    request = OpenRequest(link="runde://h:1/r#k=x&fp=y", prejoin=False)
    assert decode_request(encode(request).rstrip(b"\n")) == request
    assert decode_request(encode(OpenRequest())) == OpenRequest(None, True)
    assert decode_reply(encode(Reply(ok=False, error="no"))) == Reply(False, "no")


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (b"\xff\xfe", "not JSON"),
        (b"[1]", "not a JSON object"),
        (b'{"action": "open"}', "version None"),
        (b'{"v": true, "action": "open"}', "version True"),
        (b'{"v": 2, "action": "open"}', "version 2"),
        (b'{"v": 1}', "only action"),
        (b'{"v": 1, "action": "run", "link": "x"}', "only action"),
        (b'{"v": 1, "action": "open", "prejoin": "yes"}', "wrong type"),
        (b'{"v": 1, "action": "open", "link": 5}', "wrong type"),
        (b'{"v": 1, "action": "open", "argv": ["--evil"]}', "unknown field"),
        (b'{"v": 1, "action": "open", "link": "' + b"a" * 5000 + b'"}', "over 4096"),
        (b"x" * 9000, "longer than 8192"),
    ],
)
def test_malformed_requests_are_named(line: bytes, problem: str) -> None:
    with pytest.raises(HandoffError, match=problem):
        decode_request(line)


def test_a_reply_without_ok_is_refused() -> None:
    with pytest.raises(HandoffError, match="lacks 'ok'"):
        decode_reply(b'{"v": 1, "error": ""}')
