"""A participant on a lossy, jittery link still sees a moving picture and hears continuous sound.

Real processes in three network namespaces the test creates (see ``netns_impaired.py``): the
host and a publisher in ``srv``, the receiving participant in ``sub``, and between them a router
namespace where a small forwarding program on a TUN device drops 10% of the packets and delays
each by 50 ms +- 20 ms, in both directions. This is a real impairment of the packet path (TUN),
not netem (this kernel has none) and not a shim under the processes' sockets: every protocol,
including ICE, DTLS and the RTCP that asks for repairs, crosses it. Each packet's delay is
drawn on its own, uniform in 30..70 ms, so packets can overtake each other (as netem's jitter
does; with the router's ``--reorder`` off, a packet would wait for the one ahead of it and the
delays would bunch up near the maximum).

What a person would notice is counted from the receiver's own ``--stats-json``: pictures decoded
a second, and the share of the time audio played (20 ms frames decoded, or filled in by the
receiver's loss concealment; a later burst does not make up for a gap).
"""

from __future__ import annotations

import itertools
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import finish, read_stats, runde_command, start_host, wait_for
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


Sample = tuple[float, dict[str, Any]]  # (when the receiver wrote its stats, what it saw of Anna)


def _sample_for(stats: Path, seconds: float) -> list[Sample]:
    """Every version of the receiver's stats file written within ``seconds``, with the time
    it was written (the file's mtime: the receiver writes it whole, every 0.5 s)."""
    samples: list[Sample] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            written = stats.stat().st_mtime
        except FileNotFoundError:
            written = 0.0
        if written and (not samples or written != samples[-1][0]):
            remote = _remote(stats, "Anna")
            if remote:
                samples.append((written, remote))
        time.sleep(0.1)
    return samples


def _played_share(samples: list[Sample]) -> float:
    """The share of the time audio played: frames a stretch between two stats writes played
    (decoded or concealed), at most the 20 ms frames that fit in it (a burst after a gap does
    not make up for the gap; two frames of slack for when a write falls between frames)."""
    played = 0.0
    for (then, before), (now, after) in itertools.pairwise(samples):
        frames = after["audio_frames"] - before["audio_frames"]
        played += min(frames, (now - then) * AUDIO_FRAMES_PER_S + 2)
    return played / ((samples[-1][0] - samples[0][0]) * AUDIO_FRAMES_PER_S)


def test_video_and_audio_survive_ten_percent_loss_and_jitter(
    link: ImpairedLink, tmp_path: Path
) -> None:
    link.start_impairment(LOSS_PERCENT, DELAY_MS, JITTER_MS, seed=12, reorder=True)
    hosting = start_host(bind=SERVER_ADDRESS, wrap=link.in_server)
    host, url = hosting.process, hosting.link
    receiver_stats, publisher_stats = tmp_path / "Bernd.json", tmp_path / "Anna.json"
    publisher = _join(link.in_server([]), url, "Anna", publisher_stats, SERVER_ADDRESS,
                      "--video", SOURCE)  # fmt: skip
    receiver = _join(link.in_subscriber([]), url, "Bernd", receiver_stats, SUBSCRIBER_ADDRESS,
                     "--video", "none", "--audio", "none")  # fmt: skip
    try:
        assert wait_for(lambda: _remote(receiver_stats, "Anna").get("video_frames", 0) > 0, 40), (
            "no picture arrived through the impaired link"
        )
        joined = read_stats(receiver_stats)
        first_picture_s = joined["first_remote_video_s"] - (joined["join_started_s"] or 0.0)
        time.sleep(2.0)  # past the first keyframe and the estimate's start
        samples = _sample_for(receiver_stats, MEASURED_S)
    finally:
        for process in (receiver, publisher):
            process.terminate()
            finish(process, timeout=15)
        host.terminate()
        _, host_err = host.communicate(timeout=15)
        link.stop_impairment()

    assert len(samples) > MEASURED_S, f"the receiver wrote its stats {len(samples)} times"
    (start, before), (end, after) = samples[0], samples[-1]
    seconds = end - start

    def gained(key: str) -> int:
        return int(after.get(key) or 0) - int(before.get(key) or 0)

    fps = gained("video_frames") / seconds
    # audio_frames counts every frame the receive path handed out, concealed ones included.
    frames, concealed = gained("audio_frames"), gained("audio_concealed_frames")
    played_share = _played_share(samples)
    counters = link.counters
    loss_seen = counters.get("dropped", 0) / max(1, counters.get("received", 0))
    print(
        f"\nimpairment: {counters} ({loss_seen:.1%} dropped)"
        f"\nfirst picture {first_picture_s:.1f} s after asking to join; over {seconds:.1f} s: "
        f"video {fps:.1f} fps ({gained('video_keyframes')} keyframes), "
        f"height {after.get('video_height')}, estimate {after.get('bitrate_estimate_kbps')} kbit/s"
        f"\naudio: {(frames - concealed) / seconds:.1f} decoded/s, "
        f"{concealed / seconds:.1f} concealed/s, played {played_share:.1%} of the time"
        f"\nthe host's estimates:\n"
        + "\n".join(line for line in host_err.splitlines() if "estimate" in line)
    )
    assert 0.07 < loss_seen < 0.13, f"the router did not drop about {LOSS_PERCENT}%: {counters}"
    assert fps >= 20, f"video fell to {fps:.1f} fps under the impairment"
    assert played_share >= 0.98, (
        f"audio played for only {played_share:.1%} of the time "
        f"({frames - concealed} decoded, {concealed} concealed in {seconds:.1f} s)"
    )
