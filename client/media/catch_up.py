"""A file or test signal that skips what its sender fell behind on, instead of queueing it.

aiortc's ``MediaPlayer`` decodes in a thread that keeps pace with the wall clock and hands
every frame to an unbounded queue; its track's ``recv()`` then waits until each frame is due.
When the sender reads more slowly than that (a loaded machine, a stalled event loop), frames
pile up in the queue without limit, and what is sent lags further and further behind: measured
here, a participant's sine tone queued ~4 frames a second more than it sent (~1 MiB a minute)
on a busy machine, and 55-80 MiB a minute when the loop was slowed down further
(docs/benchmarks.md). :class:`CatchingUpTrack` drops the frames that are already more than
``max_late_s`` overdue, so the queue never holds much more than the player's one second of
read-ahead, and what goes out stays close to now.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError
from av.frame import Frame
from av.packet import Packet

logger = logging.getLogger(__name__)

# Above what a busy machine's scheduling alone delays a frame by (measured here: up to 0.15 s
# at a load average of 20 on two cores), so frames are skipped only for a backlog.
MAX_LATE_S = 0.5
# Never skip forever: a source whose timestamps run slower than the clock would otherwise
# never hand out a frame again. After this many in a row the next one is taken as on time.
MAX_SKIPPED_IN_A_ROW = 500
LOG_EVERY_S = 30.0  # a sender that keeps falling behind says so now and then, not per frame


class CatchingUpTrack(MediaStreamTrack):
    """``source``'s frames, without those more than ``max_late_s`` behind their due time.

    A frame is due ``frame.time - first.time`` seconds after the first frame was handed out,
    on the same wall clock (``time.time``) the player paces by, so a frame the player held back
    until it was due is never late. Stopping this track stops ``source``.
    """

    def __init__(
        self,
        source: MediaStreamTrack,
        max_late_s: float = MAX_LATE_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__()
        self.kind = source.kind
        self.source = source
        self.skipped = 0  # frames dropped for being late, in all
        self._max_late_s = max_late_s
        self._clock = clock
        self._origin: tuple[float, float] | None = None  # (clock, frame time) of the first
        self._logged_at: float | None = None
        self._skipped_when_logged = 0

    async def recv(self) -> Frame | Packet[Any]:
        if self.readyState != "live":
            raise MediaStreamError
        in_a_row = 0
        while True:
            frame = await self.source.recv()
            if in_a_row >= MAX_SKIPPED_IN_A_ROW:
                logger.warning(
                    "%s source: %d frames late in a row; its clock restarts here",
                    self.kind,
                    in_a_row,
                )
                self._origin = None
            if not self._late(frame):
                if in_a_row:
                    self._tell_skipped()
                return frame
            self.skipped += 1
            in_a_row += 1

    def stop(self) -> None:
        super().stop()
        self.source.stop()

    def _tell_skipped(self) -> None:
        now = self._clock()
        if self._logged_at is not None and now - self._logged_at < LOG_EVERY_S:
            return
        logger.info(
            "the %s sender fell behind its source: %d frames skipped",
            self.kind,
            self.skipped - self._skipped_when_logged,
        )
        self._logged_at, self._skipped_when_logged = now, self.skipped

    def _late(self, frame: Frame | Packet[Any]) -> bool:
        stamp = _seconds(frame)
        if stamp is None:
            return False
        now = self._clock()
        if self._origin is None:
            self._origin = (now, stamp)
            return False
        started, first = self._origin
        return now - (started + stamp - first) > self._max_late_s


def _seconds(frame: Frame | Packet[Any]) -> float | None:
    if frame.pts is None or frame.time_base is None:
        return None
    return float(frame.pts * frame.time_base)
