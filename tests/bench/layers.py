"""Benchmark: what a camera in layers costs its sender, the host and its receivers.

    .venv/bin/python -m tests.bench.layers [--seconds 20] [--small 2] [--root DIR]

A host, one participant sending ``testsrc:1280x720@15`` (no sound), ``--small`` receivers
asking ``--max-height 180`` and one receiver without a limit, all real processes on
127.0.0.1. After the receivers' first pictures, each process's CPU (user + system, all
threads) is measured over ``--seconds`` and given in % of one core. ``--root`` runs the
``client`` package of another checkout (e.g. a ``git worktree`` of a commit before layers),
with the same interpreter, to compare: there every receiver gets the one 720-row picture.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from tests.helpers import LOOPBACK, read_stats, wait_for


def _runde(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "client", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root), "PYTHONUNBUFFERED": "1"},
    )


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def _frames(stats: Path) -> int:
    try:
        remote = read_stats(stats)["remotes"].get("Cam", {})
    except (OSError, ValueError):
        return 0
    return int(remote.get("video_frames") or 0)


def measure(root: Path, seconds: float, small: int) -> list[tuple[str, float, str]]:
    host = _runde(root, "--log-level", "warning", "host", "--headless", "--bind", LOOPBACK)
    assert host.stdout is not None
    link = host.stdout.readline().strip()
    host.stdout.readline()
    folder = Path(tempfile.mkdtemp(prefix="runde-layers-"))
    join = ("join", link, "--headless", "--bind", LOOPBACK, "--duration", "600")
    quiet = ("--video", "none", "--audio", "none", "--stats-every", "1")
    camera = _runde(
        root, *join, "--name", "Cam", "--video", "testsrc:1280x720@15", "--audio", "none"
    )
    receivers: dict[str, subprocess.Popen[str]] = {}
    for index in range(small):
        name = f"Small{index}"
        limit = ("--max-height", "180") if root.joinpath("client/sfu/layers.py").exists() else ()
        receivers[name] = _runde(
            root, *join, "--name", name, *quiet, "--stats-json", str(folder / name), *limit
        )
    receivers["Big"] = _runde(
        root, *join, "--name", "Big", *quiet, "--stats-json", str(folder / "Big")
    )
    processes = {"host": host, "sender": camera, **receivers}
    try:
        for name in receivers:
            wait_for(lambda name=name: _frames(folder / name) >= 30, 90.0)
        watched = {name: psutil.Process(p.pid) for name, p in processes.items()}
        before = {name: _cpu(p) for name, p in watched.items()}
        time.sleep(seconds)
        after = {name: _cpu(p) for name, p in watched.items()}
        heights = {
            name: str(read_stats(folder / name)["remotes"]["Cam"]["video_height"])
            for name in receivers
        }
        return [
            (name, 100 * (after[name] - before[name]) / seconds, heights.get(name, ""))
            for name in processes
        ]
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--small", type=int, default=2)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2])
    args = parser.parse_args()
    rows = measure(args.root.resolve(), args.seconds, args.small)
    print(f"{'process':<10} {'CPU % of a core':>16} {'picture rows':>13}")
    for name, cpu, height in rows:
        print(f"{name:<10} {cpu:>16.1f} {height:>13}")


if __name__ == "__main__":
    main()
