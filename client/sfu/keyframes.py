"""Recognising keyframes in RTP payloads, so a new subscriber starts on a decodable picture."""

from __future__ import annotations

from collections.abc import Callable

KeyframeTest = Callable[[bytes], bool]


def vp8_header_offset(payload: bytes) -> int | None:
    """Where the VP8 payload header starts after the payload descriptor (RFC 7741), for the
    first packet of a picture's first partition; None for any other packet."""
    if not payload or not payload[0] & 0x10 or payload[0] & 0x07:
        return None
    offset = 1
    if payload[0] & 0x80:  # X: extension byte follows
        if len(payload) < 2:
            return None
        extension = payload[1]
        offset = 2
        if extension & 0x80:  # I: 7- or 15-bit PictureID
            if len(payload) <= offset:
                return None
            offset += 2 if payload[offset] & 0x80 else 1
        if extension & 0x40:  # L: TL0PICIDX
            offset += 1
        if extension & 0x30:  # T or K: TID/KEYIDX byte
            offset += 1
    return offset


def vp8_is_keyframe(payload: bytes) -> bool:
    """True for the first packet of a VP8 keyframe (RFC 7741 payload descriptor + header)."""
    offset = vp8_header_offset(payload)
    # The P bit of the VP8 payload header is 0 for keyframes.
    return offset is not None and len(payload) > offset and not payload[offset] & 0x01


_H264_IDR = 5
_H264_SPS = 7
_H264_STAP_A = 24
_H264_FU_A = 28


def h264_is_keyframe(payload: bytes) -> bool:
    """True when the packet starts an IDR picture or carries an SPS (RFC 6184)."""
    if not payload:
        return False
    nal_type = payload[0] & 0x1F
    if nal_type in (_H264_IDR, _H264_SPS):
        return True
    if nal_type == _H264_FU_A:
        return len(payload) > 1 and bool(payload[1] & 0x80) and (payload[1] & 0x1F) == _H264_IDR
    if nal_type == _H264_STAP_A:
        offset = 1
        while offset + 2 < len(payload):
            size = int.from_bytes(payload[offset : offset + 2], "big")
            if size == 0:
                return False
            if payload[offset + 2] & 0x1F in (_H264_IDR, _H264_SPS):
                return True
            offset += 2 + size
    return False


def keyframe_detector(mime_type: str) -> KeyframeTest | None:
    """The test for a codec, or None for codecs without pictures (audio)."""
    name = mime_type.lower()
    if name == "video/vp8":
        return vp8_is_keyframe
    if name == "video/h264":
        return h264_is_keyframe
    return None
