"""The jitter buffer alone, on simulated time: bounded, counts what happens, follows clock drift."""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable

import numpy as np
import pytest
from numpy.typing import NDArray

from client.media.jitter import JitterBuffer

RATE = 48000
PULL = 480  # the sound card takes 10 ms per callback
FRAME = 960  # the network delivers 20 ms frames


def frame(value: int = 1000, samples: int = FRAME) -> NDArray[np.int16]:
    return np.full((samples, 2), value, dtype=np.int16)


def test_nothing_plays_until_the_target_is_buffered() -> None:
    buffer = JitterBuffer(target_ms=60, max_ms=200)
    buffer.push(frame())
    buffer.push(frame())
    assert buffer.pull(PULL) is None  # 40 ms < 60 ms
    buffer.push(frame())
    out = buffer.pull(PULL)
    assert out is not None and out.shape == (PULL, 2) and (out == 1000).all()
    assert buffer.underruns == 0 and buffer.frames_played == PULL


def test_a_burst_is_cut_back_to_the_target_dropping_the_oldest() -> None:
    buffer = JitterBuffer(target_ms=60, max_ms=200)
    for n in range(50):  # one second at once
        buffer.push(frame(value=n))
        assert buffer.buffered_ms <= 200
    assert buffer.dropped_frames >= 40
    out = buffer.pull(PULL)
    assert out is not None and int(out[0, 0]) >= 40, "the newest audio is kept"


def test_running_dry_plays_silence_counts_an_underrun_and_late_frames() -> None:
    buffer = JitterBuffer(target_ms=40, max_ms=200)
    buffer.push(frame(value=7))
    buffer.push(frame(value=7))
    for _ in range(3):
        assert buffer.pull(600) is not None  # 1800 of 1920 samples played
    out = buffer.pull(600)
    assert out is not None
    assert (out[:120] == 7).all() and not out[120:].any(), "what is left, then silence"
    assert buffer.underruns == 1
    assert buffer.pull(PULL) is None, "waits for the target again"
    buffer.push(frame())  # came after its time was filled with silence
    buffer.push(frame())
    assert buffer.late_frames == 2
    assert buffer.pull(PULL) is not None
    buffer.push(frame())
    assert buffer.late_frames == 2, "playing again: no longer late"


def test_invalid_bounds_are_refused() -> None:
    with pytest.raises(ValueError):
        JitterBuffer(target_ms=200, max_ms=100)


@pytest.mark.parametrize("clock_ratio", [1.001, 0.999])
def test_a_ten_minute_meeting_neither_drifts_nor_grows(clock_ratio: float) -> None:
    """The sender's clock runs 0.1 % fast or slow against the sound card's (a large real
    difference) and the network adds up to 30 ms of jitter; ten minutes, simulated."""
    buffer = JitterBuffer(target_ms=60, max_ms=200)
    rng = random.Random(7)
    events: list[tuple[float, int, str]] = []
    minutes = 10
    sent_period = FRAME / RATE / clock_ratio
    arrival = 0.0
    for n in range(int(minutes * 60 / sent_period)):
        # jitter, but in order (aiortc's own jitter buffer reorders)
        arrival = max(arrival, n * sent_period + rng.uniform(0, 0.03))
        events.append((arrival, 0, "push"))
    for n in range(int(minutes * 60 * RATE / PULL)):
        events.append((n * PULL / RATE, 1, "pull"))
    heapq.heapify(events)
    block = frame()
    fills = []
    while events:
        when, _, kind = heapq.heappop(events)
        if kind == "push":
            buffer.push(block)
        elif buffer.pull(PULL) is not None and when > 10:
            fills.append(buffer.buffered_ms)
    assert buffer.dropped_frames == 0
    assert buffer.underruns == 0
    assert max(fills) <= 200
    # after ten minutes the delay is still near the target: the drift was followed
    assert 20 <= float(np.mean(fills[-6000:])) <= 100
    drift = abs(clock_ratio - 1) * minutes * 60 * RATE  # samples to absorb
    assert 0.5 * drift <= buffer.drift_corrections <= 1.5 * drift


def _simulate(
    buffer: JitterBuffer, seconds: float, delay: Callable[[int], float]
) -> tuple[list[float], list[float]]:
    """Frames sent every 20 ms, arriving after ``delay(n)`` seconds but handed to the buffer
    in order (as the receive path does), pulled every 10 ms; (target, fill) per pull."""
    events: list[tuple[float, int, int]] = []
    arrival = 0.0
    for n in range(int(seconds * RATE / FRAME)):
        arrival = max(arrival, n * FRAME / RATE + delay(n))
        events.append((arrival, 0, n))
    for n in range(int(seconds * RATE / PULL)):
        events.append((n * PULL / RATE, 1, n))
    heapq.heapify(events)
    targets, fills = [], []
    while events:
        when, kind, n = heapq.heappop(events)
        if kind == 0:
            buffer.push(frame(), media_samples=n * FRAME, arrival_s=when)
        else:
            buffer.pull(PULL)
            targets.append(buffer.stats("x").target_ms)
            fills.append(buffer.buffered_ms)
    return targets, fills


def test_on_a_clean_link_the_buffer_shrinks_to_its_minimum() -> None:
    rng = random.Random(3)
    buffer = JitterBuffer(target_ms=40, max_ms=200, min_target_ms=20)
    targets, fills = _simulate(buffer, 60, lambda n: 0.005 + rng.uniform(0, 0.001))
    assert targets[-1] == 20.0
    assert buffer.underruns <= 1  # at most the start
    assert float(np.mean(fills[-3000:])) <= 40  # what a voice waits here, on average


def test_on_a_jittery_link_the_buffer_grows_and_audio_does_not_break_up() -> None:
    """50 ms +- 20 ms of delay per frame (the issue's test link), in order."""
    rng = random.Random(5)
    buffer = JitterBuffer(target_ms=40, max_ms=200, min_target_ms=20)
    targets, _ = _simulate(buffer, 60, lambda n: 0.05 + rng.uniform(-0.02, 0.02))
    assert 35 <= targets[-1] <= 70
    played_share = buffer.frames_played / (60 * RATE)
    assert played_share >= 0.98, (played_share, buffer.underruns)


def test_after_the_jitter_stops_the_delay_comes_back_down() -> None:
    rng = random.Random(9)
    buffer = JitterBuffer(target_ms=40, max_ms=200, min_target_ms=20)

    def delay(n: int) -> float:
        jittery = n < 30 * RATE // FRAME  # the first 30 s
        return 0.05 + (rng.uniform(-0.02, 0.02) if jittery else 0.0)

    targets, fills = _simulate(buffer, 60, delay)
    assert targets[len(targets) // 2 - 1] >= 35  # at the end of the jittery half
    assert targets[-1] <= 25
    assert float(np.mean(fills[-1000:])) <= 45
