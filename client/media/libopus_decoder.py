"""libopus's ``opus_decode`` into one buffer kept for the stream.

opuslib_next's ``Decoder.decode`` allocates a buffer for the longest Opus frame on every
call and copies the samples out through a Python list of ints: about 100 µs per 20 ms frame
with the interpreter lock held, for every remote voice, which starves the threads that bring
pictures to the screen. This calls the same libopus function (opuslib_next's binding, with
its decoder state) into a buffer made once and copies the samples out in one piece.
"""

from __future__ import annotations

import ctypes

import opuslib_next

MAX_FRAME_SAMPLES = 5760  # 120 ms at 48 kHz: Opus's longest frame


class LibopusDecoder:
    """What ``opuslib_next.Decoder.decode`` does, at a fraction of its interpreter time."""

    def __init__(self, sample_rate: int, channels: int) -> None:
        self._decoder = opuslib_next.Decoder(sample_rate, channels)  # owns and frees the state
        self._channels = channels
        self._buffer = (ctypes.c_int16 * (MAX_FRAME_SAMPLES * channels))()
        self._samples = ctypes.cast(self._buffer, opuslib_next.api.c_int16_pointer)
        self._decode = opuslib_next.api.decoder.libopus_decode

    def decode(self, data: bytes, frame_size: int, decode_fec: bool = False) -> bytes:
        """PCM (s16, interleaved) for ``data``; empty ``data`` asks for concealment of
        ``frame_size`` samples. Raises ``opuslib_next.OpusError`` when libopus refuses."""
        frame_size = min(frame_size, MAX_FRAME_SAMPLES)
        result = self._decode(
            self._decoder.decoder_state, data, len(data), self._samples, frame_size, decode_fec
        )
        if result < 0:
            raise opuslib_next.OpusError(result)
        return ctypes.string_at(self._buffer, result * self._channels * 2)
