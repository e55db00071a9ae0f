"""The audio receive path: packets in order without waiting, gaps filled with real libopus.

Packets are real Opus (PyAV's libopus encoder with in-band FEC, as the microphone sends) of a
440 Hz tone, so concealment is checked on sound, not on counters alone.
"""

from __future__ import annotations

import fractions

import av
import numpy as np
import opuslib_next
from aiortc.jitterbuffer import JitterFrame
from aiortc.rtp import RtpPacket

from client.media.audio_receive import (
    HOLD_PACKETS,
    MAX_CONCEALED,
    ConcealingOpusDecoder,
    OpusPacket,
    PacketBatch,
    ReorderingAudioBuffer,
    is_concealed,
)

FRAME = 960
TONE_HZ = 440


def _opus_packets(count: int) -> list[bytes]:
    encoder = av.CodecContext.create("libopus", "w")
    encoder.bit_rate = 64000
    encoder.format = "s16"
    encoder.layout = "stereo"
    encoder.sample_rate = 48000
    encoder.time_base = fractions.Fraction(1, 48000)
    encoder.options = {"application": "voip", "fec": "1", "packet_loss": "10"}
    t = np.arange(FRAME * count) / 48000
    tone = (np.sin(2 * np.pi * TONE_HZ * t) * 8000).astype(np.int16)
    packets: list[bytes] = []
    for index in range(count):
        chunk = np.repeat(tone[index * FRAME : (index + 1) * FRAME], 2).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(chunk, format="s16", layout="stereo")
        frame.sample_rate = 48000
        frame.pts = index * FRAME
        packets += [bytes(p) for p in encoder.encode(frame)]  # type: ignore[attr-defined]
    return packets


PACKETS = _opus_packets(40)


def _rtp(seq: int, payload: bytes = b"\x00") -> RtpPacket:
    return RtpPacket(
        payload_type=111, sequence_number=seq & 0xFFFF, timestamp=seq * FRAME, payload=payload
    )


def _released(buffer: ReorderingAudioBuffer, seq: int) -> list[int]:
    _, batch = buffer.add(_rtp(seq))
    return [] if batch is None else [p.sequence_number for p in batch.packets]


def test_packets_in_order_are_handed_on_at_once() -> None:
    buffer = ReorderingAudioBuffer()
    assert [_released(buffer, s) for s in range(100, 105)] == [[100], [101], [102], [103], [104]]


def test_an_overtaken_packet_is_waited_for_briefly_and_put_back_in_order() -> None:
    buffer = ReorderingAudioBuffer()
    assert _released(buffer, 10) == [10]
    assert _released(buffer, 12) == []  # 11 missing: wait
    assert _released(buffer, 11) == [11, 12]


def test_a_lost_packet_is_given_up_after_a_few_later_ones() -> None:
    buffer = ReorderingAudioBuffer()
    _released(buffer, 10)
    waiting = [_released(buffer, 12 + i) for i in range(HOLD_PACKETS)]
    assert waiting == [[]] * HOLD_PACKETS
    assert _released(buffer, 12 + HOLD_PACKETS) == list(range(12, 13 + HOLD_PACKETS))
    # the lost one arriving after all is too late: its time was filled in
    assert _released(buffer, 11) == []
    assert buffer.late_packets == 1


def test_sequence_numbers_wrap_and_a_new_stream_starts_afresh() -> None:
    buffer = ReorderingAudioBuffer()
    assert [_released(buffer, s) for s in (65534, 65535, 0, 1)] == [[65534], [65535], [0], [1]]
    assert _released(buffer, 30000) == [30000]


def _decode_all(decoder: ConcealingOpusDecoder, seqs: list[int]) -> list[av.AudioFrame]:
    frames: list[av.AudioFrame] = []
    for seq in seqs:
        batch = PacketBatch([_packet(seq)])
        frames += decoder.decode(batch)
    return frames


def _packet(seq: int) -> OpusPacket:
    return OpusPacket(seq, seq * FRAME, PACKETS[seq])


def _decoder() -> ConcealingOpusDecoder:
    return ConcealingOpusDecoder(opuslib_next.Decoder(48000, 2))


def _tone_share(frame: av.AudioFrame) -> float:
    samples = frame.to_ndarray().reshape(-1, 2)[:, 0].astype(np.float64)
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    peak = round(TONE_HZ * len(samples) / 48000)
    return float(spectrum[peak - 2 : peak + 3].sum() / max(spectrum.sum(), 1e-9))


def test_a_lost_packet_is_rebuilt_and_the_stream_has_no_hole() -> None:
    frames = _decode_all(_decoder(), [s for s in range(20) if s != 10])
    assert len(frames) == 20
    assert [f.pts for f in frames] == [s * FRAME for s in range(20)]
    assert [is_concealed(f) for f in frames] == [s == 10 for s in range(20)]
    # the filled-in frame carries the tone on (FEC from packet 11), not silence or noise
    assert _tone_share(frames[10]) > 0.9


def test_several_lost_packets_are_filled_in_up_to_the_limit() -> None:
    decoder = _decoder()
    frames = _decode_all(decoder, [0, 1, 2, 6, 7])
    assert len(frames) == 8 and decoder.concealed_frames == 3
    assert [f.pts for f in frames] == [s * FRAME for s in range(8)]
    # an outage longer than the limit is not papered over with minutes of concealment
    outage = _decode_all(_decoder(), [0, 1, 2 + MAX_CONCEALED + 5])
    assert len(outage) == 3


def test_a_damaged_packet_is_concealed_not_dropped() -> None:
    decoder = _decoder()
    frames = decoder.decode(PacketBatch([_packet(0)]))
    frames += decoder.decode(PacketBatch([OpusPacket(1, FRAME, b"\xff" * 3)]))  # type: ignore[arg-type]
    assert len(frames) == 2 and is_concealed(frames[1])
    assert decoder.undecodable_packets == 1


def test_frames_from_aiortcs_own_buffer_still_decode() -> None:
    frames = _decoder().decode(JitterFrame(PACKETS[0], 0))
    assert len(frames) == 1 and frames[0].samples == FRAME and not is_concealed(frames[0])


def test_an_empty_packet_is_one_frame_of_concealment_not_its_longest_size() -> None:
    decoder = _decoder()
    frames = decoder.decode(PacketBatch([_packet(0)]))
    frames += decoder.decode(PacketBatch([OpusPacket(1, FRAME, b"")]))
    assert [f.samples for f in frames] == [FRAME, FRAME] and is_concealed(frames[1])
