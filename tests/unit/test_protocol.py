"""The signaling schema: valid messages parse, invalid ones raise errors that name the problem."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from client.protocol import PROTOCOL_VERSION
from client.protocol.codec import ProtocolError, encode, parse_client_message, parse_server_message
from client.protocol.messages import (
    CoreNotice,
    CoreRequest,
    Error,
    ErrorCode,
    Join,
    MediaRequest,
    Publish,
)
from client.protocol.moderation import Rename


def join_frame(**overrides: object) -> str:
    payload = {
        "action": "join",
        "protocol_version": PROTOCOL_VERSION,
        "room": "room1",
        "secret": "s" * 32,
        "display_name": "Anna",
    }
    payload.update(overrides)
    return json.dumps({"namespace": "core", "transaction_id": "t1", "payload": payload})


def test_join_parses_and_keeps_the_secret_out_of_repr() -> None:
    message = parse_client_message(join_frame())
    assert isinstance(message, CoreRequest)
    assert isinstance(message.payload, Join)
    assert message.payload.secret.get_secret_value() == "s" * 32
    assert "s" * 32 not in repr(message)


def test_join_round_trips_with_the_secret_on_the_wire() -> None:
    message = parse_client_message(join_frame())
    assert parse_client_message(encode(message)) == message


@pytest.mark.parametrize(
    ("frame", "code", "words"),
    [
        ("{", ErrorCode.INVALID_JSON, "not valid JSON"),
        ("[1, 2]", ErrorCode.INVALID_MESSAGE, "must be a JSON object"),
        ('{"namespace": "polls", "payload": {}}', ErrorCode.UNKNOWN_NAMESPACE, "'polls'"),
        ('{"payload": {}}', ErrorCode.UNKNOWN_NAMESPACE, "unknown namespace"),
        (
            '{"namespace": "core", "payload": {"action": "explode"}}',
            ErrorCode.UNKNOWN_ACTION,
            "'explode'",
        ),
        (join_frame(room=5), ErrorCode.INVALID_MESSAGE, "room"),
        (join_frame(display_name=""), ErrorCode.INVALID_MESSAGE, "display_name"),
        (join_frame(display_name="x" * 65), ErrorCode.INVALID_MESSAGE, "display_name"),
        (join_frame(extra=1), ErrorCode.INVALID_MESSAGE, "extra"),
        (
            '{"namespace": "media", "payload": {"action": "publish", "sdp": "x"}}',
            ErrorCode.INVALID_MESSAGE,
            "media_session_type",
        ),
    ],
)
def test_invalid_frames_name_the_problem(frame: str, code: ErrorCode, words: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_client_message(frame)
    assert caught.value.code is code
    assert words in caught.value.text


def test_errors_never_echo_the_input() -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_client_message(join_frame(secret=12345678901234567890))
    assert "12345678901234567890" not in caught.value.text


def test_transaction_id_comes_back_with_errors() -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_client_message(join_frame(room=None))
    assert caught.value.transaction_id == "t1"


def test_server_messages_round_trip() -> None:
    notice = CoreNotice(payload=Error(message="error", code=ErrorCode.NOT_JOINED, text="x"))
    assert parse_server_message(encode(notice)) == notice


def test_media_request_has_session_type() -> None:
    request = MediaRequest(
        namespace="media",
        payload=Publish(action="publish", media_session_type="screen", sdp="v=0"),  # type: ignore[arg-type]
    )
    assert json.loads(encode(request))["payload"]["media_session_type"] == "screen"


@pytest.mark.parametrize("name", ["Anna\nadmin joined", "\x1b[31mAnna", "Anna\u202egnp.exe"])
def test_a_moderator_cannot_rename_someone_to_a_name_with_control_characters(name: str) -> None:
    with pytest.raises(ValidationError, match="control characters"):
        Rename(action="rename", target="p1", display_name=name)
