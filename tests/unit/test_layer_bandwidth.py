"""client/sfu/layer_bandwidth.py: which layer a subscriber's downlink carries, and when to move."""

from __future__ import annotations

from client.sfu.layer_bandwidth import (
    ESTIMATE_TTL,
    RATE_WINDOW,
    UP_HEADROOM,
    UP_HOLD,
    DownlinkFit,
    LayerRate,
)

# 180, 360 and 720 rows, bits/s as measured where they arrive
RATES: list[int | None] = [150_000, 500_000, 1_500_000]
SMALL, MIDDLE, TOP = 0, 1, 2


def test_without_an_estimate_the_preference_alone_decides() -> None:
    fit = DownlinkFit()
    decision = fit.choose(RATES, TOP, None, 0.0)
    assert (decision.index, decision.reason) == (TOP, "preference")
    assert fit.choose(RATES, MIDDLE, TOP, 0.0).index == MIDDLE


def test_a_thin_downlink_goes_down_at_once_to_the_tallest_layer_it_carries() -> None:
    fit = DownlinkFit()
    fit.note_estimate(600_000, 10.0)
    decision = fit.choose(RATES, TOP, TOP, 10.0)
    assert (decision.index, decision.reason) == (MIDDLE, "downlink")
    fit.note_estimate(250_000, 11.0)
    assert fit.choose(RATES, TOP, MIDDLE, 11.0).index == SMALL


def test_a_downlink_thinner_than_every_layer_gets_the_smallest() -> None:
    fit = DownlinkFit()
    fit.note_estimate(50_000, 0.0)
    assert fit.choose(RATES, TOP, TOP, 0.0).index == SMALL


def test_the_preference_still_caps_a_wide_downlink() -> None:
    fit = DownlinkFit()
    fit.note_estimate(10_000_000, 0.0)
    decision = fit.choose(RATES, MIDDLE, TOP, 0.0)
    assert (decision.index, decision.reason) == (MIDDLE, "preference")


def test_going_up_needs_headroom_held_for_a_while() -> None:
    fit = DownlinkFit()
    just_enough = 500_000  # carries the middle layer, but without headroom
    for second in range(10):
        fit.note_estimate(just_enough, float(second))
        assert fit.choose(RATES, TOP, SMALL, float(second)).index == SMALL
    roomy = int(500_000 * UP_HEADROOM) + 1
    fit.note_estimate(roomy, 10.0)
    assert fit.choose(RATES, TOP, SMALL, 10.0).index == SMALL
    assert fit.choose(RATES, TOP, SMALL, 10.0 + UP_HOLD / 2).index == SMALL
    decision = fit.choose(RATES, TOP, SMALL, 10.0 + UP_HOLD)
    assert (decision.index, decision.reason) == (MIDDLE, "headroom")


def test_headroom_that_lapses_starts_the_wait_again() -> None:
    fit = DownlinkFit()
    fit.note_estimate(700_000, 0.0)  # headroom for the middle layer
    assert fit.choose(RATES, TOP, SMALL, 0.0).index == SMALL
    fit.note_estimate(550_000, UP_HOLD * 0.75)  # gone: it fits, but without headroom
    assert fit.choose(RATES, TOP, SMALL, UP_HOLD * 0.75).index == SMALL
    fit.note_estimate(700_000, UP_HOLD * 0.9)
    assert fit.choose(RATES, TOP, SMALL, UP_HOLD * 0.9).index == SMALL
    assert fit.choose(RATES, TOP, SMALL, UP_HOLD * 1.1).index == SMALL  # not since 0
    assert fit.choose(RATES, TOP, SMALL, UP_HOLD * 2).index == MIDDLE


def test_an_estimate_wobbling_around_a_layers_rate_does_not_switch_back_and_forth() -> None:
    fit = DownlinkFit()
    current = TOP
    switches = 0
    for step in range(40):  # 20 s of an estimate around the middle layer's rate, 0.5 s apart
        now = step * 0.5
        fit.note_estimate(450_000 if step % 2 else 560_000, now)
        chosen = fit.choose(RATES, TOP, current, now).index
        switches += chosen != current
        current = chosen
    assert switches == 2  # down to the middle, and to the smallest when it first dips under


def test_an_old_estimate_no_longer_counts() -> None:
    fit = DownlinkFit()
    fit.note_estimate(200_000, 0.0)
    assert fit.estimate(ESTIMATE_TTL - 0.1) == 200_000
    assert fit.estimate(ESTIMATE_TTL) is None
    assert fit.choose(RATES, TOP, SMALL, ESTIMATE_TTL).index == TOP


def test_a_layer_not_measured_yet_counts_as_fitting() -> None:
    fit = DownlinkFit()
    fit.note_estimate(300_000, 0.0)
    assert fit.choose([150_000, None, None], TOP, None, 0.0).index == TOP


def test_a_layers_rate_is_measured_over_the_last_window() -> None:
    rate = LayerRate()
    assert rate.bits_per_second is None
    total = 0
    for step in range(20):  # 100 kbit/s for 5 s, then 400 kbit/s for 5 s, sampled every 0.5 s
        total += (100_000 if step < 10 else 400_000) // 8 // 2
        rate.sample(total, step * 0.5)
        if step == 9:
            assert rate.bits_per_second == 100_000
    assert rate.bits_per_second == 400_000
    rate.sample(total, 10.0 + RATE_WINDOW)  # nothing arrived for a window
    assert rate.bits_per_second == 0
