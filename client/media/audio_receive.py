"""Received Opus audio: packets in order without waiting, and lost packets filled in.

aiortc's audio receiver holds every packet until four later frames have arrived (~80 ms) and,
when one packet is lost, holds everything behind it until sixteen more have come and then
drops them: a single lost packet silences ~320 ms. Here, instead:

- :class:`ReorderingAudioBuffer` hands each packet on the moment it arrives in order. Only a
  gap makes it wait, and only until :data:`HOLD_PACKETS` later packets have come, in case the
  missing one was merely overtaken; then it gives the gap up.
- :class:`ConcealingOpusDecoder` decodes with libopus itself (through ``opuslib_next``), which
  PyAV cannot do: for a gap it rebuilds the last missing frame from the redundancy the sender
  put into the next packet (Opus in-band FEC) and the others by libopus's packet-loss
  concealment, so the stream that comes out has no holes. Concealed frames carry
  :data:`CONCEALED` in ``frame.opaque`` for the statistics.

How long audio waits before it plays is decided once, by the playout's adaptive buffer
(:mod:`client.media.jitter`), not stacked here.
"""

from __future__ import annotations

import fractions
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import av
from aiortc.codecs.base import Decoder
from aiortc.jitterbuffer import JitterFrame
from aiortc.rtp import RtpPacket
from av.frame import Frame

logger = logging.getLogger(__name__)

SAMPLE_RATE = 48000
CHANNELS = 2  # libopus decodes mono streams to stereo as well; the playout mixes stereo
TIME_BASE = fractions.Fraction(1, SAMPLE_RATE)
MAX_FRAME_SAMPLES = 5760  # 120 ms, the longest Opus packet
DEFAULT_FRAME_SAMPLES = 960  # 20 ms, what browsers and aiortc send

HOLD_PACKETS = 2  # later packets to wait for a missing one (~40 ms, only when one is missing)
MAX_CONCEALED = 5  # frames filled in per gap (~100 ms); a longer gap is an outage, not loss
RESYNC_DISTANCE = 1000  # a jump this far is a new stream, not loss
CONCEALED = "concealed"  # frame.opaque of frames filled in for lost packets


@dataclass(frozen=True)
class OpusPacket:
    sequence_number: int
    timestamp: int
    data: bytes


class PacketBatch(JitterFrame):
    """Packets released together, in sequence order (aiortc passes one object per call)."""

    def __init__(self, packets: list[OpusPacket]) -> None:
        super().__init__(data=b"", timestamp=packets[0].timestamp)
        self.packets = packets


class ReorderingAudioBuffer:
    """aiortc's ``JitterBuffer`` interface for one audio receiver (see the module docstring)."""

    def __init__(self) -> None:
        self._expected: int | None = None
        self._held: dict[int, OpusPacket] = {}
        self.late_packets = 0

    def add(self, packet: RtpPacket) -> tuple[bool, PacketBatch | None]:
        seq = packet.sequence_number
        expected = seq if self._expected is None else self._expected
        ahead = (seq - expected) & 0xFFFF
        if ahead >= 0x8000:
            # Older than what was already handed on: its time has been filled in.
            self.late_packets += 1
            return False, None
        released: list[OpusPacket] = []
        if ahead > RESYNC_DISTANCE:
            released = [self._held.pop(s) for s in sorted(self._held, key=_after(expected))]
            expected = seq
        # For Opus the RTP payload is the codec packet (nothing to depayload).
        self._held[seq] = OpusPacket(seq, packet.timestamp, packet.payload)
        self._expected = expected
        return False, _batch(released + self._release())

    def _release(self) -> list[OpusPacket]:
        out: list[OpusPacket] = []
        expected = self._expected
        assert expected is not None
        while True:
            while expected in self._held:
                out.append(self._held.pop(expected))
                expected = (expected + 1) & 0xFFFF
            if len(self._held) <= HOLD_PACKETS:
                self._expected = expected
                return out
            # Waited long enough for the missing packet: give it up, go on with the next.
            expected = min(self._held, key=_after(expected))


def _after(start: int) -> Callable[[int], int]:
    """Sort key: how far a sequence number lies after ``start`` (modulo 2**16)."""
    return lambda seq: (seq - start) & 0xFFFF


def _batch(packets: list[OpusPacket]) -> PacketBatch | None:
    return PacketBatch(packets) if packets else None


class ConcealingOpusDecoder(Decoder):
    """Opus to s16 stereo 48 kHz frames, filling gaps in the sequence numbers (see above)."""

    def __init__(self, opus_decoder: Any) -> None:
        self._opus = opus_decoder  # LibopusDecoder (or opuslib_next.Decoder), 48 kHz stereo
        self._next_seq: int | None = None
        self._frame_samples = DEFAULT_FRAME_SAMPLES
        self.concealed_frames = 0
        self.undecodable_packets = 0

    def decode(self, encoded_frame: JitterFrame) -> list[Frame]:
        if not isinstance(encoded_frame, PacketBatch):
            # aiortc's own buffer (a receiver made before the path was installed): in order.
            raw = OpusPacket(-1, encoded_frame.timestamp, encoded_frame.data)
            return self._decode_packet(raw, encoded_frame.timestamp)
        # aiortc rewrote the batch's timestamp to its own timeline; the others follow it.
        first = encoded_frame.packets[0].timestamp
        frames: list[Frame] = []
        for packet in encoded_frame.packets:
            pts = encoded_frame.timestamp + ((packet.timestamp - first) & 0xFFFFFFFF)
            frames += self._decode_packet(packet, pts)
        return frames

    def _decode_packet(self, packet: OpusPacket, pts: int) -> list[Frame]:
        frames: list[Frame] = []
        if packet.sequence_number >= 0:
            missing = 0
            if self._next_seq is not None:
                missing = (packet.sequence_number - self._next_seq) & 0xFFFF
            self._next_seq = (packet.sequence_number + 1) & 0xFFFF
            if 0 < missing <= MAX_CONCEALED:
                frames += self._conceal(missing, packet.data, pts)
        # An empty payload would ask libopus for concealment of its longest size (120 ms).
        pcm = self._run(packet.data, MAX_FRAME_SAMPLES, fec=False) if packet.data else None
        if pcm is None:
            self.undecodable_packets += 1
            pcm = self._run(b"", self._frame_samples, fec=False)  # play concealment instead
            if pcm is None:
                return frames
            frames.append(_frame(pcm, pts, concealed=True))
            self.concealed_frames += 1
            return frames
        self._frame_samples = len(pcm) // (2 * CHANNELS) or DEFAULT_FRAME_SAMPLES
        frames.append(_frame(pcm, pts, concealed=False))
        return frames

    def _conceal(self, missing: int, next_data: bytes, next_pts: int) -> list[Frame]:
        frames: list[Frame] = []
        size = self._frame_samples
        for index in range(missing):
            last = index == missing - 1
            # The last missing frame may travel as redundancy inside the packet after it.
            pcm = self._run(next_data, size, fec=True) if last else None
            if pcm is None:
                pcm = self._run(b"", size, fec=False)
            if pcm is None:
                continue
            frames.append(_frame(pcm, next_pts - (missing - index) * size, concealed=True))
            self.concealed_frames += 1
        return frames

    def _run(self, data: bytes, samples: int, *, fec: bool) -> bytes | None:
        try:
            pcm: bytes = self._opus.decode(data, samples, decode_fec=fec)
        except Exception as exc:  # opuslib_next raises OpusError (an Exception) on bad data
            logger.debug("Opus could not decode a packet: %s", exc)
            return None
        return pcm


def _frame(pcm: bytes, pts: int, *, concealed: bool) -> av.AudioFrame:
    # (PyAV's from_ndarray checks and copies through numpy: twice the time of this)
    frame = av.AudioFrame(format="s16", layout="stereo", samples=len(pcm) // (2 * CHANNELS))
    frame.planes[0].update(pcm)
    frame.sample_rate = SAMPLE_RATE
    frame.pts = pts
    frame.time_base = TIME_BASE
    if concealed:
        frame.opaque = CONCEALED
    return frame


def is_concealed(frame: Frame) -> bool:
    """Whether ``frame`` was filled in for a lost packet rather than decoded from one."""
    return getattr(frame, "opaque", None) == CONCEALED
