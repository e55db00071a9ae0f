"""Benchmark: the extra CPU the background blur costs over the plain camera.

    .venv/bin/python -m tests.bench.background [--seconds 8] [--rounds 3]

A camera (CameraTrack on a lavfi source: scikit-image's astronaut, widened to 16:9 by
mirroring its edges, looped from memory) runs at 1280x720/30 and 640x360/30, each without and
with blur, its pictures taken and VP8-encoded as the sender would. The configurations take
turns within each round, so all share the machine's load alike; the table gives the median
process CPU (all threads, in % of one core) per configuration and the blur's extra. On a
busy machine the camera delivers fewer than 30 pictures a second; the CPU per picture, times
30, is what 30 a second cost, and is compared. The model runs at its full rate (ten times a
second) throughout, as when the computer has room.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import cv2
from aiortc.codecs.vpx import Vp8Encoder
from skimage import data

from client.media.background.choice import BackgroundChoice
from client.media.background.stage import BackgroundStage
from client.media.camera import CameraTrack

SIZES = ((1280, 720), (640, 360))


def widened_photo(folder: Path, width: int, height: int) -> Path:
    photo = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    side = (photo.shape[0] * 16 // 9 - photo.shape[1]) // 2
    wide = cv2.copyMakeBorder(photo, 0, 0, side, side, cv2.BORDER_REFLECT)
    path = folder / f"astronaut-{width}x{height}.png"
    cv2.imwrite(str(path), cv2.resize(wide, (width, height), interpolation=cv2.INTER_AREA))
    return path


def camera_spec(photo: Path) -> str:
    # converted once, then repeated from memory: the source costs next to nothing
    return (
        f"lavfi:movie=filename={photo},format=yuv420p,loop=loop=-1:size=1:start=0,setpts=N/(30*TB)"
    )


async def measure(spec: str, size: tuple[int, int], blur: bool, seconds: float) -> dict[str, float]:
    choice = BackgroundChoice.parse("blur" if blur else "none")
    # the model at its full rate: the cost as designed, not as this machine's load cut it
    stage = BackgroundStage(choice, fps=30, adapt=False)
    camera = CameraTrack(spec, width=size[0], height=size[1], fps=30, background=stage)
    encoder = Vp8Encoder()
    loop = asyncio.get_running_loop()
    try:
        for _ in range(15):  # warm up: the encoder's first pictures, the model's first run
            encoder.encode(await camera.recv())
        frames = 0
        wall, cpu = time.monotonic(), time.process_time()
        while time.monotonic() - wall < seconds:
            frame = await camera.recv()
            # the sender encodes on a worker thread, as aiortc's RTCRtpSender does
            await loop.run_in_executor(None, encoder.encode, frame)
            frames += 1
        wall, cpu = time.monotonic() - wall, time.process_time() - cpu
    finally:
        camera.stop()
    return {
        "cpu": 100 * cpu / wall,
        "fps": frames / wall,
        # per picture, times 30: what 30 pictures a second cost, even where fewer came
        "cpu30": 100 * 30 * cpu / frames,
        "every": stage.model_every,
    }


async def main(seconds: float, rounds: int) -> None:
    results: dict[tuple[tuple[int, int], bool], list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        specs = {size: camera_spec(widened_photo(Path(folder), *size)) for size in SIZES}
        for round_number in range(rounds):
            for size in SIZES:
                for blur in (False, True):
                    result = await measure(specs[size], size, blur, seconds)
                    results.setdefault((size, blur), []).append(result)
                    print(
                        f"round {round_number + 1} {size[0]}x{size[1]} "
                        f"{'blur' if blur else 'plain'}: {result['cpu']:.0f}% "
                        f"{result['fps']:.1f} fps, model every {result['every']:.0f}",
                        file=sys.stderr,
                    )
    print(
        "| size | plain camera, CPU at 30 fps | with blur | extra for blur (rounds) "
        "| measured CPU plain / blur | fps plain / blur |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for size in SIZES:
        plain, blurred = results[(size, False)], results[(size, True)]
        extras = [b["cpu30"] - p["cpu30"] for p, b in zip(plain, blurred, strict=True)]

        def median(rows: list[dict[str, float]], key: str) -> float:
            return statistics.median(r[key] for r in rows)

        print(
            f"| {size[0]}x{size[1]}/30 | {median(plain, 'cpu30'):.0f}% "
            f"| {median(blurred, 'cpu30'):.0f}% "
            f"| **{statistics.median(extras):+.0f}%** of one core "
            f"({', '.join(f'{e:+.0f}' for e in extras)}) "
            f"| {median(plain, 'cpu'):.0f}% / {median(blurred, 'cpu'):.0f}% "
            f"| {median(plain, 'fps'):.1f} / {median(blurred, 'fps'):.1f} |"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.seconds, arguments.rounds))
