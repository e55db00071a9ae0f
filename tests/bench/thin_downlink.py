"""Benchmark: what a receiver on a thin downlink and one on a wide downlink get of a camera.

    .venv/bin/python -m tests.bench.thin_downlink [--seconds 40] [--thin-kbit 300] [--root DIR]

Needs root (network namespaces, as ``tests/integration/test_thin_downlink.py``). A host and a
participant sending ``testsrc:1280x720@15`` in layers share the server namespace; "Wide"
receives through a link too wide to matter and joins first, "Thin" through one capped at
``--thin-kbit`` with ``tc tbf``, 10 s later. Every 2 s for ``--seconds`` after Thin joined the
table gives each receiver's picture height, pictures a second, kbit/s through its link (at
the qdisc) and the estimate it reports to the SFU (REMB). ``--root`` runs the ``client``
package of another checkout (e.g. ``git archive`` of a commit before the layer choice by
bandwidth), with the same interpreter, to compare.
"""

from __future__ import annotations

import argparse
import os
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.helpers import finish, read_stats
from tests.integration.netns_downlinks import HOST_ADDRESS, ReceiverLinks, cannot_create

NAMES = ("Wide", "Thin")


def _runde(prefix: list[str], root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*prefix, sys.executable, "-m", "client", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root), "PYTHONUNBUFFERED": "1"},
    )


def _camera(stats: Path) -> dict[str, Any]:
    try:
        remote: dict[str, Any] = read_stats(stats)["remotes"].get("Cam", {})
    except (OSError, ValueError, KeyError):
        return {}
    return remote


def run(root: Path, seconds: float, thin_kbit: int) -> list[str]:
    links = ReceiverLinks.create(list(NAMES))
    folder = Path(tempfile.mkdtemp(prefix="runde-thin-"))
    processes: list[subprocess.Popen[str]] = []
    try:
        links.cap_downlink("Wide", 100_000)
        links.cap_downlink("Thin", thin_kbit)
        host = _runde(
            links.in_server([]), root, "--log-level", "warning", "host", "--headless",
            "--bind", HOST_ADDRESS,
        )  # fmt: skip
        processes.append(host)
        assert host.stdout is not None
        ready, _, _ = select.select([host.stdout], [], [], 30.0)
        link = host.stdout.readline().strip() if ready else ""
        if not link:
            raise RuntimeError("the host printed no link")

        def join(prefix: list[str], name: str, bind: str, *media: str) -> None:
            processes.append(
                _runde(
                    prefix,
                    root,
                    "join",
                    link,
                    "--headless",
                    "--name",
                    name,
                    "--bind",
                    bind,
                    "--duration",
                    "600",
                    "--stats-json",
                    str(folder / f"{name}.json"),
                    "--stats-every",
                    "0.5",
                    *media,
                )
            )

        quiet = ("--video", "none", "--audio", "none")
        join(links.in_server([]), "Cam", HOST_ADDRESS, "--video", "testsrc:1280x720@15",
             "--audio", "none")  # fmt: skip
        join(links.in_receiver("Wide", []), "Wide", links.address("Wide"), *quiet)
        time.sleep(10.0)
        join(links.in_receiver("Thin", []), "Thin", links.address("Thin"), *quiet)
        rows = ["   s | Wide: rows  fps  kbit/s  est | Thin: rows  fps  kbit/s  est"]
        last = {n: (time.monotonic(), links.bytes_sent_to(n), 0) for n in NAMES}
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            time.sleep(2.0)
            cells = []
            for name in NAMES:
                remote = _camera(folder / f"{name}.json")
                now, sent = time.monotonic(), links.bytes_sent_to(name)
                frames = int(remote.get("video_frames") or 0)
                then, sent0, frames0 = last[name]
                last[name] = (now, sent, frames)
                fps = (frames - frames0) / (now - then)
                cells.append(
                    f"{remote.get('video_height') or '-':>10} {fps:4.1f}"
                    f" {(sent - sent0) * 8 / 1000 / (now - then):7.0f}"
                    f" {remote.get('bitrate_estimate_kbps') or '-':>4}"
                )
            rows.append(f"{time.monotonic() - start:4.0f} |" + " |".join(cells))
            print(rows[-1], flush=True)
        return rows
    finally:
        for process in reversed(processes):
            process.terminate()
            finish(process, timeout=15)
        links.delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--thin-kbit", type=int, default=300)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2])
    args = parser.parse_args()
    reason = cannot_create()
    if reason is not None:
        raise SystemExit(reason)
    print(f"client from {args.root}; Thin's link {args.thin_kbit} kbit/s")
    run(args.root.resolve(), args.seconds, args.thin_kbit)


if __name__ == "__main__":
    main()
