"""VP8 for a camera's lower layers: aiortc's encoder, with a ceiling that fits the picture.

aiortc's VP8 encoder follows the receiver's estimate between 250 kbit/s and 1.5 Mbit/s
whatever the picture's size. A 180-row layer exists to be cheap for thin links and small
tiles; at 1.5 Mbit/s it would be neither. :class:`CappedVp8Encoder` follows the estimate up
to a ceiling for its height (:func:`bitrate_cap`) and may go below aiortc's floor.
"""

from __future__ import annotations

from aiortc import RTCRtpSender
from aiortc.codecs.vpx import DEFAULT_BITRATE, MAX_BITRATE, Vp8Encoder

from client import compat

FULL_HEIGHT = 720  # the height aiortc's ceiling suits
LOWEST_CAP = 150_000  # bits/s: even a small layer gets enough for a usable picture
MIN_TARGET = 100_000


def bitrate_cap(height: int) -> int:
    """Bits per second a layer ``height`` rows tall needs at most (~190k at 180, ~530k at 360)."""
    return max(LOWEST_CAP, min(MAX_BITRATE, int(MAX_BITRATE * (height / FULL_HEIGHT) ** 1.5)))


class CappedVp8Encoder(Vp8Encoder):
    """aiortc's VP8 encoder, following the receiver's estimate up to ``cap`` bits/s only."""

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.cap = cap
        self._target = min(DEFAULT_BITRATE, cap)

    @property
    def target_bitrate(self) -> int:
        return self._target

    @target_bitrate.setter
    def target_bitrate(self, bitrate: int) -> None:
        self._target = max(MIN_TARGET, min(bitrate, self.cap))


def use_layer_encoder(sender: RTCRtpSender, height: int) -> CappedVp8Encoder:
    """Make ``sender`` (a VP8 layer ``height`` rows tall) encode with a ceiling for its size;
    call before it starts sending."""
    encoder = CappedVp8Encoder(bitrate_cap(height))
    compat.set_sender_encoder(sender, encoder)
    return encoder
