"""Sender reports to subscribers, with the publisher's clock in them (the basis of lip sync).

A receiver lines up a participant's sound and picture by the sender reports of both streams:
each maps an RTP timestamp to the sender's wall clock (NTP). The SFU forwards packets with
the publisher's RTP timestamps unchanged (:meth:`OutboundStream.prepare` rewrites SSRC,
payload type and sequence number only), so the publisher's mapping holds for every
subscriber's copy as it is. aiortc's sender of a forwarded stream never sends a packet itself
and reports NTP 0, RTP 0 and no packets; :class:`PublisherClock` keeps what the publisher
reported, and :func:`subscriber_report` puts it, moved on to the present, into the SR aiortc
sends for the subscriber's SSRC, with the packets and octets the SFU really sent there.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiortc import RTCRtpReceiver
from aiortc.rtp import AnyRtcpPacket, RtcpRrPacket, RtcpSenderInfo, RtcpSrPacket

from client import compat

NTP_FRACTION = 1 << 32  # an NTP timestamp counts seconds in units of 2**-32


class PublisherClock:
    """The last sender report of each publisher SSRC of one track: where its RTP clock stood
    at which NTP time, and when (here) that was learnt."""

    def __init__(self, receiver: RTCRtpReceiver, clock_rate: int) -> None:
        self.clock_rate = clock_rate
        self._reports: dict[int, tuple[int, int, float]] = {}  # ssrc -> (NTP, RTP, monotonic)
        compat.intercept_receiver_rtcp(receiver, self._handle_publisher_rtcp)

    async def _handle_publisher_rtcp(
        self, packet: AnyRtcpPacket, original: Callable[[Any], Awaitable[None]]
    ) -> None:
        if isinstance(packet, RtcpSrPacket) and packet.sender_info.ntp_timestamp:
            info = packet.sender_info
            self._reports[packet.ssrc] = (info.ntp_timestamp, info.rtp_timestamp, time.monotonic())
        await original(packet)

    def now(self, ssrc: int | None) -> tuple[int, int] | None:
        """(NTP, RTP) of publisher ``ssrc`` for this moment, on the line its last report drew;
        None before it sent one."""
        report = self._reports.get(ssrc) if ssrc is not None else None
        if report is None:
            return None
        ntp, rtp, learnt = report
        elapsed = time.monotonic() - learnt
        return (
            (ntp + int(elapsed * NTP_FRACTION)) & 0xFFFFFFFFFFFFFFFF,
            (rtp + int(elapsed * self.clock_rate)) & 0xFFFFFFFF,
        )


def subscriber_report(
    packets: list[AnyRtcpPacket],
    ssrc: int,
    clock_now: tuple[int, int] | None,
    packet_count: int,
    octet_count: int,
) -> list[AnyRtcpPacket]:
    """``packets`` (what aiortc's sender of SSRC ``ssrc`` is about to send) with its empty SR
    replaced: by one carrying the publisher's clock and the counts, or, before the publisher
    reported its clock or anything was sent, by an empty receiver report (a compound RTCP
    packet must begin with one of the two)."""
    rewritten: list[AnyRtcpPacket] = []
    for packet in packets:
        if not (isinstance(packet, RtcpSrPacket) and packet.ssrc == ssrc):
            rewritten.append(packet)
        elif clock_now is None or packet_count == 0:
            rewritten.append(RtcpRrPacket(ssrc=ssrc))
        else:
            ntp, rtp = clock_now
            info = RtcpSenderInfo(
                ntp_timestamp=ntp,
                rtp_timestamp=rtp,
                packet_count=packet_count & 0xFFFFFFFF,
                octet_count=octet_count & 0xFFFFFFFF,
            )
            rewritten.append(RtcpSrPacket(ssrc=ssrc, sender_info=info))
    return rewritten
