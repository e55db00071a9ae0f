"""The picture size a VP8 keyframe states in its first RTP packet.

A browser's simulcast layers announce no size (only rids), but every VP8 keyframe starts with
its width and height (RFC 6386 §9.1: a 3-byte frame tag, the start code 9d 01 2a, then 14 bits
of width and 14 of height, each with 2 bits of scaling above). The SFU reads them from the
keyframe's first packet to know which layer is how tall.
"""

from __future__ import annotations

from client.sfu.keyframes import vp8_header_offset

_START_CODE = b"\x9d\x01\x2a"


def vp8_keyframe_size(payload: bytes) -> tuple[int, int] | None:
    """(width, height) of the keyframe whose first RTP packet ``payload`` is; None for any
    other packet."""
    offset = vp8_header_offset(payload)
    if offset is None or len(payload) < offset + 10:
        return None
    if payload[offset] & 0x01:  # P bit set: an interframe
        return None
    if payload[offset + 3 : offset + 6] != _START_CODE:
        return None
    width = int.from_bytes(payload[offset + 6 : offset + 8], "little") & 0x3FFF
    height = int.from_bytes(payload[offset + 8 : offset + 10], "little") & 0x3FFF
    if not width or not height:
        return None
    return width, height
