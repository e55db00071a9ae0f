"""The camera pauses when the estimate stays under the floor, and tries again later."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
from aiortc import RTCPeerConnection, RTCRtpSender
from aiortc.mediastreams import VideoStreamTrack

from client import compat
from client.call import video_floor
from client.call.video_floor import FLOOR_BPS, HOLD_S, VideoFloor


def _sending(sender: RTCRtpSender) -> bool:
    return compat.sender_enabled(sender)


@contextlib.asynccontextmanager
async def _camera_floor() -> AsyncIterator[tuple[VideoFloor, RTCRtpSender, list[bool]]]:
    """A floor on a real (unconnected) camera sender, and the pause changes it reports."""
    pc = RTCPeerConnection()
    sender = pc.addTransceiver(VideoStreamTrack(), direction="sendonly").sender
    changes: list[bool] = []
    floor = VideoFloor(sender, changes.append)
    try:
        yield floor, sender, changes
    finally:
        floor.close()
        await pc.close()


def test_a_thin_link_pauses_video_and_a_recovered_one_resumes_it() -> None:
    async def scenario() -> list[object]:
        async with _camera_floor() as (floor, sender, changes):
            seen: list[object] = []
            floor.estimate(FLOOR_BPS * 2, 0.0)
            floor.estimate(FLOOR_BPS // 2, 1.0)  # low, but not for long yet
            seen.append((changes[:], _sending(sender)))
            floor.estimate(FLOOR_BPS // 2, 1.0 + HOLD_S)
            seen.append((changes[:], _sending(sender)))
            floor.estimate(FLOOR_BPS * 2, 10.0)  # recovered well above the floor
            seen.append((changes[:], _sending(sender), floor.pauses))
        return seen

    assert asyncio.run(scenario()) == [
        ([], True),
        ([True], False),
        ([True, False], True, 1),
    ]


def test_while_paused_it_tries_again_after_a_while(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(video_floor, "FIRST_RETRY_S", 0.05)

    async def scenario() -> tuple[list[bool], bool]:
        async with _camera_floor() as (floor, sender, changes):
            floor.estimate(FLOOR_BPS // 4, 0.0)
            floor.estimate(FLOOR_BPS // 4, HOLD_S)
            await asyncio.sleep(0.2)  # no new estimate: no video, nothing to estimate from
            return changes, _sending(sender)

    assert asyncio.run(scenario()) == ([True, False], True)


def test_an_estimate_climbing_back_under_the_floor_is_left_to_climb() -> None:
    async def scenario() -> list[bool]:
        async with _camera_floor() as (floor, _sender, changes):
            bitrate, now = FLOOR_BPS // 3, 0.0
            while bitrate < FLOOR_BPS:  # the receivers' estimators ramping up, ~8 % a second
                floor.estimate(int(bitrate), now)
                bitrate, now = bitrate * 1.08, now + 1.0
            return changes

    assert asyncio.run(scenario()) == []


def test_a_camera_that_sends_little_is_not_paused_for_its_low_estimate() -> None:
    """A still picture at a small size needs ~70 kbit/s, and the host's estimate stays within
    ~1.5 times what arrives: low, but no sign of a thin link."""

    async def scenario() -> list[bool]:
        async with _camera_floor() as (floor, _sender, changes):
            for second in range(20):
                floor.estimate(110_000, float(second), sending_bps=70_000)
            floor.estimate(110_000, 20.0, sending_bps=260_000)  # now it sends more: congested
            floor.estimate(100_000, 20.0 + HOLD_S, sending_bps=250_000)
            return changes

    assert asyncio.run(scenario()) == [True]
