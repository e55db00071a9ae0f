"""The loss-based cap of a subscriber's link, from its receiver reports."""

from __future__ import annotations

from client.sfu.loss_estimate import MIN_CAP, LossBasedCap, SubscriberEstimate


def test_no_loss_limits_nothing() -> None:
    cap = LossBasedCap()
    assert cap.on_report(0, 1_000_000) is None
    assert cap.on_report(3, 1_000_000) is None  # ~1 %: a link's usual noise


def test_heavy_loss_caps_at_what_arrived_and_the_cap_rises_again_when_it_stops() -> None:
    cap = LossBasedCap()
    assert cap.on_report(64, 1_000_000) == 875_000  # 25 % lost: 1 - 0.125 of what was sent
    assert cap.on_report(13, 875_000) == 875_000  # 5 %: holds
    risen = [cap.on_report(0, 875_000) for _ in range(3)]
    assert risen == [945_000, 1_020_600, 1_102_248]  # 8 % a report
    for _ in range(20):
        last = cap.on_report(0, 875_000)
    assert last is None  # far above what is sent: no longer a limit


def test_the_cap_never_falls_under_the_floor() -> None:
    cap = LossBasedCap()
    assert cap.on_report(255, 10_000) == MIN_CAP


def test_a_subscriber_s_estimate_is_its_remb_capped_by_its_loss() -> None:
    estimate = SubscriberEstimate()
    assert estimate.value is None
    assert estimate.on_receiver_report(0, 0, 10.0) is None  # nothing to compare with yet
    assert estimate.on_remb(2_000_000) == 2_000_000
    # 125,000 bytes in the second since: 1 Mbit/s sent, a quarter lost
    assert estimate.on_receiver_report(64, 125_000, 11.0) == 875_000
    assert estimate.on_remb(1_500_000) == 875_000  # the REMB alone would say more
    assert estimate.on_remb(500_000) == 500_000


def test_a_subscriber_without_remb_gets_an_estimate_from_loss_alone() -> None:
    estimate = SubscriberEstimate()
    estimate.on_receiver_report(0, 0, 10.0)
    assert estimate.on_receiver_report(0, 62_500, 11.0) is None  # no loss: nothing known
    assert estimate.on_receiver_report(128, 125_000, 12.0) == 375_000  # half lost of 500 k
