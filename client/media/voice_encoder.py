"""The microphone's Opus encoder, with in-band forward error correction on.

aiortc makes a plain Opus encoder; with FEC each packet also carries a low-rate copy of the
one before it, so a receiver that lost a packet rebuilds it from the next
(:mod:`client.media.audio_receive`, browsers alike) instead of guessing. It costs a few
kbit/s on a 96 kbit/s voice.
"""

from __future__ import annotations

from aiortc import RTCRtpTransceiver
from aiortc.codecs.opus import OpusEncoder

from client import compat

# libopus adds the redundancy only when it expects loss; 10 % is what it then plans for.
EXPECTED_LOSS_PERCENT = 10


def voice_encoder() -> OpusEncoder:
    encoder = OpusEncoder()
    # Options take effect when the codec opens, on the first frame.
    encoder.codec.options = {
        **encoder.codec.options,
        "fec": "1",
        "packet_loss": str(EXPECTED_LOSS_PERCENT),
    }
    return encoder


def use_voice_encoder(transceiver: RTCRtpTransceiver) -> bool:
    """After negotiation, before sending starts: encode ``transceiver``'s audio with FEC when
    Opus was negotiated (another codec keeps aiortc's encoder). True when it was set."""
    codecs = compat.transceiver_codecs(transceiver)
    if transceiver.kind != "audio" or not codecs or codecs[0].mimeType.lower() != "audio/opus":
        return False
    compat.set_sender_encoder(transceiver.sender, voice_encoder())
    return True
