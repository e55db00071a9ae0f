"""Transport-wide feedback messages, read back with a decoder of the draft's layout
(draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1), which accepts all three chunk
kinds a browser may send, not only the ones the SFU writes."""

from __future__ import annotations

import asyncio
import gc
import struct
import weakref
from dataclasses import dataclass
from typing import Any

from aiortc import RTCPeerConnection

from client.sfu import transport_cc
from client.sfu.transport_cc import MAX_STATUSES, TransportFeedback


@dataclass
class Decoded:
    sender_ssrc: int
    media_ssrc: int
    base: int
    count: int
    reference_us: int
    feedback_count: int
    arrivals: dict[int, int | None]  # sequence number -> arrival µs (None: not received)


def decode(data: bytes) -> Decoded:
    first, packet_type, words = struct.unpack_from("!BBH", data)
    assert first >> 6 == 2 and first & 0x1F == 15 and packet_type == 205
    assert len(data) == 4 * (words + 1)
    if first & 0x20:  # padding: its last byte counts it
        data = data[: len(data) - data[-1]]
    sender, media, base, count, reference_and_count = struct.unpack_from("!LLHHL", data, 4)
    reference = reference_and_count >> 8
    if reference & 0x800000:
        reference -= 1 << 24
    position, statuses = 20, []
    while len(statuses) < count:
        (chunk,) = struct.unpack_from("!H", data, position)
        position += 2
        if not chunk & 0x8000:  # run length
            statuses += [(chunk >> 13) & 3] * (chunk & 0x1FFF)
        elif not chunk & 0x4000:  # one-bit vector
            statuses += [(chunk >> (13 - i)) & 1 for i in range(14)]
        else:  # two-bit vector
            statuses += [(chunk >> (12 - 2 * i)) & 3 for i in range(7)]
    statuses = statuses[:count]
    arrivals: dict[int, int | None] = {}
    at = reference * 64_000
    for index, status in enumerate(statuses):
        seq = (base + index) & 0xFFFF
        if status == 0:
            arrivals[seq] = None
            continue
        if status == 1:
            delta = data[position]
            position += 1
        else:
            assert status == 2
            (delta,) = struct.unpack_from("!h", data, position)
            position += 2
        at += delta * 250
        arrivals[seq] = at
    assert position <= len(data) < position + 4  # the rest is at most alignment
    return Decoded(
        sender, media, base, count, reference * 64_000, reference_and_count & 0xFF, arrivals
    )


def test_packets_in_order_come_back_with_their_arrival_times() -> None:
    feedback = TransportFeedback()
    sent = {seq: 1_000_000 + seq * 5_000 + (seq % 3) * 130 for seq in range(100, 140)}
    for seq, at in sent.items():
        feedback.record_at(seq, 0xABC, at)
    (message,) = feedback.messages(sender_ssrc=0x1234)
    decoded = decode(bytes(message))
    assert (decoded.sender_ssrc, decoded.media_ssrc) == (0x1234, 0xABC)
    assert decoded.base == 100 and decoded.count == 40 and decoded.feedback_count == 0
    for seq, at in sent.items():
        arrival = decoded.arrivals[seq]
        assert arrival is not None and abs(arrival - at) <= 125, (seq, arrival, at)


def test_losses_reordering_and_a_pause_are_reported_as_they_happened() -> None:
    feedback = TransportFeedback()
    arrivals = {1: 10_000, 2: 12_000, 5: 14_000, 4: 15_000, 6: 2_000_000}  # 3 lost, 4 late
    for seq, at in arrivals.items():
        feedback.record_at(seq, 7, at)
    decoded = decode(bytes(feedback.messages(1)[0]))
    assert decoded.arrivals[3] is None
    for seq, at in arrivals.items():
        arrival = decoded.arrivals[seq]
        assert arrival is not None and abs(arrival - at) <= 125, (seq, arrival, at)


def test_sequence_numbers_wrap_around() -> None:
    feedback = TransportFeedback()
    numbers = [65533, 65534, 65535, 0, 1, 2]
    for index, seq in enumerate(numbers):
        feedback.record_at(seq, 7, 50_000 + index * 1_000)
    decoded = decode(bytes(feedback.messages(1)[0]))
    assert decoded.base == 65533 and decoded.count == 6
    assert all(decoded.arrivals[seq] is not None for seq in numbers)


def test_each_message_goes_on_where_the_last_ended_and_late_packets_are_dropped() -> None:
    feedback = TransportFeedback()
    for seq in range(10):
        if seq != 7:
            feedback.record_at(seq, 7, 100_000 + seq * 1_000)
    first = decode(bytes(feedback.messages(1)[0]))
    assert first.base == 0 and first.count == 10 and first.arrivals[7] is None
    assert feedback.messages(1) == []  # nothing new
    feedback.record_at(7, 7, 120_000)  # reported missing already: too late
    for seq in range(10, 13):
        feedback.record_at(seq, 7, 130_000 + seq * 1_000)
    second = decode(bytes(feedback.messages(1)[0]))
    assert second.base == 10 and second.count == 3 and second.feedback_count == 1


def test_a_long_gap_is_skipped_and_a_long_message_is_split() -> None:
    feedback = TransportFeedback()
    feedback.record_at(0, 7, 0)
    feedback.messages(1)
    feedback.record_at(5_000, 7, 1_000_000)  # 4,999 numbers never arrived
    decoded = decode(bytes(feedback.messages(1)[0]))
    assert decoded.base == 5_000 and decoded.count == 1
    for seq in range(5_001, 5_001 + 2 * MAX_STATUSES + 10):
        feedback.record_at(seq, 7, 1_000_000 + seq)
    messages = [decode(bytes(m)) for m in feedback.messages(1)]
    assert [m.count for m in messages] == [MAX_STATUSES, MAX_STATUSES, 10]
    assert [m.base for m in messages] == [5_001, 5_001 + MAX_STATUSES, 5_001 + 2 * MAX_STATUSES]


def test_arrivals_more_than_eight_seconds_apart_start_a_new_message() -> None:
    feedback = TransportFeedback()
    feedback.record_at(1, 7, 0)
    feedback.record_at(2, 7, 9_000_000)  # a delta beyond what two bytes carry
    messages = [decode(bytes(m)) for m in feedback.messages(1)]
    assert [(m.base, m.count) for m in messages] == [(1, 1), (2, 1)]
    assert messages[1].arrivals[2] is not None and abs(messages[1].arrivals[2] - 9_000_000) <= 125


def test_a_closed_connection_is_not_kept_alive_by_its_feedback() -> None:
    # The table of connections is weak-keyed by the DTLS transport; a value that held its
    # key strongly would keep every publisher connection of a long meeting in memory.
    async def scenario() -> weakref.ref[Any]:
        pc = RTCPeerConnection()
        receiver = pc.addTransceiver("video", "recvonly").receiver
        transport_cc.for_receiver(receiver)
        gone = weakref.ref(receiver.transport)
        await pc.close()
        del pc, receiver
        return gone

    gone = asyncio.run(scenario())
    gc.collect()
    assert gone() is None
