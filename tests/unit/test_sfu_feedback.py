"""client/sfu/feedback.py: what the SFU tells a publisher, from packets fed to it directly."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from aiortc import RTCPeerConnection
from aiortc.rtp import (
    RTCP_PSFB_APP,
    RTCP_RTPFB_NACK,
    HeaderExtensions,
    RtcpPsfbPacket,
    RtcpRrPacket,
    RtcpRtpfbPacket,
    RtcpSenderInfo,
    RtcpSrPacket,
    RtpPacket,
    unpack_remb_fci,
)

from client import compat
from client.sfu import feedback as feedback_module
from client.sfu.feedback import SUBSCRIBER_CAP_FLOOR, PublisherFeedback

SSRC = 4242


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """What the feedback sends, instead of a transport (and an RTCP SSRC as if negotiated)."""
    packets: list[Any] = []

    async def send(receiver: Any, packet: Any) -> None:
        packets.append(packet)

    monkeypatch.setattr(compat, "send_receiver_rtcp", send)
    monkeypatch.setattr(compat, "receiver_rtcp_ssrc", lambda receiver: 77)
    monkeypatch.setattr(feedback_module, "REPORT_INTERVAL", 0.05)
    yield packets


def _packet(seq: int, abs_send_time: int | None = None) -> RtpPacket:
    packet = RtpPacket(payload_type=96, sequence_number=seq, timestamp=seq * 3000, ssrc=SSRC)
    packet.payload = bytes(1000)
    packet.extensions = HeaderExtensions(abs_send_time=abs_send_time)
    return packet


def _run(scenario: Any) -> None:
    async def wrapped() -> None:
        pc = RTCPeerConnection()
        try:
            await scenario(pc.addTransceiver("video").receiver)
        finally:
            await pc.close()

    asyncio.run(wrapped())


def test_losses_become_a_nack_and_a_receiver_report(sent: list[Any]) -> None:
    async def scenario(receiver: Any) -> None:
        feedback = PublisherFeedback(receiver, "video", nack=True)
        await receiver._handle_rtcp_packet(  # the hook feedback installed
            RtcpSrPacket(
                ssrc=SSRC,
                sender_info=RtcpSenderInfo(
                    ntp_timestamp=0x1234567890ABCDEF, rtp_timestamp=0, packet_count=1, octet_count=1
                ),
            )
        )
        for seq in (10, 11, 14, 15):  # 12 and 13 lost
            feedback.on_media(_packet(seq), arrival_time_ms=seq * 10, size=1000)
        await asyncio.sleep(0.2)
        feedback.close()

    _run(scenario)
    nacks = [p for p in sent if isinstance(p, RtcpRtpfbPacket) and p.fmt == RTCP_RTPFB_NACK]
    assert nacks and nacks[0].lost == [12, 13] and nacks[0].media_ssrc == SSRC
    assert all(p.ssrc == 77 for p in sent)
    report = next(p for p in sent if isinstance(p, RtcpRrPacket)).reports[0]
    assert report.ssrc == SSRC
    assert report.highest_sequence == 15
    assert report.packets_lost == 2
    assert report.fraction_lost == (2 << 8) // 6
    assert report.lsr == 0x567890AB  # the middle 32 bits of the sender report's NTP time
    assert report.dlsr > 0


def test_without_nack_negotiated_no_nack_is_sent(sent: list[Any]) -> None:
    async def scenario(receiver: Any) -> None:
        feedback = PublisherFeedback(receiver, "video", nack=False)
        for seq in (1, 5):
            feedback.on_media(_packet(seq), arrival_time_ms=seq, size=1000)
        await asyncio.sleep(0)
        feedback.close()

    _run(scenario)
    assert not [p for p in sent if isinstance(p, RtcpRtpfbPacket)]


def test_the_estimate_is_capped_by_the_lowest_subscriber(sent: list[Any]) -> None:
    async def scenario(receiver: Any) -> None:
        feedback = PublisherFeedback(receiver, "video", nack=False)
        assert feedback.estimate() is None
        feedback.on_media(_packet(1), arrival_time_ms=1, size=1000)
        slow, fast = object(), object()
        feedback.on_subscriber_estimate(fast, 2_000_000)
        feedback.on_subscriber_estimate(slow, 400_000)
        assert feedback.estimate() == 400_000
        await asyncio.sleep(0.2)
        feedback.forget_subscriber(slow)
        assert feedback.estimate() == 2_000_000
        feedback.close()

    _run(scenario)
    rembs = [p for p in sent if isinstance(p, RtcpPsfbPacket) and p.fmt == RTCP_PSFB_APP]
    assert rembs and unpack_remb_fci(rembs[0].fci) == (400_000, [SSRC])


def test_one_thin_downlink_cannot_take_a_publisher_under_the_floor(sent: list[Any]) -> None:
    """Below SUBSCRIBER_CAP_FLOOR the publisher's camera would pause for everyone."""

    async def scenario(receiver: Any) -> None:
        feedback = PublisherFeedback(receiver, "video", nack=False)
        feedback.on_media(_packet(1), arrival_time_ms=1, size=1000)
        feedback.on_subscriber_estimate(object(), 90_000)
        assert feedback.estimate() == SUBSCRIBER_CAP_FLOOR
        feedback.close()

    _run(scenario)


def test_a_rising_estimate_moves_in_steps_a_falling_one_at_once(sent: list[Any]) -> None:
    async def scenario(receiver: Any) -> None:
        feedback = PublisherFeedback(receiver, "video", nack=False)
        feedback.on_media(_packet(1), arrival_time_ms=1, size=1000)
        subscriber = object()
        feedback.on_subscriber_estimate(subscriber, 1_000_000)
        await asyncio.sleep(0.1)  # a REMB of 1 Mbit/s went out
        feedback.on_subscriber_estimate(subscriber, 1_100_000)
        assert feedback.estimate() == 1_000_000  # +10%: held
        feedback.on_subscriber_estimate(subscriber, 1_200_000)
        assert feedback.estimate() == 1_200_000  # +20%: passed on
        feedback.on_subscriber_estimate(subscriber, 950_000)
        assert feedback.estimate() == 950_000
        feedback.close()

    _run(scenario)


def test_abs_send_time_feeds_the_arrival_estimate(sent: list[Any]) -> None:
    async def scenario(receiver: Any) -> None:
        feedback = PublisherFeedback(receiver, "video", nack=False)
        # 1000-byte packets 10 ms apart on both clocks (a steady 800 kbit/s) for 8 s: the
        # estimator settles on a first figure after 5 s, as libwebrtc's does.
        for index in range(800):
            send_time = (index * 10 * (1 << 18) // 1000) & 0xFFFFFF
            feedback.on_media(_packet(index, send_time), arrival_time_ms=index * 10, size=1000)
        estimate = feedback.estimate()
        assert estimate is not None and 400_000 < estimate < 2_000_000, estimate
        feedback.close()

    _run(scenario)
