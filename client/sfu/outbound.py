"""One subscriber's copy of a publisher track, on its way out of the SFU.

:class:`OutboundStream` gives each forwarded packet the subscriber's SSRC, payload type and
sequence number, keeps the last packets to answer the subscriber's NACKs (each packet at most
:data:`MAX_RESENDS` times, :data:`RESEND_INTERVAL` apart: aiortc's receiver repeats every
missing number in each NACK, and answering them all again would fill a thin link with
repeats), and sends them
through SRTP and the socket without queueing: a subscriber whose socket backs up loses
packets, nobody else's time.
"""

from __future__ import annotations

import asyncio
import struct
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiortc import RTCRtpSender
from aiortc.rtcdtlstransport import RTCDtlsTransport

from client import compat
from client.sfu.continuity import StreamContinuity
from client.sfu.loss_estimate import SubscriberEstimate

if TYPE_CHECKING:
    from client.sfu.forwarder import TrackForwarder

HISTORY_SIZE = 256  # packets kept per video subscriber to answer NACKs (~0.5 s at 600 kbit/s)
MAX_SOCKET_BACKLOG = 256 * 1024  # bytes buffered in asyncio before we drop
RESEND_INTERVAL = 0.3  # seconds: a packet is not sent again sooner (a round trip or so)
MAX_RESENDS = 2  # times a packet is sent again at most; then the receiver asks for a keyframe


class OutboundStream:
    """One subscriber's copy of a publisher track: its own SSRC, sequence numbers and history."""

    def __init__(self, sender: RTCRtpSender, payload_type: int, keep_history: bool) -> None:
        self.sender = sender
        self._payload_type = payload_type
        self._transport: RTCDtlsTransport = sender.transport
        # (SRTP protect, socket, address) once the transport is connected
        self._route: tuple[Callable[[bytes], bytes], asyncio.DatagramTransport, Any] | None = None
        self.ssrc = compat.sender_ssrc(sender)
        self._ssrc = struct.pack("!L", self.ssrc)
        self.packets_sent = 0  # media packets (not retransmissions), for sender reports
        self.octets_sent = 0  # their payload bytes
        self.downlink = SubscriberEstimate()  # from the subscriber's REMB and reports
        self._next_seq: int | None = None
        # Video keeps the publisher's numbering (shifted): a gap it left stays a gap the
        # subscriber can see, and a retransmission fills it. Audio packets the gate leaves
        # out are no loss, so audio is numbered without gaps.
        self._keeps_gaps = keep_history
        self.keeps_history = keep_history
        self._seq_offset = 0
        self._source_ssrc: int | None = None
        self._history: dict[int, bytes] | None = {} if keep_history else None
        self._resent: dict[int, tuple[int, float]] = {}  # slot -> (times, when last)
        # The forwarder whose packets go out here, and the one to take over on its keyframe.
        self.source: TrackForwarder | None = None
        self.pending: TrackForwarder | None = None
        # Only for a stream whose source can change (a layered camera): timestamps and
        # picture numbers of the new source continue the old ones.
        self.continuity: StreamContinuity | None = None

    @property
    def waiting_for_keyframe(self) -> bool:
        return self.source is None

    @property
    def feeding(self) -> TrackForwarder | None:
        """The forwarder that sends here now, or will on its first keyframe."""
        return self.source if self.source is not None else self.pending

    def pause(self) -> None:
        """Send nothing here until a forwarder is made ``pending`` again (the receiver hides
        this video); numbering then goes on without a gap, as after a change of source."""
        if self.continuity is not None and not self.paused:
            self.continuity.rebase(self.last_sent())
        self.source = self.pending = None
        self._source_ssrc = None

    @property
    def paused(self) -> bool:
        return self.source is None and self.pending is None

    def resume(self, forwarder: TrackForwarder) -> None:
        """Send ``forwarder``'s packets again, from its next keyframe (asked for now)."""
        if self.paused:
            self.pending = forwarder
            forwarder.request_keyframe(force=True)

    def switch_to(self, forwarder: TrackForwarder) -> None:
        """``forwarder`` sends here from its packet in hand (a keyframe) on."""
        old, self.source, self.pending = self.source, forwarder, None
        if old is not None:
            old.feedback.forget_subscriber(self)  # its estimate now caps the new layer
            if self.continuity is not None:
                self.continuity.rebase(self.last_sent())

    def last_sent(self) -> bytes | None:
        """The newest media packet sent here (video), as it went out."""
        if self._history is None or self._next_seq is None:
            return None
        return self._history.get((self._next_seq - 1) % HISTORY_SIZE)

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

    def prepare(
        self,
        data: bytes,
        source_seq: int = 0,
        source_ssrc: int = 0,
        timestamp: int = 0,
        payload_at: int = 12,
        arrival_ms: int = 0,
    ) -> bytes:
        """Give a serialised packet this subscriber's SSRC, payload type and sequence number
        (and, for a layered camera, its timestamp and picture numbers)."""
        seq = self._sequence_number(source_seq, source_ssrc)
        buf = bytearray(data)
        buf[1] = (buf[1] & 0x80) | self._payload_type
        struct.pack_into("!H", buf, 2, seq)
        buf[8:12] = self._ssrc
        if self.continuity is not None:
            self.continuity.apply(buf, timestamp, payload_at, arrival_ms)
        out = bytes(buf)
        if self._history is not None:
            self._history[seq % HISTORY_SIZE] = out
            self._resent.pop(seq % HISTORY_SIZE, None)
        return out

    def send(self, data: bytes, payload_size: int = 0) -> None:
        """SRTP-protect and hand to the socket, or drop: never queue without bound.
        A media packet gives its ``payload_size``, for the counts in sender reports.

        This is aiortc's ``_send_rtp`` without its four coroutine hops per packet.
        """
        dtls = self._transport
        if not compat.dtls_connected(dtls):
            return
        route = self._route
        if route is None:
            pair = compat.nominated_pair(dtls)
            if pair is None:
                return
            # aiortc neither renominates nor rekeys: both stay while the transport lives
            protect = compat.rtp_protector(dtls)
            route = self._route = (protect, pair.protocol.transport, pair.remote_addr)
        protect, socket, address = route
        # A subscriber whose socket backs up loses packets here, never the others' time.
        # (asyncio's datagram transports have get_write_buffer_size; typeshed omits it)
        if socket.get_write_buffer_size() > MAX_SOCKET_BACKLOG:  # type: ignore[attr-defined]
            return
        socket.sendto(protect(data), address)
        if payload_size:
            self.packets_sent += 1
            self.octets_sent += payload_size

    def retransmit(self, seq: int, now: float | None = None) -> None:
        """Send packet ``seq`` again, if it is kept and was not sent again too often."""
        if self._history is None:
            return
        slot = seq % HISTORY_SIZE
        data = self._history.get(slot)
        if data is None or struct.unpack_from("!H", data, 2)[0] != seq:
            return
        now = time.monotonic() if now is None else now
        times, last = self._resent.get(slot, (0, 0.0))
        if times >= MAX_RESENDS or (times and now - last < RESEND_INTERVAL):
            return
        self._resent[slot] = (times + 1, now)
        self.send(data)
