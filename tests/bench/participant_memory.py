"""Where a headless participant's memory goes over minutes in a meeting.

`python -m tests.bench.participant_memory [--seconds 240] [--warmup 30] [--top 12]
[--malloc-arena-max N]` starts a headless host and a headless participant (`runde join`,
sending and receiving, its RSS sampled from outside) on 127.0.0.1, and runs a second
participant in this process, on the product's event loop, under tracemalloc (6 frames a
trace). After the warm-up it takes a snapshot, then every 30 s prints both participants' RSS
and this process's Python heap; at the end the allocation sites that grew most since the
warm-up, as a markdown table. RSS growth that the Python heap does not show is native
(codecs, OpenSSL, glibc's per-thread malloc arenas: `--malloc-arena-max` sets
MALLOC_ARENA_MAX for the `runde join` process to compare).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import tempfile
import time
import tracemalloc
from pathlib import Path

import psutil
from aiortc import MediaStreamTrack

from client import compat
from client.call.udp_loop import BatchReadingEventLoop
from client.headless import HeadlessParticipant
from client.media.catch_up import CatchingUpTrack
from client.media.sources import OpenedSource, open_audio_source, open_video_source
from client.netconfig import NetworkSettings, apply_bind_addresses
from client.protocol.link import parse_link
from tests.helpers import LOOPBACK, finish, start_host, start_participant

NETWORK = NetworkSettings(bind_addresses=(LOOPBACK,))
MIB = 1024 * 1024


def _queued(sources: list[OpenedSource]) -> str:
    """Frames waiting in aiortc's player queues, and those skipped because the sender lagged
    (client/media/catch_up.py keeps the queue to about the player's read-ahead)."""
    sizes = []
    for source in sources:
        track, skipped = source.track, 0
        while compat.player_queue_length(track) is None and isinstance(
            inner := getattr(track, "source", None), MediaStreamTrack
        ):
            skipped += track.skipped if isinstance(track, CatchingUpTrack) else 0
            track = inner
        queued = compat.player_queue_length(track)
        sizes.append(f"{source.track.kind} {'-' if queued is None else queued} ({skipped} skipped)")
    return ", ".join(sizes)


def _mib(value: float) -> str:
    return f"{value / MIB:.1f}"


async def _measure(link: str, seconds: float, warmup: float, top: int, other: int) -> None:
    sources = [s for s in (open_audio_source("sine"), open_video_source("testsrc")) if s]
    me = HeadlessParticipant(parse_link(link), "Bench", NETWORK, sources, time.monotonic())
    process, outside = psutil.Process(), psutil.Process(other)
    await me.join()
    try:
        await asyncio.sleep(warmup)
        gc.collect()
        tracing = tracemalloc.is_tracing()
        baseline = tracemalloc.take_snapshot() if tracing else None
        start_rss, started = process.memory_info().rss, time.monotonic()
        print(
            "| minute | `runde join` RSS MiB | traced RSS MiB | Python heap MiB | frames "
            "| reconnects | source queues |"
        )
        print("|---:|---:|---:|---:|---:|---:|---|")
        print(f"| 0.0 | {_mib(outside.memory_info().rss)} | {_mib(start_rss)} | | | | |")
        while (elapsed := time.monotonic() - started) < seconds:
            await asyncio.sleep(min(30.0, seconds - elapsed))
            heap, _ = tracemalloc.get_traced_memory()
            frames = sum(c.video_frames for c in me.stats.counts.values())
            minute = (time.monotonic() - started) / 60
            print(
                f"| {minute:.1f} | {_mib(outside.memory_info().rss)} "
                f"| {_mib(process.memory_info().rss)} | {_mib(heap)} | {frames} "
                f"| {me.session.reconnects} | {_queued(sources)} |"
            )
        gc.collect()
        end_rss = process.memory_info().rss
        minutes = (time.monotonic() - started) / 60
        print(f"\nRSS {_mib(start_rss)} -> {_mib(end_rss)} MiB over {minutes:.1f} min")
        if baseline is None:
            return
        end = tracemalloc.take_snapshot()
        print("\n| grew KiB | count | where (innermost last) |\n|---:|---:|---|")
        for stat in end.compare_to(baseline, "traceback")[:top]:
            where = " <- ".join(
                f"{Path(frame.filename).name}:{frame.lineno}" for frame in stat.traceback
            )
            print(f"| {stat.size_diff / 1024:.0f} | {stat.count_diff:+d} | {where} |")
    finally:
        await me.leave()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=240.0)
    parser.add_argument("--warmup", type=float, default=30.0)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--malloc-arena-max", type=int, default=None)
    parser.add_argument(
        "--trace-frames", type=int, default=6, help="0: no tracemalloc (it slows the loop)"
    )
    args = parser.parse_args()
    apply_bind_addresses([LOOPBACK])
    if args.malloc_arena_max is not None:
        os.environ["MALLOC_ARENA_MAX"] = str(args.malloc_arena_max)
    host = start_host(log_level="warning")
    stats = Path(tempfile.mkdtemp()) / "publisher.json"
    other = start_participant(host.link, "Publisher", stats, args.warmup + args.seconds + 60)
    os.environ.pop("MALLOC_ARENA_MAX", None)
    if args.trace_frames:
        tracemalloc.start(args.trace_frames)
    try:
        with asyncio.Runner(loop_factory=BatchReadingEventLoop) as runner:
            runner.run(_measure(host.link, args.seconds, args.warmup, args.top, other.pid))
    finally:
        other.terminate()
        finish(other)
        host.stop()


if __name__ == "__main__":
    main()
