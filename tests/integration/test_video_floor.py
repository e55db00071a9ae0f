"""On an uplink too thin for video, the publisher's camera pauses and its voice goes on; when
the link is wide again, its pictures come back.

Real processes in two network namespaces the test creates (``netns_uplink.py``): the
publisher's uplink is capped with ``tc tbf`` at 120 kbit/s, under what aiortc's VP8 encoder
can go down to (250 kbit/s), so only pausing the video keeps the sound understandable.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.helpers import finish, read_stats, start_host, wait_for
from tests.integration.netns_uplink import HOST_ADDRESS, PUBLISHER_ADDRESS, UplinkPair
from tests.integration.test_uplink_feedback import (
    SOURCE,
    UNCAPPED_KBIT,
    _join,
    _remote,
    pair,
)

__all__ = ["pair"]  # the fixture, shared with the feedback test
THIN_KBIT = 120


def test_a_thin_uplink_pauses_the_camera_keeps_the_voice_and_recovers(
    pair: UplinkPair, tmp_path: Path
) -> None:
    hosting = start_host(bind=HOST_ADDRESS, wrap=pair.in_server)
    host, link = hosting.process, hosting.link
    receiver_stats, publisher_stats = tmp_path / "Bernd.json", tmp_path / "Anna.json"
    receiver = _join(pair.in_server([]), link, "Bernd", receiver_stats, HOST_ADDRESS,
                     "--video", "none", "--audio", "none")  # fmt: skip
    publisher = _join(pair.in_publisher([]), link, "Anna", publisher_stats, PUBLISHER_ADDRESS,
                      "--video", SOURCE, "--audio", "sine:440")  # fmt: skip
    anna = lambda: _remote(receiver_stats, "Anna")  # noqa: E731
    try:
        assert wait_for(lambda: anna().get("video_frames", 0) > 30, 30), anna()
        pair.cap_uplink(THIN_KBIT)
        assert wait_for(lambda: anna().get("video_paused") is True, 25), anna()
        assert read_stats(publisher_stats)["video_pauses"] >= 1

        # While paused: the voice arrives and is the publisher's tone; pictures have stopped.
        before, started = anna(), time.monotonic()
        time.sleep(4.0)
        after, seconds = anna(), time.monotonic() - started
        audio_per_s = (after["audio_frames"] - before["audio_frames"]) / seconds
        fps = (after["video_frames"] - before["video_frames"]) / seconds
        assert audio_per_s >= 40, (audio_per_s, after)
        assert abs(after["audio_dominant_hz"] - 440) < 10, after
        if after.get("video_paused"):  # a retry may be under way, which sends pictures
            assert fps < 5, (fps, after)

        pair.cap_uplink(UNCAPPED_KBIT)
        # Back: the retry after 10 s (or 20 s after a failed one) finds a wide link, and the
        # pictures keep coming (two seconds' worth more than when the cap was lifted).
        frames = anna()["video_frames"]

        def flowing() -> bool:
            now = anna()
            return now.get("video_paused") is False and now["video_frames"] > frames + 60

        assert wait_for(flowing, 50), anna()
    finally:
        for process in (publisher, receiver):
            process.terminate()
            print(finish(process, timeout=15)[1][-2000:])
        host.terminate()
        _, err = host.communicate(timeout=15)
        print(err[-2000:])
