"""Captured pictures go to the encoder without a keyframe request.

PyAV marks every picture decoded from lavfi, MJPEG, raw video and v4l2 capture as a complete
picture (``pict_type = I``), ``reformat()`` copies that mark, and aiortc's VP8 encoder takes it
as "encode a keyframe": a camera would send nothing but keyframes, at twice the bitrate asked
for (docs/benchmarks.md; aiortc's H.264 encoder sets the mark itself). Every picture that
enters the send path passes :func:`without_keyframe_request`; keyframes then come only from
the encoder (its first picture, PLI/FIR from a receiver, its own interval).
"""

from __future__ import annotations

from typing import Any

import av
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError
from av.frame import Frame
from av.packet import Packet
from av.video.frame import PictureType


def without_keyframe_request(frame: av.VideoFrame) -> av.VideoFrame:
    """``frame``, no longer asking the encoder for a keyframe (changed in place)."""
    frame.pict_type = PictureType.NONE
    return frame


class CapturedVideoTrack(MediaStreamTrack):
    """``source``'s pictures with the keyframe request taken off (for decoded files, test
    signals and devices opened through aiortc's MediaPlayer). Stopping it stops ``source``."""

    kind = "video"
    # the size the source was opened for, when it is known (a test signal): a camera of
    # 360 rows or more is sent in layers (client/media/video_layers.py)
    width: int | None = None
    height: int | None = None

    def __init__(self, source: MediaStreamTrack) -> None:
        super().__init__()
        self.source = source

    async def recv(self) -> Frame | Packet[Any]:
        if self.readyState != "live":
            raise MediaStreamError
        frame = await self.source.recv()
        if isinstance(frame, av.VideoFrame):
            return without_keyframe_request(frame)
        return frame

    def stop(self) -> None:
        super().stop()
        self.source.stop()
