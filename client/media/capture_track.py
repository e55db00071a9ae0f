"""What camera and screen tracks share: capture in a thread, recv() hands out the newest.

A subclass sets itself up, then calls :meth:`CaptureTrack._start_capture`; its ``_run`` (on the
capture thread) opens the device and calls ``_deliver`` per picture, or ``_fail`` once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import av
from aiortc import VideoStreamTrack
from aiortc.mediastreams import VIDEO_CLOCK_RATE, VIDEO_TIME_BASE, MediaStreamError

from client.media.failure import ErrorCallback, FailureReport
from client.media.handoff import Handoff
from client.media.keyframes import without_keyframe_request

logger = logging.getLogger(__name__)

FrameListener = Callable[[av.VideoFrame], None]

STOP_TIMEOUT_S = 2.0
READ_TIMEOUT_S = 10.0  # a source silent this long has hung: ffmpeg gives up the read


class CaptureTrack(VideoStreamTrack):
    kind = "video"

    def __init__(self, what: str, on_error: ErrorCallback | None) -> None:
        super().__init__()
        self.frames_captured = 0
        self._what = what
        self._failure = FailureReport(what, on_error)
        self._listeners: list[FrameListener] = []
        self._latest: Handoff[av.VideoFrame] = Handoff(maxlen=1)
        self._stopping = threading.Event()
        self._clock_start: float | None = None
        self._last_pts = -1
        self._thread: threading.Thread | None = None

    def _start_capture(self, thread_name: str) -> None:
        self._thread = threading.Thread(target=self._run, name=thread_name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        raise NotImplementedError

    @property
    def error(self) -> str | None:
        """The sentence given to ``on_error``, once capture failed."""
        return self._failure.message

    @property
    def frames_dropped(self) -> int:
        """Pictures replaced by a newer one before recv() took them."""
        return self._latest.dropped

    def add_frame_listener(self, listener: FrameListener) -> None:
        """Calls ``listener`` with each captured frame, from the capture thread."""
        self._listeners.append(listener)

    def remove_frame_listener(self, listener: FrameListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    async def recv(self) -> av.VideoFrame:
        """The newest picture; waits for one. After a failure it waits until stop()."""
        if self.readyState != "live":
            raise MediaStreamError
        frame = without_keyframe_request(await self._latest.get())
        frame.pts = self._next_pts()
        frame.time_base = VIDEO_TIME_BASE
        return frame

    def stop(self) -> None:
        """Stops capture and waits (briefly) for the capture thread to end."""
        super().stop()
        self._stopping.set()
        self._latest.close()
        thread = self._thread
        if thread is not None and threading.current_thread() is not thread:
            thread.join(STOP_TIMEOUT_S)
            if thread.is_alive():
                logger.warning("the %s capture did not stop in time", self._what)

    def _next_pts(self) -> int:
        # Timestamps from our clock, not the device's: they start at 0 and never go back.
        now = time.monotonic()
        if self._clock_start is None:
            self._clock_start = now
        pts = max(int((now - self._clock_start) * VIDEO_CLOCK_RATE), self._last_pts + 1)
        self._last_pts = pts
        return pts

    # --- capture thread ----------------------------------------------------------------------

    def _deliver(self, frame: av.VideoFrame) -> None:
        self.frames_captured += 1
        outgoing = self._outgoing(frame)
        self._latest.put(outgoing)
        shown = self._shown(frame, outgoing)
        for listener in list(self._listeners):
            try:
                listener(shown)
            except Exception:
                # A broken preview must not stop what the others see.
                logger.exception("%s preview listener failed", self._what)

    def _outgoing(self, frame: av.VideoFrame) -> av.VideoFrame:
        """The picture the sender gets; listeners always get the captured one."""
        return frame

    def _shown(self, captured: av.VideoFrame, outgoing: av.VideoFrame) -> av.VideoFrame:
        """What the listeners (the self view) get: the captured picture, unless the sent one
        differs in more than its size."""
        return captured

    def _fail(self, message: str) -> None:
        if not self._stopping.is_set():  # a stop is not a failure
            self._failure.fail(message)


def close_decoder(frames: Iterator[Any]) -> None:
    """Finish a PyAV decode generator: the packet and tables its demuxer holds are freed only
    when it finishes, and one that is merely dropped never does."""
    close = getattr(frames, "close", None)
    if close is not None:
        close()


def first_picture(container: av.container.InputContainer) -> av.VideoFrame:
    """The first picture of ``container``'s first video stream (StopIteration: none)."""
    pictures = container.decode(container.streams.video[0])
    try:
        return next(pictures)
    finally:
        close_decoder(pictures)


def fit_within(width: int, height: int, box: tuple[int, int]) -> tuple[int, int]:
    """Scale down (never up) into ``box`` keeping the shape; even sides for YUV 4:2:0."""
    scale = min(1.0, box[0] / width, box[1] / height)
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


def error_reason(exc: BaseException) -> str:
    """The readable part of a PyAV or OS error."""
    strerror = getattr(exc, "strerror", None)
    return str(strerror) if strerror else str(exc) or type(exc).__name__
