"""Screen sharing through the `runde` command: an Xvfb display shared by one headless
participant, received by another, compared with what was drawn."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.helpers import HostProcess, finish, read_stats, start_host, start_participant
from tests.screen_display import (
    QUADRANTS,
    PatternWindow,
    XDisplay,
    band,
    grey,
    pattern,
    ssim,
    xvfb,
)

__all__ = ["xvfb"]


@pytest.fixture
def shown(xvfb: XDisplay) -> Iterator[XDisplay]:
    """The display with the test pattern covering all of it."""
    window = PatternWindow(xvfb.name, pattern(xvfb.width, xvfb.height), "Test pattern")
    yield xvfb
    window.close()


def quadrant_color(image: np.ndarray, row: int, column: int) -> tuple[int, ...]:
    """The median colour of a patch in the quadrant, away from text and lines."""
    height, width = image.shape[:2]
    y = height // 8 if row == 0 else height * 7 // 8  # above and below the text band
    x = column * width // 2 + width // 4 + 20  # between the thin lines
    patch = image[y - 10 : y + 10, x - 10 : x + 10].reshape(-1, 3)
    return tuple(int(v) for v in np.median(patch, axis=0))


def test_shared_screen_arrives_readable_and_the_camera_keeps_going(
    host: HostProcess, shown: XDisplay, tmp_path: Path
) -> None:
    sharer = start_participant(
        host.link, "Presenter", tmp_path / "p.json", 9.0, "--share-screen", shown.name
    )
    time.sleep(1.0)
    viewer = start_participant(
        host.link,
        "Viewer",
        tmp_path / "v.json",
        6.0,
        "--screen-snapshot",
        str(tmp_path / "received.png"),
    )
    code, err = finish(viewer)
    assert code == 0, err[-2000:]
    assert finish(sharer)[0] == 0
    remote = read_stats(tmp_path / "v.json")["remotes"]["Presenter"]
    # The screen is a second stream of the same participant: the camera goes on beside it.
    assert remote["video_frames"] >= 30, remote
    assert remote["screen_frames"] >= 20, remote  # 10 fps for several seconds
    assert remote["screen_width"] >= 1280 and remote["screen_height"] >= 720, remote
    assert (remote["screen_width"], remote["screen_height"]) == (1920, 1080), remote

    received = cv2.imread(str(tmp_path / "received.png"))
    drawn = pattern(shown.width, shown.height)
    assert received.shape == drawn.shape
    for (row, column), bgr in QUADRANTS.items():
        got = quadrant_color(received, row, column)
        assert all(abs(g - w) < 25 for g, w in zip(got, bgr, strict=True)), (row, column, got)
    assert cv2.PSNR(drawn, received) >= 28.0
    # Small text must survive: structural similarity of the band with ten-pixel text.
    text_similarity = ssim(grey(band(drawn)), grey(band(received)))
    assert text_similarity >= 0.95, text_similarity
    # ...and the measure can tell: the same text blurred as a camera-tuned path would is worse.
    blurred = cv2.GaussianBlur(band(drawn), (5, 5), 1.2)
    assert ssim(grey(band(drawn)), grey(blurred)) < text_similarity


def test_sharing_with_camera_off_and_microphone_muted(
    host: HostProcess, shown: XDisplay, tmp_path: Path
) -> None:
    sharer = start_participant(
        host.link,
        "Presenter",
        tmp_path / "p.json",
        7.0,
        "--video",
        "none",
        "--audio",
        "none",
        "--share-screen",
        shown.name,
    )
    viewer = start_participant(host.link, "Viewer", tmp_path / "v.json", 6.0)
    assert finish(viewer)[0] == 0
    assert finish(sharer)[0] == 0
    remote = read_stats(tmp_path / "v.json")["remotes"]["Presenter"]
    assert remote["video_frames"] == 0 and remote["audio_frames"] == 0, remote
    assert remote["screen_frames"] >= 20, remote


def test_late_joiner_sees_the_shared_screen_within_a_second(
    host: HostProcess, shown: XDisplay, tmp_path: Path
) -> None:
    sharer = start_participant(
        host.link, "Presenter", tmp_path / "p.json", 10.0, "--share-screen", shown.name
    )
    early = start_participant(host.link, "Early", tmp_path / "e.json", 9.0)
    time.sleep(4.0)
    late = start_participant(host.link, "Late", tmp_path / "l.json", 3.0)
    code, err = finish(late)
    assert code == 0, err
    stats = read_stats(tmp_path / "l.json")
    # From asking to join to the first decoded screen picture, like the camera's test.
    assert stats["first_remote_screen_s"] is not None, stats
    assert stats["first_remote_screen_s"] - stats["join_started_s"] <= 1.0, stats
    assert stats["remotes"]["Presenter"]["screen_frames"] >= 10, stats
    for process in (early, sharer):
        assert finish(process)[0] == 0


def test_a_second_presenter_is_refused_with_a_sentence(
    host: HostProcess, shown: XDisplay, tmp_path: Path
) -> None:
    first = start_participant(
        host.link, "Anna", tmp_path / "a.json", 8.0, "--share-screen", shown.name
    )
    time.sleep(2.0)
    second = start_participant(
        host.link, "Bernd", tmp_path / "b.json", 3.0, "--share-screen", shown.name
    )
    code, err = finish(second)
    assert code == 4, err
    assert "Anna is already sharing their screen" in err, err
    assert finish(first)[0] == 0


def test_the_host_can_allow_several_presenters(shown: XDisplay, tmp_path: Path) -> None:
    host = start_host("--allow-multiple-presenters")
    try:
        sharers = [
            start_participant(
                host.link, name, tmp_path / f"{name}.json", 7.0, "--share-screen", shown.name
            )
            for name in ("Anna", "Bernd")
        ]
        viewer = start_participant(host.link, "Clara", tmp_path / "c.json", 5.0)
        outcomes = [finish(viewer), *(finish(process) for process in sharers)]
    finally:
        host_log = host.stop()
    for code, err in outcomes:
        assert code == 0, f"{err}\nthe host's log:\n{host_log}"
    remotes = read_stats(tmp_path / "c.json")["remotes"]
    assert remotes["Anna"]["screen_frames"] >= 10, remotes
    assert remotes["Bernd"]["screen_frames"] >= 10, remotes


def test_a_display_that_does_not_exist_is_named(host: HostProcess, tmp_path: Path) -> None:
    process = start_participant(
        host.link, "Anna", tmp_path / "a.json", 3.0, "--share-screen", ":987"
    )
    code, err = finish(process)
    assert code == 4, err
    assert "cannot share the screen" in err and ":987" in err, err
