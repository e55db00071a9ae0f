"""The microphone's encoder sends Opus with in-band FEC, set on the negotiated sender."""

from __future__ import annotations

import asyncio
import fractions

import av
import numpy as np
import opuslib_next
import pytest
from aiortc import RTCPeerConnection
from aiortc.codecs.opus import OpusEncoder
from aiortc.mediastreams import AudioStreamTrack

from client.media.voice_encoder import use_voice_encoder, voice_encoder
from tests.unit.test_audio_receive import FRAME, TONE_HZ

NEW_TONE_HZ = 1000


def _tone_frames(count: int, change_at: int) -> list[av.AudioFrame]:
    """A 440 Hz tone that jumps to 1 kHz at frame ``change_at``."""
    t = np.arange(FRAME * count) / 48000
    hz = np.where(np.arange(FRAME * count) < change_at * FRAME, TONE_HZ, NEW_TONE_HZ)
    tone = (np.sin(2 * np.pi * hz * t) * 8000).astype(np.int16)
    frames = []
    for index in range(count):
        chunk = np.repeat(tone[index * FRAME : (index + 1) * FRAME], 2).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(chunk, format="s16", layout="stereo")
        frame.sample_rate = 48000
        frame.pts = index * FRAME
        frame.time_base = fractions.Fraction(1, 48000)
        frames.append(frame)
    return frames


@pytest.mark.parametrize("fec", [True, False])
def test_a_lost_packet_can_be_rebuilt_from_the_next_one(fec: bool) -> None:
    """The lost frame is where the tone changes: concealment would guess the old tone on,
    only the redundancy in the next packet knows the new one."""
    encoder = voice_encoder() if fec else OpusEncoder()
    packets = []
    for frame in _tone_frames(20, change_at=10):
        payloads, _ = encoder.encode(frame)
        packets += payloads
    decoder = opuslib_next.Decoder(48000, 2)
    for packet in packets[:10]:
        decoder.decode(packet, 5760)
    rebuilt = decoder.decode(packets[11], FRAME, decode_fec=True)  # packet 10 was lost
    samples = np.frombuffer(rebuilt, dtype=np.int16).reshape(-1, 2)
    spectrum = np.abs(np.fft.rfft(samples[:, 0] * np.hanning(len(samples))))
    dominant_hz = float(np.argmax(spectrum)) * 48000 / len(samples)
    if fec:
        assert abs(dominant_hz - NEW_TONE_HZ) < 60
    else:
        assert abs(dominant_hz - NEW_TONE_HZ) > 200  # plain Opus: only a guess from the past


def test_the_negotiated_opus_sender_gets_the_fec_encoder() -> None:
    async def negotiate() -> tuple[bool, bool]:
        sender_pc, receiver_pc = RTCPeerConnection(), RTCPeerConnection()
        try:
            audio = sender_pc.addTransceiver(AudioStreamTrack(), direction="sendonly")
            video = sender_pc.addTransceiver("video", direction="sendonly")
            await sender_pc.setLocalDescription(await sender_pc.createOffer())
            await receiver_pc.setRemoteDescription(sender_pc.localDescription)
            await receiver_pc.setLocalDescription(await receiver_pc.createAnswer())
            await sender_pc.setRemoteDescription(receiver_pc.localDescription)
            return use_voice_encoder(audio), use_voice_encoder(video)
        finally:
            await sender_pc.close()
            await receiver_pc.close()

    assert asyncio.run(negotiate()) == (True, False)
