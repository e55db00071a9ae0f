"""A camera sent in two or three qualities, for an SFU that gives each receiver the one it fits.

aiortc has no simulcast, so each quality is a track of its own with an encoder of its own,
all fed from one capture: :class:`TopLayerTrack` passes the camera's pictures on unchanged (so
the top layer still shrinks with the CPU, as the camera's own size does) and hands each one to
the :class:`ScaledLayerTrack` of every lower layer, which scales it once for all receivers.
"""

from __future__ import annotations

import asyncio
from typing import Any

import av
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError
from av.frame import Frame
from av.packet import Packet
from av.video.reformatter import VideoReformatter

from client.media.keyframes import without_keyframe_request

# A smaller camera goes as one layer: at 360 rows a 180-row layer saves its receivers little,
# and costs the sender an encoder and a share of a thin uplink.
MIN_LAYERED_HEIGHT = 480
MIN_LAYER_HEIGHT = 180  # no layer is smaller than this
MAX_LAYERS = 3


def _even(value: float) -> int:
    return max(2, int(value) // 2 * 2)


def layer_sizes(width: int, height: int) -> list[tuple[int, int]]:
    """(width, height) of each layer of a ``width`` x ``height`` camera, tallest first: full,
    half and quarter height while at least :data:`MIN_LAYER_HEIGHT` rows; one layer for a
    camera under :data:`MIN_LAYERED_HEIGHT` rows."""
    if height < MIN_LAYERED_HEIGHT:
        return [(width, height)]
    sizes = [(width, height)]
    for divisor in (2, 4)[: MAX_LAYERS - 1]:
        if height / divisor < MIN_LAYER_HEIGHT:
            break
        sizes.append((_even(width / divisor), _even(height / divisor)))
    return sizes


def nominal_size(track: MediaStreamTrack) -> tuple[int, int] | None:
    """The picture size a camera track was opened for (following wrapping tracks' ``source``),
    or None when it does not say."""
    current: object = track
    for _ in range(6):  # wrappers nest a few deep at most
        width, height = getattr(current, "width", None), getattr(current, "height", None)
        if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
            return width, height
        current = getattr(current, "source", None)
        if current is None:
            return None
    return None


class TopLayerTrack(MediaStreamTrack):
    """The camera's own pictures (the top layer), each also handed to the lower layers.

    Stopping it leaves the camera track alone: that one outlives a publication (it is
    published again after a reconnect)."""

    kind = "video"

    def __init__(self, source: MediaStreamTrack) -> None:
        super().__init__()
        self.source = source
        self._next_takers: list[asyncio.Future[av.VideoFrame]] = []
        self._ended = False  # the camera sends no more: nor do the lower layers

    def next_picture(self) -> asyncio.Future[av.VideoFrame]:
        """The picture the top layer takes next."""
        future: asyncio.Future[av.VideoFrame] = asyncio.get_running_loop().create_future()
        if self._ended:
            future.set_exception(MediaStreamError())
        else:
            self._next_takers.append(future)
        return future

    async def recv(self) -> Frame | Packet[Any]:
        if self.readyState != "live":
            raise MediaStreamError
        try:
            frame = await self.source.recv()
        except MediaStreamError:
            self._hand_on(None)
            raise
        if isinstance(frame, av.VideoFrame):
            self._hand_on(frame)
        return frame

    def _hand_on(self, frame: av.VideoFrame | None) -> None:
        self._ended = self._ended or frame is None
        waiting, self._next_takers = self._next_takers, []
        for future in waiting:
            if future.done():
                continue
            if frame is None:
                future.set_exception(MediaStreamError())
            else:
                future.set_result(frame)

    def stop(self) -> None:
        super().stop()
        self._hand_on(None)


class ScaledLayerTrack(MediaStreamTrack):
    """A lower layer: the top layer's pictures scaled to ``height`` rows (never up)."""

    kind = "video"

    def __init__(self, top: TopLayerTrack, width: int, height: int) -> None:
        super().__init__()
        self.top = top
        self.width, self.height = width, height
        self._scaler = VideoReformatter()

    async def recv(self) -> Frame | Packet[Any]:
        if self.readyState != "live":
            raise MediaStreamError
        frame = await self.top.next_picture()
        if frame.height <= self.height:
            return frame  # the top layer shrank this far itself (CPU): nothing to scale
        width = _even(frame.width * self.height / frame.height)
        scaled = self._scaler.reformat(frame, width=width, height=self.height, format="yuv420p")
        scaled.pts, scaled.time_base = frame.pts, frame.time_base
        return without_keyframe_request(scaled)


def layered_tracks(
    video: MediaStreamTrack, size: tuple[int, int]
) -> list[tuple[MediaStreamTrack, tuple[int, int]]]:
    """The tracks (and their sizes) to publish for a camera of ``size`` sent in layers,
    tallest first; just ``video`` when the camera is too small for layers."""
    sizes = layer_sizes(*size)
    if len(sizes) == 1:
        return [(video, size)]
    top = TopLayerTrack(video)
    lower: list[tuple[MediaStreamTrack, tuple[int, int]]] = [
        (ScaledLayerTrack(top, w, h), (w, h)) for w, h in sizes[1:]
    ]
    return [(top, sizes[0]), *lower]
