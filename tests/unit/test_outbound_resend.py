"""client/sfu/outbound.py: a lost packet is sent again a few times, not on every NACK.

aiortc's receiver lists every number still missing in each NACK it sends, and sends one on
every new gap: on a thin link answering each in full sent the same packets many times over.
"""

from __future__ import annotations

import asyncio
import struct

from aiortc import RTCPeerConnection
from aiortc.rtp import RtpPacket

from client.sfu.outbound import MAX_RESENDS, RESEND_INTERVAL, OutboundStream


def _resent(nacks: list[tuple[float, list[int]]]) -> list[int]:
    """The numbers sent again, for NACKs (when, numbers) after packets 0..9 went out."""

    async def scenario() -> list[int]:
        pc = RTCPeerConnection()
        try:
            outbound = OutboundStream(pc.addTransceiver("video").sender, 96, keep_history=True)
            sent: list[int] = []
            outbound.send = lambda data, payload_size=0: sent.append(  # type: ignore[method-assign]
                struct.unpack_from("!H", data, 2)[0]
            )
            for seq in range(10):
                data = RtpPacket(payload_type=96, sequence_number=seq, ssrc=5).serialize()
                outbound.prepare(data, seq, 5)
            for when, numbers in nacks:
                for seq in numbers:
                    outbound.retransmit(seq, now=when)
            return sent
        finally:
            await pc.close()

    return asyncio.run(scenario())


def test_the_same_loss_named_in_nack_after_nack_goes_out_again_only_so_often() -> None:
    soon = RESEND_INTERVAL / 3
    nacks = [(100.0 + i * soon, [3, 4]) for i in range(30)]  # ten NACKs per interval
    assert _resent(nacks) == [3, 4] * MAX_RESENDS


def test_a_new_loss_is_answered_even_while_an_old_one_waits() -> None:
    nacks = [(100.0, [3]), (100.05, [3, 7]), (100.01 + RESEND_INTERVAL, [3, 7])]
    assert _resent(nacks) == [3, 7, 3]


def test_a_number_not_kept_is_not_answered() -> None:
    assert _resent([(100.0, [40, 9])]) == [9]
