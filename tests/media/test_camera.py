"""CameraTrack: pictures of the requested size, local preview, and failures told in a sentence."""

# No camera can exist on the test machine (no device, no v4l2loopback module): a synthetic
# ``lavfi:`` camera stands in for a physical one. It goes through the same capture thread,
# pacing, scaling, hand-over to recv() and error paths; only the V4L2/DirectShow open differs.

from __future__ import annotations

import asyncio
import threading
import time

import av
import numpy as np
import pytest
from aiortc.mediastreams import VIDEO_TIME_BASE, MediaStreamError

from client.media.camera import CameraTrack
from tests.media.support import Errors, run

SYNTHETIC = "lavfi:testsrc2=size=640x360:rate=30"


def is_test_pattern(frame: av.VideoFrame) -> bool:
    """testsrc2 shows coloured bars and moving shapes: many colours, far from black."""
    rgb = frame.to_ndarray(format="rgb24")
    colours = np.unique(rgb[::8, ::8].reshape(-1, 3), axis=0)
    return float(rgb.mean()) > 40 and len(colours) > 20


def test_synthetic_camera_delivers_the_pattern_at_the_requested_size() -> None:
    async def scenario() -> None:
        previews: list[av.VideoFrame] = []
        preview_threads: set[str] = set()

        def preview(frame: av.VideoFrame) -> None:
            previews.append(frame)
            preview_threads.add(threading.current_thread().name)

        errors = Errors()
        camera = CameraTrack(SYNTHETIC, width=640, height=360, fps=30, on_error=errors)
        camera.add_frame_listener(preview)
        try:
            frames = [await asyncio.wait_for(camera.recv(), 5) for _ in range(15)]
        finally:
            camera.stop()
        assert not errors.messages
        assert {(f.width, f.height) for f in frames} == {(640, 360)}
        assert all(is_test_pattern(f) for f in frames[::5])
        pts = [f.pts or 0 for f in frames]
        assert frames[0].pts is not None and pts == sorted(set(pts)), "timestamps must increase"
        assert all(f.time_base == VIDEO_TIME_BASE for f in frames)
        # the preview saw the same pictures, from the capture thread
        assert len(previews) >= 15
        assert preview_threads == {f"camera {SYNTHETIC}"}
        assert not camera._thread.is_alive(), "stop() joins the capture thread"

    run(scenario)


def test_a_larger_picture_is_scaled_down_to_fit() -> None:
    async def scenario() -> None:
        camera = CameraTrack("lavfi:testsrc2=size=1280x720:rate=30", width=320, height=240)
        try:
            frame = await asyncio.wait_for(camera.recv(), 5)
        finally:
            camera.stop()
        assert (frame.width, frame.height) == (320, 180)  # 16:9 kept inside 320x240
        assert is_test_pattern(frame)

    run(scenario)


def test_a_slow_reader_gets_fresh_pictures_not_a_backlog() -> None:
    async def scenario() -> None:
        camera = CameraTrack(SYNTHETIC, width=640, height=360, fps=30)
        try:
            await asyncio.wait_for(camera.recv(), 5)
            await asyncio.sleep(0.5)  # about 15 pictures pass meanwhile
            await asyncio.wait_for(camera.recv(), 5)
        finally:
            camera.stop()
        assert camera.frames_dropped >= 5

    run(scenario)


def test_a_missing_camera_is_reported_and_nothing_raises() -> None:
    async def scenario() -> None:
        errors = Errors()
        camera = CameraTrack("/dev/video99", on_error=errors)
        assert await asyncio.to_thread(errors.arrived.wait, 5)
        # recv() sends nothing (and raises nothing) until the track is stopped
        pending = asyncio.ensure_future(camera.recv())
        await asyncio.sleep(0.2)
        assert not pending.done()
        camera.stop()
        with pytest.raises(MediaStreamError):
            await pending
        assert errors.messages == [
            "the camera '/dev/video99' could not be opened: No such file or directory"
        ]
        assert camera.error == errors.messages[0]

    run(scenario)


def test_a_camera_that_stops_mid_call_is_reported_once() -> None:
    async def scenario() -> None:
        errors = Errors()
        # ends after 0.5 s, as a camera pulled out during a meeting stops delivering
        camera = CameraTrack(
            "lavfi:testsrc2=size=320x240:rate=30:duration=0.5", name="USB Cam", on_error=errors
        )
        try:
            first = await asyncio.wait_for(camera.recv(), 5)
            assert await asyncio.to_thread(errors.arrived.wait, 5)
            await asyncio.sleep(0.2)
        finally:
            camera.stop()
        assert first.width == 320
        assert len(errors.messages) == 1
        assert errors.messages[0].startswith("the camera 'USB Cam' (lavfi:testsrc2")
        assert "stopped delivering pictures" in errors.messages[0]

    run(scenario)


def test_an_unknown_device_spec_is_reported() -> None:
    errors = Errors()
    camera = CameraTrack("webcam-of-my-neighbour", on_error=errors)
    try:
        assert errors.arrived.wait(5)
    finally:
        camera.stop()
    assert errors.messages == [
        "the camera 'webcam-of-my-neighbour' is not a camera this computer can open"
    ]


def test_a_failing_preview_does_not_stop_the_camera(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        def broken(_frame: av.VideoFrame) -> None:
            raise RuntimeError("preview widget gone")

        camera = CameraTrack(SYNTHETIC, width=640, height=360)
        camera.add_frame_listener(broken)
        try:
            started = time.monotonic()
            for _ in range(5):
                await asyncio.wait_for(camera.recv(), 5)
        finally:
            camera.stop()
        assert time.monotonic() - started < 5
        assert camera.error is None

    run(scenario)
    assert "camera preview listener failed" in caplog.text


def test_a_sender_that_cannot_keep_up_gets_smaller_pictures() -> None:
    """A reader taking about 12 of 30 pictures a second, as a starved encoder would: after two
    judged windows the sent pictures are half the size; the preview keeps the full size."""

    async def scenario() -> None:
        previews: list[tuple[int, int]] = []
        camera = CameraTrack(
            "lavfi:testsrc2=size=1280x720:rate=30", width=1280, height=720, adapt_to_cpu=True
        )
        camera.add_frame_listener(lambda frame: previews.append((frame.width, frame.height)))
        sizes: list[tuple[int, int]] = []
        try:
            deadline = time.monotonic() + 12.0
            while camera.send_scale > 0.5 or len(sizes) < 5 or sizes[-1] != (640, 360):
                assert time.monotonic() < deadline, f"still sending {sizes[-1:]} at the end"
                frame = await asyncio.wait_for(camera.recv(), 5)
                sizes.append((frame.width, frame.height))
                await asyncio.sleep(0.08)
        finally:
            camera.stop()
        assert sizes[0] == (1280, 720)
        assert (960, 540) in sizes, "one step at a time"
        assert set(previews) == {(1280, 720)}
        assert is_test_pattern(frame), "a scaled picture still shows the camera's picture"

    run(scenario)


def test_without_adapting_a_slow_sender_keeps_the_full_size() -> None:
    async def scenario() -> None:
        camera = CameraTrack("lavfi:testsrc2=size=1280x720:rate=30", width=1280, height=720)
        sizes: set[tuple[int, int]] = set()
        try:
            end = time.monotonic() + 5.0
            while time.monotonic() < end:
                frame = await asyncio.wait_for(camera.recv(), 5)
                sizes.add((frame.width, frame.height))
                await asyncio.sleep(0.08)
        finally:
            camera.stop()
        assert sizes == {(1280, 720)}
        assert camera.send_scale == 1.0

    run(scenario)
