"""A receiver on a thin downlink gets a camera's smallest layer, and nobody else pays for it.

Real processes in network namespaces the test creates (``netns_downlinks.py``): the host and
a publisher with a 1280x720 test camera (sent in layers of 720, 360 and 180 rows) share the
server namespace; "Wide" receives through a link too wide to matter, "Thin" through one capped
with ``tc tbf`` at 300 kbit/s. Thin must come down to the 180-row layer and keep getting
pictures; Wide must keep the 720-row layer at the rate it had before Thin came (in the old
design Thin's estimate capped the publisher's camera for everyone). What reaches each receiver
is counted at its link's qdisc, outside the processes.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import finish, start_host, wait_for
from tests.integration.netns_downlinks import HOST_ADDRESS, ReceiverLinks, cannot_create
from tests.integration.test_uplink_feedback import _join, _remote

THIN_KBIT = 300
WIDE_KBIT = 100_000  # a tbf too wide to matter keeps the byte count in one place
CAMERA = ("--video", "testsrc:1280x720@15", "--audio", "none")
NO_MEDIA = ("--video", "none", "--audio", "none")
WINDOW = 4.0  # seconds over which what a receiver gets is measured
STARTUP_WITHIN = 40.0  # seconds for the processes to start, join and decode (a busy machine)
DOWN_WITHIN = 20.0  # seconds for Thin to get the smallest layer, once it gets pictures
# Wide's rate after Thin came, at least this part of its rate before (under the old cap it
# fell to Thin's estimate, about a third of it)
KEEPS = 0.7


@pytest.fixture
def links() -> Iterator[ReceiverLinks]:
    reason = cannot_create()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    made = ReceiverLinks.create(["Thin", "Wide"])
    try:
        made.cap_downlink("Wide", WIDE_KBIT)
        made.cap_downlink("Thin", THIN_KBIT)
        yield made
    finally:
        made.delete()


@dataclass
class Got:
    """What one receiver got from the camera over a window."""

    kbps: float  # through its link, counted at the qdisc
    fps: float
    heights: set[int]  # of its pictures, looked at every half second
    stats: dict[str, object]  # its stats of the camera at the end

    def __str__(self) -> str:
        estimate = self.stats.get("bitrate_estimate_kbps")
        return (
            f"{self.kbps:.0f} kbit/s, {self.fps:.1f} fps, heights {sorted(self.heights)}, "
            f"its estimate {estimate} kbit/s"
        )


def _measure(links: ReceiverLinks, stats: dict[str, Path], names: list[str]) -> dict[str, Got]:
    """What each of ``names`` gets over the same WINDOW seconds."""

    def frames(name: str) -> int:
        return int(_remote(stats[name], "Cam").get("video_frames") or 0)

    start = time.monotonic()
    bytes0 = {name: links.bytes_sent_to(name) for name in names}
    frames0 = {name: frames(name) for name in names}
    heights: dict[str, set[int]] = {name: set() for name in names}
    while time.monotonic() - start < WINDOW:
        time.sleep(0.5)
        for name in names:
            height = _remote(stats[name], "Cam").get("video_height")
            if isinstance(height, int):
                heights[name].add(height)
    elapsed = time.monotonic() - start
    return {
        name: Got(
            (links.bytes_sent_to(name) - bytes0[name]) * 8 / 1000 / elapsed,
            (frames(name) - frames0[name]) / elapsed,
            heights[name],
            _remote(stats[name], "Cam"),
        )
        for name in names
    }


def test_a_thin_downlink_gets_the_small_layer_and_the_others_keep_the_tall_one(
    links: ReceiverLinks, tmp_path: Path
) -> None:
    hosting = start_host(bind=HOST_ADDRESS, wrap=links.in_server)
    host, link = hosting.process, hosting.link
    stats = {name: tmp_path / f"{name}.json" for name in ("Cam", "Wide", "Thin")}
    camera = _join(links.in_server([]), link, "Cam", stats["Cam"], HOST_ADDRESS, *CAMERA)
    wide = _join(links.in_receiver("Wide", []), link, "Wide", stats["Wide"],
                 links.address("Wide"), *NO_MEDIA)  # fmt: skip
    processes = [camera, wide]
    table: list[str] = []
    try:
        tall = lambda: _remote(stats["Wide"], "Cam").get("video_height") == 720  # noqa: E731
        assert wait_for(tall, STARTUP_WITHIN), _remote(stats["Wide"], "Cam")
        time.sleep(3.0)  # the camera's top layer climbs to its rate
        before = _measure(links, stats, ["Wide"])["Wide"]
        table.append(f"Wide alone: {before}")

        thin = _join(links.in_receiver("Thin", []), link, "Thin", stats["Thin"],
                     links.address("Thin"), *NO_MEDIA)  # fmt: skip
        processes.append(thin)
        pictures = lambda: _remote(stats["Thin"], "Cam").get("video_frames", 0) > 0  # noqa: E731
        assert wait_for(pictures, STARTUP_WITHIN), _remote(stats["Thin"], "Cam")
        started = time.monotonic()
        small = lambda: (_remote(stats["Thin"], "Cam").get("video_height") or 999) <= 180  # noqa: E731
        assert wait_for(small, DOWN_WITHIN), _remote(stats["Thin"], "Cam")
        table.append(f"Thin on the small layer after {time.monotonic() - started:.1f} s")

        time.sleep(2.0)  # the switch's keyframe and the queue it left drain
        got = _measure(links, stats, ["Thin", "Wide"])
        table.append(f"Thin: {got['Thin']}")
        table.append(f"Wide with Thin: {got['Wide']}")
        print("\n".join(table))

        assert got["Thin"].heights == {180}, table  # it stays there
        assert got["Thin"].fps >= 5, table  # and keeps getting pictures
        assert got["Wide"].heights == {720}, table
        assert got["Wide"].fps >= 10, table
        assert got["Wide"].kbps >= KEEPS * before.kbps, table  # the publisher kept its rate
    finally:
        for name, process in zip(("Cam", "Wide", "Thin"), processes, strict=False):
            process.terminate()
            print(f"--- {name}:", finish(process, timeout=15)[1][-1500:])
        host.terminate()
        _, err = host.communicate(timeout=15)
        print("\n".join(line for line in err.splitlines() if "layer" in line or "estimate" in line))
    # the SFU says whose stream went down and why, in one line
    switch = re.compile(r"layers: \S+ \(camera of \S+\) goes from \d+ to 180 rows, its link is")
    assert any(switch.search(line) for line in err.splitlines()), err[-3000:]
