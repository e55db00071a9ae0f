"""A browser subscribing to a Runde participant gets sender reports with the publisher's clock,
so it can line up sound and picture (Chromium's ``remote-outbound-rtp`` and
``estimatedPlayoutTimestamp`` come from them).

Headless Chromium in a network namespace the test creates (``chromium_subscriber.py`` drives
it), the host and a headless Runde participant publishing a test picture and tone in the
other. All run on this machine's one wall clock, so the NTP time of the reports Chromium saw
must be close to the page's own clock; aiortc's own reports for a forwarded stream said 1900.
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

import pytest

from tests.helpers import finish, start_host
from tests.integration.netns_uplink import HOST_ADDRESS, UplinkPair, cannot_create
from tests.integration.test_uplink_feedback import _join

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 10


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


def test_chromium_gets_the_publishers_clock_in_sender_reports(
    pair: UplinkPair, tmp_path: Path
) -> None:
    hosting = start_host(bind=HOST_ADDRESS, wrap=pair.in_server)
    host, link = hosting.process, hosting.link
    publisher = _join(pair.in_server([]), link, "Anna", tmp_path / "Anna.json", HOST_ADDRESS,
                      "--video", "testsrc:640x360@30")  # fmt: skip
    try:
        driver = subprocess.run(
            pair.in_publisher(
                [sys.executable, "-m", "tests.integration.chromium_subscriber", link, str(SECONDS)]
            ),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        publisher.terminate()
        finish(publisher, timeout=15)
        host.terminate()
        host.communicate(timeout=15)
    assert driver.returncode == 0, driver.stderr[-3000:]
    lines: list[dict[str, Any]] = [json.loads(line) for line in driver.stdout.splitlines()]
    print("\n".join(json.dumps(line) for line in lines))
    assert lines[0] == {"subscribed": "subscribed"}, lines
    last = lines[-1]
    for kind in ("audio", "video"):
        report = last.get(f"{kind}_sr")
        assert report is not None, f"Chromium saw no {kind} sender report: {last}"
        # The report's clock is the publisher's (this machine's). It stands still while the
        # publisher sends nothing (a paused camera), so only "this minute" is asked.
        assert last["now_ms"] - 60_000 < report["ntp_ms"] <= last["now_ms"] + 1000, (kind, last)
        assert report["packets"] > 0 and report["bytes"] > 0, (kind, last)
    assert (last.get("video_in") or {}).get("frames", 0) > 0, last
    assert (last.get("video_in") or {}).get("playout_ms") is not None, last
