"""client/protocol/messages.py: publish with layers, and set_preferred_layer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from client.protocol.codec import ProtocolError, parse_client_message
from client.protocol.messages import MediaRequest, Publish, SetPreferredLayer


def _media(payload: dict[str, Any]) -> MediaRequest:
    message = parse_client_message(json.dumps({"namespace": "media", "payload": payload}))
    assert isinstance(message, MediaRequest)
    return message


def _layers(*heights: int, mids: list[str] | None = None) -> list[dict[str, Any]]:
    names = mids or [str(i + 1) for i in range(len(heights))]
    pairs = zip(names, heights, strict=True)
    return [{"mid": m, "width": h * 16 // 9, "height": h} for m, h in pairs]


def test_a_preference_for_everyone_and_for_one() -> None:
    everyone = _media({"action": "set_preferred_layer", "max_height": 180}).payload
    assert everyone == SetPreferredLayer(action="set_preferred_layer", max_height=180)
    hidden = _media({"action": "set_preferred_layer", "max_height": 0}).payload
    assert hidden == SetPreferredLayer(action="set_preferred_layer", max_height=0)  # no video
    one = _media({"action": "set_preferred_layer", "target": "abc", "max_height": None}).payload
    assert isinstance(one, SetPreferredLayer) and one.target == "abc" and one.max_height is None
    lifted = _media({"action": "set_preferred_layer"}).payload
    assert isinstance(lifted, SetPreferredLayer) and lifted.max_height is None


def test_a_publish_with_layers_and_one_without() -> None:
    base = {"action": "publish", "media_session_type": "video", "sdp": "v=0"}
    layered = _media({**base, "layers": _layers(720, 360, 180)}).payload
    assert isinstance(layered, Publish) and layered.layers is not None
    assert [layer.height for layer in layered.layers] == [720, 360, 180]
    plain = _media(base).payload
    assert isinstance(plain, Publish) and plain.layers is None


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({"action": "set_preferred_layer", "max_height": -1}, "greater than or equal to 0"),
        ({"action": "set_preferred_layer", "max_height": "big"}, "valid integer"),
        ({"action": "set_preferred_layer", "target": "a b", "max_height": 9}, "pattern"),
        (
            {
                "action": "publish",
                "media_session_type": "video",
                "sdp": "v=0",
                "layers": _layers(720, 360, mids=["1", "1"]),
            },
            "two layers name the same mid",
        ),
        (
            {
                "action": "publish",
                "media_session_type": "video",
                "sdp": "v=0",
                "layers": _layers(720, 720),
            },
            "two layers have the same height",
        ),
        (
            {
                "action": "publish",
                "media_session_type": "screen",
                "sdp": "v=0",
                "layers": _layers(720, 360),
            },
            "only the camera",
        ),
        (
            {
                "action": "publish",
                "media_session_type": "video",
                "sdp": "v=0",
                "layers": _layers(1080, 720, 360, 180),
            },
            "at most 3 items",
        ),
        (
            {
                "action": "publish",
                "media_session_type": "video",
                "sdp": "v=0",
                "layers": _layers(720),
            },
            "at least 2 items",
        ),
    ],
)
def test_bad_layer_messages_are_refused_with_a_sentence(
    payload: dict[str, Any], words: str
) -> None:
    with pytest.raises(ProtocolError, match=words):
        _media(payload)
