"""Lip sync's arithmetic: sender reports to sender time, and how long a picture waits."""

from __future__ import annotations

import asyncio
import fractions
import time

import av
import pytest
from aiortc.rtp import RtcpSenderInfo, RtcpSrPacket

from client.media.lip_sync import NTP_UNIX_OFFSET, AvSync, SenderClock


def report(rtp: int, unix_seconds: float) -> RtcpSrPacket:
    ntp = int((unix_seconds + NTP_UNIX_OFFSET) * 2**32)
    return RtcpSrPacket(
        ssrc=1,
        sender_info=RtcpSenderInfo(
            ntp_timestamp=ntp, rtp_timestamp=rtp, packet_count=0, octet_count=0
        ),
    )


def test_a_sender_report_maps_rtp_time_to_the_sender_s_clock_across_the_wrap() -> None:
    clock = SenderClock(90000)
    assert clock.sender_time(1234) is None  # nothing to go by before the first report
    clock.on_report(report(2**32 - 9000, 1000.0))
    assert clock.sender_time(2**32 - 9000) == pytest.approx(1000.0)
    assert clock.sender_time(81000) == pytest.approx(1001.0)  # wrapped: 0.1 + 0.9 s later
    assert clock.sender_time(2**32 - 18000) == pytest.approx(999.9)
    assert clock.sender_time(2**32 + 81000) == pytest.approx(1001.0)  # an unwrapped stamp
    clock.on_report(report(5, -NTP_UNIX_OFFSET))  # NTP 0: a clock not known yet, ignored
    assert clock.sender_time(81000) == pytest.approx(1001.0)


def test_a_frame_s_time_is_counted_from_the_stream_s_first_rtp_timestamp() -> None:
    clock = SenderClock(48000, origin=lambda: 4_000_000_000)
    clock.on_report(report(4_000_048_000, 20.0))
    assert clock.sender_time(0) == pytest.approx(19.0)  # the first frame, a second earlier
    unknown = SenderClock(48000, origin=lambda: None)  # no frame decoded yet
    unknown.on_report(report(0, 20.0))
    assert unknown.sender_time(0) is None


def synced(audio_delay: float) -> AvSync:
    """Both streams' reports say RTP 0 was taken at sender time 500 s; the sound stamped
    with each 20 ms is heard ``audio_delay`` after it was taken (plus a clock offset)."""
    sync = AvSync()
    sync.audio_clock, sync.video_clock = SenderClock(48000), SenderClock(90000)
    sync.audio_clock.on_report(report(0, 500.0))
    sync.video_clock.on_report(report(0, 500.0))
    offset = 7000.0  # the receiver's clock is elsewhere: it cancels out
    for index in range(30):
        sync.audio_heard(index * 960, 500.0 + index * 0.02 + audio_delay + offset)
    return sync


def test_a_picture_waits_as_much_longer_as_its_sound_takes() -> None:
    sync = synced(audio_delay=0.180)
    offset = 7000.0
    # the picture taken at 500.5 s is ready 40 ms later: its sound comes 140 ms after that
    assert sync.picture_hold(45000, 500.5 + 0.040 + offset) == pytest.approx(0.140)
    # a picture that is already later than its sound is not held
    assert sync.picture_hold(45000, 500.5 + 0.300 + offset) == 0.0


def test_pictures_are_not_held_without_sound_or_reports() -> None:
    sync = synced(audio_delay=0.180)
    offset = 7000.0
    # the sound stopped (muted): a second later pictures no longer wait for it
    assert sync.picture_hold(45000 * 6, 503.0 + offset) == 0.0
    unreported = AvSync()
    unreported.audio_clock, unreported.video_clock = SenderClock(48000), SenderClock(90000)
    unreported.audio_heard(960, 10.0)
    assert unreported.picture_hold(1800, 10.0) == 0.0


def test_an_absurd_difference_is_not_waited_for() -> None:
    sync = synced(audio_delay=5.0)  # a broken report, not a buffer
    assert sync.picture_hold(45000, 500.5 + 0.040 + 7000.0) == 0.0


def test_hold_picture_sleeps_for_the_difference() -> None:
    sync = AvSync()
    sync.audio_clock, sync.video_clock = SenderClock(48000), SenderClock(90000)
    sync.audio_clock.on_report(report(0, 100.0))
    sync.video_clock.on_report(report(0, 100.0))
    offset = time.monotonic() - 100.6  # the picture taken at 100.5 s is ready now: 100 ms
    for index in range(30):  # each sound is heard 200 ms after it was taken
        sync.audio_heard(index * 960, 100.0 + index * 0.02 + offset + 0.2)
    frame = av.VideoFrame(16, 16, "yuv420p")
    frame.pts, frame.time_base = 45000, fractions.Fraction(1, 90000)
    started = time.monotonic()
    asyncio.run(sync.hold_picture(frame))
    assert 0.07 < time.monotonic() - started < 0.5  # ~100 ms, the difference
