"""libopus's ``opus_decode`` into one buffer kept for the stream.

opuslib_next's ``Decoder.decode`` allocates a buffer for the longest Opus frame on every
call and copies the samples out through a Python list of ints: about 100 µs per 20 ms frame
with the interpreter lock held, for every remote voice, which starves the threads that bring
pictures to the screen. This calls the same libopus function (opuslib_next's binding, with
its decoder state) into a buffer made once and copies the samples out in one piece.

It keeps the interpreter lock while libopus decodes (about 20 µs): voices are decoded on the
media loop (:func:`client.compat.decode_on_arrival`), and a loop that lets go of the lock
for a moment waits for it again behind every other thread that wants it.
"""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Callable

import opuslib_next

MAX_FRAME_SAMPLES = 5760  # 120 ms at 48 kHz: Opus's longest frame


class LibopusDecoder:
    """What ``opuslib_next.Decoder.decode`` does, at a fraction of its interpreter time."""

    def __init__(self, sample_rate: int, channels: int) -> None:
        self._decoder = opuslib_next.Decoder(sample_rate, channels)  # owns and frees the state
        self._channels = channels
        self._buffer = (ctypes.c_int16 * (MAX_FRAME_SAMPLES * channels))()
        self._samples = ctypes.cast(self._buffer, opuslib_next.api.c_int16_pointer)
        self._decode = _decode_keeping_the_lock()

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


@functools.cache
def _decode_keeping_the_lock() -> Callable[..., int]:
    """libopus's ``opus_decode`` as opuslib_next declares it, called without releasing the
    interpreter lock (a ``PyDLL`` function; opuslib_next loads libopus as a ``CDLL``)."""
    declared = opuslib_next.api.decoder.libopus_decode
    function = ctypes.PyDLL(opuslib_next.api.lib_location).opus_decode
    function.argtypes = declared.argtypes
    function.restype = declared.restype
    decode: Callable[..., int] = function
    return decode
