"""One subscriber's video stays one stream while the SFU changes the layer that feeds it.

Each layer of a camera is its own encoder with its own RTP timestamps and VP8 picture
numbers. When a subscriber is switched (on a keyframe of the new layer), the new layer's
timestamps are shifted to continue the old ones by the time that passed between the two
packets, and its picture numbers to continue by one (:mod:`client.sfu.vp8_descriptor`); what
was sent last is read back from the last packet sent, so a stream that was never switched
costs one check per packet. Sequence numbers continue on their own
(:class:`client.sfu.outbound.OutboundStream`), and the sender reports to the subscriber add
the same shift (:attr:`StreamContinuity.timestamp_offset`).
"""

from __future__ import annotations

import struct

from client.sfu.vp8_descriptor import PictureIdRewriter

_MASK = 0xFFFFFFFF


def payload_offset(packet: bytes | bytearray) -> int:
    """Where the payload of a serialised RTP packet starts (after CSRCs and extensions)."""
    at = 12 + 4 * (packet[0] & 0x0F)
    if packet[0] & 0x10 and len(packet) >= at + 4:
        at += 4 + 4 * struct.unpack_from("!H", packet, at + 2)[0]
    return at


class StreamContinuity:
    """RTP timestamps (and VP8 picture numbers) of one subscriber's stream across sources."""

    __slots__ = (
        "_clock_per_ms",
        "_last_arrival_ms",
        "_last_timestamp",
        "_pictures",
        "_rebasing",
        "_shifting",
        "timestamp_offset",
    )

    def __init__(self, clock_rate: int, vp8: bool) -> None:
        self._clock_per_ms = clock_rate // 1000
        self.timestamp_offset = 0  # added to the source's timestamps (mod 2**32)
        self._last_timestamp: int | None = None  # of the last packet sent, at a switch
        self._last_arrival_ms = 0  # when the newest packet sent arrived
        self._rebasing = False
        self._shifting = False  # packets need rewriting
        self._pictures = PictureIdRewriter() if vp8 else None

    def rebase(self, last_sent: bytes | None) -> None:
        """The next packet is the first of a new source (a keyframe of another layer);
        ``last_sent`` is the last packet sent to the subscriber (None: nothing yet)."""
        self._rebasing = self._shifting = True
        at = payload_offset(last_sent) if last_sent is not None else 0
        self._last_timestamp = (
            struct.unpack_from("!L", last_sent, 4)[0] if last_sent is not None else None
        )
        if self._pictures is not None:
            self._pictures.rebase(last_sent, at)

    def apply(self, buf: bytearray, timestamp: int, payload_at: int, arrival_ms: int) -> None:
        """Rewrite the timestamp (and picture numbers) of the packet in ``buf``."""
        if not self._shifting:
            self._last_arrival_ms = arrival_ms
            return
        if self._rebasing:
            self._rebasing = False
            last = self._last_timestamp
            if last is not None:
                # one tick at least: two pictures never share a timestamp
                step = max(1, (arrival_ms - self._last_arrival_ms) * self._clock_per_ms)
                self.timestamp_offset = (last + step - timestamp) & _MASK
        if self.timestamp_offset:
            struct.pack_into("!L", buf, 4, (timestamp + self.timestamp_offset) & _MASK)
        if arrival_ms > self._last_arrival_ms:
            self._last_arrival_ms = arrival_ms
        pictures = self._pictures
        if pictures is not None:
            pictures.rewrite(buf, payload_at)
            self._shifting = bool(self.timestamp_offset) or pictures.shifts
        else:
            self._shifting = bool(self.timestamp_offset)
