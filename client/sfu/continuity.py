"""One subscriber's video stays one stream while the SFU changes the layer that feeds it.

Each layer of a camera is its own encoder with its own RTP timestamps and VP8 picture
numbers. When a subscriber is switched (on a keyframe of the new layer), the new layer's
timestamps are shifted to continue the old ones by the time that passed between the two
packets, and its picture numbers to continue by one (:mod:`client.sfu.vp8_descriptor`).
Sequence numbers continue on their own (:class:`client.sfu.forwarder.OutboundStream`), and the
sender reports to the subscriber add the same shift (:attr:`StreamContinuity.timestamp_offset`).
"""

from __future__ import annotations

import struct

from client.sfu.vp8_descriptor import PictureIdRewriter

_MASK = 0xFFFFFFFF
_HALF = 0x80000000


class StreamContinuity:
    """RTP timestamps (and VP8 picture numbers) of one subscriber's stream across sources."""

    __slots__ = (
        "_clock_per_ms",
        "_last_arrival_ms",
        "_last_timestamp",
        "_pictures",
        "_rebasing",
        "timestamp_offset",
    )

    def __init__(self, clock_rate: int, vp8: bool) -> None:
        self._clock_per_ms = clock_rate // 1000
        self.timestamp_offset = 0  # added to the source's timestamps (mod 2**32)
        self._last_timestamp: int | None = None  # the newest sent, rewritten
        self._last_arrival_ms = 0
        self._rebasing = False
        self._pictures = PictureIdRewriter() if vp8 else None

    def rebase(self) -> None:
        """The next packet is the first of a new source (a keyframe of another layer)."""
        self._rebasing = True
        if self._pictures is not None:
            self._pictures.rebase()

    def apply(self, buf: bytearray, timestamp: int, payload_at: int, arrival_ms: int) -> None:
        """Rewrite the timestamp (and picture numbers) of the packet in ``buf``."""
        last = self._last_timestamp
        if self._rebasing:
            self._rebasing = False
            if last is not None:
                # one tick at least: two pictures never share a timestamp
                step = max(1, (arrival_ms - self._last_arrival_ms) * self._clock_per_ms)
                self.timestamp_offset = (last + step - timestamp) & _MASK
        out = (timestamp + self.timestamp_offset) & _MASK
        if self.timestamp_offset:
            struct.pack_into("!L", buf, 4, out)
        if last is None or 0 <= ((out - last) & _MASK) < _HALF:
            self._last_timestamp = out  # a retransmission is older: the newest stays
            self._last_arrival_ms = arrival_ms
        if self._pictures is not None:
            self._pictures.rewrite(buf, payload_at)
