"""Received keyframes keep their mark after decoding, so a receiver can count them.

aiortc decodes VP8 with libvpx, whose frames never say whether they were keyframes
(``key_frame`` is always False; ffmpeg's H.264 decoder does set it). The VP8 frame header does
say it (RFC 6386 section 9.1: bit 0 of the first byte is 0 for a keyframe), so a thin wrapper
around aiortc's decoder reads that bit and marks the pictures decoded from the frame. Only
``key_frame`` is set, never ``pict_type``: a picture passed on to an encoder must not ask it
for a keyframe (see :mod:`client.media.keyframes`).
"""

from __future__ import annotations

import av
from aiortc.codecs.base import Decoder
from aiortc.jitterbuffer import JitterFrame
from av.frame import Frame


def is_vp8_keyframe(data: bytes) -> bool:
    """Whether ``data``, one whole VP8 frame (no RTP payload descriptor), is a keyframe."""
    return bool(data) and data[0] & 0x01 == 0


class Vp8KeyframeMarks(Decoder):
    """Decodes with ``decoder`` and marks the pictures of VP8 keyframes as ``key_frame``."""

    def __init__(self, decoder: Decoder) -> None:
        self.decoder = decoder

    def decode(self, encoded_frame: JitterFrame) -> list[Frame]:
        frames = self.decoder.decode(encoded_frame)
        if is_vp8_keyframe(encoded_frame.data):
            for frame in frames:
                if isinstance(frame, av.VideoFrame):
                    # writable at run time (PyAV 18); its type stubs call it read-only
                    frame.key_frame = True  # type: ignore[misc]
        return frames
