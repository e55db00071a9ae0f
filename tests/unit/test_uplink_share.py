"""client/sfu/uplink_share.py: the layers of a camera share one estimate of the uplink."""

from __future__ import annotations

from client.sfu.uplink_share import MIN_SHARE, UplinkShare


def test_each_layer_gets_what_the_taller_ones_leave() -> None:
    share = UplinkShare()
    low, middle, top = object(), object(), object()
    for member, height in ((low, 180), (middle, 360), (top, 720)):
        share.join(member, height)
    assert share.share_of(top) is None  # no estimate yet
    # one second of 25 kB from the low layer, 50 kB from the middle one, 100 kB from the top
    for member, size in ((low, 25_000), (middle, 50_000), (top, 100_000)):
        share.add(member, 0, None, size, 1)
        share.add(member, 1000, None, 0, 1)
    share.total = 1_500_000
    # the top layer is told the whole estimate, as a camera in one layer would be
    assert share.share_of(top) == 1_500_000
    assert share.share_of(middle) == 1_500_000 - 800_000
    assert share.share_of(low) == 1_500_000 - 800_000 - 400_000
    share.total = 700_000  # too thin for all three: the small layers make do with little
    assert share.share_of(top) == 700_000
    assert share.share_of(low) == MIN_SHARE
