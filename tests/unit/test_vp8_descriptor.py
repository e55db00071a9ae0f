"""client/sfu/vp8_descriptor.py: picture numbers continue across a change of source."""

from __future__ import annotations

from client.sfu.vp8_descriptor import PictureIdRewriter, picture_ids


def _payload(picture: int, tl0: int | None = None, wide: bool = True) -> bytearray:
    extension = 0x80 | (0x40 if tl0 is not None else 0)
    ids = [0x80 | picture >> 8, picture & 0xFF] if wide else [picture & 0x7F]
    return bytearray([0x90, extension, *ids, *([tl0] if tl0 is not None else []), 0x00, 1, 2])


def _rewritten(rewriter: PictureIdRewriter, payload: bytearray) -> tuple[int | None, ...]:
    rewriter.rewrite(payload, 0)
    return picture_ids(payload)


def test_a_stream_never_switched_is_left_alone() -> None:
    rewriter = PictureIdRewriter()
    assert not rewriter.shifts
    assert _rewritten(rewriter, _payload(4000, 7)) == (4000, 7)


def test_a_new_source_continues_by_one_and_keeps_going() -> None:
    rewriter = PictureIdRewriter()
    rewriter.rebase(_payload(102, 102), 0)  # the last packet the subscriber got
    assert rewriter.shifts
    assert _rewritten(rewriter, _payload(30000, 5)) == (103, 103)
    assert _rewritten(rewriter, _payload(30001, 6)) == (104, 104)
    # a late packet of the new source's first picture keeps that picture's number
    assert _rewritten(rewriter, _payload(30000, 5)) == (103, 103)
    assert _rewritten(rewriter, _payload(30002, 6)) == (105, 104)
    # and a second switch continues from what was sent last
    rewriter.rebase(_payload(105, 104), 0)
    assert _rewritten(rewriter, _payload(7, 200)) == (106, 105)


def test_numbers_wrap_in_their_width() -> None:
    rewriter = PictureIdRewriter()
    rewriter.rebase(_payload(0x7FFF, 255), 0)
    assert _rewritten(rewriter, _payload(12, 40)) == (0, 0)
    narrow = PictureIdRewriter()
    narrow.rebase(_payload(127, wide=False), 0)
    assert _rewritten(narrow, _payload(50, wide=False)) == (0, None)


def test_a_switch_before_anything_was_sent_keeps_the_numbers() -> None:
    rewriter = PictureIdRewriter()
    rewriter.rebase(None, 0)
    assert _rewritten(rewriter, _payload(500, 9)) == (500, 9)
    assert not rewriter.shifts


def test_a_payload_without_picture_numbers_is_left_alone() -> None:
    rewriter = PictureIdRewriter()
    plain = bytearray([0x10, 0x00, 1, 2, 3])
    rewriter.rebase(_payload(3, 3), 0)
    rewriter.rewrite(plain, 0)
    assert plain == bytearray([0x10, 0x00, 1, 2, 3])
    short = bytearray([0x90, 0x80])  # cut off: nothing to read, nothing written
    rewriter.rewrite(short, 0)
    assert short == bytearray([0x90, 0x80])


def test_the_rewrite_is_at_the_payloads_offset_in_a_packet() -> None:
    rewriter = PictureIdRewriter()
    rewriter.rebase(bytearray(b"H" * 20) + _payload(9, 3), 20)
    packet = bytearray(b"H" * 20) + _payload(500, 60)
    rewriter.rewrite(packet, 20)
    assert packet[:20] == b"H" * 20
    assert picture_ids(packet, 20) == (10, 4)
