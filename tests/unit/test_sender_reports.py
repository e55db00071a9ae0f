"""client/sfu/sender_reports.py: the publisher's clock in each subscriber's sender reports."""

from __future__ import annotations

import asyncio
import time

from aiortc import RTCPeerConnection
from aiortc.rtp import (
    RtcpByePacket,
    RtcpRrPacket,
    RtcpSdesPacket,
    RtcpSenderInfo,
    RtcpSourceInfo,
    RtcpSrPacket,
)

from client.sfu.sender_reports import NTP_FRACTION, PublisherClock, subscriber_report

PUBLISHER = 1111
SUBSCRIBER = 2222


def _sr(ssrc: int, ntp: int, rtp: int) -> RtcpSrPacket:
    info = RtcpSenderInfo(ntp_timestamp=ntp, rtp_timestamp=rtp, packet_count=9, octet_count=99)
    return RtcpSrPacket(ssrc=ssrc, sender_info=info)


def test_the_publishers_mapping_moves_on_along_its_own_line() -> None:
    async def scenario() -> tuple[tuple[int, int] | None, tuple[int, int] | None, float]:
        pc = RTCPeerConnection()
        try:
            receiver = pc.addTransceiver("audio").receiver
            clock = PublisherClock(receiver, 48000)
            before = clock.now(PUBLISHER)
            # The hook PublisherClock installed (aiortc's own handler runs after it).
            await receiver._handle_rtcp_packet(_sr(PUBLISHER, 1000 * NTP_FRACTION, 4_294_967_000))
            started = time.monotonic()
            await asyncio.sleep(0.2)
            return before, clock.now(PUBLISHER), time.monotonic() - started
        finally:
            await pc.close()

    before, now, waited = asyncio.run(scenario())
    assert before is None  # nothing reported yet: nothing to pass on
    assert now is not None
    ntp, rtp = now
    elapsed_ntp = (ntp - 1000 * NTP_FRACTION) / NTP_FRACTION
    elapsed_rtp = ((rtp - 4_294_967_000) & 0xFFFFFFFF) / 48000  # across the 32-bit wrap
    assert 0.2 <= elapsed_ntp <= waited + 0.01
    assert abs(elapsed_ntp - elapsed_rtp) < 0.001  # one line: the mapping is the publisher's


def test_aiortcs_empty_report_becomes_the_subscribers_with_the_publishers_clock() -> None:
    sdes = RtcpSdesPacket(chunks=[RtcpSourceInfo(ssrc=SUBSCRIBER, items=[(1, b"cname")])])
    empty = _sr(SUBSCRIBER, 0, 0)
    out = subscriber_report([empty, sdes], SUBSCRIBER, (5 * NTP_FRACTION, 777), 40, 4000)
    assert out[1] is sdes
    report = out[0]
    assert isinstance(report, RtcpSrPacket) and report.ssrc == SUBSCRIBER
    info = report.sender_info
    assert (info.ntp_timestamp, info.rtp_timestamp) == (5 * NTP_FRACTION, 777)
    assert (info.packet_count, info.octet_count) == (40, 4000)


def test_without_the_publishers_clock_or_any_packet_no_sender_report_goes_out() -> None:
    empty = _sr(SUBSCRIBER, 0, 0)
    for clock_now, count in ((None, 10), ((5 * NTP_FRACTION, 777), 0)):
        out = subscriber_report([empty], SUBSCRIBER, clock_now, count, count * 100)
        assert len(out) == 1 and isinstance(out[0], RtcpRrPacket)
        assert out[0].ssrc == SUBSCRIBER and not out[0].reports


def test_a_bye_passes_unchanged() -> None:
    bye = RtcpByePacket(sources=[SUBSCRIBER])
    assert subscriber_report([bye], SUBSCRIBER, None, 0, 0) == [bye]
