"""A browser publishing into the SFU gets the feedback WebRTC senders expect: receiver reports
(its ``remote-inbound-rtp``) and transport-wide feedback its own estimate follows, which lets
it leave its 300 kbit/s start.

Headless Chromium with fake camera and microphone, in a network namespace the test creates
(see ``chromium_publisher.py`` for how it is driven).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from tests.helpers import start_host
from tests.integration.netns_uplink import HOST_ADDRESS, UplinkPair, cannot_create

ROOT = Path(__file__).resolve().parents[2]
START_KBPS = 300  # Chromium's send-side estimate before any feedback
WITHIN_S = 10.0


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def pair() -> Iterator[UplinkPair]:
    reason = cannot_create()
    if reason is None and shutil.which("chromium") is None:
        reason = "Chromium is not installed (Debian package chromium; bootstrap.sh installs it)"
    if reason is not None:
        _skip_or_fail(reason)
    made = UplinkPair.create()
    try:
        yield made
    finally:
        made.delete()


def _noise_video(path: Path) -> Path:
    """One second of 640x360 noise, every picture new: an encoder uses all the bitrate it is
    given on it. (Chromium's own fake camera is so simple that it sends ~230 kbit/s whatever
    its estimate, so a good estimate could not show.)"""
    rng = np.random.default_rng(7)
    with av.open(str(path), "w", format="yuv4mpegpipe") as container:
        stream = container.add_stream("rawvideo", rate=30)
        stream.width, stream.height, stream.pix_fmt = 640, 360, "yuv420p"
        for _ in range(30):
            plane = rng.integers(0, 256, (540, 640), dtype=np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(plane, format="yuv420p")))
        container.mux(stream.encode(None))
    return path


def test_chromium_gets_receiver_reports_and_leaves_its_start_bitrate(
    pair: UplinkPair, tmp_path: Path
) -> None:
    hosting = start_host(bind=HOST_ADDRESS, wrap=pair.in_server)
    host, link = hosting.process, hosting.link
    video = _noise_video(tmp_path / "noise.y4m")
    try:
        driver = subprocess.run(
            pair.in_publisher(
                [
                    sys.executable,
                    "-m",
                    "tests.integration.chromium_publisher",
                    link,
                    "12",
                    str(video),
                ]
            ),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert driver.returncode == 0, driver.stderr[-3000:]
        lines: list[dict[str, Any]] = [json.loads(line) for line in driver.stdout.splitlines()]
        assert lines[0] == {"published": "published"}, lines
        samples = [s for s in lines[1:] if s["t"] <= WITHIN_S + 0.5]
        print("\n".join(json.dumps(s) for s in lines[1:]))
        assert any(s["remote_inbound_rtp"] for s in samples), samples
        # Transport feedback was negotiated, so Chromium's estimate follows the SFU's
        # transport feedback (its send-side estimator), not the REMB: without feedback it
        # would stay at the start value, with feedback that reports losses it would fall.
        assert all(s["transport_cc"] for s in samples), samples
        # Above the start value by the end of the window, not just for a moment.
        assert (samples[-1]["available_outgoing_kbps"] or 0) > START_KBPS, samples
    finally:
        host.terminate()
        _, err = host.communicate(timeout=15)
        print(err[-2000:])
