"""A participant on a lossy, jittery link still sees a moving picture and hears continuous sound.

Real processes in three network namespaces the test creates (see ``netns_impaired.py``): the
host and a publisher in ``srv``, the receiving participant in ``sub``, and between them a router
namespace where a small forwarding program on a TUN device drops 10% of the packets and delays
each by 50 ms +- 20 ms, in both directions. This is a real impairment of the packet path (TUN),
not netem (this kernel has none) and not a shim under the processes' sockets: every protocol,
including ICE, DTLS and the RTCP that asks for repairs, crosses it. The delays are drawn per
packet with ``--reorder`` off: a packet never overtakes the one ahead of it (a queue whose
length varies, as on a busy uplink), so the loss and the jitter are what the receiver deals with.

What a person would notice is counted from the receiver's own ``--stats-json``: pictures decoded
a second, and the share of 20 ms audio frames that were played (decoded, or filled in by the
receiver's loss concealment).
"""

from __future__ import annotations

import os
import select
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import finish, read_stats, runde_command, wait_for
from tests.integration.netns_impaired import (
    SERVER_ADDRESS,
    SUBSCRIBER_ADDRESS,
    ImpairedLink,
    cannot_create,
)

LOSS_PERCENT = 10
DELAY_MS, JITTER_MS = 50, 20
MEASURED_S = 30.0
SOURCE = "testsrc:640x360@30"
AUDIO_FRAMES_PER_S = 50  # Opus in 20 ms frames


@pytest.fixture
def link() -> Iterator[ImpairedLink]:
    reason = cannot_create()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    made = ImpairedLink.create(impair_uplink=True)
    try:
        yield made
    finally:
        made.delete()


def _start_host(link: ImpairedLink) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        link.in_server(
            runde_command("--log-level", "info", "host", "--headless", "--bind", SERVER_ADDRESS)
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 20.0)
    line = process.stdout.readline().strip() if ready else ""
    if not line:
        process.kill()
        raise RuntimeError(f"the host printed no link: {process.communicate()[1][-2000:]}")
    return process, line


def _join(prefix: list[str], url: str, name: str, stats: Path, bind: str, *extra: str) -> Any:
    command = runde_command(
        "join", url, "--headless", "--name", name, "--bind", bind, "--duration", "90",
        "--stats-json", str(stats), "--stats-every", "0.5", *extra,
    )  # fmt: skip
    return subprocess.Popen(
        [*prefix, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _remote(stats: Path, name: str) -> dict[str, Any]:
    try:
        remote: dict[str, Any] = read_stats(stats)["remotes"].get(name, {})
    except (FileNotFoundError, ValueError, KeyError):
        return {}
    return remote


def test_video_and_audio_survive_ten_percent_loss_and_jitter(
    link: ImpairedLink, tmp_path: Path
) -> None:
    link.start_impairment(LOSS_PERCENT, DELAY_MS, JITTER_MS, seed=12)
    host, url = _start_host(link)
    receiver_stats, publisher_stats = tmp_path / "Bernd.json", tmp_path / "Anna.json"
    publisher = _join(link.in_server([]), url, "Anna", publisher_stats, SERVER_ADDRESS,
                      "--video", SOURCE)  # fmt: skip
    receiver = _join(link.in_subscriber([]), url, "Bernd", receiver_stats, SUBSCRIBER_ADDRESS,
                     "--video", "none", "--audio", "none")  # fmt: skip
    try:
        assert wait_for(lambda: _remote(receiver_stats, "Anna").get("video_frames", 0) > 0, 40), (
            "no picture arrived through the impaired link"
        )
        time.sleep(2.0)  # past the first keyframe and the estimate's start
        before = _remote(receiver_stats, "Anna")
        started = time.monotonic()
        time.sleep(MEASURED_S)
        after = _remote(receiver_stats, "Anna")
        seconds = time.monotonic() - started
    finally:
        for process in (receiver, publisher):
            process.terminate()
            finish(process, timeout=15)
        host.terminate()
        _, host_err = host.communicate(timeout=15)
        link.stop_impairment()

    def gained(key: str) -> int:
        return int(after.get(key) or 0) - int(before.get(key) or 0)

    fps = gained("video_frames") / seconds
    expected_audio = AUDIO_FRAMES_PER_S * seconds
    decoded, concealed = gained("audio_frames"), gained("audio_concealed_frames")
    played_share = (decoded + concealed) / expected_audio
    counters = link.counters
    loss_seen = counters.get("dropped", 0) / max(1, counters.get("received", 0))
    print(
        f"\nimpairment: {counters} ({loss_seen:.1%} dropped)"
        f"\nvideo {fps:.1f} fps ({gained('video_keyframes')} keyframes), "
        f"height {after.get('video_height')}, estimate {after.get('bitrate_estimate_kbps')} kbit/s"
        f"\naudio: {decoded / seconds:.1f} decoded/s, {concealed / seconds:.1f} concealed/s, "
        f"played {played_share:.1%} of {expected_audio:.0f} frames"
        f"\nhost log tail:\n{host_err[-1500:]}"
    )
    assert 0.07 < loss_seen < 0.13, f"the router did not drop about {LOSS_PERCENT}%: {counters}"
    assert fps >= 20, f"video fell to {fps:.1f} fps under the impairment"
    assert played_share >= 0.98, (
        f"audio played for only {played_share:.1%} of the time "
        f"({decoded} decoded, {concealed} concealed of {expected_audio:.0f} frames)"
    )
