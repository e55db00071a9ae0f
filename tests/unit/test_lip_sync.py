"""Lip sync's arithmetic: sender reports to sender time, and how long a picture waits."""

from __future__ import annotations

import asyncio
import fractions
import time

import av
import pytest
from aiortc.rtp import RtcpSenderInfo, RtcpSrPacket

from client.media.lip_sync import (
    MAX_PENDING,
    AvSync,
    PictureRelease,
    SenderClock,
)
from client.ntp import NTP_UNIX_OFFSET


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


def _picture(rtp: int) -> av.VideoFrame:
    frame = av.VideoFrame(16, 16, "yuv420p")
    frame.pts, frame.time_base = rtp, fractions.Fraction(1, 90000)
    return frame


def _sync_now() -> AvSync:
    """Sound heard 200 ms after it is taken; the picture taken at 100.5 s is ready now,
    so it waits ~100 ms; pictures taken 0.1 s or more earlier wait for nothing."""
    sync = AvSync()
    sync.audio_clock, sync.video_clock = SenderClock(48000), SenderClock(90000)
    sync.audio_clock.on_report(report(0, 100.0))
    sync.video_clock.on_report(report(0, 100.0))
    offset = time.monotonic() - 100.6
    for index in range(30):
        sync.audio_heard(index * 960, 100.0 + index * 0.02 + offset + 0.2)
    return sync


def test_a_picture_is_handed_on_when_its_sound_is_heard_without_holding_up_the_next() -> None:
    shown: list[tuple[int, float]] = []

    async def scenario() -> None:
        release = PictureRelease(
            _sync_now(), lambda frame: shown.append((frame.pts, time.monotonic()))
        )
        started = time.monotonic()
        release.offer(_picture(36000))  # taken at 100.4 s: its sound was heard, shown at once
        release.offer(_picture(45000))  # taken at 100.5 s: held ~100 ms
        release.offer(_picture(49500))  # taken at 100.55 s: held ~150 ms, not longer
        await asyncio.sleep(0.4)
        release.close()
        assert [pts for pts, _ in shown] == [36000, 45000, 49500]
        assert shown[0][1] - started < 0.05
        assert 0.07 < shown[1][1] - started < 0.3  # ~100 ms, the difference
        assert 0.12 < shown[2][1] - started < 0.35
        assert shown[2][1] - shown[1][1] > 0.03  # its own wait, not just its turn
        assert release.dropped == 0

    asyncio.run(scenario())


def test_a_picture_never_overtakes_an_earlier_one_still_held() -> None:
    shown: list[int] = []

    async def scenario() -> None:
        sync = _sync_now()
        release = PictureRelease(sync, lambda frame: shown.append(frame.pts))
        release.offer(_picture(45000))  # held ~100 ms
        sync.video_clock.on_report(report(0, 99.0))  # a new report moves the clock a second
        release.offer(_picture(46000))  # newer, and now long due: right after the first
        await asyncio.sleep(0.05)
        assert shown == []
        await asyncio.sleep(0.25)
        release.close()
        assert shown == [45000, 46000]
        assert release.dropped == 0

    asyncio.run(scenario())


def test_a_late_picture_is_still_dropped_rather_than_shown_after_a_newer_one() -> None:
    shown: list[int] = []

    async def scenario() -> None:
        release = PictureRelease(_sync_now(), lambda frame: shown.append(frame.pts))
        release.offer(_picture(46000))
        await asyncio.sleep(0.3)
        release.offer(_picture(45000))  # decoded out of order, after its successor was shown
        await asyncio.sleep(0.3)
        release.close()
        assert shown == [46000]
        assert release.dropped == 1

    asyncio.run(scenario())


def test_no_more_than_a_few_pictures_wait_at_once_the_oldest_go_early() -> None:
    shown: list[tuple[int, float]] = []

    async def scenario() -> None:
        release = PictureRelease(
            _sync_now(), lambda frame: shown.append((frame.pts, time.monotonic()))
        )
        started = time.monotonic()
        for index in range(MAX_PENDING + 4):  # all taken at ~100.5 s: all held ~100 ms
            release.offer(_picture(45000 + index))
        await asyncio.sleep(0.3)
        release.close()
        # every picture is shown, in order: the four oldest at once, the others in time
        assert [pts for pts, _ in shown] == [45000 + index for index in range(MAX_PENDING + 4)]
        assert all(at - started < 0.05 for _, at in shown[:4])
        assert all(0.07 < at - started < 0.3 for _, at in shown[4:])
        assert (release.early, release.dropped) == (4, 0)

    asyncio.run(scenario())
