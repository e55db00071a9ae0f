"""client/media/layer_encoder.py: a lower layer's encoder stays under a ceiling for its size."""

from __future__ import annotations

from fractions import Fraction

import av

from client.media.layer_encoder import CappedVp8Encoder, bitrate_cap


def test_caps_grow_with_the_picture() -> None:
    assert bitrate_cap(180) < bitrate_cap(270) < bitrate_cap(360) < bitrate_cap(540)
    assert 150_000 <= bitrate_cap(180) <= 250_000
    assert 400_000 <= bitrate_cap(360) <= 700_000
    assert bitrate_cap(1080) == 1_500_000  # aiortc's own ceiling


def test_the_estimate_is_followed_under_the_cap_only() -> None:
    encoder = CappedVp8Encoder(bitrate_cap(180))
    assert encoder.target_bitrate == bitrate_cap(180)  # starts at most at the cap
    encoder.target_bitrate = 5_000_000
    assert encoder.target_bitrate == bitrate_cap(180)
    encoder.target_bitrate = 120_000  # under aiortc's 250 kbit/s floor: still followed
    assert encoder.target_bitrate == 120_000


def test_it_encodes_at_its_target() -> None:
    encoder = CappedVp8Encoder(200_000)
    frame = av.VideoFrame(320, 180, "yuv420p")
    frame.pts, frame.time_base = 0, Fraction(1, 90000)
    payloads, _ = encoder.encode(frame)
    assert payloads
    assert encoder.codec is not None and encoder.codec.bit_rate == 200_000
