"""client/media/libopus_decoder.py decodes exactly what opuslib_next's decoder does: frames,
in-band FEC and concealment, on real Opus from libopus's encoder."""

from __future__ import annotations

import math
import struct

import opuslib_next
import pytest

from client.media.libopus_decoder import LibopusDecoder


def _tone(frame: int, samples: int = 960) -> bytes:
    values = []
    for index in range(samples):
        value = int(8000 * math.sin((frame * samples + index) * 2 * math.pi * 440 / 48000))
        values += [value, value]
    return struct.pack(f"<{len(values)}h", *values)


def test_same_samples_as_opuslib_for_frames_fec_and_concealment() -> None:
    encoder = opuslib_next.Encoder(48000, 2, opuslib_next.APPLICATION_VOIP)
    encoder.inband_fec = True
    encoder.packet_loss_perc = 20
    packets = [encoder.encode(_tone(frame), 960) for frame in range(30)]
    ours, theirs = LibopusDecoder(48000, 2), opuslib_next.Decoder(48000, 2)
    for index, packet in enumerate(packets):
        if index % 7 == 3:  # lost: concealed, or rebuilt from the next packet's redundancy
            fec = index % 2 == 1
            data = packets[index + 1] if fec else b""
            expected = theirs.decode(data, 960, decode_fec=fec)
            assert ours.decode(data, 960, decode_fec=fec) == expected
            assert len(expected) == 960 * 4
            continue
        expected = theirs.decode(packet, 5760, decode_fec=False)
        assert ours.decode(packet, 5760) == expected
        assert len(expected) == 960 * 4


def test_a_damaged_packet_raises_opus_error() -> None:
    with pytest.raises(opuslib_next.OpusError):
        LibopusDecoder(48000, 2).decode(b"\xff\xff\xff", 960)
