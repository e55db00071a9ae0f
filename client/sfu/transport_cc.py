"""Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-01).

A browser that offers it stamps every packet of a connection, audio, video, retransmissions
and padding probes alike, with one transport-wide sequence number, and estimates its own
uplink from when each arrived: its send-side estimator reacts to queues building up within
a few packets, sooner than a receiver's REMB. The SFU records each stamped packet's arrival
(one :class:`TransportFeedback` per publisher connection, shared by its audio and video) and
sends the arrivals back about ten times a second.

Each feedback message covers the sequence numbers from the first not yet reported to the
highest seen: a status per number (not received, received with a small delta, received with
a large one), then the arrival deltas in 250 µs units, the first against the message's
reference time (64 ms units). Statuses go in two-bit vector chunks of seven.
"""

from __future__ import annotations

import asyncio
import logging
import struct
import time
import weakref
from collections.abc import Callable

from aiortc import RTCRtpReceiver
from aiortc.rtcdtlstransport import RTCDtlsTransport

from client import compat

logger = logging.getLogger(__name__)

FEEDBACK_INTERVAL = 0.1  # seconds between feedback messages while packets arrive
MAX_STATUSES = 1000  # sequence numbers per message: a long gap goes out in several
DELTA_UNIT_US = 250
REFERENCE_UNIT_US = 64_000
_NOT_RECEIVED, _SMALL_DELTA, _LARGE_DELTA = 0, 1, 2
_RTPFB, _TRANSPORT_CC_FMT = 205, 15


class FeedbackMessage:
    """One encoded feedback message; aiortc sends what ``bytes()`` gives."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __bytes__(self) -> bytes:
        return self.data


class TransportFeedback:
    """Arrivals of one connection's stamped packets, turned into feedback messages."""

    def __init__(self, clock_us: Callable[[], int] | None = None) -> None:
        self._clock_us = clock_us or (lambda: time.monotonic_ns() // 1000)
        self._arrivals: dict[int, int] = {}  # unwrapped sequence number -> arrival µs
        self._next_to_report: int | None = None
        self._highest: int | None = None
        self._messages_sent = 0
        self.media_ssrc = 0  # the stream the messages name (any of the connection's)

    def record(self, sequence_number: int, ssrc: int) -> None:
        """A packet stamped ``sequence_number`` (16 bits) arrived now."""
        self.record_at(sequence_number, ssrc, self._clock_us())

    def record_at(self, sequence_number: int, ssrc: int, arrival_us: int) -> None:
        seq = self._unwrap(sequence_number)
        if self._next_to_report is not None and seq < self._next_to_report:
            return  # reported as missing already: too late to take back
        if not self.media_ssrc:
            self.media_ssrc = ssrc
        self._arrivals.setdefault(seq, arrival_us)
        if self._highest is None or seq > self._highest:
            self._highest = seq

    def _unwrap(self, sequence_number: int) -> int:
        if self._highest is None:
            return sequence_number
        # the unwrapped number nearest to the highest one seen
        delta = (sequence_number - self._highest) & 0xFFFF
        if delta >= 0x8000:
            delta -= 0x10000
        return self._highest + delta

    def messages(self, sender_ssrc: int) -> list[FeedbackMessage]:
        """Feedback for everything that arrived since the last call (none when nothing did)."""
        out = []
        while self._arrivals:
            first_received = min(self._arrivals)
            start = self._next_to_report
            if start is None or first_received - start >= MAX_STATUSES:
                start = first_received  # a long run of losses need not be listed one by one
            message, next_start = self._message(sender_ssrc, start, first_received)
            out.append(message)
            self._next_to_report = next_start
            for seq in [s for s in self._arrivals if s < next_start]:
                del self._arrivals[seq]
        return out

    def _message(
        self, sender_ssrc: int, start: int, first_received: int
    ) -> tuple[FeedbackMessage, int]:
        assert self._highest is not None
        # the first received packet's delta is then under 64 ms: it always fits, so every
        # message reports at least that one
        reference = self._arrivals[first_received] // REFERENCE_UNIT_US
        previous = reference * REFERENCE_UNIT_US
        statuses: list[int] = []
        deltas = bytearray()
        seq = start
        while seq <= self._highest and len(statuses) < MAX_STATUSES:
            arrival = self._arrivals.get(seq)
            if arrival is None:
                statuses.append(_NOT_RECEIVED)
            else:
                delta = round((arrival - previous) / DELTA_UNIT_US)
                if 0 <= delta <= 0xFF:
                    statuses.append(_SMALL_DELTA)
                    deltas.append(delta)
                elif -0x8000 <= delta <= 0x7FFF:
                    statuses.append(_LARGE_DELTA)
                    deltas += struct.pack("!h", delta)
                else:
                    break  # too far from the last one: the next message starts here
                previous += delta * DELTA_UNIT_US
            seq += 1
        while statuses and statuses[-1] == _NOT_RECEIVED:
            statuses.pop()  # a message ends on a received packet
            seq -= 1
        body = struct.pack(
            "!LLHHL",
            sender_ssrc,
            self.media_ssrc,
            start & 0xFFFF,
            len(statuses),
            ((reference & 0xFFFFFF) << 8) | (self._messages_sent & 0xFF),
        )
        self._messages_sent += 1
        body += _status_chunks(statuses) + deltas
        return FeedbackMessage(_rtcp(body)), seq


def _status_chunks(statuses: list[int]) -> bytes:
    """Two-bit status vector chunks: '11', then seven statuses (the last one padded)."""
    out = bytearray()
    for index in range(0, len(statuses), 7):
        chunk = 0xC000
        for position, status in enumerate(statuses[index : index + 7]):
            chunk |= status << (12 - 2 * position)
        out += struct.pack("!H", chunk)
    return bytes(out)


def _rtcp(body: bytes) -> bytes:
    """An RTPFB header around ``body``, padded to 32-bit words as RTCP wants (P bit set, the
    last padding byte counting them)."""
    padding = -len(body) % 4
    if padding:
        body += bytes(padding - 1) + bytes([padding])
    words = len(body) // 4  # the header's length: words after the first
    first = 0x80 | (0x20 if padding else 0) | _TRANSPORT_CC_FMT
    return struct.pack("!BBH", first, _RTPFB, words) + body


class ConnectionFeedback:
    """The feedback of one publisher connection: records, and sends every
    :data:`FEEDBACK_INTERVAL` on one of the connection's receivers."""

    def __init__(self, transport: RTCDtlsTransport) -> None:
        self.feedback = TransportFeedback()
        # weakly: this is the value of a weak-keyed table, and must not keep its key alive
        self._transport = weakref.ref(transport)
        self._receivers: list[weakref.ref[RTCRtpReceiver]] = []
        self._task: asyncio.Future[None] | None = None
        self.messages_sent = 0

    def add_receiver(self, receiver: RTCRtpReceiver) -> None:
        self._receivers.append(weakref.ref(receiver))

    def record(self, sequence_number: int, ssrc: int) -> None:
        self.feedback.record(sequence_number, ssrc)
        if self._task is None:
            self._task = asyncio.ensure_future(self._send_regularly())

    def _sender(self) -> tuple[RTCRtpReceiver, int] | None:
        for reference in self._receivers:
            receiver = reference()
            ssrc = compat.receiver_rtcp_ssrc(receiver) if receiver is not None else None
            if receiver is not None and ssrc is not None:
                return receiver, ssrc
        return None

    def _open(self) -> bool:
        transport = self._transport()
        return transport is not None and transport.state not in ("closed", "failed")

    async def _send_regularly(self) -> None:
        while self._open():
            await asyncio.sleep(FEEDBACK_INTERVAL)
            sender = self._sender()
            if sender is None:
                continue
            receiver, ssrc = sender
            for message in self.feedback.messages(ssrc):
                try:
                    await compat.send_receiver_rtcp(receiver, message)
                    self.messages_sent += 1
                except Exception as exc:  # a closing transport: nothing more to tell
                    logger.debug("transport feedback failed: %s", type(exc).__name__)
                    return

    def close(self) -> None:
        if self._task is not None:
            self._task.cancel()


_connections: weakref.WeakKeyDictionary[RTCDtlsTransport, ConnectionFeedback] = (
    weakref.WeakKeyDictionary()
)


def for_receiver(receiver: RTCRtpReceiver) -> ConnectionFeedback:
    """The feedback of the connection ``receiver`` belongs to (made with its first track)."""
    transport = receiver.transport
    connection = _connections.get(transport)
    if connection is None:
        connection = _connections[transport] = ConnectionFeedback(transport)
    connection.add_receiver(receiver)
    return connection
