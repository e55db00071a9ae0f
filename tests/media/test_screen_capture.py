"""Listing and grabbing screens and windows on a real X display (Xvfb)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator

import av
import numpy as np
import pytest
from aiortc.mediastreams import MediaStreamError

from client.media.capture_track import fit_within
from client.media.screen import (
    WAYLAND_MESSAGE,
    ScreenCaptureError,
    SourceKind,
    display_source,
    list_sources,
    unsupported_reason,
)
from client.media.screen_track import ScreenTrack, grab_thumbnail
from tests.screen_display import PatternWindow, XDisplay, pattern, start_xvfb, xvfb

__all__ = ["xvfb"]


def test_wayland_is_named_instead_of_sending_black() -> None:
    assert unsupported_reason({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}) == WAYLAND_MESSAGE
    assert unsupported_reason({"XDG_SESSION_TYPE": "wayland"}) == WAYLAND_MESSAGE
    assert unsupported_reason({"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}) is None
    assert "DISPLAY" in (unsupported_reason({}) or "")


def test_sizes_scale_down_keeping_the_shape_never_up() -> None:
    assert fit_within(3840, 2160, (1920, 1080)) == (1920, 1080)
    assert fit_within(2560, 1600, (1920, 1080)) == (1728, 1080)
    assert fit_within(800, 600, (1920, 1080)) == (800, 600)


def test_lists_the_screen_and_other_windows_but_not_our_own(xvfb: XDisplay) -> None:
    other = PatternWindow(xvfb.name, pattern(640, 400), "Quarterly report", x=100, y=50)
    # A window of this process stands for Runde's own window: it must not be offered.
    own = PatternWindow(xvfb.name, pattern(640, 400), "Runde", x=800, y=50, pid=os.getpid())
    try:
        sources = list_sources(xvfb.name, exclude_pid=os.getpid())
    finally:
        other.close()
        own.close()
    screens = [s for s in sources if s.kind is SourceKind.SCREEN]
    windows = {s.title: s for s in sources if s.kind is SourceKind.WINDOW}
    assert [(s.width, s.height) for s in screens] == [(xvfb.width, xvfb.height)]
    assert "Quarterly report" in windows and "Runde" not in windows
    report = windows["Quarterly report"]
    assert (report.x, report.y, report.width, report.height) == (100, 50, 640, 400)


def test_a_window_is_grabbed_at_its_size_with_its_content(xvfb: XDisplay) -> None:
    drawn = pattern(800, 600)
    window = PatternWindow(xvfb.name, drawn, "Slides", x=300, y=200)
    try:
        source = next(s for s in list_sources(xvfb.name) if s.title == "Slides")
        frame = asyncio.run(_first_frame(ScreenTrack(source, fps=10)))
        thumbnail = grab_thumbnail(source, (160, 120))
    finally:
        window.close()
    assert (frame.width, frame.height) == (800, 600)
    picture = frame.to_ndarray(format="bgr24")
    assert np.abs(picture[50, 600].astype(int) - drawn[50, 600]).max() < 30  # green quadrant
    assert (thumbnail.width, thumbnail.height) == (160, 120)
    assert thumbnail.format.name == "bgra"


@pytest.fixture
def large_display() -> Iterator[XDisplay]:
    screen = start_xvfb(2560, 1440)
    yield screen
    screen.process.terminate()
    screen.process.wait(10)


def test_a_large_screen_is_sent_at_most_1080p(large_display: XDisplay) -> None:
    track = ScreenTrack(display_source(large_display.name), fps=5)
    frame = asyncio.run(_first_frame(track))
    assert (frame.width, frame.height) == (1920, 1080)


def test_a_missing_display_is_named() -> None:
    with pytest.raises(ScreenCaptureError, match=":987"):
        display_source(":987")


def test_a_closed_window_ends_the_track_with_a_sentence(xvfb: XDisplay) -> None:
    window = PatternWindow(xvfb.name, pattern(320, 240), "Short-lived")
    source = next(s for s in list_sources(xvfb.name) if s.title == "Short-lived")
    errors: list[str] = []
    track = ScreenTrack(source, fps=15, on_error=errors.append)

    async def run() -> None:
        await track.recv()
        window.close()
        with pytest.raises(MediaStreamError):
            for _ in range(100):
                await asyncio.wait_for(track.recv(), 5)

    try:
        asyncio.run(run())
    finally:
        track.stop()
    assert errors and "Short-lived" in errors[0], errors


async def _first_frame(track: ScreenTrack) -> av.VideoFrame:
    try:
        return await asyncio.wait_for(track.recv(), 10)
    finally:
        track.stop()
