"""A camera whose layers are made elsewhere: tracks of one size each, published as they are.

:class:`~client.call.sfu_peers.SfuPeers` makes the layers of a camera itself (one capture,
scaled and encoded per layer). A sender that already has its layers, e.g. pre-encoded clips
replayed by a load generator, hands them over in an :class:`EncodedLayers` instead: each
layer goes out on a transceiver of its own and is announced in ``publish.layers`` exactly as
the camera's own layers would be.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError
from av.frame import Frame
from av.packet import Packet


class EncodedLayers(MediaStreamTrack):
    """Stands for one camera in a publication; ``layers`` are its tracks with their
    (width, height), tallest first. This track itself never sends: its layers do."""

    kind = "video"

    def __init__(self, layers: Sequence[tuple[MediaStreamTrack, tuple[int, int]]]) -> None:
        super().__init__()
        if not layers or any(track.kind != "video" for track, _ in layers):
            raise ValueError("a camera in layers needs at least one video track")
        heights = [height for _, (_, height) in layers]
        if heights != sorted(heights, reverse=True) or len(set(heights)) != len(heights):
            raise ValueError(f"layer heights must fall from the first: {heights}")
        self.layers = list(layers)

    async def recv(self) -> Frame | Packet[Any]:
        raise MediaStreamError  # only the layers are sent

    def stop(self) -> None:
        super().stop()
        for track, _ in self.layers:
            track.stop()
