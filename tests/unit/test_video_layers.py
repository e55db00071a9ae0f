"""client/media/video_layers.py: one capture, scaled once per lower layer."""

from __future__ import annotations

import asyncio
from fractions import Fraction
from typing import Any

import av
import pytest
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError
from av.frame import Frame
from av.packet import Packet
from av.video.frame import PictureType

from client.media.keyframes import CapturedVideoTrack
from client.media.video_layers import (
    ScaledLayerTrack,
    TopLayerTrack,
    layer_sizes,
    layered_tracks,
    nominal_size,
)


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1280, 720), [(1280, 720), (640, 360), (320, 180)]),
        ((854, 480), [(854, 480), (426, 240)]),
        ((640, 360), [(640, 360)]),  # too small for layers
        ((1920, 1080), [(1920, 1080), (960, 540), (480, 270)]),
        ((640, 480), [(640, 480), (320, 240)]),  # a quarter would be under 180 rows
    ],
)
def test_layer_sizes(size: tuple[int, int], expected: list[tuple[int, int]]) -> None:
    assert layer_sizes(*size) == expected


class _Camera(MediaStreamTrack):
    """Pictures marked as keyframe requests, as PyAV's capture marks them."""

    kind = "video"

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count
        self.made = 0

    async def recv(self) -> Frame | Packet[Any]:
        if self.made == self.count:
            raise MediaStreamError
        self.made += 1
        frame = av.VideoFrame(1280, 720, "yuv420p")
        frame.pts, frame.time_base = self.made * 6000, Fraction(1, 90000)
        frame.pict_type = PictureType.I
        await asyncio.sleep(0.01)
        return frame


def test_each_lower_layer_gets_each_picture_scaled_and_without_a_keyframe_request() -> None:
    async def scenario() -> list[list[tuple[int, int, int | None, Any]]]:
        camera = _Camera(count=5)
        tracks = [track for track, _ in layered_tracks(camera, (1280, 720))]
        top = tracks[0]
        assert isinstance(top, TopLayerTrack)
        assert all(isinstance(t, ScaledLayerTrack) for t in tracks[1:])
        seen: list[list[tuple[int, int, int | None, Any]]] = [[] for _ in tracks]

        async def read(index: int) -> None:
            try:
                while True:
                    frame = await tracks[index].recv()
                    assert isinstance(frame, av.VideoFrame)
                    seen[index].append((frame.width, frame.height, frame.pts, frame.pict_type))
            except MediaStreamError:
                pass

        await asyncio.wait_for(asyncio.gather(*(read(i) for i in range(3))), 10.0)
        return seen

    top, middle, bottom = asyncio.run(scenario())
    assert [(w, h) for w, h, _, _ in top] == [(1280, 720)] * 5
    # the lower layers wait for the top layer's next picture: the first may be missed
    assert len(middle) >= 4 and {(w, h) for w, h, _, _ in middle} == {(640, 360)}
    assert len(bottom) >= 4 and {(w, h) for w, h, _, _ in bottom} == {(320, 180)}
    assert [pts for _, _, pts, _ in middle] == [pts for _, _, pts, _ in top][-len(middle) :]
    assert {kind for *_, kind in middle + bottom} == {PictureType.NONE}


def test_the_size_a_wrapped_test_signal_was_opened_for() -> None:
    inner = _Camera(count=0)
    wrapped = CapturedVideoTrack(inner)
    assert nominal_size(wrapped) is None
    wrapped.width, wrapped.height = 1280, 720
    assert nominal_size(TopLayerTrack(wrapped)) == (1280, 720)
