"""Notices peer connections whose media died while the signaling connection looks alive.

A host that dropped us, a media plane that stopped, a network that lets TCP through but no
UDP: the WebSocket may stay open for a while, but no RTCP arrives any more. aiortc's own
consent check takes about 30 s to fail a connection; this says so within seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from aiortc import RTCPeerConnection

logger = logging.getLogger(__name__)

# RTCP comes about once a second from every aiortc sender and receiver (0.5-1.5 s).
SILENCE_S = 6.0
CHECK_EVERY_S = 1.0
# A tick this late means the whole process stood still (SIGSTOP, a suspended laptop): what
# was not heard meanwhile is not the peers' fault, so start counting again.
PAUSED_AFTER_S = 3.0

_HEARD_TYPES = ("remote-inbound-rtp", "remote-outbound-rtp")


@dataclass
class _Watched:
    what: str  # "the video we send", "<participant id>'s screen" … for the log
    heard: datetime | None = None  # when the newest RTCP report from the host arrived
    sent: int = 0  # RTP packets we sent on it so far
    quiet_since: float | None = None  # loop time since which nothing new was heard


@dataclass(frozen=True)
class RtcpProgress:
    """What one peer connection's statistics say about traffic, at one moment."""

    heard: datetime | None
    sent: int


async def rtcp_progress(pc: RTCPeerConnection) -> RtcpProgress:
    report = await pc.getStats()
    heard = max(
        (s.timestamp for s in report.values() if getattr(s, "type", "") in _HEARD_TYPES),
        default=None,
    )
    sent = sum(
        int(getattr(s, "packetsSent", 0) or 0)
        for s in report.values()
        if getattr(s, "type", "") == "outbound-rtp"
    )
    return RtcpProgress(heard, sent)


class MediaWatchdog:
    """Calls ``on_dead`` once, with a sentence, when a watched connection failed or went silent.

    Only a connection the host has reported on at least once is judged by silence (so a peer
    that sends no reports is never mistaken for a dead one), and a connection we publish on
    only while we actually send (a camera that sends nothing gets no reports either).
    """

    def __init__(
        self,
        on_dead: Callable[[str], None],
        silence_s: float = SILENCE_S,
        check_every_s: float = CHECK_EVERY_S,
    ) -> None:
        self._on_dead = on_dead
        self._silence_s = silence_s
        self._check_every_s = check_every_s
        self._watched: dict[RTCPeerConnection, _Watched] = {}
        self._task: asyncio.Task[None] | None = None
        self._fired = False

    def watch(self, pc: RTCPeerConnection, what: str) -> None:
        self._watched[pc] = _Watched(what)

        @pc.on("connectionstatechange")
        def _state_changed() -> None:
            if pc in self._watched and pc.connectionState == "failed":
                self._dead("the media connection to the meeting host failed", what)

        if self._task is None:
            self._task = asyncio.ensure_future(self._run())

    def forget(self, pc: RTCPeerConnection) -> None:
        """We close ``pc`` ourselves: its silence from now on is expected."""
        self._watched.pop(pc, None)

    async def stop(self) -> None:
        self._watched.clear()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _dead(self, reason: str, what: str) -> None:
        if self._fired:
            return
        self._fired = True
        logger.warning("%s (%s)", reason, what)
        self._on_dead(reason)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        last_tick = loop.time()
        while not self._fired:
            await asyncio.sleep(self._check_every_s)
            now = loop.time()
            paused = now - last_tick > PAUSED_AFTER_S
            last_tick = now
            for pc, watched in list(self._watched.items()):
                if paused or pc.connectionState not in ("connected", "closed"):
                    watched.quiet_since = None
                    continue
                if pc.connectionState == "closed":
                    # Closed by the host (we forget what we close ourselves); a stream that
                    # ended is explained by the signaling within this time, a dead host not.
                    if self._quiet_too_long(watched, now):
                        self._dead("the meeting host closed the media connection", watched.what)
                        return
                    continue
                try:
                    progress = await rtcp_progress(pc)
                except Exception as exc:  # a connection closing under us: judged next tick
                    logger.debug("no statistics for %s: %s", watched.what, exc)
                    continue
                if self._silent_too_long(watched, progress, now):
                    self._dead(
                        f"no media arrived from the meeting host for {self._silence_s:g} s",
                        watched.what,
                    )
                    return

    def _silent_too_long(self, watched: _Watched, progress: RtcpProgress, now: float) -> bool:
        sending_idle = progress.sent == watched.sent and progress.sent > 0
        heard_news = progress.heard != watched.heard
        watched.heard, watched.sent = progress.heard, progress.sent
        if heard_news or progress.heard is None or sending_idle:
            watched.quiet_since = None
            return False
        return self._quiet_too_long(watched, now)

    def _quiet_too_long(self, watched: _Watched, now: float) -> bool:
        if watched.quiet_since is None:
            watched.quiet_since = now
        return now - watched.quiet_since >= self._silence_s
