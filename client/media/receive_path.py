"""What every receiver in this process does with arriving media, installed once per process.

aiortc makes a receiver's jitter buffer and decoder itself and offers no per-receiver
choice, so the choice is made for the whole process (through :mod:`client.compat`) before
the first receiver exists: VP8 pictures keep their keyframe mark
(:mod:`client.media.received_keyframes`), video packets wait for a lost one only briefly
(:mod:`client.media.video_jitter`), and Opus goes through the reordering buffer and
concealing decoder of :mod:`client.media.audio_receive` when libopus can be loaded.
"""

from __future__ import annotations

import logging

from aiortc.codecs.base import Decoder
from aiortc.rtcrtpparameters import RTCRtpCodecParameters

from client import compat
from client.media.audio_receive import (
    CHANNELS,
    SAMPLE_RATE,
    ConcealingOpusDecoder,
    ReorderingAudioBuffer,
)
from client.media.received_keyframes import Vp8KeyframeMarks
from client.media.video_jitter import VideoJitterBuffer

logger = logging.getLogger(__name__)

_installed = False


def install_receive_path() -> None:
    """From now on every receiver in this process uses Runde's receive path (idempotent).

    Call before joining: a receiver makes its buffer when it is made and its decoder when
    the first frame arrives.
    """
    global _installed
    if _installed:
        return
    _installed = True
    compat.replace_video_jitter_buffers(VideoJitterBuffer)
    conceal = libopus_problem() is None
    if conceal:
        compat.replace_audio_jitter_buffers(ReorderingAudioBuffer)
    else:
        logger.warning(
            "lost audio packets cannot be filled in (%s); audio plays without concealment",
            libopus_problem(),
        )

    def decoder_for(codec: RTCRtpCodecParameters, decoder: Decoder) -> Decoder:
        mime = codec.mimeType.lower()
        if mime == "video/vp8":
            return Vp8KeyframeMarks(decoder)
        if mime == "audio/opus" and conceal:
            from client.media.libopus_decoder import LibopusDecoder

            return ConcealingOpusDecoder(LibopusDecoder(SAMPLE_RATE, CHANNELS))
        return decoder

    compat.wrap_receiver_decoders(decoder_for)
    compat.lighten_decoder_handoff()


def libopus_problem() -> str | None:
    """Why libopus cannot be used for decoding here, or None when it can."""
    try:
        import opuslib_next  # noqa: F401  (loads libopus when imported)
    except Exception as exc:  # the package raises a bare Exception when libopus is missing
        return f"libopus is missing: {exc}"
    return None
