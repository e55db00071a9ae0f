"""Keyframe recognition on real encoder output, not hand-made bytes."""

from __future__ import annotations

import fractions

import av
import numpy as np
from aiortc.codecs import get_encoder
from aiortc.rtcrtpparameters import RTCRtpCodecParameters

from client.sfu.keyframes import h264_is_keyframe, keyframe_detector, vp8_is_keyframe


def encoded_payloads(mime: str, frames: int = 12) -> list[tuple[bool, list[bytes]]]:
    """(forced keyframe?, RTP payloads) per frame from aiortc's own encoder."""
    codec = RTCRtpCodecParameters(mimeType=mime, clockRate=90000, payloadType=97)
    encoder = get_encoder(codec)
    out = []
    for index in range(frames):
        image = np.full((240, 320, 3), index * 20 % 255, dtype=np.uint8)
        frame = av.VideoFrame.from_ndarray(image, format="rgb24")
        frame.pts = index * 3000
        frame.time_base = fractions.Fraction(1, 90000)
        force = index == 6
        payloads, _ = encoder.encode(frame, force_keyframe=force)
        out.append((index == 0 or force, payloads))
    return out


def test_vp8_keyframes_are_recognised() -> None:
    for is_key, payloads in encoded_payloads("video/VP8"):
        assert vp8_is_keyframe(payloads[0]) is is_key
        assert not any(vp8_is_keyframe(p) for p in payloads[1:])


def test_h264_keyframes_are_recognised() -> None:
    for is_key, payloads in encoded_payloads("video/H264"):
        assert any(h264_is_keyframe(p) for p in payloads) is is_key


def test_truncated_payloads_are_not_keyframes() -> None:
    for payload in (b"", b"\x90", b"\x90\x80", b"\x10"):
        assert vp8_is_keyframe(payload) is False
    assert h264_is_keyframe(b"") is False
    assert h264_is_keyframe(b"\x1c") is False


def test_audio_has_no_keyframes() -> None:
    assert keyframe_detector("audio/opus") is None
    assert keyframe_detector("video/VP8") is vp8_is_keyframe
