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
"""

from __future__ import annotations

import asyncio
import functools
import logging
import struct
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiortc import RTCRtpReceiver, RTCRtpSender
from aiortc.clock import current_ntp_time
from aiortc.codecs import HEADER_EXTENSIONS
from aiortc.rtcdtlstransport import RTCDtlsTransport
from aiortc.rtcrtpparameters import RTCRtpParameters
from aiortc.rtp import (
    RTCP_PSFB_APP,
    RTCP_PSFB_FIR,
    RTCP_PSFB_PLI,
    RTCP_RTPFB_NACK,
    HeaderExtensions,
    HeaderExtensionsMap,
    RtcpPsfbPacket,
    RtcpRtpfbPacket,
    RtpPacket,
    unpack_remb_fci,
    unwrap_rtx,
)

from client import compat
from client.sfu.feedback import CLOCK_RATES, PublisherFeedback
from client.sfu.keyframes import KeyframeTest
from client.sfu.sender_reports import PublisherClock, subscriber_report

logger = logging.getLogger(__name__)

HISTORY_SIZE = 256  # packets kept per video subscriber to answer NACKs (~0.5 s at 600 kbit/s)
MAX_SOCKET_BACKLOG = 256 * 1024  # bytes buffered in asyncio before we drop
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


class OutboundStream:
    """One subscriber's copy of a publisher track: its own SSRC, sequence numbers and history."""

    def __init__(self, sender: RTCRtpSender, payload_type: int, keep_history: bool) -> None:
        self.sender = sender
        self._payload_type = payload_type
        self._transport: RTCDtlsTransport = sender.transport
        self.ssrc = compat.sender_ssrc(sender)
        self._ssrc = struct.pack("!L", self.ssrc)
        self.packets_sent = 0  # media packets (not retransmissions), for sender reports
        self.octets_sent = 0  # their payload bytes
        self._next_seq: int | None = None
        # Video keeps the publisher's numbering (shifted): a gap it left stays a gap the
        # subscriber can see, and a retransmission fills it. Audio packets the gate leaves
        # out are no loss, so audio is numbered without gaps.
        self._keeps_gaps = keep_history
        self._seq_offset = 0
        self._source_ssrc: int | None = None
        self._history: dict[int, bytes] | None = {} if keep_history else None
        self.waiting_for_keyframe = keep_history

    def _sequence_number(self, source_seq: int, source_ssrc: int) -> int:
        if not self._keeps_gaps:
            seq = 0 if self._next_seq is None else self._next_seq
        else:
            if source_ssrc != self._source_ssrc:
                # First packet, or a new publisher stream: continue where we were.
                self._source_ssrc = source_ssrc
                start = 0 if self._next_seq is None else self._next_seq
                self._seq_offset = start - source_seq
            seq = (source_seq + self._seq_offset) & 0xFFFF
            if self._next_seq is not None and (seq - self._next_seq) & 0x8000:
                return seq  # a late packet (retransmission): the newest stays the newest
        self._next_seq = (seq + 1) & 0xFFFF
        return seq

    def prepare(self, data: bytes, source_seq: int = 0, source_ssrc: int = 0) -> bytes:
        """Give a serialised packet this subscriber's SSRC, payload type and sequence number."""
        seq = self._sequence_number(source_seq, source_ssrc)
        buf = bytearray(data)
        buf[1] = (buf[1] & 0x80) | self._payload_type
        struct.pack_into("!H", buf, 2, seq)
        buf[8:12] = self._ssrc
        out = bytes(buf)
        if self._history is not None:
            self._history[seq % HISTORY_SIZE] = out
        return out

    def send(self, data: bytes, payload_size: int = 0) -> None:
        """SRTP-protect and hand to the socket, or drop: never queue without bound.
        A media packet gives its ``payload_size``, for the counts in sender reports.

        This is aiortc's ``_send_rtp`` without its four coroutine hops per packet.
        """
        dtls = self._transport
        pair = compat.nominated_pair(dtls)
        if not compat.dtls_connected(dtls) or pair is None:
            return
        socket = pair.protocol.transport
        # A subscriber whose socket backs up loses packets here, never the others' time.
        # (asyncio's datagram transports have get_write_buffer_size; typeshed omits it)
        if socket.get_write_buffer_size() > MAX_SOCKET_BACKLOG:  # type: ignore[attr-defined]
            return
        socket.sendto(compat.protect_rtp(dtls, data), pair.remote_addr)
        if payload_size:
            self.packets_sent += 1
            self.octets_sent += payload_size

    def retransmit(self, seq: int) -> None:
        if self._history is None:
            return
        data = self._history.get(seq % HISTORY_SIZE)
        if data is not None and struct.unpack_from("!H", data, 2)[0] == seq:
            self.send(data)


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
        self.feedback = PublisherFeedback(receiver, kind, nack)
        self._clock = PublisherClock(receiver, CLOCK_RATES.get(kind, 90000))
        # The receiver's own handler would jitter-buffer and decode; ours forwards.
        compat.intercept_rtp(receiver, self._handle_rtp_packet)

    def add_subscriber(self, sender: RTCRtpSender, payload_type: int) -> OutboundStream:
        outbound = OutboundStream(sender, payload_type, keep_history=self._is_keyframe is not None)
        compat.intercept_rtcp(sender, functools.partial(self._handle_subscriber_rtcp, outbound))
        compat.rewrite_sender_rtcp(sender, functools.partial(self._sender_report, outbound))
        self._outbound.append(outbound)
        if outbound.waiting_for_keyframe:
            self.request_keyframe(force=True)
        return outbound

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

    def _sender_report(self, outbound: OutboundStream, packets: list[Any]) -> list[Any]:
        # Runs inside aiortc's RTCP task: an exception would end it, and closing the
        # subscriber's connection would then wait for it forever.
        try:
            clock_now = self._clock.now(self._publisher_ssrc)
            return subscriber_report(
                packets, outbound.ssrc, clock_now, outbound.packets_sent, outbound.octets_sent
            )
        except Exception:
            logger.exception("a sender report for a %s subscriber failed", self.kind)
            return packets

    async def _handle_subscriber_rtcp(
        self,
        outbound: OutboundStream,
        packet: Any,
        original: Callable[[Any], Awaitable[None]],
    ) -> None:
        if isinstance(packet, RtcpPsfbPacket) and packet.fmt in (RTCP_PSFB_PLI, RTCP_PSFB_FIR):
            self.request_keyframe()
        elif isinstance(packet, RtcpRtpfbPacket) and packet.fmt == RTCP_RTPFB_NACK:
            for seq in packet.lost:
                outbound.retransmit(seq)
        elif isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_APP:
            try:
                bitrate, _ = unpack_remb_fci(packet.fci)
            except ValueError:
                return  # another application-layer message: nothing of ours
            self.feedback.on_subscriber_estimate(outbound, bitrate)
        else:
            await original(packet)

    async def _handle_rtp_packet(self, packet: RtpPacket, arrival_time_ms: int) -> None:
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
        if packet.payload_type == self._rtx_payload_type and self._rtx_payload_type is not None:
            if self._publisher_ssrc is None or len(packet.payload) < 2:
                return  # padding the publisher probes with, or nothing to repair yet
            packet = unwrap_rtx(packet, self.payload_type, self._publisher_ssrc)
            self.feedback.on_retransmission(packet)
        elif packet.payload_type != self.payload_type:
            return  # a codec we did not negotiate for subscribers
        else:
            self._publisher_ssrc = packet.ssrc
            self.feedback.on_media(
                packet, arrival_time_ms, len(packet.payload) + packet.padding_size
            )
        if self._audio_gate is not None and not self._audio_gate(packet.extensions.audio_level):
            return
        if not self._outbound:
            return
        is_keyframe = False
        if self._is_keyframe is not None:
            is_keyframe = self._is_keyframe(packet.payload)
        if self._is_keyframe is not None:
            packet.extensions = HeaderExtensions(
                abs_send_time=(current_ntp_time() >> 14) & 0xFFFFFF
            )
            data = packet.serialize(_VIDEO_EXTENSIONS)
        else:
            packet.extensions = _NO_EXTENSIONS
            data = packet.serialize()
        source_seq, source_ssrc = packet.sequence_number, packet.ssrc
        payload_size = len(packet.payload) + packet.padding_size
        waiting = False
        for outbound in self._outbound:
            if outbound.waiting_for_keyframe:
                if not is_keyframe:
                    waiting = True
                    continue
                outbound.waiting_for_keyframe = False
            outbound.send(outbound.prepare(data, source_seq, source_ssrc), payload_size)
        if waiting:
            self.request_keyframe()
