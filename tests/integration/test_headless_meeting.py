"""A headless host and headless participants over loopback, through the `runde` command."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from tests.helpers import (
    HostProcess,
    finish,
    read_stats,
    start_participant,
    wait_for,
)

NAMES = ("Anna", "Bernd", "Clara")
TONES = {"Anna": 440, "Bernd": 660, "Clara": 880}


def test_host_prints_a_link_as_first_line(host: HostProcess) -> None:
    assert host.link.startswith("https://127.0.0.1:")
    assert "/r/" in host.link and "#k=" in host.link and "&fp=" in host.link


def test_three_participants_decode_each_others_audio_and_video(
    host: HostProcess, tmp_path: Path
) -> None:
    processes = {
        name: start_participant(
            host.link, name, tmp_path / f"{name}.json", 8.0, "--audio", f"sine:{TONES[name]}"
        )
        for name in NAMES
    }
    for name, process in processes.items():
        code, err = finish(process)
        assert code == 0, f"{name} failed: {err[-2000:]}"
    for name in NAMES:
        stats = read_stats(tmp_path / f"{name}.json")
        assert stats["name"] == name
        others = set(NAMES) - {name}
        assert set(stats["remotes"]) == others
        for other in others:
            remote = stats["remotes"][other]
            # 15 fps test video and 50 audio frames/s for several seconds of overlap.
            assert remote["video_frames"] >= 30, (name, other, remote)
            assert remote["audio_frames"] >= 100, (name, other, remote)
            # The decoded audio is that participant's tone, not just some frames.
            assert abs(remote["audio_dominant_hz"] - TONES[other]) < 5, (name, other, remote)


def test_late_joiner_sees_video_within_a_second(host: HostProcess, tmp_path: Path) -> None:
    early = [
        start_participant(host.link, name, tmp_path / f"{name}.json", 10.0) for name in NAMES[:2]
    ]
    time.sleep(4.0)
    late = start_participant(host.link, "Dora", tmp_path / "Dora.json", 3.0)
    code, err = finish(late)
    assert code == 0, err
    stats = read_stats(tmp_path / "Dora.json")
    assert stats["first_remote_video_s"] is not None
    # From asking to join (process start-up and imports, which vary with the machine's load,
    # are before that) to the first decoded picture.
    assert stats["first_remote_video_s"] - stats["join_started_s"] <= 1.0, stats
    assert all(stats["remotes"][n]["video_frames"] > 10 for n in NAMES[:2]), stats
    for process in early:
        assert finish(process)[0] == 0


def test_stalled_subscriber_does_not_slow_the_others(host: HostProcess, tmp_path: Path) -> None:
    stats = {name: tmp_path / f"{name}.json" for name in NAMES}
    processes = {
        name: start_participant(host.link, name, stats[name], 14.0, "--stats-every", "0.5")
        for name in NAMES
    }

    def frames(name: str, other: str) -> int:
        try:
            return int(read_stats(stats[name])["remotes"][other]["video_frames"])
        except (FileNotFoundError, KeyError, ValueError):
            return 0

    assert wait_for(lambda: frames("Anna", "Bernd") > 15 and frames("Bernd", "Anna") > 15, 10)
    processes["Clara"].send_signal(signal.SIGSTOP)  # Clara stops reading her sockets
    try:
        before = (frames("Anna", "Bernd"), frames("Bernd", "Anna"))
        time.sleep(5.0)
        after = (frames("Anna", "Bernd"), frames("Bernd", "Anna"))
    finally:
        processes["Clara"].send_signal(signal.SIGCONT)
    # 15 fps for 5 s is 75 frames; allow for stats written every 0.5 s and a busy machine.
    assert after[0] - before[0] >= 50, (before, after)
    assert after[1] - before[1] >= 50, (before, after)
    for process in processes.values():
        finish(process)


def test_host_shutdown_tells_participants(host: HostProcess, tmp_path: Path) -> None:
    process = start_participant(host.link, "Anna", tmp_path / "Anna.json", 30.0)
    time.sleep(3.0)
    host.stop()
    code, err = finish(process, timeout=15)
    assert code == 0, err
    assert "the meeting host shut down" in err
