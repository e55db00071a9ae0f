"""client/sfu/forwarder.py: the sequence numbers a subscriber sees."""

from __future__ import annotations

import asyncio
import struct

from aiortc import RTCPeerConnection
from aiortc.rtp import RtpPacket

from client.sfu.forwarder import OutboundStream


def _numbers(keep_history: bool, arrivals: list[tuple[int, int]]) -> list[int]:
    async def scenario() -> list[int]:
        pc = RTCPeerConnection()
        try:
            sender = pc.addTransceiver("video").sender
            outbound = OutboundStream(sender, 96, keep_history=keep_history)
            out = []
            for seq, ssrc in arrivals:
                data = RtpPacket(payload_type=96, sequence_number=seq, ssrc=ssrc).serialize()
                out.append(struct.unpack_from("!H", outbound.prepare(data, seq, ssrc), 2)[0])
            return out
        finally:
            await pc.close()

    return asyncio.run(scenario())


def test_video_keeps_the_publishers_gaps_and_fills_them_late() -> None:
    # 502 was lost and comes back as a retransmission after 504.
    got = _numbers(True, [(500, 1), (501, 1), (503, 1), (504, 1), (502, 1), (505, 1)])
    assert got == [0, 1, 3, 4, 2, 5]


def test_video_continues_across_a_new_publisher_stream_and_a_wrap() -> None:
    got = _numbers(True, [(65534, 1), (65535, 1), (0, 1), (9000, 2), (9001, 2)])
    assert got == [0, 1, 2, 3, 4]


def test_audio_is_numbered_without_gaps() -> None:
    # Packets the loudest-speaker gate left out are no loss for the subscriber.
    assert _numbers(False, [(10, 1), (15, 1), (16, 1)]) == [0, 1, 2]
