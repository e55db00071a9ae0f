"""Benchmark: the extra CPU the background blur costs over the plain camera.

    .venv/bin/python -m tests.bench.background [--seconds 8] [--rounds 3]

A camera (CameraTrack on a lavfi source: scikit-image's astronaut, widened to 16:9 by
mirroring its edges, looped from memory) runs at 1280x720/30 and 640x360/30, each without and
with blur, its pictures taken and VP8-encoded as the sender would. The configurations take
turns within each round, so all share the machine's load alike; the table gives the median
process CPU (all threads, in % of one core) per configuration and the blur's extra. On a
busy machine the camera delivers fewer than 30 pictures a second; the CPU per picture, times
30, is what 30 a second cost, and is compared. The model runs at its full rate (7.5 times a
second, on every fourth picture) throughout, as when the computer has room.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import av
import cv2
from aiortc.codecs.vpx import Vp8Encoder
from skimage import data

from client.media.background.cadence import MODEL_RATE
from client.media.background.choice import BackgroundChoice
from client.media.background.stage import BackgroundStage, shared_segmenter
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
        # a time base of 1/30 s: with the picture's own (1/25) the camera delivered 25 a second
        f"lavfi:movie=filename={photo},format=yuv420p,loop=loop=-1:size=1:start=0,"
        "settb=1/30,setpts=N"
    )


async def measure(spec: str, size: tuple[int, int], blur: bool, seconds: float) -> dict[str, float]:
    choice = BackgroundChoice.parse("blur" if blur else "none")
    # the model at its full rate: the cost as designed, not as this machine's load cut it
    stage = BackgroundStage(choice, fps=30, adapt=False)
    effect_cpu = [0.0]
    apply = stage.apply

    def timed_apply(frame: av.VideoFrame) -> av.VideoFrame:
        # the effect's own CPU, on the capture thread (OpenCV runs it on that one thread)
        started = time.thread_time()
        try:
            return apply(frame)
        finally:
            effect_cpu[0] += time.thread_time() - started

    stage.apply = timed_apply  # type: ignore[method-assign]
    camera = CameraTrack(spec, width=size[0], height=size[1], fps=30, background=stage)
    encoder = Vp8Encoder()
    loop = asyncio.get_running_loop()
    try:
        for _ in range(15):  # warm up: the encoder's first pictures, the model's first run
            encoder.encode(await camera.recv())
        frames = 0
        effect_cpu[0] = 0.0
        pictures_before = stage.pictures
        wall, cpu = time.monotonic(), time.process_time()
        while time.monotonic() - wall < seconds:
            frame = await camera.recv()
            # the sender encodes on a worker thread, as aiortc's RTCRtpSender does
            await loop.run_in_executor(None, encoder.encode, frame)
            frames += 1
        wall, cpu = time.monotonic() - wall, time.process_time() - cpu
        effect = effect_cpu[0]
        blurred = stage.pictures - pictures_before
    finally:
        camera.stop()
    return {
        "cpu": 100 * cpu / wall,
        "fps": frames / wall,
        # per picture, times 30: what 30 pictures a second cost, even where fewer came
        "cpu30": 100 * 30 * cpu / frames,
        "every": stage.model_every,
        # the effect alone, per picture sent, times 30 (pictures dropped were not blurred)
        "effect30": 100 * 30 * effect / max(1, blurred),
    }


def parts(photo: Path, runs: int = 30) -> tuple[float, float]:
    """CPU milliseconds of one model run and of one blend (blur) on ``photo``, alone."""
    rgb = cv2.cvtColor(cv2.imread(str(photo)), cv2.COLOR_BGR2RGB)
    frame = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")
    stage = BackgroundStage(BackgroundChoice.parse("blur"), fps=1_000_000, adapt=False)
    stage.apply(frame)  # the model's first run, and the weights at this size
    segmenter = shared_segmenter()
    started = time.thread_time()
    for _ in range(runs):
        segmenter.mask_of_frame(frame)
    model_ms = 1000 * (time.thread_time() - started) / runs
    started = time.thread_time()
    for _ in range(runs):
        stage.apply(frame)  # at this frame rate the model does not run again
    blend_ms = 1000 * (time.thread_time() - started) / runs
    return model_ms, blend_ms


async def main(seconds: float, rounds: int) -> None:
    results: dict[tuple[tuple[int, int], bool], list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        photos = {size: widened_photo(Path(folder), *size) for size in SIZES}
        specs = {size: camera_spec(photo) for size, photo in photos.items()}
        costs = {size: parts(photo) for size, photo in photos.items()}
        for round_number in range(rounds):
            for size in SIZES:
                for blur in (False, True):
                    result = await measure(specs[size], size, blur, seconds)
                    results.setdefault((size, blur), []).append(result)
                    print(
                        f"round {round_number + 1} {size[0]}x{size[1]} "
                        f"{'blur' if blur else 'plain'}: {result['cpu']:.0f}% "
                        f"{result['fps']:.1f} fps, model every {result['every']:.0f}, "
                        f"effect alone {result['effect30']:.0f}% at 30 fps",
                        file=sys.stderr,
                    )
    print(
        "| size | plain camera, CPU at 30 fps | with blur | extra for blur (rounds) "
        "| the effect alone | measured CPU plain / blur | fps plain / blur |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
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
            f"| {median(blurred, 'effect30'):.0f}% "
            f"| {median(plain, 'cpu'):.0f}% / {median(blurred, 'cpu'):.0f}% "
            f"| {median(plain, 'fps'):.1f} / {median(blurred, 'fps'):.1f} |"
        )

    print()
    print(
        f"| size | one model run | one blend (blur) "
        f"| at 30 fps, model {MODEL_RATE:g} times a second |"
    )
    print("| --- | --- | --- | --- |")
    for size in SIZES:
        model_ms, blend_ms = costs[size]
        print(
            f"| {size[0]}x{size[1]} | {model_ms:.1f} ms | {blend_ms:.1f} ms "
            f"| {(MODEL_RATE * model_ms + 30 * blend_ms) / 10:.0f}% of one core |"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.seconds, arguments.rounds))
