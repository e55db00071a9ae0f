"""The RTCP a publisher needs from the SFU: receiver reports, REMB, NACK, transport feedback.

The forwarder takes over aiortc's receive path (see :mod:`client.sfu.forwarder`), and with it
everything aiortc's receiver would have told the publisher. Without receiver reports a browser
knows nothing of loss or round-trip time, and without REMB neither a browser nor aiortc's
sender ever leaves its start bitrate. :class:`PublisherFeedback` rebuilds that from the
packets the forwarder sees, with aiortc's own statistics, NACK generator and delay-based
bandwidth estimator. For a camera in one layer (or a browser sending without simulcast) the
estimate is capped at the lowest one the subscribers report: a publisher should not send more
than its slowest subscriber can take. A camera in layers is not capped: each subscriber's
estimate chooses the layer it gets (:mod:`client.sfu.layers`, ``estimate_listener``), and what
each layer sends is its uplink's business alone, so one thin downlink does not lower the
picture everybody else gets. A publisher that stamps
transport-wide sequence numbers (browsers do) also gets transport feedback
(:mod:`client.sfu.transport_cc`) and estimates its uplink itself.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from aiortc import RTCRtpReceiver
from aiortc.rtcrtpreceiver import NackGenerator, StreamStatistics
from aiortc.rtp import (
    RTCP_PSFB_APP,
    RTCP_RTPFB_NACK,
    AnyRtcpPacket,
    RtcpPsfbPacket,
    RtcpReceiverInfo,
    RtcpRrPacket,
    RtcpRtpfbPacket,
    RtcpSrPacket,
    RtpPacket,
    pack_remb_fci,
)

from client import compat
from client.sfu import transport_cc
from client.sfu.arrival_estimate import delay_based_estimator
from client.sfu.uplink_share import UplinkShare

logger = logging.getLogger(__name__)

REPORT_INTERVAL = 1.0  # seconds between receiver reports (and REMBs) per publication track
SUBSCRIBER_ESTIMATE_TTL = 5.0  # seconds a subscriber's REMB counts after it arrived
MIN_REMB = 30_000  # bits/s; lower estimates are noise from an idle stream
# A subscriber's estimate lowers what a publisher sends down to this much, not further: below
# it the publisher's camera would pause for everyone (client/call/video_floor.py) because of
# one thin downlink. Only the publisher's own uplink may take it lower.
SUBSCRIBER_CAP_FLOOR = 300_000
# A falling estimate this much below the last one sent goes out at once, not with the report.
PROMPT_DROP = 0.85
# A rising estimate is passed on in steps of at least this factor: aiortc's VP8 encoder starts
# afresh (a keyframe) on every change above 10%, and the estimate rises by ~8% a second.
RISE_STEP = 1.15
_OurRtcp = RtcpRrPacket | RtcpPsfbPacket | RtcpRtpfbPacket
LOG_INTERVAL = 10.0  # seconds between log lines with a track's estimate
CLOCK_RATES = {"audio": 48000, "video": 90000}  # Opus and VP8/H.264, the codecs we forward
# Told each subscriber's REMB for a layer of a camera: (the subscriber's stream, bits/s).
EstimateListener = Callable[[object, int], None]


class PublisherFeedback:
    """Receiver reports, REMB and NACK for one publisher track, sent on the track's receiver."""

    def __init__(
        self, receiver: RTCRtpReceiver, kind: str, nack: bool, uplink: UplinkShare | None = None
    ) -> None:
        self._receiver = receiver
        # a layer of a camera: the uplink's estimate is shared with the other layers
        self._uplink = uplink
        self._clock_rate = CLOCK_RATES.get(kind, 90000)
        self._streams: dict[int, StreamStatistics] = {}
        self._nack = NackGenerator() if nack else None
        # abs-send-time is only negotiated for video (aiortc's own header extension list).
        self._estimator = delay_based_estimator() if kind == "video" and not uplink else None
        self._arrival_estimate: int | None = None
        self._subscriber_estimates: dict[int, tuple[int, float]] = {}
        self._last_remb: int | None = None
        self._last_log = 0.0
        self.media_bytes = 0  # payload and padding of media packets, to measure a layer's rate
        # Set for a layer of a camera: subscribers' estimates then choose layers, not cap.
        self.estimate_listener: EstimateListener | None = None
        self._sender_reports: dict[int, tuple[int, float]] = {}  # ssrc -> (LSR, when)
        self._media_ssrcs: set[int] = set()
        self._task: asyncio.Future[None] | None = None
        self._pending: set[asyncio.Future[None]] = set()
        # shared with the connection's other track: the sequence is transport-wide
        self._transport_feedback = transport_cc.for_receiver(receiver)
        compat.intercept_receiver_rtcp(receiver, self._handle_publisher_rtcp)

    # ---- what arrives ----------------------------------------------------------------------

    def on_arrival(self, packet: RtpPacket) -> None:
        """Any packet arrived (media, retransmission or padding): a publisher that stamps
        transport-wide sequence numbers hears when (:mod:`client.sfu.transport_cc`)."""
        sequence_number = packet.extensions.transport_sequence_number
        if sequence_number is not None:
            self._transport_feedback.record(sequence_number, packet.ssrc)

    def on_media(self, packet: RtpPacket, arrival_time_ms: int, size: int) -> None:
        """A media packet (not a retransmission) arrived; ``size`` counts payload and padding."""
        if self._task is None:
            self._task = asyncio.ensure_future(self._report_regularly())
        ssrc = packet.ssrc
        self.media_bytes += size
        self._media_ssrcs.add(ssrc)
        stream = self._streams.get(ssrc)
        if stream is None:
            stream = self._streams[ssrc] = StreamStatistics(self._clock_rate)
        stream.add(packet)
        uplink = self._uplink
        if uplink is not None:
            send_time = packet.extensions.abs_send_time
            if uplink.add(self, arrival_time_ms, send_time, size, ssrc):
                self._arrival_estimate = uplink.share_of(self)
                self._send_prompt_drop()
        elif self._estimator is not None and packet.extensions.abs_send_time is not None:
            estimate = self._estimator.add(
                arrival_time_ms=arrival_time_ms,
                abs_send_time=packet.extensions.abs_send_time,
                payload_size=size,
                ssrc=ssrc,
            )
            if estimate is not None:
                self._arrival_estimate = estimate[0]
                self._send_prompt_drop()
        self._note_sequence(packet)

    def _send_prompt_drop(self) -> None:
        target = self.estimate()
        dropped = self._last_remb and target and target < self._last_remb * PROMPT_DROP
        if target is not None and dropped:
            self._send_soon(self._remb(target))

    def on_retransmission(self, packet: RtpPacket) -> None:
        """A packet the publisher sent again (already unwrapped from RTX): no longer missing."""
        self._note_sequence(packet)

    def _note_sequence(self, packet: RtpPacket) -> None:
        if self._nack is not None and self._nack.add(packet):
            nack = RtcpRtpfbPacket(fmt=RTCP_RTPFB_NACK, ssrc=0, media_ssrc=packet.ssrc)
            nack.lost = sorted(self._nack.missing)
            self._send_soon(nack)

    def on_subscriber_estimate(self, subscriber: object, bitrate: int) -> None:
        """A subscriber's REMB for this track: what its own downlink can take. For a layer
        of a camera it goes to the layer choice; otherwise it caps the estimate."""
        listener = self.estimate_listener
        if listener is not None:
            listener(subscriber, bitrate)
            return
        self._subscriber_estimates[id(subscriber)] = (bitrate, time.monotonic())

    def forget_subscriber(self, subscriber: object) -> None:
        self._subscriber_estimates.pop(id(subscriber), None)

    async def _handle_publisher_rtcp(self, packet: AnyRtcpPacket, original: Any) -> None:
        if isinstance(packet, RtcpSrPacket):
            # The middle 32 bits of the NTP time, as the report's LSR field wants them.
            lsr = (packet.sender_info.ntp_timestamp >> 16) & 0xFFFFFFFF
            self._sender_reports[packet.ssrc] = (lsr, time.monotonic())
        await original(packet)

    # ---- the estimate ----------------------------------------------------------------------

    def estimate(self) -> int | None:
        """Bits per second the publisher should send at most: what arrives here, capped by
        the lowest fresh subscriber estimate (but not under :data:`SUBSCRIBER_CAP_FLOOR`;
        a layer of a camera has none); None before anything is known."""
        now = time.monotonic()
        if self._uplink is not None:  # the other layers' rates move on between estimates
            self._arrival_estimate = self._uplink.share_of(self)
        fresh = [
            max(bitrate, SUBSCRIBER_CAP_FLOOR)
            for bitrate, when in self._subscriber_estimates.values()
            if now - when < SUBSCRIBER_ESTIMATE_TTL
        ]
        candidates = fresh + ([self._arrival_estimate] if self._arrival_estimate else [])
        if not candidates:
            return None
        target = max(MIN_REMB, min(candidates))
        held = self._last_remb
        if held is not None and held <= target < held * RISE_STEP:
            return held
        return target

    # ---- what goes out ---------------------------------------------------------------------

    def _remb(self, bitrate: int) -> RtcpPsfbPacket:
        self._last_remb = bitrate
        return RtcpPsfbPacket(
            fmt=RTCP_PSFB_APP,
            ssrc=0,
            media_ssrc=0,
            fci=pack_remb_fci(bitrate, sorted(self._media_ssrcs)),
        )

    def _receiver_report(self) -> RtcpRrPacket | None:
        reports = []
        now = time.monotonic()
        for ssrc, stream in self._streams.items():
            lsr, dlsr = 0, 0
            if ssrc in self._sender_reports:
                lsr, received = self._sender_reports[ssrc]
                delay = now - received
                if 0 < delay < 65536:
                    dlsr = int(delay * 65536)
            reports.append(
                RtcpReceiverInfo(
                    ssrc=ssrc,
                    fraction_lost=stream.fraction_lost,
                    packets_lost=stream.packets_lost,
                    highest_sequence=(stream.cycles + (stream.max_seq or 0)) & 0xFFFFFFFF,
                    jitter=stream.jitter,
                    lsr=lsr,
                    dlsr=dlsr,
                )
            )
        return RtcpRrPacket(ssrc=0, reports=reports) if reports else None

    async def _report_regularly(self) -> None:
        transport = self._receiver.transport
        while transport.state not in ("closed", "failed"):
            await asyncio.sleep(REPORT_INTERVAL)
            report = self._receiver_report()
            if report is not None:
                await self._send(report)
            target = self.estimate()
            if target is not None and self._media_ssrcs:
                await self._send(self._remb(target))
                self._log_estimate(target)

    def _log_estimate(self, target: int) -> None:
        now = time.monotonic()
        if now - self._last_log < LOG_INTERVAL:
            return
        self._last_log = now
        subscribers = [b for b, _ in self._subscriber_estimates.values()]
        logger.info(
            "publisher estimate %d kbit/s (arrivals %s, lowest subscriber %s)",
            target // 1000,
            "-" if self._arrival_estimate is None else self._arrival_estimate // 1000,
            min(subscribers) // 1000 if subscribers else "-",
        )

    def _send_soon(self, packet: _OurRtcp) -> None:
        task = asyncio.ensure_future(self._send(packet))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _send(self, packet: _OurRtcp) -> None:
        ssrc = compat.receiver_rtcp_ssrc(self._receiver)
        if ssrc is None:
            return  # aiortc sets it once the connection is negotiated
        packet.ssrc = ssrc
        try:
            await compat.send_receiver_rtcp(self._receiver, packet)
        except Exception as exc:  # a closing transport: the next report tries again
            logger.debug("RTCP to a publisher failed: %s", type(exc).__name__)

    def close(self) -> None:
        for task in [self._task, *self._pending]:
            if task is not None:
                task.cancel()
        self._subscriber_estimates.clear()
