"""RTP-level forwarding: one publisher track to many subscribers, without decoding or encoding.

aiortc's receiver would reassemble frames, decode and hand out pictures; the SFU needs none of
that. :class:`TrackForwarder` takes over the receiver's packet handler, serialises each packet
once with the subscribers' payload type, and each :class:`OutboundStream` only rewrites SSRC and
sequence number before SRTP and the socket. Keyframe requests from subscribers go back to the
publisher; a new subscriber waits for a keyframe so its first picture decodes.
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
from aiortc.rtcdtlstransport import RTCDtlsTransport
from aiortc.rtp import (
    RTCP_PSFB_FIR,
    RTCP_PSFB_PLI,
    RTCP_RTPFB_NACK,
    HeaderExtensions,
    RtcpPsfbPacket,
    RtcpRtpfbPacket,
    RtpPacket,
)

from client import compat
from client.sfu.keyframes import KeyframeTest

logger = logging.getLogger(__name__)

HISTORY_SIZE = 256  # packets kept per video subscriber to answer NACKs (~0.5 s at 600 kbit/s)
MAX_SOCKET_BACKLOG = 256 * 1024  # bytes buffered in asyncio before we drop
KEYFRAME_REQUEST_INTERVAL = 0.3  # seconds; a publisher is asked at most this often
_NO_EXTENSIONS = HeaderExtensions()

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
        self._ssrc = struct.pack("!L", compat.sender_ssrc(sender))
        self._next_seq: int | None = None
        self._history: dict[int, bytes] | None = {} if keep_history else None
        self.waiting_for_keyframe = keep_history

    def prepare(self, data: bytes) -> bytes:
        """Give a serialised packet this subscriber's SSRC, payload type and sequence number."""
        seq = 0 if self._next_seq is None else self._next_seq
        self._next_seq = (seq + 1) & 0xFFFF
        buf = bytearray(data)
        buf[1] = (buf[1] & 0x80) | self._payload_type
        struct.pack_into("!H", buf, 2, seq)
        buf[8:12] = self._ssrc
        out = bytes(buf)
        if self._history is not None:
            self._history[seq % HISTORY_SIZE] = out
        return out

    def send(self, data: bytes) -> None:
        """SRTP-protect and hand to the socket, or drop: never queue without bound.

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
    ) -> None:
        self.kind = kind
        self.payload_type = payload_type
        self._receiver = receiver
        self._is_keyframe = is_keyframe
        self._audio_gate = audio_gate
        self._outbound: list[OutboundStream] = []
        self._publisher_ssrc: int | None = None
        self._last_keyframe_request = 0.0
        self.errors = 0
        # The receiver's own handler would jitter-buffer and decode; ours forwards.
        compat.intercept_rtp(receiver, self._handle_rtp_packet)

    def add_subscriber(self, sender: RTCRtpSender, payload_type: int) -> OutboundStream:
        outbound = OutboundStream(sender, payload_type, keep_history=self._is_keyframe is not None)
        compat.intercept_rtcp(sender, functools.partial(self._handle_subscriber_rtcp, outbound))
        self._outbound.append(outbound)
        if outbound.waiting_for_keyframe:
            self.request_keyframe(force=True)
        return outbound

    def remove_subscriber(self, outbound: OutboundStream) -> None:
        if outbound in self._outbound:
            self._outbound.remove(outbound)

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
        else:
            await original(packet)

    async def _handle_rtp_packet(self, packet: RtpPacket, arrival_time_ms: int) -> None:
        # An exception here would end the publisher's whole DTLS transport: contain it.
        try:
            self._forward(packet)
        except Exception:
            self.errors += 1
            if self.errors == 1 or self.errors % 1000 == 0:
                logger.exception(
                    "forwarding a %s packet failed (%d so far)", self.kind, self.errors
                )

    def _forward(self, packet: RtpPacket) -> None:
        if packet.payload_type != self.payload_type or not compat.receiver_enabled(self._receiver):
            return  # RTX or a codec we did not negotiate for subscribers
        self._publisher_ssrc = packet.ssrc
        if self._audio_gate is not None and not self._audio_gate(packet.extensions.audio_level):
            return
        if not self._outbound:
            return
        is_keyframe = False
        if self._is_keyframe is not None:
            is_keyframe = self._is_keyframe(packet.payload)
        packet.extensions = _NO_EXTENSIONS
        data = packet.serialize()
        waiting = False
        for outbound in self._outbound:
            if outbound.waiting_for_keyframe:
                if not is_keyframe:
                    waiting = True
                    continue
                outbound.waiting_for_keyframe = False
            outbound.send(outbound.prepare(data))
        if waiting:
            self.request_keyframe()
