"""Received video packets put back into pictures, giving up on a lost packet after a while.

aiortc's video jitter buffer hands out a picture only once every packet from the oldest one
on has arrived, and waits for a lost one until 512 newer packets have come. On a thin link
(a receiver on a camera's smallest layer gets about 15 packets a second) one packet that no
retransmission repairs stopped the pictures for half a minute. :class:`VideoJitterBuffer`
keeps aiortc's interface and behaviour, but when the oldest picture has waited
:data:`MAX_WAIT` seconds for a packet while newer ones arrive, it gives up everything older
than the newest picture and asks for a keyframe (the pictures after a lost one decode from a
reference the decoder never got).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from aiortc.jitterbuffer import JitterFrame
from aiortc.rtp import RtpPacket

from client import compat

CAPACITY = 512  # packets held at most, as aiortc's video buffer
MAX_WAIT = 0.5  # seconds a picture waits for a missing packet (a retransmission's round trip)
RESTART_BEHIND = 100  # a packet this far behind the oldest held means a new stream (aiortc's)


class VideoJitterBuffer:
    """aiortc's ``JitterBuffer`` interface for one video receiver (see the module docstring)."""

    def __init__(
        self, capacity: int = CAPACITY, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._capacity = capacity
        self._clock = clock
        self._packets: dict[int, tuple[int, bytes]] = {}  # seq -> (timestamp, depayloaded)
        self._origin: int | None = None  # the oldest sequence number not handed out
        self._stuck_since: float | None = None
        self.given_up = 0  # pictures dropped for a packet that never came

    def add(self, packet: RtpPacket) -> tuple[bool, JitterFrame | None]:
        """Hold ``packet``; returns (ask for a keyframe, the oldest complete picture or None)."""
        seq = packet.sequence_number
        keyframe_wanted = False
        if self._origin is None:
            self._origin = seq
        ahead = (seq - self._origin) & 0xFFFF
        if ahead >= 0x8000:
            if 0x10000 - ahead < RESTART_BEHIND:
                return False, None  # late: its picture was handed out or given up
            self._packets.clear()  # far behind: the sender started its numbers afresh
            self._origin, ahead, keyframe_wanted = seq, 0, True
        self._packets[seq] = (packet.timestamp, compat.depayloaded(packet))
        if ahead >= self._capacity:  # no room left behind a gap: on with the newest picture
            self._give_up_to_newest()
            keyframe_wanted = True
        frame = self._take_picture()
        if frame is not None:
            self._stuck_since = None
        elif self._stuck():
            now = self._clock()
            if self._stuck_since is None:
                self._stuck_since = now
            elif now - self._stuck_since >= MAX_WAIT:
                self._give_up_to_newest()
                self._stuck_since = None
                keyframe_wanted = True
                frame = self._take_picture()
        return keyframe_wanted, frame

    def _after_origin(self, seq: int) -> int:
        assert self._origin is not None
        return (seq - self._origin) & 0xFFFF

    def _take_picture(self) -> JitterFrame | None:
        """The oldest picture, if all its packets and the next picture's first are here."""
        origin = self._origin
        if origin is None or origin not in self._packets:
            return None
        timestamp = self._packets[origin][0]
        parts: list[bytes] = []
        seq = origin
        while seq in self._packets:
            packet_timestamp, data = self._packets[seq]
            if packet_timestamp != timestamp:
                for taken in range(len(parts)):
                    del self._packets[(origin + taken) & 0xFFFF]
                self._origin = seq
                return JitterFrame(data=b"".join(parts), timestamp=timestamp)
            parts.append(data)
            seq = (seq + 1) & 0xFFFF
        return None

    def _stuck(self) -> bool:
        """A newer picture is arriving while the oldest cannot be completed."""
        if not self._packets or self._origin is None:
            return False
        newest = max(self._packets, key=self._after_origin)
        oldest = self._packets.get(self._origin)
        return oldest is None or oldest[0] != self._packets[newest][0]

    def _give_up_to_newest(self) -> None:
        """Forget every picture but the newest (one after a lost packet would not decode
        cleanly anyway, and handing them out one a packet would keep the delay)."""
        newest = max(self._packets, key=self._after_origin)
        timestamp = self._packets[newest][0]
        kept = [seq for seq, (ts, _) in self._packets.items() if ts == timestamp]
        start = min(kept, key=self._after_origin)
        self.given_up += len({ts for seq, (ts, _) in self._packets.items() if ts != timestamp})
        self._drop_before(start)

    def _drop_before(self, start: int) -> None:
        """Forget every packet older than ``start``, which becomes the oldest."""
        distance = self._after_origin(start)
        for seq in list(self._packets):
            if self._after_origin(seq) < distance:
                del self._packets[seq]
        self._origin = start
