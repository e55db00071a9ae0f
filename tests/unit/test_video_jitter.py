"""client/media/video_jitter.py: pictures from video packets, a lost packet given up briefly."""

from __future__ import annotations

from aiortc.jitterbuffer import JitterBuffer
from aiortc.rtp import RtpPacket

from client.media.video_jitter import MAX_WAIT, VideoJitterBuffer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _packet(seq: int, picture: int) -> RtpPacket:
    packet = RtpPacket(sequence_number=seq & 0xFFFF, timestamp=picture * 6000)
    packet._data = bytes([picture & 0xFF, seq & 0xFF])  # as aiortc's receiver depayloads
    return packet


def _stream(pictures: int, per_picture: int, start: int = 0) -> list[RtpPacket]:
    return [
        _packet(start + picture * per_picture + index, picture)
        for picture in range(pictures)
        for index in range(per_picture)
    ]


def _feed(
    buffer: VideoJitterBuffer | JitterBuffer, packets: list[RtpPacket], clock: Clock | None = None
) -> tuple[list[int], int]:
    """The pictures handed out (their number) and how often a keyframe was asked for, with
    packets arriving 1/15 s apart."""
    pictures, asked = [], 0
    for packet in packets:
        if clock is not None:
            clock.now += 1 / 15
        pli, frame = buffer.add(packet)
        asked += pli
        if frame is not None:
            pictures.append(frame.timestamp // 6000)
    return pictures, asked


def test_in_order_it_hands_out_what_aiortcs_buffer_does() -> None:
    packets = _stream(30, 3, start=65500)  # across the wrap of the sequence numbers
    ours, asked = _feed(VideoJitterBuffer(), packets)
    theirs, _ = _feed(JitterBuffer(capacity=512, is_video=True), _stream(30, 3, start=65500))
    assert ours == theirs == list(range(29)) and asked == 0
    frame = VideoJitterBuffer().add(packets[0])[1]
    assert frame is None


def test_a_picture_is_its_packets_joined() -> None:
    buffer = VideoJitterBuffer()
    for packet in _stream(1, 3):
        buffer.add(packet)
    _, frame = buffer.add(_packet(3, 1))
    assert frame is not None and frame.data == bytes([0, 0, 0, 1, 0, 2])


def test_a_reordered_packet_that_comes_in_time_loses_nothing() -> None:
    packets = _stream(10, 2)
    packets[4], packets[6] = packets[6], packets[4]
    pictures, asked = _feed(VideoJitterBuffer(clock=Clock()), packets, Clock())
    assert pictures == list(range(9)) and asked == 0


def test_a_packet_that_never_comes_is_given_up_after_a_while_with_a_keyframe_asked() -> None:
    clock = Clock()
    buffer = VideoJitterBuffer(clock=clock)
    packets = [p for p in _stream(40, 1) if p.sequence_number != 5]  # one packet a picture
    pictures, asked = _feed(buffer, packets, clock)
    assert asked == 1
    # Picture 4 needs picture 5's first packet to be known complete: given up with it, and
    # what arrived while they were awaited (about MAX_WAIT seconds) but the newest.
    resumed = pictures[4]
    assert pictures == [0, 1, 2, 3, *range(resumed, 39)]
    assert 6 < resumed <= 6 + MAX_WAIT * 15 + 1
    assert buffer.given_up == resumed - 5
    # aiortc's own would wait for 512 packets: nothing after picture 4
    theirs, _ = _feed(JitterBuffer(capacity=512, is_video=True), packets)
    assert theirs == [0, 1, 2, 3]


def test_a_late_packet_after_giving_up_is_ignored() -> None:
    clock = Clock()
    buffer = VideoJitterBuffer(clock=clock)
    packets = [p for p in _stream(30, 1) if p.sequence_number != 5]
    pictures, _ = _feed(buffer, packets, clock)
    assert pictures[-1] == 28
    assert buffer.add(_packet(5, 5)) == (False, None)


def test_too_many_packets_behind_a_gap_make_room_and_ask_for_a_keyframe() -> None:
    buffer = VideoJitterBuffer(capacity=16)  # no clock moves: only the room runs out
    packets = [p for p in _stream(40, 1) if p.sequence_number != 3]
    pictures, asked = _feed(buffer, packets)
    assert asked >= 1 and pictures and pictures[-1] == 38


def test_a_stream_that_starts_its_numbers_afresh_is_followed() -> None:
    buffer = VideoJitterBuffer()
    first, _ = _feed(buffer, _stream(5, 1, start=5000))
    again, asked = _feed(buffer, [_packet(1000 + i, 10 + i) for i in range(5)])
    assert first == [0, 1, 2, 3] and again == [10, 11, 12, 13] and asked == 1
