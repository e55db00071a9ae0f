"""File sources play over and over at their own pace, with timestamps that keep rising."""

from __future__ import annotations

import asyncio
import itertools
import time
from pathlib import Path

import av
import numpy as np
from aiortc import MediaStreamTrack

from client.media.sources import open_audio_source, open_video_source
from tests.video_files import write_test_video


def write_tone(path: Path, seconds: float = 1.0) -> Path:
    with av.open(str(path), "w") as output:
        stream = output.add_stream("pcm_s16le", rate=48000)
        stream.layout = "mono"
        for index in range(int(seconds * 50)):
            t = (np.arange(960) + index * 960) / 48000
            samples = (np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16)[None, :]
            frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
            frame.sample_rate, frame.pts = 48000, index * 960
            for packet in stream.encode(frame):
                output.mux(packet)
        for packet in stream.encode(None):
            output.mux(packet)
    return path


async def read(track: MediaStreamTrack, count: int) -> tuple[float, list[float]]:
    """Seconds it took to get ``count`` frames, and their times on the stream's clock."""
    started = time.monotonic()
    times = []
    try:
        for _ in range(count):
            frame = await asyncio.wait_for(track.recv(), 5)
            assert isinstance(frame, av.AudioFrame | av.VideoFrame)
            assert frame.pts is not None and frame.time_base is not None
            times.append(float(frame.pts * frame.time_base))
    finally:
        track.stop()
    return time.monotonic() - started, times


def test_a_looped_video_file_keeps_its_frame_rate(tmp_path: Path) -> None:
    # 15 pictures at 15 fps: 40 pictures are nearly three passes, about 2.7 s at that rate.
    path = write_test_video(tmp_path / "one-second.y4m", "rawvideo", "yuv420p", frames=15)
    source = open_video_source(str(path))
    assert source is not None
    took, times = asyncio.run(read(source.track, 40))
    # aiortc's own loop delivered the later passes as fast as it could decode (40 in << 1 s)
    assert took > 1.5, took
    assert all(later > earlier for earlier, later in itertools.pairwise(times)), times
    assert abs(times[-1] - 39 / 15) < 0.1, times[-1]


def test_a_looped_audio_file_keeps_its_pace_and_clock(tmp_path: Path) -> None:
    source = open_audio_source(str(write_tone(tmp_path / "tone.wav")))
    assert source is not None
    took, times = asyncio.run(read(source.track, 120))  # 2.4 s of 20 ms frames
    assert took > 1.2, took
    steps = {round(later - earlier, 4) for earlier, later in itertools.pairwise(times)}
    assert steps == {0.02}, steps
