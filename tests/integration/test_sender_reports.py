"""A subscriber's sender reports carry the publisher's clock: the basis for lining up a
participant's sound with their picture.

A real host and a real Runde participant publishing a test picture and tone on 127.0.0.1; the
subscriber is an aiortc peer speaking the signaling protocol itself, so it can read every RTCP
sender report and RTP packet that reaches it. All processes share this machine's wall clock,
so the mapping an SR gives (RTP timestamp -> NTP time) must place each packet's timestamp
shortly before the packet arrived, for sound and for picture alike.
"""

from __future__ import annotations

import asyncio
import signal
import statistics
from pathlib import Path
from typing import Any

from aiortc import RTCRtpTransceiver
from aiortc.clock import current_ntp_time
from aiortc.rtp import AnyRtcpPacket, RtcpSrPacket, RtpPacket

from client import compat
from client.protocol.link import MeetingLink, parse_link
from tests.helpers import finish, start_host, start_participant
from tests.integration.raw_subscriber import subscribe

CLOCK_RATES = {"audio": 48000, "video": 90000}
LISTEN_S = 8.0  # ICE and DTLS first, then about one report a second
NTP_FRACTION = 1 << 32


class Listener:
    """What one receiving transceiver heard: sender reports and RTP arrivals."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.reports: list[tuple[int, int, int, int]] = []  # (ssrc, NTP, RTP, packets)
        self.arrivals: list[tuple[int, int, int]] = []  # (ssrc, RTP timestamp, NTP arrival)

    async def on_rtcp(self, packet: AnyRtcpPacket, original: Any) -> None:
        if isinstance(packet, RtcpSrPacket):
            info = packet.sender_info
            self.reports.append(
                (packet.ssrc, info.ntp_timestamp, info.rtp_timestamp, info.packet_count)
            )
        await original(packet)

    def on_rtp(self, packet: RtpPacket, arrival_time_ms: int) -> None:
        self.arrivals.append((packet.ssrc, packet.timestamp, current_ntp_time()))

    def offsets(self) -> list[float]:
        """Seconds from the moment each packet's timestamp stands for (by the latest SR
        before it) to its arrival."""
        rate = CLOCK_RATES[self.kind]
        found = []
        for ssrc, rtp, arrived in self.arrivals:
            earlier = [r for r in self.reports if r[0] == ssrc and r[1] and r[1] <= arrived]
            if not earlier:
                continue
            _, sr_ntp, sr_rtp, _ = earlier[-1]
            ticks = ((rtp - sr_rtp + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)  # signed, wrapped
            stands_for = sr_ntp / NTP_FRACTION + ticks / rate
            found.append(arrived / NTP_FRACTION - stands_for)
        return found


def _listen(link: MeetingLink) -> list[Listener]:
    listeners = []

    def prepare(transceiver: RTCRtpTransceiver) -> None:
        listener = Listener(transceiver.kind)
        compat.intercept_receiver_rtcp(transceiver.receiver, listener.on_rtcp)
        compat.intercept_rtp(transceiver.receiver, listener.on_rtp)
        listeners.append(listener)

    asyncio.run(subscribe(link, prepare, LISTEN_S))
    return listeners


def test_a_subscribers_sender_reports_carry_the_publishers_clock(tmp_path: Path) -> None:
    host = start_host(log_level="warning")
    publisher = start_participant(
        host.link, "Anna", tmp_path / "Anna.json", 60, "--video", "testsrc:320x180@15"
    )
    try:
        listeners = _listen(parse_link(host.link))
    finally:
        publisher.send_signal(signal.SIGTERM)
        finish(publisher)
        host.stop()

    medians = {}
    for listener in listeners:
        told = [r for r in listener.reports if r[1]]
        assert listener.arrivals, f"no {listener.kind} arrived"
        assert len(told) >= 2, (
            f"{listener.kind}: sender reports without a clock: {listener.reports}"
        )
        assert all(packets > 0 for _, _, _, packets in told), listener.reports
        offsets = listener.offsets()
        assert len(offsets) > 10, f"{listener.kind}: too few packets after a report"
        medians[listener.kind] = statistics.median(offsets)
        # The timestamp stands for a moment shortly before arrival: capture, encoding and the
        # way through the SFU on this machine, not the seconds a made-up clock would give.
        assert -0.2 < medians[listener.kind] < 0.5, (listener.kind, medians, offsets[:20])
    assert set(medians) == {"audio", "video"}, medians
    print(
        f"\nmedian arrival after the SR-mapped time: audio {medians['audio'] * 1000:.0f} ms, "
        f"video {medians['video'] * 1000:.0f} ms "
        f"(video - audio {(medians['video'] - medians['audio']) * 1000:.0f} ms)"
    )
