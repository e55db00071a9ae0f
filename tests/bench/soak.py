"""A long meeting: does any process's memory keep growing once it has warmed up?

`python -m tests.bench.soak [--minutes 30] [--warmup 4] [--every 2] [--participants 4]
[--video testsrc:320x240@15]` starts a headless host and headless participants (`runde join
--headless`, each sending the test video and its own sine tone and decoding all the others)
on 127.0.0.1, and samples every process from outside: RSS every ``--every`` minutes, printed
as it goes, then a markdown table per process with the RSS after the warm-up and at the end,
the growth per minute after the warm-up (least-squares slope), and the CPU it used (% of one
core). At the end it checks every participant left cleanly and decoded the others, and counts
the frames the participants' senders skipped because they fell behind (``--log-level info``
lines from client/media/catch_up.py). A benchmark, not a test: its figures go to
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from tests.helpers import LOOPBACK, read_stats, runde_command, start_host

MIB = 1024 * 1024
SKIPPED = re.compile(r"the (audio|video) sender fell behind its source: (\d+) frames skipped")


@dataclass
class Watched:
    name: str
    process: psutil.Process
    samples: list[tuple[float, float]] = field(default_factory=list)  # (minute, RSS MiB)
    cpu_at_warmup: float = 0.0
    cpu_at_end: float = 0.0

    def cpu_seconds(self) -> float:
        try:
            times = self.process.cpu_times()
        except psutil.Error:  # it has exited: the last figure stands
            return self.cpu_at_end
        return float(times.user + times.system)

    def sample(self, minute: float) -> float:
        try:
            rss = self.process.memory_info().rss / MIB
        except psutil.Error:
            return float("nan")
        self.samples.append((minute, rss))
        return rss


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares growth per minute."""
    if len(points) < 2:
        return float("nan")
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    var = sum((x - mean_x) ** 2 for x, _ in points)
    return float(sum((x - mean_x) * (y - mean_y) for x, y in points) / var)


def start_participants(
    link: str, count: int, video: str, minutes: float, folder: Path
) -> dict[str, subprocess.Popen[bytes]]:
    started = {}
    for index in range(count):
        name = f"P{index + 1}"
        command = runde_command(
            "--log-level", "info", "join", link, "--headless", "--name", name,
            "--bind", LOOPBACK, "--video", video, "--audio", f"sine:{330 + 110 * index}",
            "--duration", str(minutes * 60), "--stats-json", str(folder / f"{name}.json"),
        )  # fmt: skip
        with (folder / f"{name}.log").open("wb") as log:
            # Logs to a file, not a pipe: nobody drains a pipe for half an hour.
            started[name] = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    return started


def skipped_frames(log: Path) -> dict[str, int]:
    totals = {"audio": 0, "video": 0}
    for kind, count in SKIPPED.findall(log.read_text(errors="replace")):
        totals[kind] += int(count)
    return totals


def report(watched: list[Watched], warmup: float) -> None:
    print(
        "\n| process | RSS after warm-up MiB | RSS at end MiB | highest MiB "
        "| growth after warm-up MiB/min | CPU % of a core |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for w in watched:
        after = [(m, r) for m, r in w.samples if m >= warmup]
        if not after:
            continue
        minutes = after[-1][0] - after[0][0]
        cpu = 100 * (w.cpu_at_end - w.cpu_at_warmup) / (minutes * 60) if minutes else 0.0
        print(
            f"| {w.name} | {after[0][1]:.1f} | {after[-1][1]:.1f} "
            f"| {max(r for _, r in after):.1f} | {slope(after):+.2f} | {cpu:.0f} |"
        )


def check_participants(
    processes: dict[str, subprocess.Popen[bytes]], folder: Path, timeout: float
) -> None:
    print("\n| participant | exit | pictures from each other (fewest) | audio frames (fewest) "
          "| skipped audio | skipped video |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|")
    for name, process in processes.items():
        code = process.wait(timeout)
        stats_file = folder / f"{name}.json"
        remotes = read_stats(stats_file)["remotes"] if stats_file.exists() else {}
        video = min((r["video_frames"] for r in remotes.values()), default=0)
        audio = min((r["audio_frames"] for r in remotes.values()), default=0)
        skipped = skipped_frames(folder / f"{name}.log")
        print(
            f"| {name} | {code} | {video} ({len(remotes)} others) | {audio} "
            f"| {skipped['audio']} | {skipped['video']} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=30.0, help="the whole meeting")
    parser.add_argument("--warmup", type=float, default=4.0, help="minutes not counted")
    parser.add_argument("--every", type=float, default=2.0, help="minutes between samples")
    parser.add_argument("--participants", type=int, default=4)
    parser.add_argument("--video", default="testsrc:320x240@15")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="runde-soak-"))
    host = start_host(log_level="warning")
    processes = start_participants(
        host.link, args.participants, args.video, args.minutes + 1, folder
    )
    started = time.monotonic()
    watched = [Watched("host", psutil.Process(host.process.pid))] + [
        Watched(name, psutil.Process(p.pid)) for name, p in processes.items()
    ]
    print(f"logs and statistics in {folder}")
    print("| minute | " + " | ".join(f"{w.name} RSS MiB" for w in watched) + " |")
    print("|---:|" + "---:|" * len(watched))
    try:
        warmed = False
        sample_at = 0.0
        while sample_at <= args.minutes + 1e-6:
            time.sleep(max(0.0, started + sample_at * 60 - time.monotonic()))
            minute = (time.monotonic() - started) / 60
            if not warmed and minute >= args.warmup:
                warmed = True
                for w in watched:
                    w.cpu_at_warmup = w.cpu_seconds()
            values = [w.sample(minute) for w in watched]
            for w in watched:
                w.cpu_at_end = w.cpu_seconds()
            print(f"| {minute:.1f} | " + " | ".join(f"{v:.1f}" for v in values) + " |", flush=True)
            sample_at += (
                min(1.0, args.warmup - sample_at) if sample_at < args.warmup else args.every
            )
        report(watched, args.warmup)
        check_participants(processes, folder, timeout=120)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        host.stop()


if __name__ == "__main__":
    main()
