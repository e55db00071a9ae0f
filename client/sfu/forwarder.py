"""RTP-level forwarding: one publisher track to many subscribers, without decoding or encoding.

aiortc's receiver would reassemble frames, decode and hand out pictures; the SFU needs none of
that. :class:`TrackForwarder` takes over the receiver's packet handler, serialises each packet
once with the subscribers' payload type, and each :class:`OutboundStream` only rewrites SSRC and
sequence number before SRTP and the socket. Keyframe requests from subscribers go back to the
publisher; a new subscriber waits for a keyframe so its first picture decodes. What aiortc's
receiver would have told the publisher (reports, REMB, NACK) comes from
:mod:`client.sfu.feedback`; video keeps the publisher's sequence gaps so subscribers see losses,
and retransmissions (RTX) are unwrapped and forwarded into them. Each subscriber's sender
reports carry the publisher's clock (:mod:`client.sfu.sender_reports`).

A camera sent in layers has one forwarder per layer, and each subscriber's one stream is in
all of them; only the forwarder that is its ``source`` sends into it. Switching to another
layer names that one ``pending``: it takes over on its next keyframe, and until then the old
layer goes on (:mod:`client.sfu.layers` chooses, :mod:`client.sfu.continuity` keeps the
timestamps and picture numbers in line).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiortc import RTCRtpReceiver, RTCRtpSender
from aiortc.codecs import HEADER_EXTENSIONS
from aiortc.rtcrtpparameters import RTCRtpParameters
from aiortc.rtp import (
    RTCP_PSFB_APP,
    RTCP_PSFB_FIR,
    RTCP_PSFB_PLI,
    RTCP_RTPFB_NACK,
    HeaderExtensions,
    HeaderExtensionsMap,
    RtcpPsfbPacket,
    RtcpRrPacket,
    RtcpRtpfbPacket,
    RtpPacket,
    unpack_remb_fci,
    unwrap_rtx,
)

from client import compat
from client.ntp import abs_send_time
from client.sfu.continuity import StreamContinuity
from client.sfu.feedback import CLOCK_RATES, PublisherFeedback
from client.sfu.keyframes import KeyframeTest, vp8_is_keyframe
from client.sfu.outbound import OutboundStream as OutboundStream
from client.sfu.sender_reports import PublisherClock, subscriber_report
from client.sfu.uplink_share import UplinkShare

logger = logging.getLogger(__name__)

KEYFRAME_REQUEST_INTERVAL = 0.3  # seconds; a publisher is asked at most this often
_NO_EXTENSIONS = HeaderExtensions()
ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"


def _abs_send_time_map() -> HeaderExtensionsMap:
    """Writes abs-send-time with the id aiortc offers it under: the SFU makes every
    subscription offer, so subscribers that accept it use that id."""
    extensions_map = HeaderExtensionsMap()
    offered = [e for e in HEADER_EXTENSIONS["video"] if e.uri == ABS_SEND_TIME]
    extensions_map.configure(RTCRtpParameters(headerExtensions=offered))
    return extensions_map


# Subscribers estimate their downlink from the SFU's send times (their REMB caps the publisher).
_VIDEO_EXTENSIONS = _abs_send_time_map()

# Given a packet's (voice activity, level) extension, decides whether to forward it.
AudioGate = Callable[[tuple[bool, int] | None], bool]
# Strong references to fire-and-forget RTCP sends, so they are not collected mid-flight.
_background: set[asyncio.Future[None]] = set()


class TrackForwarder:
    """Fans one publisher track out to its subscribers at RTP level."""

    def __init__(
        self,
        receiver: RTCRtpReceiver,
        kind: str,
        payload_type: int,
        is_keyframe: KeyframeTest | None,
        audio_gate: AudioGate | None = None,
        nack: bool = False,
        rtx_payload_type: int | None = None,
        uplink: UplinkShare | None = None,
        take_receiver: bool = True,
    ) -> None:
        self.kind = kind
        self.payload_type = payload_type
        self._receiver = receiver
        self._is_keyframe = is_keyframe
        self._audio_gate = audio_gate
        self._outbound: list[OutboundStream] = []
        self._publisher_ssrc: int | None = None
        self._last_keyframe_request = 0.0
        self._rtx_payload_type = rtx_payload_type
        self.errors = 0
        self.media_packets = 0  # arrived from the publisher (a layer that stops is passed over)
        self.feedback = PublisherFeedback(receiver, kind, nack, uplink)
        self._clock = PublisherClock(receiver, CLOCK_RATES.get(kind, 90000))
        # The receiver's own handler would jitter-buffer and decode; ours forwards. A layer of
        # a browser's simulcast shares its receiver: a demultiplexer hands it its packets.
        if take_receiver:
            compat.intercept_rtp(receiver, self.take)

    @property
    def is_vp8(self) -> bool:
        return self._is_keyframe is vp8_is_keyframe

    def add_subscriber(self, sender: RTCRtpSender, payload_type: int) -> OutboundStream:
        return subscribe([self], self, sender, payload_type)

    def add_outbound(self, outbound: OutboundStream) -> None:
        self._outbound.append(outbound)

    def remove_subscriber(self, outbound: OutboundStream) -> None:
        if outbound in self._outbound:
            self._outbound.remove(outbound)
        self.feedback.forget_subscriber(outbound)

    def close(self) -> None:
        self.feedback.close()

    def request_keyframe(self, force: bool = False) -> None:
        """Ask the publisher for a keyframe, at most every KEYFRAME_REQUEST_INTERVAL."""
        now = time.monotonic()
        if self._publisher_ssrc is None or self._is_keyframe is None:
            return
        if not force and now - self._last_keyframe_request < KEYFRAME_REQUEST_INTERVAL:
            return
        self._last_keyframe_request = now
        task = asyncio.ensure_future(compat.send_pli(self._receiver, self._publisher_ssrc))
        _background.add(task)
        task.add_done_callback(_background.discard)

    def clock_now(self) -> tuple[int, int] | None:
        """(NTP, RTP) of the publisher's stream now, from its sender reports."""
        return self._clock.now(self._publisher_ssrc)

    def take(self, packet: RtpPacket, arrival_time_ms: int) -> None:
        """Forward one packet of the publisher's track (or, sorted out for it, of its layer)."""
        # An exception here would end the publisher's whole DTLS transport: contain it.
        try:
            self._forward(packet, arrival_time_ms)
        except Exception:
            self.errors += 1
            if self.errors == 1 or self.errors % 1000 == 0:
                logger.exception(
                    "forwarding a %s packet failed (%d so far)", self.kind, self.errors
                )

    def _forward(self, packet: RtpPacket, arrival_time_ms: int) -> None:
        if not compat.receiver_enabled(self._receiver):
            return
        self.feedback.on_arrival(packet)  # every packet, padding probes too
        retransmitted = False
        if packet.payload_type == self._rtx_payload_type and self._rtx_payload_type is not None:
            if self._publisher_ssrc is None or len(packet.payload) < 2:
                return  # padding the publisher probes with, or nothing to repair yet
            packet = unwrap_rtx(packet, self.payload_type, self._publisher_ssrc)
            self.feedback.on_retransmission(packet)
            retransmitted = True
        elif packet.payload_type != self.payload_type:
            return  # a codec we did not negotiate for subscribers
        else:
            self._publisher_ssrc = packet.ssrc
            size = len(packet.payload) + packet.padding_size
            self.feedback.on_media(packet, arrival_time_ms, size)
            self.media_packets += 1
        if self._audio_gate is not None and not self._audio_gate(packet.extensions.audio_level):
            return
        if not self._outbound:
            return
        is_keyframe = False
        # A retransmitted keyframe start is older than what was forwarded since: a subscriber
        # started on it would get half a picture, then nothing it could decode or ask again for.
        if self._is_keyframe is not None and not retransmitted:
            is_keyframe = self._is_keyframe(packet.payload)
        sending = []
        waiting = False
        for outbound in self._outbound:
            if outbound.source is self:
                sending.append(outbound)
            elif outbound.pending is self:  # (otherwise fed by another layer)
                if is_keyframe:
                    outbound.switch_to(self)
                    sending.append(outbound)
                else:
                    waiting = True
        if waiting:
            self.request_keyframe()
        if not sending:
            return  # a layer nobody gets now: not even serialised
        if self._is_keyframe is not None:
            packet.extensions = HeaderExtensions(abs_send_time=abs_send_time())
            data = packet.serialize(_VIDEO_EXTENSIONS)
        else:
            packet.extensions = _NO_EXTENSIONS
            data = packet.serialize()
        source_seq, source_ssrc = packet.sequence_number, packet.ssrc
        payload_size = len(packet.payload) + packet.padding_size
        timestamp = packet.timestamp
        payload_at = len(data) - packet.padding_size - len(packet.payload)
        for outbound in sending:
            outbound.send(
                outbound.prepare(
                    data, source_seq, source_ssrc, timestamp, payload_at, arrival_time_ms
                ),
                payload_size,
            )


def subscribe(
    forwarders: list[TrackForwarder],
    first: TrackForwarder,
    sender: RTCRtpSender,
    payload_type: int,
) -> OutboundStream:
    """One subscriber's stream, fed by one of ``forwarders`` (layers of one camera, or one
    track) at a time, starting with ``first`` on its first keyframe (audio: at once)."""
    outbound = OutboundStream(sender, payload_type, keep_history=first.kind == "video")
    if len(forwarders) > 1:
        outbound.continuity = StreamContinuity(CLOCK_RATES["video"], first.is_vp8)
    compat.intercept_rtcp(sender, functools.partial(_handle_subscriber_rtcp, outbound))
    compat.rewrite_sender_rtcp(sender, functools.partial(_sender_report, outbound))
    for forwarder in forwarders:
        forwarder.add_outbound(outbound)
    if outbound.keeps_history:
        outbound.pending = first
        first.request_keyframe(force=True)
    else:
        outbound.source = first
    return outbound


def _sender_report(outbound: OutboundStream, packets: list[Any]) -> list[Any]:
    # Runs inside aiortc's RTCP task: an exception would end it, and closing the
    # subscriber's connection would then wait for it forever.
    try:
        source = outbound.source
        clock_now = source.clock_now() if source is not None else None
        continuity = outbound.continuity
        if clock_now is not None and continuity is not None:
            # the subscriber's timestamps are the source's shifted: so is the clock
            ntp, rtp = clock_now
            clock_now = ntp, (rtp + continuity.timestamp_offset) & 0xFFFFFFFF
        return subscriber_report(
            packets, outbound.ssrc, clock_now, outbound.packets_sent, outbound.octets_sent
        )
    except Exception:
        logger.exception("a sender report for a subscriber failed")
        return packets


async def _handle_subscriber_rtcp(
    outbound: OutboundStream,
    packet: Any,
    original: Callable[[Any], Awaitable[None]],
) -> None:
    forwarder = outbound.feeding
    if isinstance(packet, RtcpPsfbPacket) and packet.fmt in (RTCP_PSFB_PLI, RTCP_PSFB_FIR):
        if forwarder is not None:
            forwarder.request_keyframe()
    elif isinstance(packet, RtcpRtpfbPacket) and packet.fmt == RTCP_RTPFB_NACK:
        for seq in packet.lost:
            outbound.retransmit(seq)
    elif isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_APP:
        try:
            bitrate, _ = unpack_remb_fci(packet.fci)
        except ValueError:
            return  # another application-layer message: nothing of ours
        estimate = outbound.downlink.on_remb(bitrate)
        if forwarder is not None and estimate is not None:
            forwarder.feedback.on_subscriber_estimate(outbound, estimate)
    else:
        if isinstance(packet, RtcpRrPacket) and outbound.keeps_history:
            _judge_loss(outbound, packet, forwarder)  # video's loss caps the estimate
        await original(packet)


def _judge_loss(
    outbound: OutboundStream, report: RtcpRrPacket, forwarder: TrackForwarder | None
) -> None:
    for block in report.reports:
        if block.ssrc != outbound.ssrc:
            continue
        estimate = outbound.downlink.on_receiver_report(
            block.fraction_lost, outbound.octets_sent, time.monotonic()
        )
        if forwarder is not None and estimate is not None:
            forwarder.feedback.on_subscriber_estimate(outbound, estimate)
