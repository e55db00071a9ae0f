"""tests/integration/tun_router.py: what the impairment does to a stream of packets (the TUN
device itself is exercised by the lossy-link integration test)."""

from __future__ import annotations

from tests.integration.tun_router import Impairment

PACKETS = 5000
INTERVAL = 0.002  # 500 packets a second, about what a 360p call sends both ways


def _run(impairment: Impairment) -> list[tuple[int, float]]:
    """(packet number, delay) of every packet that came out, in the order they came out."""
    sent_at: dict[int, float] = {}
    out: list[tuple[int, float]] = []
    now = 0.0
    for number in range(PACKETS):
        now = number * INTERVAL
        sent_at[number] = now
        impairment.arrive(number.to_bytes(4, "big"), now)
        out += [(int.from_bytes(p, "big"), now) for p in impairment.due(now)]
    while impairment.wait(now) < 1.0:
        now += impairment.wait(now)
        out += [(int.from_bytes(p, "big"), now) for p in impairment.due(now)]
    return [(number, at - sent_at[number]) for number, at in out]


def test_the_share_dropped_is_the_loss_asked_for_and_the_same_for_a_seed() -> None:
    first = _run(Impairment(loss=10, delay_ms=50, jitter_ms=20, seed=3, reorder=True))
    again = _run(Impairment(loss=10, delay_ms=50, jitter_ms=20, seed=3, reorder=True))
    assert 0.08 < 1 - len(first) / PACKETS < 0.12
    assert [n for n, _ in first] == [n for n, _ in again]


def test_with_reordering_delays_spread_over_the_whole_range_and_packets_overtake() -> None:
    impairment = Impairment(loss=0, delay_ms=50, jitter_ms=20, seed=1, reorder=True)
    out = _run(impairment)
    delays = sorted(d for _, d in out)
    assert len(out) == PACKETS
    assert 0.030 <= delays[0] < 0.032 and 0.068 < delays[-1] <= 0.0705
    assert 0.048 < delays[len(delays) // 2] < 0.052  # the median is the mean delay asked for
    assert impairment.counters["overtaken"] > 0
    assert [n for n, _ in out] != sorted(n for n, _ in out)


def test_without_reordering_packets_leave_in_order_within_the_range() -> None:
    impairment = Impairment(loss=0, delay_ms=50, jitter_ms=20, seed=1, reorder=False)
    out = _run(impairment)
    assert [n for n, _ in out] == list(range(PACKETS))
    assert all(0.030 <= d <= 0.0705 for _, d in out)
    assert impairment.counters["overtaken"] == 0
