"""client/sfu/uplink_share.py: the layers of a camera share one estimate of the uplink."""

from __future__ import annotations

from client.sfu.uplink_share import MIN_SHARE, UplinkShare


def test_each_layer_gets_what_the_smaller_ones_leave() -> None:
    share = UplinkShare()
    low, middle, top = object(), object(), object()
    for member, height in ((low, 180), (middle, 360), (top, 720)):
        share.join(member, height)
    assert share.share_of(top) is None  # no estimate yet
    # one second of 25 kB from the low layer, 50 kB from the middle one
    for member, size in ((low, 25_000), (middle, 50_000), (top, 100_000)):
        share.add(member, 0, None, size, 1)
        share.add(member, 1000, None, 0, 1)
    share.total = 1_000_000
    assert share.share_of(low) == 1_000_000
    assert share.share_of(middle) == 1_000_000 - 200_000
    assert share.share_of(top) == 1_000_000 - 200_000 - 400_000
    share.total = 500_000  # too thin for all three: the top layer is starved first
    assert share.share_of(top) == MIN_SHARE
    assert share.share_of(middle) == 300_000
