"""Lip sync: each remote picture is shown when its sound is heard, not when it was decoded.

Sound waits in the playout's jitter buffer and the device; a picture is ready as soon as it is
decoded, so without help the picture runs ahead of the voice by the whole audio buffer (and
more on a jittery link, whose buffer is larger). Both streams' sender reports map their RTP
time to the sender's one wall clock (the SFU carries that mapping over to each subscriber), so
for either stream ``local time - sender time`` is its delay from sender to here, plus one
unknown but shared clock offset. :class:`AvSync` holds each picture back by how much longer
the sound's delay is than the picture's, which the offset cancels out of.

Only pictures are held: delaying sound would lengthen every conversation's turn-taking.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections import deque
from collections.abc import Awaitable, Callable
from statistics import median
from typing import Any

from aiortc import MediaStreamTrack, RTCPeerConnection
from aiortc.rtp import AnyRtcpPacket, RtcpSrPacket

from client import compat
from client.ntp import NTP_UNIX_OFFSET

MAX_HOLD_S = 0.5  # a longer difference is a broken report, not a buffer
AUDIO_DELAYS_KEPT = 25  # the sound's recent delays (0.5 s of 20 ms frames)
AUDIO_STALE_S = 1.0
VIDEO_CLOCK_RATE = 90000
# Pictures waiting for their sound at most, per stream: about 0.27 s at 30 a second. Each is a
# decoded picture; more would only hold memory for pictures a tile skips anyway.
MAX_PENDING = 8  # without sound for this long, pictures are not held for it
IN_TURN_S = 0.0001  # a picture due with an earlier one is handed on this much after it


class SenderClock:
    """One received stream's RTP time on the sender's wall clock, from its sender reports.

    ``origin`` gives what to add to a decoded frame's timestamp to get its RTP timestamp back
    (aiortc counts frame times from the stream's first); without it they are the same.
    """

    def __init__(self, clock_rate: int, origin: Callable[[], int | None] | None = None) -> None:
        self.clock_rate = clock_rate
        self._origin = origin
        self._reference: tuple[int, float] | None = None  # (RTP, sender seconds)

    def on_report(self, report: RtcpSrPacket) -> None:
        info = report.sender_info
        if info.ntp_timestamp == 0:
            return  # a sender that does not know its clock yet (aiortc sends that at first)
        seconds = (info.ntp_timestamp >> 32) + (info.ntp_timestamp & 0xFFFFFFFF) / 2**32
        self._reference = (info.rtp_timestamp, seconds - NTP_UNIX_OFFSET)

    def sender_time(self, timestamp: int) -> float | None:
        """When the sender took what a frame stamped ``timestamp`` shows (None before the
        first report); RTP time is taken modulo 2**32, so wrapped or unwrapped both work."""
        origin = self._origin() if self._origin is not None else 0
        if self._reference is None or origin is None:
            return None
        reference_rtp, reference_seconds = self._reference
        delta = (timestamp + origin - reference_rtp + 2**31) % 2**32 - 2**31
        return reference_seconds + delta / self.clock_rate


_clocks: weakref.WeakKeyDictionary[MediaStreamTrack, SenderClock] = weakref.WeakKeyDictionary()
RtcpHandler = Callable[[AnyRtcpPacket], Awaitable[None]]


def watch_sender_reports(pc: RTCPeerConnection, track: MediaStreamTrack) -> SenderClock:
    """Reads the sender reports arriving for ``track`` (received on ``pc``) into its clock."""
    clock_rate = 48000 if track.kind == "audio" else VIDEO_CLOCK_RATE
    receiver = next((t.receiver for t in pc.getTransceivers() if t.receiver.track is track), None)
    if receiver is None:  # not ours to watch: its pictures are shown as they come
        return SenderClock(clock_rate, lambda: None)
    held = weakref.ref(receiver)  # the receiver holds the track, which keys the clock

    def origin() -> int | None:
        alive = held()
        return compat.receiver_timestamp_origin(alive) if alive is not None else None

    clock = SenderClock(clock_rate, origin)
    _clocks[track] = clock

    async def observe(packet: AnyRtcpPacket, original: RtcpHandler) -> None:
        if isinstance(packet, RtcpSrPacket):
            clock.on_report(packet)
        await original(packet)

    compat.intercept_receiver_rtcp(receiver, observe)
    return clock


def clock_of(track: MediaStreamTrack) -> SenderClock | None:
    """The clock :func:`watch_sender_reports` keeps for ``track``, if any."""
    return _clocks.get(track)


class AvSync:
    """One remote participant's sound and picture: how long to hold each picture."""

    def __init__(self) -> None:
        self.audio_clock: SenderClock | None = None
        self.video_clock: SenderClock | None = None
        self._audio_delays: deque[float] = deque(maxlen=AUDIO_DELAYS_KEPT)
        self._audio_at = -1e9  # local time of the last sound
        self.last_hold_s = 0.0  # for diagnostics

    def audio_heard(self, rtp_timestamp: int, heard_at: float) -> None:
        """The sound stamped ``rtp_timestamp`` will be heard at ``heard_at`` (local time)."""
        clock = self.audio_clock
        sent = clock.sender_time(rtp_timestamp) if clock is not None else None
        if sent is None:
            return
        self._audio_delays.append(heard_at - sent)
        self._audio_at = heard_at

    def picture_hold(self, rtp_timestamp: int, now: float) -> float:
        """Seconds to hold the picture stamped ``rtp_timestamp``, ready at ``now``."""
        clock = self.video_clock
        sent = clock.sender_time(rtp_timestamp) if clock is not None else None
        if sent is None or not self._audio_delays or now - self._audio_at > AUDIO_STALE_S:
            self.last_hold_s = 0.0
            return 0.0
        hold = median(self._audio_delays) - (now - sent)
        self.last_hold_s = hold if 0.0 < hold <= MAX_HOLD_S else 0.0
        return self.last_hold_s


class PictureRelease:
    """Hands each decoded picture to ``show`` once its sound is heard (see :class:`AvSync`),
    without holding up the reading: a picture to wait for is handed on by a timer, so the
    track is read as fast as pictures come and nothing piles up behind a wait. A picture
    older than one already shown (its wait was longer) is dropped, never shown late. When
    more than :data:`MAX_PENDING` wait (the sound runs further behind than that), the oldest
    is shown at once: the picture runs a little ahead of its sound instead of stuttering."""

    def __init__(self, sync: AvSync, show: Callable[[Any], None]) -> None:
        self._sync = sync
        self._show = show
        self._shown: int | None = None  # frame time of the newest picture handed on
        self._waiting: deque[_Waiting] = deque()  # oldest first
        self.dropped = 0
        self.early = 0  # shown before their sound: more waited than MAX_PENDING

    def offer(self, frame: Any) -> None:
        """From the event loop that reads the track."""
        rtp = frame_rtp_timestamp(frame, VIDEO_CLOCK_RATE)
        hold = self._sync.picture_hold(rtp, time.monotonic()) if rtp is not None else 0.0
        if hold <= 0 and not self._waiting:
            self._hand_on(frame, rtp)
            return
        loop = asyncio.get_running_loop()
        due = loop.time() + max(hold, 0.0)
        if self._waiting:
            # Never before a picture taken earlier: one decoded a little later is held a
            # little shorter, and showing it first would make the earlier one too old to show.
            last = self._waiting[-1].timer
            if last is not None:
                due = max(due, last.when() + IN_TURN_S)
        waiting = _Waiting(frame, rtp)
        waiting.timer = loop.call_at(due, self._due, waiting)
        self._waiting.append(waiting)
        if len(self._waiting) > MAX_PENDING:
            oldest = self._waiting.popleft()
            if oldest.timer is not None:
                oldest.timer.cancel()
            self.early += 1
            self._hand_on(oldest.frame, oldest.rtp)

    def _due(self, waiting: _Waiting) -> None:
        if waiting in self._waiting:  # (not shown early meanwhile)
            self._waiting.remove(waiting)
            self._hand_on(waiting.frame, waiting.rtp)

    def _hand_on(self, frame: Any, rtp: int | None) -> None:
        shown = self._shown
        if rtp is not None and shown is not None and (rtp - shown) % 2**32 >= 2**31:
            self.dropped += 1  # older than what is already on screen
            return
        self._shown = rtp if rtp is not None else shown
        self._show(frame)

    def close(self) -> None:
        for waiting in self._waiting:
            if waiting.timer is not None:
                waiting.timer.cancel()
        self._waiting.clear()


class _Waiting:
    """A picture held for its sound."""

    __slots__ = ("frame", "rtp", "timer")

    def __init__(self, frame: Any, rtp: int | None) -> None:
        self.frame = frame
        self.rtp = rtp
        self.timer: asyncio.TimerHandle | None = None


def frame_rtp_timestamp(frame: Any, clock_rate: int) -> int | None:
    """A received frame's time in ``clock_rate`` units: aiortc's pts, which counts from the
    stream's first RTP timestamp (:class:`SenderClock` adds that origin back)."""
    if frame.pts is None or frame.time_base is None:
        return None
    return int(frame.pts * frame.time_base * clock_rate)
