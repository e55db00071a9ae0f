"""CPU of the client media layer: camera capture, playout mixing, microphone (+ echo canceller)."""

# `python -m tests.bench.client_audio [--seconds 10]` prints one table row per case: CPU time
# of this whole process (all threads, time.process_time) over the same wall time, as a
# percentage of one core, next to an idle row measured in the same run. Audio runs against a
# private PulseAudio null sink (tests.audio); the camera is a synthetic lavfi one, so its row
# includes generating the picture.

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from client.media import devices
from client.media.camera import CameraTrack
from client.media.microphone import MicrophoneTrack
from client.media.playout import AudioPlayout
from client.media.processing import AudioProcessor
from tests.audio import PulseServer, pulse_device_index, start_pulse
from tests.media.support import ScriptedTrack, playing

Case = Callable[[float], Awaitable[str]]


async def idle(seconds: float) -> str:
    await asyncio.sleep(seconds)
    return ""


def camera(width: int, height: int) -> Case:
    async def case(seconds: float) -> str:
        track = CameraTrack(
            f"lavfi:testsrc2=size={width}x{height}:rate=30", width=width, height=height
        )
        frames = 0
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                await track.recv()
                frames += 1
        finally:
            track.stop()
        return f"{frames / seconds:.1f} fps"

    return case


def playout(sources: int) -> Case:
    async def case(seconds: float) -> str:
        out = AudioPlayout(pulse_device_index())
        try:
            await playing(out)
            for n in range(sources):
                out.add_source(f"p{n}", ScriptedTrack(300 + 50 * n, lambda i: i * 0.02))
            await asyncio.sleep(seconds)
            stats = out.stats()
        finally:
            await out.close()
        underruns = sum(s.underruns for s in stats.sources)
        return f"{underruns} underruns, {stats.output_underflows} device underflows"

    return case


def microphone(echo_canceller: bool) -> Case:
    async def case(seconds: float) -> str:
        processor = AudioProcessor.create() if echo_canceller else None
        if echo_canceller and processor is None:
            return "skipped: livekit not installed"
        track = MicrophoneTrack(pulse_device_index(), processor=processor)
        frames = 0
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                await track.recv()
                frames += 1
        finally:
            track.stop()
        return f"{frames / seconds:.1f} frames/s"

    return case


async def measure(case: Case, seconds: float) -> tuple[float, str]:
    cpu, wall = time.process_time(), time.monotonic()
    note = await case(seconds)
    return 100 * (time.process_time() - cpu) / (time.monotonic() - wall), note


async def main(seconds: float) -> None:
    cases: list[tuple[str, Case]] = [
        ("idle (same process)", idle),
        ("CameraTrack 1280x720/30 (lavfi)", camera(1280, 720)),
        ("CameraTrack 640x360/30 (lavfi)", camera(640, 360)),
        ("AudioPlayout, 1 source", playout(1)),
        ("AudioPlayout, 8 sources", playout(8)),
        ("MicrophoneTrack", microphone(False)),
        ("MicrophoneTrack + echo canceller", microphone(True)),
    ]
    print(f"| case | CPU % of one core ({seconds:.0f} s) | note |")
    print("|---|---:|---|")
    for name, case in cases:
        percent, note = await measure(case, seconds)
        print(f"| {name} | {percent:.1f} | {note} |", flush=True)


def with_pulse(seconds: float) -> None:
    server: PulseServer = start_pulse(Path(tempfile.mkdtemp(prefix="runde-bench-pulse-")))
    os.environ["PULSE_SERVER"] = server.server
    devices.rescan_audio_devices()
    try:
        asyncio.run(main(seconds))
    finally:
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=10.0)
    with_pulse(parser.parse_args().seconds)
