"""Pictures from every kind of source reach the encoder without a keyframe request, and a
receiver's decoded VP8 pictures say which were keyframes."""

from __future__ import annotations

import asyncio
import fractions
from collections.abc import Iterator
from pathlib import Path

import av
import pytest
from aiortc import MediaStreamTrack
from aiortc.codecs.base import Decoder
from aiortc.codecs.vpx import Vp8Decoder, Vp8Encoder, vp8_depayload
from aiortc.jitterbuffer import JitterFrame
from av.video.frame import PictureType

from client.media.camera import CameraTrack
from client.media.keyframes import without_keyframe_request
from client.media.received_keyframes import Vp8KeyframeMarks, is_vp8_keyframe
from client.media.screen import display_source
from client.media.screen_track import ScreenTrack
from client.media.sources import open_video_source
from tests import xvfb as xvfb_server
from tests.screen_display import start_xvfb
from tests.video_files import write_mjpeg, write_raw_yuv
from tests.xvfb import XDisplay

TIME_BASE = fractions.Fraction(1, 90000)


def first_decoded(url: str, fmt: str | None = None) -> av.VideoFrame:
    with av.open(url, format=fmt) as container:
        return next(container.decode(video=0))


async def pictures(track: MediaStreamTrack, count: int) -> list[av.VideoFrame]:
    try:
        frames = [await asyncio.wait_for(track.recv(), 10) for _ in range(count)]
    finally:
        track.stop()
    assert all(isinstance(f, av.VideoFrame) for f in frames)
    return frames  # type: ignore[return-value]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "mjpeg": write_mjpeg(tmp_path / "camera.avi"),
        "raw": write_raw_yuv(tmp_path / "camera.y4m"),
    }


def test_pyav_marks_captured_pictures_as_keyframe_requests(files: dict[str, Path]) -> None:
    """What the fix is for: without it these marks reach the encoder."""
    decoded = [
        first_decoded("testsrc=size=320x240:rate=15", "lavfi"),
        first_decoded(str(files["mjpeg"])),
        first_decoded(str(files["raw"])),
    ]
    assert [f.pict_type for f in decoded] == [PictureType.I] * 3
    assert decoded[0].reformat(width=160, height=120).pict_type == PictureType.I


def test_reformatted_pictures_lose_the_request() -> None:
    frame = first_decoded("testsrc=size=320x240:rate=15", "lavfi")
    scaled = without_keyframe_request(frame.reformat(width=160, height=120, format="yuv420p"))
    assert scaled.pict_type == PictureType.NONE


@pytest.mark.parametrize("spec", ["testsrc", "color:3366cc", "mjpeg", "raw"])
def test_command_line_sources_send_pictures_without_the_request(
    spec: str, files: dict[str, Path]
) -> None:
    opened = open_video_source(str(files.get(spec, spec)))
    assert opened is not None
    frames = asyncio.run(pictures(opened.track, 3))
    assert [f.pict_type for f in frames] == [PictureType.NONE] * 3


def test_a_scaled_camera_sends_pictures_without_the_request() -> None:
    # 1280x720 into 320x240: the camera's own reformat, which would pass the mark on.
    camera = CameraTrack("lavfi:testsrc2=size=1280x720:rate=30", width=320, height=240)
    frames = asyncio.run(pictures(camera, 3))
    assert camera.error is None
    assert [(f.width, f.pict_type) for f in frames] == [(320, PictureType.NONE)] * 3


@pytest.fixture
def small_display() -> Iterator[XDisplay]:
    screen = start_xvfb(640, 360)
    yield screen
    xvfb_server.stop_xvfb(screen)


def test_a_shared_screen_sends_pictures_without_the_request(small_display: XDisplay) -> None:
    track = ScreenTrack(display_source(small_display.name), fps=10)
    frames = asyncio.run(pictures(track, 2))
    assert [f.pict_type for f in frames] == [PictureType.NONE] * 2


def test_vp8_encodes_delta_frames_once_the_request_is_gone() -> None:
    encoder = Vp8Encoder()
    keyframes = []
    with av.open("testsrc=size=320x240:rate=15", format="lavfi") as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index == 10:
                break
            frame.pts, frame.time_base = index * 6000, TIME_BASE
            payloads, _ = encoder.encode(without_keyframe_request(frame))
            keyframes.append(is_vp8_keyframe(b"".join(vp8_depayload(p) for p in payloads)))
    assert keyframes == [True] + [False] * 9


def test_decoded_vp8_keyframes_are_marked() -> None:
    encoder = Vp8Encoder()
    encoded = []
    with av.open("testsrc=size=320x240:rate=15", format="lavfi") as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index == 10:
                break
            frame.pts, frame.time_base = index * 6000, TIME_BASE
            payloads, timestamp = encoder.encode(
                without_keyframe_request(frame), force_keyframe=index == 6
            )
            data = b"".join(vp8_depayload(p) for p in payloads)
            encoded.append(JitterFrame(data=data, timestamp=timestamp))

    def marks(decoder: Decoder) -> list[bool]:
        decoded = [f for e in encoded for f in decoder.decode(e)]
        return [f.key_frame for f in decoded if isinstance(f, av.VideoFrame)]

    assert marks(Vp8KeyframeMarks(Vp8Decoder())) == [index in (0, 6) for index in range(10)]
    # aiortc's decoder alone never says so: the wrapper is what makes the count possible
    assert marks(Vp8Decoder()) == [False] * 10
