"""A camera in layers on Janus, and two viewers: `python -m tests.integration.janus_layers_meeting`.

Run inside the Janus test namespace (``test_janus_layers.py`` does). "Layers" publishes
audio and an :class:`EncodedLayers` camera (three pre-encoded VP8 clips of different
heights, replayed without encoding) through :class:`JanusBackend`; "Viewer" asks for no
particular size, "Small" asks for pictures at most ``--small-height`` rows before it joins.
Both decode what they receive. Written to ``--out``: per viewer, the tracks it got from
"Layers" by kind, the heights of the pictures it decoded, and how many.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import cast

from aiortc import MediaStreamTrack

from client.call import events
from client.call.backend import EventSink, MeetingBackend
from client.call.encoded_layers import EncodedLayers
from client.call.janus_backend import JanusBackend
from client.call.session import BackendFactory, MeetingSession
from client.headless import HeadlessParticipant
from client.netconfig import NetworkSettings, apply_bind_addresses
from client.protocol.link import MeetingLink
from tests.bench.media import PacketTrack, build_clip, load_clip

LAYER_SIZES = ((320, 180), (160, 90), (96, 54))  # small, so the test stays quick
PUBLISHER = "Layers"


def _camera(folder: Path) -> tuple[PacketTrack, EncodedLayers]:
    layers: list[tuple[MediaStreamTrack, tuple[int, int]]] = []
    audio: PacketTrack | None = None
    for width, height in LAYER_SIZES:
        path = folder / f"layer-{height}.mkv"
        build_clip(path, seconds=2, size=(width, height), bitrate=150_000)
        clip = load_clip(path)
        layers.append((PacketTrack("video", clip.video, 0), (width, height)))
        audio = audio or PacketTrack("audio", clip.audio, 0)
    assert audio is not None
    return audio, EncodedLayers(layers)


class Viewer(HeadlessParticipant):
    """Decodes what it receives and notes each track and picture height from "Layers"."""

    def __init__(self, name: str, factory: BackendFactory, network: NetworkSettings) -> None:
        super().__init__(
            cast(MeetingLink, None), name, network, [], time.monotonic(), backend=factory
        )
        self.tracks: dict[str, int] = {"audio": 0, "video": 0}
        self.heights: dict[int, int] = {}

    def _on_event(self, event: events.MeetingEvent) -> None:
        if isinstance(event, events.RemoteTrackAdded) and self._is_publisher(event.participant_id):
            self.tracks[event.track.kind] += 1
        super()._on_event(event)

    def _is_publisher(self, participant_id: str) -> bool:
        return self.participant_named(PUBLISHER) == participant_id

    async def watch(self, seconds: float) -> None:
        for _ in range(int(seconds / 0.05)):
            publisher = self.participant_named(PUBLISHER)
            picture = self.video_snapshots.get(publisher or "")
            if picture is not None:
                self.heights[picture.height] = self.heights.get(picture.height, 0) + 1
            await asyncio.sleep(0.05)

    def report(self) -> dict[str, object]:
        publisher = self.participant_named(PUBLISHER) or ""
        counts = self.stats.counts_of(publisher)
        return {
            "tracks": self.tracks,
            "heights": {str(h): n for h, n in sorted(self.heights.items())},
            "video_frames": counts.video_frames,
            "audio_frames": counts.audio_frames,
        }


async def run(args: argparse.Namespace) -> int:
    network = NetworkSettings(bind_addresses=(args.bind,))

    def janus(sink: EventSink) -> MeetingBackend:
        return JanusBackend(args.url, args.room, network, sink)

    audio, camera = _camera(args.work)
    publisher = MeetingSession(janus)
    viewer = Viewer("Viewer", janus, network)
    small = Viewer("Small", janus, network)
    await small.session.set_preferred_layer(args.small_height)
    await publisher.join(PUBLISHER, [audio, camera])
    try:
        await viewer.join()
        await small.join()
        await asyncio.sleep(args.settle)  # first keyframe: one every 2 s in the clips
        await asyncio.gather(viewer.watch(args.seconds), small.watch(args.seconds))
    finally:
        await asyncio.gather(viewer.leave(), small.leave(), return_exceptions=True)
        await publisher.leave()
    report = {"Viewer": viewer.report(), "Small": small.report()}
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--room", type=int, required=True)
    parser.add_argument("--bind", required=True, help="gather ICE candidates on this address")
    parser.add_argument("--work", type=Path, required=True, help="folder for the clips")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--small-height", type=int, default=100)
    parser.add_argument("--settle", type=float, default=4.0)
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    apply_bind_addresses([args.bind])
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
