"""A browser's simulcast reaches each Runde receiver at the size it asked for.

Headless Chromium publishes its fake camera at 1280x720 in three simulcast layers (rids l, m,
h at a quarter, half and full size) into the SFU; two headless Runde receivers watch it, one
started with ``--max-height 180``, one without a limit. The first gets pictures of at most 180
rows, the second, which joins once the browser sends, the top layer (at least 360 rows;
Chromium may scale its top layer down on a busy machine), its keyframe asked for (PLI) on that
layer's own SSRC; the SFU's receiver reports name each layer's SSRC. Real processes in two
network namespaces the test creates (Chromium wants a non-loopback address; see
``netns_uplink.py``), the link between them uncapped.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from tests.helpers import finish, read_stats, start_host, wait_for
from tests.integration.netns_uplink import HOST_ADDRESS, UplinkPair, cannot_create
from tests.integration.test_uplink_feedback import _join

ROOT = Path(__file__).resolve().parents[2]
PUBLISH_SECONDS = "40"  # the browser's page stays this long at most; it is ended sooner
WITHIN_S = 35.0  # for Chromium to start, ramp its estimate up and send every layer
FRAMES = 20  # pictures each receiver must have decoded
NO_MEDIA = ("--video", "none", "--audio", "none")


@pytest.fixture
def pair() -> Iterator[UplinkPair]:
    reason = cannot_create()
    if reason is None and shutil.which("chromium") is None:
        reason = "Chromium is not installed (Debian package chromium; bootstrap.sh installs it)"
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    made = UplinkPair.create()
    try:
        yield made
    finally:
        made.delete()


def _camera(stats: Path) -> dict[str, Any]:
    try:
        remote: dict[str, Any] = read_stats(stats)["remotes"].get("Chromium", {})
    except (OSError, ValueError, KeyError):
        return {}  # not written yet, or being rewritten
    return remote


def _fits(stats: Path, fits: Any) -> bool:
    remote = _camera(stats)
    height = remote.get("video_height")
    return (remote.get("video_frames") or 0) >= FRAMES and height is not None and fits(height)


class BrowserLines:
    """The driver's JSON lines, read as they come (its stdout), the last one at hand."""

    def __init__(self, browser: subprocess.Popen[str]) -> None:
        self.lines: list[dict[str, Any]] = []
        assert browser.stdout is not None
        self._thread = threading.Thread(target=self._read, args=(browser.stdout,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            if line.startswith("{"):
                self.lines.append(json.loads(line))

    def join(self) -> None:
        self._thread.join(timeout=30)

    def layers(self) -> dict[str, dict[str, Any]]:
        """Each rid's state in the newest line (empty before the first)."""
        newest = self.lines[-1] if len(self.lines) > 1 else {}
        layers: dict[str, dict[str, Any]] = newest.get("layers", {})
        return layers

    def top_height(self) -> int:
        """The tallest picture a layer that is being sent has now."""
        return max((s["height"] for s in self.layers().values() if s["bytes"] > 0), default=0)


def test_each_receiver_gets_the_simulcast_layer_it_asked_for(
    pair: UplinkPair, tmp_path: Path
) -> None:
    hosting = start_host(bind=HOST_ADDRESS, wrap=pair.in_server)
    host, link = hosting.process, hosting.link
    small_stats, big_stats = tmp_path / "small.json", tmp_path / "big.json"
    in_server = pair.in_server([])
    small = _join(in_server, link, "Small", small_stats, HOST_ADDRESS, *NO_MEDIA,
                  "--max-height", "180")  # fmt: skip
    browser_err = tmp_path / "browser.err"
    with browser_err.open("w") as err_file:
        browser = subprocess.Popen(
            pair.in_publisher(
                [
                    sys.executable,
                    "-m",
                    "tests.integration.chromium_simulcast",
                    link,
                    PUBLISH_SECONDS,
                ]
            ),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=err_file,
            text=True,
        )
    browser_lines = BrowserLines(browser)
    # The second receiver comes once the browser sends: its first picture is a keyframe the
    # SFU must ask for, on the SSRC of the layer it chose.
    wait_for(lambda: len(browser_lines.lines) > 1 or browser.poll() is not None, WITHIN_S)
    big = _join(in_server, link, "Big", big_stats, HOST_ADDRESS, *NO_MEDIA)

    def as_asked() -> bool:
        layers = browser_lines.layers()
        # every layer sent, each named by the SFU's receiver reports (one per SSRC)
        all_sent = set(layers) == {"l", "m", "h"} and all(
            s["bytes"] > 0 and s["reported"] for s in layers.values()
        )
        top = browser_lines.top_height()
        return (
            all_sent
            and _fits(small_stats, lambda h: h <= 180)
            and _fits(big_stats, lambda h: h >= 360 and h == top)
        )

    receivers = {"Small": small, "Big": big}
    try:
        in_time = wait_for(as_asked, WITHIN_S, interval=0.5)
    finally:
        # SIGINT, not SIGTERM: the driver's cleanup ends its Chromium
        browser.send_signal(signal.SIGINT)
        for process in [*receivers.values(), host]:
            process.terminate()  # receivers leave and write their statistics
        try:
            browser.wait(timeout=30)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()
        browser_lines.join()
        results = {name: finish(process) for name, process in receivers.items()}
        _, host_err = finish(host)
    lines = browser_lines.lines
    small_remote, big_remote = _camera(small_stats), _camera(big_stats)
    print("\n".join(json.dumps(line) for line in lines))
    print("receivers:", small_remote, big_remote)
    for name in ("Small", "Big"):
        code, err = results[name]
        assert code == 0, f"{name} failed: {err[-2000:]}"
    assert lines and lines[0] == {"published": "simulcast"}, browser_err.read_text()[-2000:]
    assert in_time, (
        f"within {WITHIN_S:.0f} s: Chromium's layers {browser_lines.layers()}, the 180-row "
        f"receiver got {small_remote} and the other {big_remote}; the host said: "
        f"{host_err[-3000:]}; Small said: {results['Small'][1][-3000:]}"
    )
    assert small_remote["video_height"] <= 180, small_remote
    assert big_remote["video_height"] >= 360, big_remote
    # the late receiver's keyframe was asked for on its layer's own SSRC
    layers = browser_lines.layers()
    big_layer = [s for s in layers.values() if s["height"] == big_remote["video_height"]]
    assert any(s["plis"] >= 1 for s in big_layer), (big_remote, layers)
