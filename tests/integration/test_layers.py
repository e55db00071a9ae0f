"""A camera sent in layers: each receiver gets the tallest picture it asked for, at once.

One participant publishes a 1280x720 test camera (three layers: 720, 360, 180 rows). A
receiver started with ``--max-height 180`` gets 180-row pictures, one without a limit 720;
a third (in this process) asks for 180 and then for any size, and gets 720 within 3 s, its
pictures' timestamps going on without a step back across the switch.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from pathlib import Path

import pytest

from client.headless import HeadlessParticipant
from client.netconfig import NetworkSettings, apply_bind_addresses
from client.protocol.link import parse_link
from tests.helpers import (
    LOOPBACK,
    HostProcess,
    finish,
    read_stats,
    start_participant,
    until,
    wait_for,
)

NETWORK = NetworkSettings(bind_addresses=(LOOPBACK,))
SWITCH_WITHIN = 3.0  # seconds, the bound for a new preference to show
NO_MEDIA = ("--video", "none", "--audio", "none")
STARTUP_WITHIN = 60.0  # seconds for processes to start, join and decode (a busy machine)
STAY = "120"  # seconds the processes would stay: they are stopped (SIGTERM) when done


def _frames_from_camera(stats: Path) -> int:
    try:
        remote = read_stats(stats)["remotes"].get("Cam", {})
    except (OSError, ValueError):
        return 0  # not written yet, or being rewritten
    return int(remote.get("video_frames") or 0)


@pytest.fixture(autouse=True)
def loopback_ice() -> None:
    apply_bind_addresses([LOOPBACK])


async def _asks_for_more(link: str) -> tuple[list[int], float, list[int]]:
    """Heights seen while asking for 180 rows, seconds until 720 after asking for any, and
    the timestamps of the pictures seen meanwhile."""
    viewer = HeadlessParticipant(parse_link(link), "Mover", NETWORK, [], time.monotonic())
    await viewer.session.set_preferred_layer(180)  # sent as soon as it is in
    await viewer.join()
    try:
        camera_id = ""

        def camera_seen() -> bool:
            nonlocal camera_id
            camera_id = viewer.participant_named("Cam") or ""
            return camera_id in viewer.video_snapshots

        # the camera's process needs a while to start when the machine is busy
        await until(camera_seen, STARTUP_WITHIN, "the first picture of the layered camera")
        heights: list[int] = []
        timestamps: list[int] = []

        def sample() -> None:
            frame = viewer.video_snapshots[camera_id]
            heights.append(frame.height)
            if frame.pts is not None and (not timestamps or timestamps[-1] != frame.pts):
                timestamps.append(frame.pts)

        for _ in range(40):  # 2 s on the small layer
            sample()
            await asyncio.sleep(0.05)
        small_heights = list(heights)
        await viewer.session.set_preferred_layer(None)
        asked = time.monotonic()
        while viewer.video_snapshots[camera_id].height != 720:
            if time.monotonic() - asked > 10.0:
                break
            sample()
            await asyncio.sleep(0.02)
        switched_after = time.monotonic() - asked
        for _ in range(20):  # and on for a second on the tall layer
            sample()
            await asyncio.sleep(0.05)
        return small_heights, switched_after, timestamps
    finally:
        await viewer.leave()


def test_each_receiver_gets_the_layer_it_asks_for(host: HostProcess, tmp_path: Path) -> None:
    video = ("--video", "testsrc:1280x720@15", "--audio", "none")
    camera = start_participant(host.link, "Cam", tmp_path / "cam.json", float(STAY), *video)
    every = ("--stats-every", "1")
    small_stats, big_stats = tmp_path / "small.json", tmp_path / "big.json"
    small = start_participant(
        host.link, "Small", small_stats, float(STAY), *NO_MEDIA, *every, "--max-height", "180"
    )
    big = start_participant(host.link, "Big", big_stats, float(STAY), *NO_MEDIA, *every)
    try:
        small_heights, switched_after, timestamps = asyncio.run(_asks_for_more(host.link))
        for stats in (small_stats, big_stats):
            wait_for(lambda stats=stats: _frames_from_camera(stats) >= 30, STARTUP_WITHIN)
    finally:
        for process in (small, big, camera):
            process.terminate()  # they leave and write their statistics
        results = {name: finish(p) for name, p in (("Small", small), ("Big", big), ("Cam", camera))}
    for name, (code, err) in results.items():
        assert code == 0, f"{name} failed: {err[-2000:]}"
    small_remote = read_stats(tmp_path / "small.json")["remotes"]["Cam"]
    big_remote = read_stats(tmp_path / "big.json")["remotes"]["Cam"]
    assert small_remote["video_frames"] >= 30, small_remote
    assert small_remote["video_height"] == 180, small_remote
    assert big_remote["video_frames"] >= 30, big_remote
    assert big_remote["video_height"] == 720, big_remote

    assert small_heights and set(small_heights) == {180}, small_heights
    assert switched_after <= SWITCH_WITHIN, f"720 rows came {switched_after:.1f} s after asking"
    steps = [(b - a) & 0xFFFFFFFF for a, b in itertools.pairwise(timestamps)]
    # always forward, and by a gap of pictures (under 10 s of the 90 kHz clock), not by the
    # distance between two encoders' unrelated clocks (anywhere in 2**32)
    assert all(0 < step < 900_000 for step in steps), [s for s in steps if not 0 < s < 900_000]


def test_a_preference_for_nobody_in_the_meeting_is_refused(
    host: HostProcess, caplog: pytest.LogCaptureFixture
) -> None:
    # The host refuses it with a sentence; the client takes that as news of someone who has
    # just left (a tile's size sent as they went), logs it, and troubles nobody with it.
    caplog.set_level(logging.INFO, logger="client.call.sfu_backend")
    refused = "there is no other participant nobody-here in the meeting"

    async def scenario() -> list[str]:
        viewer = HeadlessParticipant(parse_link(host.link), "Vic", NETWORK, [], time.monotonic())
        await viewer.join()
        try:
            await viewer.session.set_preferred_layer(360, target="nobody-here")
            await until(lambda: refused in caplog.text, 10.0, "the host's refusal")
            return viewer.stats.errors
        finally:
            await viewer.leave()

    errors = asyncio.run(scenario())
    assert errors == [], errors
