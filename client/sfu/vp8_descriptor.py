"""Rewriting the picture numbers of VP8's payload descriptor (RFC 7741) in forwarded packets.

A subscriber that is switched from one layer of a camera to another gets pictures of another
encoder, numbered by that encoder. A decoder that sees PictureID (or TL0PICIDX) jump takes it
as lost pictures, so :class:`PictureIdRewriter` shifts the new layer's numbers to continue where
the old layer's ended: the last numbers sent are read back from the last packet sent at the
switch (no bookkeeping per packet), and the rewrite is in place, in the packet buffer the
forwarder builds anyway.
"""

from __future__ import annotations

_X = 0x80  # first byte: extended control bits follow
_I = 0x80  # extension byte: PictureID present
_L = 0x40  # extension byte: TL0PICIDX present
_M = 0x80  # first PictureID byte: 15-bit PictureID
_WIDE = 0x7FFF
_NARROW = 0x7F
_TL0 = 0xFF


def picture_ids(payload: bytes | bytearray, at: int = 0) -> tuple[int | None, int | None]:
    """(PictureID, TL0PICIDX) of the VP8 payload starting at ``payload[at]``, None where
    absent."""
    end = len(payload)
    if at + 2 >= end or not payload[at] & _X:
        return None, None
    extension = payload[at + 1]
    i = at + 2
    picture: int | None = None
    if extension & _I:
        if payload[i] & _M:
            if i + 1 >= end:
                return None, None
            picture = (payload[i] & 0x7F) << 8 | payload[i + 1]
            i += 2
        else:
            picture = payload[i]
            i += 1
    tl0 = payload[i] if extension & _L and i < end else None
    return picture, tl0


class PictureIdRewriter:
    """Shifts PictureID and TL0PICIDX of one subscriber's VP8 stream by offsets chosen at each
    change of source, so the numbers the subscriber sees go on by one."""

    __slots__ = ("_last_picture", "_last_tl0", "_picture_offset", "_rebasing", "_tl0_offset")

    def __init__(self) -> None:
        self._picture_offset = 0
        self._tl0_offset = 0
        self._last_picture: int | None = None  # the numbers last sent, at a switch
        self._last_tl0: int | None = None
        self._rebasing = False

    @property
    def shifts(self) -> bool:
        """Whether packets need rewriting (a switch happened, or is about to)."""
        return self._rebasing or bool(self._picture_offset or self._tl0_offset)

    def rebase(self, last_sent: bytes | bytearray | None, at: int) -> None:
        """The next packet comes from a new source: its numbers continue those of
        ``last_sent`` (the last packet sent, its payload at ``at``)."""
        if last_sent is not None:
            self._last_picture, self._last_tl0 = picture_ids(last_sent, at)
        self._rebasing = True

    def rewrite(self, buf: bytearray, at: int) -> None:
        """Rewrite the descriptor of the payload starting at ``buf[at]`` (VP8 only)."""
        end = len(buf)
        rebasing, self._rebasing = self._rebasing, False
        if at + 2 >= end or not buf[at] & _X:
            return  # no picture numbers to keep in line
        extension = buf[at + 1]
        i = at + 2
        if extension & _I:
            wide = bool(buf[i] & _M)
            if wide and i + 1 >= end:
                return
            mask = _WIDE if wide else _NARROW
            source = ((buf[i] & 0x7F) << 8 | buf[i + 1]) if wide else buf[i]
            if rebasing:
                last = self._last_picture
                self._picture_offset = 0 if last is None else (last + 1 - source) & mask
            picture = (source + self._picture_offset) & mask
            if wide:
                buf[i] = _M | picture >> 8
                buf[i + 1] = picture & 0xFF
                i += 2
            else:
                buf[i] = picture
                i += 1
        if extension & _L and i < end:
            if rebasing:
                last = self._last_tl0
                self._tl0_offset = 0 if last is None else (last + 1 - buf[i]) & _TL0
            buf[i] = (buf[i] + self._tl0_offset) & _TL0
