"""client/sfu/layer_bandwidth.py: which layer a subscriber's downlink carries, and when to move."""

from __future__ import annotations

from client.sfu.layer_bandwidth import (
    DOWN_HOLD,
    ESTIMATE_TTL,
    RATE_WINDOW,
    TRIAL_FIRST,
    TRIAL_LONGEST,
    TRIAL_PROVEN,
    UP_HEADROOM,
    UP_HOLD,
    DownlinkFit,
    LayerRate,
)

# 180, 360 and 720 rows, bits/s as measured where they arrive
RATES: list[int | None] = [150_000, 500_000, 1_500_000]
SMALL, MIDDLE, TOP = 0, 1, 2


def _steps(fit: DownlinkFit, estimate: int, current: int, start: float, seconds: float) -> int:
    """The layer after ``seconds`` of looks every 0.5 s, with a REMB of ``estimate`` each."""
    for step in range(int(seconds / 0.5) + 1):
        now = start + step * 0.5
        fit.note_estimate(estimate, now)
        current = fit.choose(RATES, TOP, current, now).index
    return current


def test_without_an_estimate_the_preference_alone_decides() -> None:
    fit = DownlinkFit()
    decision = fit.choose(RATES, TOP, None, 0.0)
    assert (decision.index, decision.reason) == (TOP, "preference")
    assert fit.choose(RATES, MIDDLE, TOP, 0.0).index == MIDDLE


def test_a_full_link_goes_down_within_the_hold_to_the_tallest_layer_it_carries() -> None:
    fit = DownlinkFit()
    fit.note_estimate(1_400_000, 9.5)
    fit.note_estimate(600_000, 10.0)  # a full link: it falls to 85% of what arrives
    assert fit.choose(RATES, TOP, TOP, 10.0).index == TOP
    assert fit.choose(RATES, TOP, TOP, 10.0 + DOWN_HOLD / 2).index == TOP
    decision = fit.choose(RATES, TOP, TOP, 10.0 + DOWN_HOLD)
    assert (decision.index, decision.reason) == (MIDDLE, "downlink")
    assert _steps(fit, 250_000, MIDDLE, 12.0, DOWN_HOLD) == SMALL


def test_a_keyframe_that_lifts_the_rate_for_a_moment_is_no_full_link() -> None:
    fit = DownlinkFit()
    fit.note_estimate(1_600_000, -0.5)
    fit.note_estimate(1_400_000, 0.0)  # it fell, but a receiver that gets all of it
    assert fit.choose(RATES, TOP, TOP, 0.0).index == TOP
    spiked = [150_000, 500_000, 1_800_000]  # a keyframe in the measuring window
    assert fit.choose(spiked, TOP, TOP, 0.5).index == TOP
    assert fit.choose(spiked, TOP, TOP, 1.0).index == TOP
    assert fit.choose(RATES, TOP, TOP, 1.5).index == TOP  # the window has passed it
    assert fit.choose(spiked, TOP, TOP, 2.0).index == TOP
    assert fit.choose(RATES, TOP, TOP, 2.0 + DOWN_HOLD).index == TOP
    assert fit.choose(RATES, TOP, TOP, 2.0 + DOWN_HOLD * 2).index == TOP


def test_a_downlink_thinner_than_every_layer_gets_the_smallest() -> None:
    fit = DownlinkFit()
    fit.note_estimate(1_400_000, 0.0)
    assert _steps(fit, 50_000, TOP, 0.5, DOWN_HOLD) == SMALL


def test_a_receivers_first_estimate_is_what_arrived_and_no_sign_of_a_full_link() -> None:
    fit = DownlinkFit()
    assert _steps(fit, 1_200_000, TOP, 0.0, 5 * DOWN_HOLD) == TOP  # under 85% of 1.5 Mbit/s


def test_the_preference_still_caps_a_wide_downlink() -> None:
    fit = DownlinkFit()
    fit.note_estimate(10_000_000, 0.0)
    decision = fit.choose(RATES, MIDDLE, TOP, 0.0)
    assert (decision.index, decision.reason) == (MIDDLE, "preference")


def test_going_up_with_headroom_needs_it_held_for_a_while() -> None:
    fit = DownlinkFit()
    just_enough = 500_000  # carries the middle layer, but without headroom
    assert _steps(fit, just_enough, SMALL, 0.0, TRIAL_FIRST - 2.5) == SMALL
    roomy = int(500_000 * UP_HEADROOM) + 1
    fit.note_estimate(roomy, 10.0)
    assert fit.choose(RATES, TOP, SMALL, 10.0).index == SMALL
    assert fit.choose(RATES, TOP, SMALL, 10.0 + UP_HOLD / 2).index == SMALL
    decision = fit.choose(RATES, TOP, SMALL, 10.0 + UP_HOLD)
    assert (decision.index, decision.reason) == (MIDDLE, "headroom")


def test_without_room_to_show_a_calm_link_tries_one_layer_up_now_and_then() -> None:
    """A receiver's estimate stays under 1.5 times what it gets: on the small layer it can
    never show room for a taller one, so the taller one is tried."""
    fit = DownlinkFit()
    calm = 220_000  # 1.5 times the small layer: no full link, no headroom for the middle
    assert _steps(fit, calm, SMALL, 0.0, TRIAL_FIRST - 0.5) == SMALL
    decision = fit.choose(RATES, TOP, SMALL, TRIAL_FIRST)
    assert (decision.index, decision.reason) == (MIDDLE, "trial")


def test_a_trial_that_fails_waits_twice_as_long_for_the_next() -> None:
    fit = DownlinkFit()
    now, waits = 0.0, []
    for _ in range(6):
        began = now
        for step in range(1000):  # on the small layer until a trial
            now = began + step * 0.5
            fit.note_estimate(220_000, now)
            if fit.choose(RATES, TOP, SMALL, now).index == MIDDLE:
                break
        waits.append(now - began)
        # the middle layer fills the link: the estimate falls, and it comes back down
        for step in range(1, 10):
            fit.note_estimate(200_000, now + step * 0.5)
            if fit.choose(RATES, TOP, MIDDLE, now + step * 0.5).index == SMALL:
                break
        now += step * 0.5 + 0.5
    first = TRIAL_FIRST
    assert waits == [first, first * 2, first * 4, first * 8, TRIAL_LONGEST, TRIAL_LONGEST]


def test_a_trial_that_holds_resets_the_wait() -> None:
    fit = DownlinkFit()
    assert _steps(fit, 220_000, SMALL, 0.0, TRIAL_FIRST) == MIDDLE
    now = TRIAL_FIRST + 0.5
    assert _steps(fit, 600_000, MIDDLE, now, TRIAL_PROVEN) == MIDDLE  # it fits
    now += TRIAL_PROVEN + 0.5
    assert _steps(fit, 240_000, MIDDLE, now, DOWN_HOLD) == SMALL  # the link got thinner
    now += DOWN_HOLD + 0.5
    assert _steps(fit, 220_000, SMALL, now, TRIAL_FIRST - 0.5) == SMALL
    assert _steps(fit, 220_000, SMALL, now + TRIAL_FIRST, 0.0) == MIDDLE  # not twice as long


def test_an_estimate_still_climbing_after_a_switch_up_is_no_full_link() -> None:
    """After a trial on a wide link the receiver's estimate needs seconds to climb from what
    the smaller layer brought to what the taller one does: it never falls meanwhile."""
    fit = DownlinkFit()
    assert _steps(fit, 220_000, SMALL, 0.0, TRIAL_FIRST) == MIDDLE
    now, estimate = TRIAL_FIRST, 220_000.0
    for step in range(1, 21):  # 10 s, rising 4% every half second (8% a second)
        estimate *= 1.04
        fit.note_estimate(int(estimate), now + step * 0.5)
        assert fit.choose(RATES, MIDDLE, MIDDLE, now + step * 0.5).index == MIDDLE


def test_a_link_that_fills_while_the_estimate_wobbles_still_goes_down() -> None:
    """On a full link the estimate saws: it falls to 85% of what arrives, climbs, falls."""
    fit = DownlinkFit()
    current, now = TOP, 0.0
    for estimate in (1_000_000, 1_040_000, 1_080_000, 920_000, 950_000, 990_000, 1_030_000):
        fit.note_estimate(estimate, now)
        current = fit.choose(RATES, TOP, current, now).index
        now += 0.5
    assert current == MIDDLE


def test_a_wider_tile_is_tried_at_once() -> None:
    fit = DownlinkFit()
    fit.note_estimate(220_000, 0.0)
    assert fit.choose(RATES, SMALL, SMALL, 0.0).index == SMALL
    decision = fit.choose(RATES, TOP, SMALL, 0.5)
    assert (decision.index, decision.reason) == (TOP, "preference")


def test_an_estimate_wobbling_around_a_layers_rate_does_not_switch_back_and_forth() -> None:
    fit = DownlinkFit()
    visited = [MIDDLE]
    for step in range(120):  # 60 s of an estimate around the middle layer's rate
        now = step * 0.5
        fit.note_estimate(450_000 if step % 2 else 560_000, now)
        chosen = fit.choose(RATES, TOP, visited[-1], now).index
        if chosen != visited[-1]:
            visited.append(chosen)
    # never under the middle layer; only the trials of the top one, ever rarer (12 s, 24 s)
    assert visited == [MIDDLE, TOP, MIDDLE, TOP, MIDDLE]


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
    assert rate.peak == 400_000
    rate.sample(total, 10.0 + RATE_WINDOW)  # nothing arrived for a window
    assert rate.bits_per_second == 0
    assert rate.peak == 400_000  # an encoder that paused a moment may send as much again


def test_a_layers_peak_is_the_highest_rate_of_the_last_seconds() -> None:
    rate = LayerRate()
    total = 0
    for step in range(40):  # 1 s at 900 kbit/s (a keyframe, a burst), then 200 kbit/s
        total += (900_000 if 4 <= step < 6 else 200_000) // 8 // 2
        rate.sample(total, step * 0.5)
        if step == 8:
            assert rate.peak is not None and rate.peak > 600_000
    assert rate.bits_per_second == 200_000
    assert rate.peak == 200_000  # the burst is PEAK_WINDOW behind
