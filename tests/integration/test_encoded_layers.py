"""A camera whose layers come ready-made (pre-encoded clips): published and chosen like any.

A publisher in this process hands :class:`EncodedLayers` (720, 360 and 180-row VP8 clips
replayed without encoding, as the load generator does) to a real meeting session on a real
host; a viewer asking for 360 rows decodes 360-row pictures of it, and 720 once it asks for
any size. Bad layers are refused with a sentence naming the problem.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from aiortc import MediaStreamTrack

from client.call.encoded_layers import EncodedLayers
from client.call.session import MeetingSession
from client.call.sfu_backend import SfuBackend
from client.headless import HeadlessParticipant
from client.netconfig import NetworkSettings, apply_bind_addresses
from client.protocol.link import parse_link
from tests.bench.media import PacketTrack, build_clip, load_clip
from tests.helpers import LOOPBACK, HostProcess, until

NETWORK = NetworkSettings(bind_addresses=(LOOPBACK,))
SIZES = ((1280, 720), (640, 360), (320, 180))
WITHIN = 30.0  # seconds for joining and the first pictures on a busy machine


@pytest.fixture(autouse=True)
def loopback_ice() -> None:
    apply_bind_addresses([LOOPBACK])


def _layers(folder: Path) -> EncodedLayers:
    tracks: list[tuple[MediaStreamTrack, tuple[int, int]]] = []
    for width, height in SIZES:
        path = folder / f"{height}.mkv"
        build_clip(path, seconds=2, size=(width, height), bitrate=200_000)
        tracks.append((PacketTrack("video", load_clip(path).video, 0), (width, height)))
    return EncodedLayers(tracks)


async def _heights_seen(link: str, camera: EncodedLayers) -> tuple[set[int], set[int]]:
    publisher = MeetingSession(lambda sink: SfuBackend(parse_link(link), NETWORK, sink))
    viewer = HeadlessParticipant(parse_link(link), "Viewer", NETWORK, [], time.monotonic())
    await viewer.session.set_preferred_layer(360)
    await publisher.join("Layers", [camera])
    await viewer.join()
    try:
        camera_id = ""

        def seen() -> bool:
            nonlocal camera_id
            camera_id = viewer.participant_named("Layers") or ""
            return camera_id in viewer.video_snapshots

        await until(seen, WITHIN, "the first picture of the ready-made layers")

        async def heights(seconds: float) -> set[int]:
            found: set[int] = set()
            for _ in range(int(seconds / 0.05)):
                found.add(viewer.video_snapshots[camera_id].height)
                await asyncio.sleep(0.05)
            return found

        asked_360 = await heights(1.5)
        await viewer.session.set_preferred_layer(None)
        # the switch waits for the top layer's next keyframe (one every 2 s in the clip)
        await until(
            lambda: viewer.video_snapshots[camera_id].height == 720, 10.0, "the 720-row layer"
        )
        return asked_360, await heights(1.0)
    finally:
        await viewer.leave()
        await publisher.leave()


def test_ready_made_layers_reach_each_viewer_in_the_size_it_asks(
    host: HostProcess, tmp_path: Path
) -> None:
    asked_360, unlimited = asyncio.run(_heights_seen(host.link, _layers(tmp_path)))
    assert asked_360 == {360}, asked_360
    assert unlimited == {720}, unlimited


def test_layers_out_of_order_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "clip.mkv"
    build_clip(path, seconds=1, size=(320, 180), bitrate=100_000)
    video = load_clip(path).video
    small = PacketTrack("video", video, 0)
    big = PacketTrack("video", video, 0)
    with pytest.raises(ValueError, match=r"layer heights must fall from the first: \[180, 360\]"):
        EncodedLayers([(small, (320, 180)), (big, (640, 360))])
    with pytest.raises(ValueError, match="needs at least one video track"):
        EncodedLayers([])
