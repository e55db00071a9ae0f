"""Our camera pauses when the connection cannot carry video, so that speech still gets through.

The host tells each publisher how much its path carries (REMB, see ``client/sfu/feedback.py``)
and aiortc's encoder follows, but not below its own minimum (250 kbit/s for VP8). Under that,
video would crowd out the sound. When the estimate stays under :data:`FLOOR_BPS` for
:data:`HOLD_S` without rising while the camera sends more than it (the link is congested, not
merely carrying a still picture that needs little), the camera's sender holds its pictures back
(its track is still read) and the session announces ``video_paused`` so the others' tiles say
why; audio goes on. No video means no new estimate, so after a while the sender tries again (a
keyframe, then the normal stream): if the estimate is still too low it pauses again and waits
twice as long, up to :data:`MAX_RETRY_S`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from aiortc import RTCRtpSender
from aiortc.rtp import RTCP_PSFB_APP, AnyRtcpPacket, RtcpPsfbPacket, unpack_remb_fci
from aiortc.stats import RTCOutboundRtpStreamStats

from client import compat

logger = logging.getLogger(__name__)

FLOOR_BPS = 200_000
# A receiver's estimate stays within ~1.5 times what it receives: a camera that sends little
# (a still picture, a small size) gets a low estimate on any link. Only a camera sending more
# than this share of the estimate is held back by the link.
CONGESTED = 0.9
HOLD_S = 3.0  # the estimate stays under the floor this long before video pauses
FIRST_RETRY_S = 10.0
MAX_RETRY_S = 60.0
RESUME_FACTOR = 1.25  # while paused, an estimate this far above the floor resumes at once
# An estimate that grew by this factor over HOLD_S is recovering (the host's and receivers'
# estimators climb ~8 % a second once video flows again): no reason to pause.
RISING = 1.1
# After trying again, the estimate needs video to move: judge it only after this long.
PROBE_GRACE_S = 5.0


class VideoFloor:
    """Watches the bandwidth estimates for one camera sender; ``on_change(paused)`` is called
    on the event loop when the video pauses or resumes."""

    def __init__(self, sender: RTCRtpSender, on_change: Callable[[bool], None]) -> None:
        self._sender = sender
        self._ssrc = compat.sender_ssrc(sender)
        self._on_change = on_change
        self.paused = False
        self.pauses = 0
        self.last_estimate_kbps: int | None = None
        self._low_since: float | None = None
        self._low_from = 0  # the estimate when it went (or last rose) under the floor
        self._retry_after = FIRST_RETRY_S
        self._retry: asyncio.TimerHandle | None = None
        self._judge_from = 0.0
        self._last_sent: tuple[float, int] | None = None  # (when, bytes sent by then)
        compat.intercept_rtcp(sender, self._on_rtcp)

    def close(self) -> None:
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None

    async def _on_rtcp(self, packet: AnyRtcpPacket, original: compat.RtcpHandler) -> None:
        if isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_APP:
            try:
                bitrate, ssrcs = unpack_remb_fci(packet.fci)
            except ValueError:
                bitrate, ssrcs = 0, []
            if self._ssrc in ssrcs:
                now = time.monotonic()
                self.estimate(bitrate, now, await self._sending_bps(now))
        await original(packet)

    async def _sending_bps(self, now: float) -> int | None:
        """What the camera sent since the last call, in bit/s (None the first time)."""
        sent = sum(
            s.bytesSent
            for s in (await self._sender.getStats()).values()
            if isinstance(s, RTCOutboundRtpStreamStats)
        )
        last, self._last_sent = self._last_sent, (now, sent)
        if last is None or now <= last[0]:
            return None
        return round((sent - last[1]) * 8 / (now - last[0]))

    def estimate(self, bitrate: int, now: float, sending_bps: int | None = None) -> None:
        """A new estimate of what the path carries, and what the camera sends, in bit/s."""
        self.last_estimate_kbps = bitrate // 1000
        if now < self._judge_from:
            return
        congested = sending_bps is None or sending_bps > bitrate * CONGESTED
        if bitrate >= FLOOR_BPS or (not self.paused and not congested):
            self._low_since = None
            if self.paused and bitrate >= FLOOR_BPS * RESUME_FACTOR:
                self._resume("the connection recovered")
            elif not self.paused:
                self._retry_after = FIRST_RETRY_S
            return
        if self._low_since is None:
            self._low_since, self._low_from = now, bitrate
        if self.paused or now - self._low_since < HOLD_S:
            return
        if bitrate > self._low_from * RISING:
            self._low_since, self._low_from = now, bitrate  # recovering: watch it further
            return
        self._pause(bitrate)

    def _pause(self, bitrate: int) -> None:
        self.paused = True
        self.pauses += 1
        compat.hold_sender_frames(self._sender, True)
        logger.warning(
            "video paused: the connection carries about %d kbit/s, too little for video; "
            "trying again in %.0f s",
            bitrate // 1000,
            self._retry_after,
        )
        self._retry = asyncio.get_running_loop().call_later(self._retry_after, self._try_again)
        self._retry_after = min(self._retry_after * 2, MAX_RETRY_S)
        self._on_change(True)

    def _try_again(self) -> None:
        self._retry = None
        if self.paused:
            self._resume("trying again")
            self._judge_from = time.monotonic() + PROBE_GRACE_S

    def _resume(self, why: str) -> None:
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None
        self.paused = False
        self._low_since = None
        compat.force_keyframe(self._sender)  # the receivers' last picture is long gone
        compat.hold_sender_frames(self._sender, False)
        logger.info("video resumed (%s)", why)
        self._on_change(False)
