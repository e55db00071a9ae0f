"""Screen sharing cost and delay: `python -m tests.bench.screen [--seconds 10]`.

Runs on its own Xvfb display (1920x1080) against a headless host on 127.0.0.1:

* CPU: a `runde join --headless --video none --audio none --share-screen DISPLAY` process
  shares the display while an animator process changes a text band and a frame counter ten
  times a second; its CPU time (user + system, all threads) over the wall time of the window,
  at 5, 10 and 15 fps. That is capture + scaling + VP8 encoding + sending. Xvfb's own CPU (the
  X server copying pixels for the grab) is shown beside it.
* Latency: the animator draws a counter as a row of black and white blocks four times a
  second and notes when the X server has it; a receiver in this process decodes the shared
  stream, reads the counter and notes when the first picture with each new value was
  decoded. Both clocks are this machine's.

Prints a table. The machine is shared: figures are per run, quote them with that in mind.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Protocol

import av
import numpy as np
import psutil

from client.call import events
from client.call.session import MeetingSession
from client.call.sfu_backend import SfuBackend
from client.netconfig import NetworkSettings, apply_bind_addresses
from client.protocol.link import parse_link
from client.protocol.messages import MediaSessionType
from tests.helpers import LOOPBACK, finish, start_host, start_participant
from tests.screen_display import PatternWindow, pattern, start_xvfb


class EventLike(Protocol):
    def is_set(self) -> bool: ...


BITS = 12
BLOCK = 48  # pixels per counter bit: far larger than any coding artefact


def counter_blocks(value: int) -> np.ndarray:
    row = np.zeros((BLOCK, BLOCK * BITS, 3), np.uint8)
    for bit in range(BITS):
        if value >> bit & 1:
            row[:, bit * BLOCK : (bit + 1) * BLOCK] = 255
    return row


def read_counter(frame: av.VideoFrame) -> int:
    grey = frame.to_ndarray(format="gray")
    value = 0
    for bit in range(BITS):
        centre = grey[BLOCK // 2, bit * BLOCK + BLOCK // 2]
        if centre > 128:
            value |= 1 << bit
    return value


def animate(display: str, log: str, change_every: float, stop: EventLike) -> None:
    """In a process of its own: the text band changes, the counter rises; draw times logged."""
    window = PatternWindow(display, pattern(1920, 1080), "Bench pattern")
    drawn: dict[int, float] = {}
    value = 0
    while not stop.is_set():
        value += 1
        band = pattern(1920, 1080, label=f"Frame {value:05d}")[405:675]
        window.show_region(0, 405, band)
        window.show_region(0, 0, counter_blocks(value % (1 << BITS)))
        drawn[value % (1 << BITS)] = time.time()
        time.sleep(change_every)
    Path(log).write_text(json.dumps(drawn))
    window.close()


async def receive_latency(link: str, seconds: float) -> dict[int, float]:
    """Joins as a viewer; returns when each counter value was first decoded."""
    seen: dict[int, float] = {}
    session = MeetingSession(
        lambda sink: SfuBackend(parse_link(link), NetworkSettings(bind_addresses=(LOOPBACK,)), sink)
    )
    readers: list[asyncio.Task[None]] = []

    async def read(track: object) -> None:
        while True:
            frame = await track.recv()  # type: ignore[attr-defined]
            now = time.time()
            value = read_counter(frame)
            seen.setdefault(value, now)

    def on_event(event: events.MeetingEvent) -> None:
        if isinstance(event, events.RemoteTrackAdded) and (
            event.session_type is MediaSessionType.SCREEN
        ):
            readers.append(asyncio.ensure_future(read(event.track)))

    session.subscribe(on_event)
    await session.join("Viewer")
    await asyncio.sleep(seconds)
    for task in readers:
        task.cancel()
    await session.leave()
    return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    apply_bind_addresses([LOOPBACK])
    screen = start_xvfb(1920, 1080)
    xvfb = psutil.Process(screen.process.pid)
    host = start_host(log_level="warning")
    tmp = Path(f"/tmp/runde-bench-screen-{screen.name[1:]}")
    tmp.mkdir(exist_ok=True)
    stop = multiprocessing.Event()
    animator = multiprocessing.Process(
        target=animate, args=(screen.name, str(tmp / "drawn.json"), 0.1, stop)
    )
    animator.start()
    rows = []
    try:
        time.sleep(1.0)
        for fps in (5, 10, 15):
            sharer_cpu, xvfb_cpu = _cpu(host.link, screen.name, fps, args.seconds, tmp, xvfb)
            rows.append((fps, sharer_cpu, xvfb_cpu))
        latencies = _latency(host.link, screen.name, args.seconds, tmp, animator, stop)
    finally:
        animator.terminate()
        host.stop()
        screen.process.terminate()
    print(f"screen sharing, 1920x1080 on Xvfb, {args.seconds:.0f} s per run, loopback")
    print(f"{'fps':>4} {'sharer CPU % of a core':>24} {'Xvfb CPU %':>11}")
    for fps, sharer_cpu, xvfb_cpu in rows:
        print(f"{fps:>4} {sharer_cpu:>24.1f} {xvfb_cpu:>11.1f}")
    if latencies:
        ordered = sorted(latencies)
        p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
        print(
            f"screen-change latency at 10 fps: n={len(ordered)} "
            f"p50={statistics.median(ordered) * 1000:.0f} ms p90={p90 * 1000:.0f} ms "
            f"max={ordered[-1] * 1000:.0f} ms"
        )
    return 0


def _start_sharer(
    link: str, name: str, stats: Path, duration: float, display: str, fps: int
) -> subprocess.Popen[str]:
    """A participant that only shares ``display`` (no camera, no microphone)."""
    return start_participant(
        link, name, stats, duration, "--video", "none", "--audio", "none",
        "--share-screen", display, "--share-fps", str(fps),
    )  # fmt: skip


def _cpu(
    link: str, display: str, fps: int, seconds: float, tmp: Path, xvfb: psutil.Process
) -> tuple[float, float]:
    sharer = _start_sharer(link, f"Sharer{fps}", tmp / f"cpu{fps}.json", seconds + 6, display, fps)
    process = psutil.Process(sharer.pid)
    time.sleep(4.0)  # joined, ICE and DTLS done, the encoder running
    start = (process.cpu_times(), xvfb.cpu_times(), time.monotonic())
    time.sleep(seconds)
    end = (process.cpu_times(), xvfb.cpu_times(), time.monotonic())
    wall = end[2] - start[2]
    code, err = finish(sharer)
    if code != 0:
        raise RuntimeError(err[-2000:])
    sharer_cpu = (end[0].user - start[0].user + end[0].system - start[0].system) / wall
    xvfb_cpu = (end[1].user - start[1].user + end[1].system - start[1].system) / wall
    return 100 * sharer_cpu, 100 * xvfb_cpu


def _latency(
    link: str,
    display: str,
    seconds: float,
    tmp: Path,
    animator: multiprocessing.Process,
    stop: EventLike,
) -> list[float]:
    sharer = _start_sharer(link, "Presenter", tmp / "lat.json", seconds + 6, display, 10)
    time.sleep(2.0)
    seen = asyncio.run(receive_latency(link, seconds))
    finish(sharer)
    stop.set()  # type: ignore[attr-defined]
    animator.join(timeout=10)
    drawn_path = tmp / "drawn.json"
    if not drawn_path.exists():
        return []
    drawn = {int(k): v for k, v in json.loads(drawn_path.read_text()).items()}
    return [seen[v] - drawn[v] for v in seen if v in drawn and seen[v] >= drawn[v]]


if __name__ == "__main__":
    sys.exit(main())
