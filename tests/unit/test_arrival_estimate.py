"""client/sfu/arrival_estimate.py counts what aiortc's RateCounter counts, so the SFU's REMB
estimates stay aiortc's."""

from __future__ import annotations

import random

from aiortc.rate import RateCounter, RemoteBitrateEstimator

from client.sfu.arrival_estimate import RateWindow, delay_based_estimator


def test_rate_window_answers_as_aiortcs_rate_counter() -> None:
    rng = random.Random(7)
    theirs, ours = RateCounter(1000, 8000), RateWindow(1000, 8000)
    now = 10_000
    for step in range(20_000):
        # bursts of a frame's packets, gaps between frames, now and then a long silence
        now += rng.choice((0, 0, 1, 2, 33)) + (1500 if step % 5000 == 4999 else 0)
        size = rng.randint(50, 1200)
        assert ours.rate(now) == theirs.rate(now), step
        ours.add(size, now)
        theirs.add(size, now)
        if step % 7000 == 6999:
            ours.reset()
            theirs.reset()
    assert ours.rate(now + 10) == theirs.rate(now + 10)


def test_the_lighter_estimator_estimates_what_aiortcs_does() -> None:
    rng = random.Random(3)
    theirs, ours = RemoteBitrateEstimator(), delay_based_estimator()
    arrival_ms, send_ms = 0, 0.0
    changes = 0
    for frame in range(900):  # 30 s of 30 fps video, five packets a frame, queueing delay
        send_ms += 1000 / 30
        delay = 20 + (frame % 300) * 0.2 + rng.random() * 3
        for _ in range(5):
            abs_send_time = int(send_ms / 1000 * 262_144) & 0xFFFFFF
            at = 50_000 + int(send_ms + delay)
            arrival_ms = max(arrival_ms, at)
            a = theirs.add(arrival_ms, abs_send_time, 1100, 1234)
            b = ours.add(arrival_ms, abs_send_time, 1100, 1234)
            assert a == b, (frame, a, b)
            changes += a is not None
    assert changes > 5  # the estimate moved: the comparison compared something
