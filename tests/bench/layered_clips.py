"""Pre-encoded camera layers for the load generator: one VP8 clip per layer of a 720p camera.

A Runde camera of 1280x720 goes out as 720, 360 and 180 rows (client/media/video_layers.py).
These clips are the same testsrc picture at those sizes, encoded once with PyAV; a generator
participant replays them from the same offset on three transceivers
(:class:`~client.call.encoded_layers.EncodedLayers`), so the SFU can give each subscriber the
layer its tile asks for. The two lower layers have the bitrate ceiling the app's layer encoder
gives their height (client/media/layer_encoder.py: ~530 and ~190 kbit/s). The top layer has
600 kbit/s, not the 1.5 Mbit/s a Runde camera may reach: no tile of the 1100x700 window asks
for it, and at 1.5 Mbit/s eight of them (~1,400 packets/s) starved the generator's loop on a
2-core machine until the host dropped its participants.
"""

from __future__ import annotations

from pathlib import Path

import av
from aiortc import MediaStreamTrack

from client.call.encoded_layers import EncodedLayers
from client.media.layer_encoder import bitrate_cap
from tests.bench.media import PacketTrack, build_clip, load_clip

LAYER_SIZES = ((1280, 720), (640, 360), (320, 180))  # a 720p camera's layers, tallest first
TOP_LAYER_BITRATE = 600_000  # bits/s; see above


def build_layer_clips(folder: Path) -> list[Path]:
    """Encode one clip per layer into ``folder``; their paths, tallest first."""
    paths = []
    for width, height in LAYER_SIZES:
        path = folder / f"layer-{height}.mkv"
        top = height == LAYER_SIZES[0][1]
        build_clip(
            path, size=(width, height), bitrate=TOP_LAYER_BITRATE if top else bitrate_cap(height)
        )
        paths.append(path)
    return paths


def _video_size(path: Path) -> tuple[int, int]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return stream.codec_context.width, stream.codec_context.height


class LayerClips:
    """The layer clips loaded once per process, each with its picture size."""

    def __init__(self, paths: list[Path]) -> None:
        self.layers = [(load_clip(path).video, _video_size(path)) for path in paths]

    def camera(self, offset_share: float) -> MediaStreamTrack:
        """A camera in layers whose every layer starts ``offset_share`` (0..1) into its clip,
        so all layers show the same moment."""
        tracks: list[tuple[MediaStreamTrack, tuple[int, int]]] = [
            (PacketTrack("video", video, int(offset_share * len(video))), size)
            for video, size in self.layers
        ]
        return EncodedLayers(tracks)
