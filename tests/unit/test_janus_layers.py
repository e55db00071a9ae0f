"""Which streams a Runde subscriber asks Janus for, given a publisher's stream list."""

from __future__ import annotations

from client.call.janus_connection import PublisherInfo, StreamInfo
from client.call.janus_layers import layer_description, layer_size, streams_to_subscribe


def _layered(feed: int = 7) -> PublisherInfo:
    return PublisherInfo(
        id=feed,
        streams=[
            StreamInfo(type="audio", mid="0"),
            StreamInfo(type="video", mid="1", description=layer_description(1280, 720)),
            StreamInfo(type="video", mid="2", description=layer_description(640, 360)),
            StreamInfo(type="video", mid="3", description=layer_description(320, 180)),
        ],
    )


def test_layer_descriptions_round_trip_and_reject_strangers() -> None:
    assert layer_description(1280, 720) == "runde-layer:1280x720"
    assert layer_size("runde-layer:1280x720") == (1280, 720)
    for other in (
        None,
        "",
        "camera",
        "runde-layer:0x720",
        "runde-layer:1280x",
        "x runde-layer:1x1",
    ):
        assert layer_size(other) is None, other


def test_a_camera_in_layers_is_received_as_audio_and_its_tallest_layer() -> None:
    assert streams_to_subscribe(_layered(), None) == [
        {"feed": 7, "mid": "0"},
        {"feed": 7, "mid": "1"},
    ]


def test_a_preference_picks_the_tallest_layer_not_above_it() -> None:
    assert streams_to_subscribe(_layered(), 400)[1] == {"feed": 7, "mid": "2"}
    assert streams_to_subscribe(_layered(), 180)[1] == {"feed": 7, "mid": "3"}
    # none that small: the shortest, as Runde's own SFU does
    assert streams_to_subscribe(_layered(), 90)[1] == {"feed": 7, "mid": "3"}


def test_a_disabled_layer_is_not_chosen() -> None:
    publisher = _layered()
    streams = [s.model_copy(update={"disabled": s.mid == "1"}) for s in publisher.streams]
    assert streams_to_subscribe(publisher.model_copy(update={"streams": streams}), None) == [
        {"feed": 7, "mid": "0"},
        {"feed": 7, "mid": "2"},
    ]


def test_a_publisher_without_layers_is_received_whole() -> None:
    plain = PublisherInfo(
        id="anna",
        streams=[StreamInfo(type="audio", mid="0"), StreamInfo(type="video", mid="1")],
    )
    assert streams_to_subscribe(plain, 360) == [{"feed": "anna"}]
