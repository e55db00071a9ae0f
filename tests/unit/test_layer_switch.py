"""A subscriber switched between layers of a camera sees one continuous stream.

Two real TrackForwarders (aiortc receivers, not connected) feed one subscriber's stream;
packets go in through the forwarders' packet handler, what would go to the socket is kept.
"""

from __future__ import annotations

import asyncio
import itertools
import struct
from typing import Any

from aiortc import RTCPeerConnection
from aiortc.rtp import RtpPacket

from client.sfu.forwarder import TrackForwarder, subscribe
from client.sfu.keyframes import vp8_is_keyframe
from client.sfu.layers import STALLED_CHECKS, Layer, LayerChoice, LayerWatch
from client.sfu.outbound import OutboundStream
from client.sfu.vp8_descriptor import picture_ids

LOW, HIGH = 1111, 2222  # the layers' SSRCs


def _vp8(picture: int, key: bool) -> bytes:
    return bytes([0x90, 0x80, 0x80 | picture >> 8, picture & 0xFF, 0x00 if key else 0x01, 7, 7])


class _Layer:
    """One layer's packets: its own SSRC, sequence numbers, timestamps and picture ids."""

    def __init__(self, ssrc: int, seq: int, timestamp: int, picture: int) -> None:
        self.ssrc, self.seq, self.timestamp, self.picture = ssrc, seq, timestamp, picture

    def picture_packets(self, key: bool, count: int = 2) -> list[RtpPacket]:
        packets = []
        for index in range(count):
            payload = _vp8(self.picture, key)
            if index:  # not the start of the picture
                payload = bytes([0x80, *payload[1:]])
            packets.append(
                RtpPacket(
                    payload_type=96,
                    marker=int(index == count - 1),
                    sequence_number=self.seq,
                    timestamp=self.timestamp,
                    ssrc=self.ssrc,
                    payload=payload,
                )
            )
            self.seq = (self.seq + 1) & 0xFFFF
        self.timestamp = (self.timestamp + 6000) & 0xFFFFFFFF  # 15 pictures a second
        self.picture = (self.picture + 1) & 0x7FFF
        return packets


def _run(scenario_steps: object) -> list[bytes]:
    async def scenario() -> list[bytes]:
        pc = RTCPeerConnection()
        try:
            receivers = [pc.addTransceiver("video", "recvonly").receiver for _ in range(2)]
            low, high = (TrackForwarder(r, "video", 96, vp8_is_keyframe) for r in receivers)
            sender = pc.addTransceiver("video", "sendonly").sender
            sent: list[bytes] = []
            watch = LayerWatch([Layer(180, low), Layer(720, high)])
            choice = LayerChoice(watch, sender, 96, None)
            choice.outbound.send = lambda data, payload_size=0: sent.append(data)  # type: ignore[method-assign]
            await scenario_steps(choice, {LOW: low, HIGH: high, 0: watch})  # type: ignore[operator]
            watch.close()
            for forwarder in (low, high):
                forwarder.close()
            return sent
        finally:
            await pc.close()

    return asyncio.run(scenario())


async def _feed(forwarder: TrackForwarder, packets: list[RtpPacket], at_ms: int) -> None:
    for packet in packets:
        forwarder.take(packet, at_ms)


def _fields(data: bytes) -> tuple[int, int, int, int | None]:
    packet = RtpPacket.parse(data)
    seq, timestamp, ssrc = struct.unpack_from("!HLL", data, 2)
    return seq, timestamp, ssrc, picture_ids(packet.payload)[0]


def test_a_switch_down_and_up_keeps_numbers_and_time_going() -> None:
    async def steps(choice: LayerChoice, forwarders: dict[int, TrackForwarder]) -> None:
        low_layer = _Layer(LOW, 60000, 4_294_960_000, 32760)
        high_layer = _Layer(HIGH, 100, 1000, 5)
        low, high = forwarders[LOW], forwarders[HIGH]
        now = 1000
        await _feed(high, high_layer.picture_packets(key=False), now)  # waits for a keyframe
        for key in (True, False, False):
            now += 66
            await _feed(high, high_layer.picture_packets(key), now)
            await _feed(low, low_layer.picture_packets(key), now)
        choice.prefer(180)
        assert choice.height == 720  # until the low layer's keyframe
        now += 66
        await _feed(low, low_layer.picture_packets(key=False), now)
        await _feed(high, high_layer.picture_packets(key=False), now)
        now += 66
        await _feed(low, low_layer.picture_packets(key=True), now)
        await _feed(high, high_layer.picture_packets(key=False), now)
        assert choice.height == 180
        now += 66
        await _feed(low, low_layer.picture_packets(key=False), now)
        choice.prefer(None)
        now += 66
        await _feed(high, high_layer.picture_packets(key=True), now)
        await _feed(low, low_layer.picture_packets(key=False), now)
        now += 66
        await _feed(high, high_layer.picture_packets(key=False), now)
        assert choice.height == 720

    sent = [_fields(data) for data in _run(steps)]
    # high: 3 pictures + 1 before the switch, low: 2, high: 2 again; 2 packets each
    assert len(sent) == 16
    assert len({ssrc for _, _, ssrc, _ in sent}) == 1
    sequence = [seq for seq, _, _, _ in sent]
    assert sequence == [(sequence[0] + i) & 0xFFFF for i in range(16)]
    pictures = [picture for _, _, _, picture in sent]
    first = pictures[0]
    assert first is not None
    assert pictures == [(first + i // 2) & 0x7FFF for i in range(16)]
    times = [timestamp for _, timestamp, _, _ in sent[::2]]
    steps_between = [(b - a) & 0xFFFFFFFF for a, b in itertools.pairwise(times)]
    # each picture 66 ms (5940 ticks) or the publisher's 6000 after the one before: never back
    assert all(5900 <= step <= 6000 for step in steps_between), steps_between


def test_a_new_subscriber_starts_on_the_layer_it_asked_for() -> None:
    async def steps(choice: LayerChoice, forwarders: dict[int, TrackForwarder]) -> None:
        choice.prefer(360)  # before any picture: the 180 layer is the tallest that fits
        low_layer = _Layer(LOW, 1, 1, 1)
        high_layer = _Layer(HIGH, 1, 1, 1)
        await _feed(forwarders[HIGH], high_layer.picture_packets(key=True), 0)
        await _feed(forwarders[LOW], low_layer.picture_packets(key=True), 0)
        assert choice.height == 180

    sent = _run(steps)
    assert [_fields(data)[0] - _fields(sent[0])[0] for data in sent] == [0, 1]


def test_a_single_track_subscriber_is_not_rewritten() -> None:
    async def scenario() -> list[bytes]:
        pc = RTCPeerConnection()
        try:
            receiver = pc.addTransceiver("video", "recvonly").receiver
            forwarder = TrackForwarder(receiver, "video", 96, vp8_is_keyframe)
            sender = pc.addTransceiver("video", "sendonly").sender
            outbound: OutboundStream = subscribe([forwarder], forwarder, sender, 96)
            assert outbound.continuity is None
            sent: list[bytes] = []
            outbound.send = lambda data, payload_size=0: sent.append(data)  # type: ignore[method-assign]
            await _feed(forwarder, _Layer(LOW, 5, 777, 42).picture_packets(key=True), 0)
            forwarder.close()
            return sent
        finally:
            await pc.close()

    sent = asyncio.run(scenario())
    assert [(_fields(d)[1], _fields(d)[3]) for d in sent] == [(777, 42), (777, 42)]


def test_a_layer_that_stops_hands_its_subscribers_to_one_that_arrives() -> None:
    async def steps(choice: LayerChoice, forwarders: dict[int, Any]) -> None:
        low, high, watch = forwarders[LOW], forwarders[HIGH], forwarders[0]
        low_layer, high_layer = _Layer(LOW, 1, 1, 1), _Layer(HIGH, 1, 1, 1)
        await _feed(high, high_layer.picture_packets(key=True), 0)
        await _feed(low, low_layer.picture_packets(key=True), 0)
        assert choice.height == 720 and not watch.look()
        for _ in range(STALLED_CHECKS):  # the sender paused its top layer
            await _feed(low, low_layer.picture_packets(key=False), 0)
            stopped = watch.look()
        assert stopped
        choice.reconsider()
        await _feed(low, low_layer.picture_packets(key=True), 0)
        assert choice.height == 180
        await _feed(high, high_layer.picture_packets(key=True), 0)  # it is back
        await _feed(low, low_layer.picture_packets(key=False), 0)
        assert watch.look()
        choice.reconsider()
        await _feed(high, high_layer.picture_packets(key=True), 0)
        assert choice.height == 720

    assert len(_run(steps)) == 2 * 4


def test_a_hidden_tile_gets_no_video_and_then_one_stream_again() -> None:
    async def steps(choice: LayerChoice, forwarders: dict[int, TrackForwarder]) -> None:
        high_layer = _Layer(HIGH, 100, 1000, 5)
        high = forwarders[HIGH]
        now = 1000
        for key in (True, False):
            now += 66
            await _feed(high, high_layer.picture_packets(key), now)
        choice.prefer(0)  # the tile is hidden: nothing more goes out
        assert choice.outbound.paused
        for key in (False, True, False):
            now += 66
            await _feed(high, high_layer.picture_packets(key), now)
        choice.reconsider()  # (the layer watch looks again now and then: still hidden)
        assert choice.outbound.paused
        choice.prefer(None)  # shown again: from the next keyframe on
        now += 66
        await _feed(high, high_layer.picture_packets(key=False), now)
        for key in (True, False):
            now += 66
            await _feed(high, high_layer.picture_packets(key), now)

    sent = [_fields(data) for data in _run(steps)]
    assert len(sent) == 8  # two pictures before, none while hidden, two after (from a key)
    sequence = [seq for seq, _, _, _ in sent]
    assert sequence == [(sequence[0] + i) & 0xFFFF for i in range(8)]  # no gap to NACK
    times = [timestamp for _, timestamp, _, _ in sent[::2]]
    steps_between = [(b - a) & 0xFFFFFFFF for a, b in itertools.pairwise(times)]
    assert all(0 < step < 2**31 for step in steps_between), steps_between  # never back
    assert steps_between[1] > 4 * 5000  # the hidden time passed
