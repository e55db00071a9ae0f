"""A Runde publisher whose uplink is capped follows the cap down and back up, because the SFU
tells it what arrives (REMB from arrival times, receiver reports).

Real processes in two network namespaces the test creates (see ``netns_uplink.py``); the
publisher's send rate is read from outside, at its uplink's qdisc: bytes it put through plus
packets the cap dropped.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import finish, read_stats, runde_command, start_host, wait_for
from tests.integration.netns_uplink import (
    HOST_ADDRESS,
    PUBLISHER_ADDRESS,
    UplinkPair,
    cannot_create,
)

CAP_KBIT = 500
UNCAPPED_KBIT = 100_000  # a tbf too wide to matter keeps the counters in one place
WINDOW = 2.0  # seconds over which a send rate is measured
# testsrc is simple: VP8 makes ~260 kbit/s of it at 640x360@15 whatever its target, ~560 at
# 30 fps, which with sound is above the cap.
SOURCE = "testsrc:640x360@30"


@pytest.fixture
def pair() -> Iterator[UplinkPair]:
    reason = cannot_create()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    made = UplinkPair.create()
    try:
        made.cap_uplink(UNCAPPED_KBIT)
        yield made
    finally:
        made.delete()


def _join(prefix: list[str], link: str, name: str, stats: Path, bind: str, *extra: str) -> Any:
    command = runde_command(
        "join", link, "--headless", "--name", name, "--bind", bind, "--duration", "90",
        "--stats-json", str(stats), "--stats-every", "0.5", *extra,
    )  # fmt: skip
    return subprocess.Popen(
        [*prefix, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


class RateMeter:
    """The publisher's offered send rate: bytes sent, dropped (at the average packet size) and
    added to the queue."""

    def __init__(self, pair: UplinkPair) -> None:
        self._pair = pair
        self._samples: list[tuple[float, int, int, int, int]] = []

    def restart(self) -> None:
        self._samples.clear()  # a replaced qdisc starts its counters at zero

    def sample(self) -> float | None:
        """kbit/s over the last WINDOW seconds, or None until a window is full."""
        now = time.monotonic()
        self._samples.append((now, *self._pair.uplink_counters()))
        old = [s for s in self._samples if now - s[0] >= WINDOW]
        if not old:
            return None
        then, bytes0, packets0, drops0, queued0 = old[-1]
        _, bytes1, packets1, drops1, queued1 = self._samples[-1]
        packets = packets1 - packets0
        size = (bytes1 - bytes0) / packets if packets else 1200
        offered = (bytes1 - bytes0) + (drops1 - drops0) * size + (queued1 - queued0)
        return offered * 8 / 1000 / (now - then)


def _remote(stats: Path, name: str) -> dict[str, Any]:
    try:
        remote: dict[str, Any] = read_stats(stats)["remotes"].get(name, {})
    except (FileNotFoundError, ValueError, KeyError):
        return {}
    return remote


def _rate_until(meter: RateMeter, condition: Any, within: float, log: list[str]) -> float | None:
    """Sample every 0.5 s until ``condition(rate)`` held three times running (1.5 s);
    returns the seconds it took."""
    start = time.monotonic()
    running = 0
    while time.monotonic() - start < within:
        time.sleep(0.5)
        rate = meter.sample()
        log.append(f"{time.monotonic() - start:5.1f} s: {rate if rate is None else round(rate)}")
        running = running + 1 if rate is not None and condition(rate) else 0
        if running == 3:
            return time.monotonic() - start
    return None


def test_a_capped_uplink_brings_the_publishers_rate_under_the_cap_and_back(
    pair: UplinkPair, tmp_path: Path
) -> None:
    hosting = start_host(bind=HOST_ADDRESS, wrap=pair.in_server)
    host, link = hosting.process, hosting.link
    receiver_stats, publisher_stats = tmp_path / "Bernd.json", tmp_path / "Anna.json"
    receiver = _join(pair.in_server([]), link, "Bernd", receiver_stats, HOST_ADDRESS,
                     "--video", "none", "--audio", "none")  # fmt: skip
    publisher = _join(pair.in_publisher([]), link, "Anna", publisher_stats, PUBLISHER_ADDRESS,
                      "--video", SOURCE)  # fmt: skip
    meter = RateMeter(pair)
    log: list[str] = []
    try:
        assert wait_for(lambda: _remote(receiver_stats, "Anna").get("video_frames", 0) > 30, 30)
        # Uncapped, it sends more than the cap will allow, or the test would prove nothing.
        took = _rate_until(meter, lambda rate: rate > CAP_KBIT * 1.2, 20, log)
        assert took is not None, f"never above the cap uncapped: {log}"

        pair.cap_uplink(CAP_KBIT)
        meter.restart()
        log.append("capped")
        took = _rate_until(meter, lambda rate: rate < CAP_KBIT, 10, log)
        assert took is not None, f"the publisher stayed above {CAP_KBIT} kbit/s: {log}"

        # Under the cap the receiver keeps getting sound and pictures.
        before = _remote(receiver_stats, "Anna")
        started = time.monotonic()
        time.sleep(5.0)
        after = _remote(receiver_stats, "Anna")
        seconds = time.monotonic() - started
        fps = (after["video_frames"] - before["video_frames"]) / seconds
        audio_per_s = (after["audio_frames"] - before["audio_frames"]) / seconds
        assert fps >= 10, (fps, log)
        assert audio_per_s >= 40, (audio_per_s, log)  # 50 frames of 20 ms per second
        # The receiver's own estimate of its (uncapped) path from the SFU, as it reports it.
        estimate = after.get("bitrate_estimate_kbps")
        assert isinstance(estimate, int) and estimate > 0, after

        pair.cap_uplink(UNCAPPED_KBIT)
        meter.restart()
        log.append("lifted")
        # Back above what the cap let through (it cannot be above it while capped).
        took = _rate_until(meter, lambda rate: rate > CAP_KBIT, 20, log)
        assert took is not None, f"the publisher did not come back up: {log}"
        print("\n".join(log), f"\nfps {fps:.1f}, audio {audio_per_s:.1f}/s, estimate {estimate}")
    finally:
        for process in (publisher, receiver):
            process.terminate()
            finish(process, timeout=15)
        host.terminate()
        _, err = host.communicate(timeout=15)
        print(err[-3000:])
