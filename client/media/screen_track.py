"""A shared screen or window as an aiortc video track: PyAV grabs in a thread at a low rate.

Linux X11 uses ``x11grab`` (a window by its id, so it follows the window), Windows ``gdigrab``
(a window by its title). Pictures are scaled down, never up, to fit 1920x1080 keeping their
shape: text must stay readable, so the rate is low (5-15 fps) and the size high.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import av
from aiortc import VideoStreamTrack
from aiortc.mediastreams import VIDEO_CLOCK_RATE, VIDEO_TIME_BASE, MediaStreamError

from client.media.failure import ErrorCallback, FailureReport
from client.media.handoff import Handoff
from client.media.screen import ScreenCaptureError, ShareSource, SourceKind

logger = logging.getLogger("runde.media.screen")

MAX_WIDTH, MAX_HEIGHT = 1920, 1080
MIN_FPS, MAX_FPS = 5, 15
DEFAULT_FPS = 10
_STOP_TIMEOUT_S = 2.0
_READ_TIMEOUT_S = 10.0

FrameListener = Callable[[av.VideoFrame], None]


def fit_within(width: int, height: int, box: tuple[int, int]) -> tuple[int, int]:
    """Scale down (never up) into ``box`` keeping the shape; even sides for YUV 4:2:0."""
    scale = min(1.0, box[0] / width, box[1] / height)
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


@dataclass(frozen=True)
class _Grab:
    url: str
    format: str
    options: dict[str, str]


def grab_spec(source: ShareSource, fps: int) -> _Grab:
    """The PyAV input for ``source`` on this platform."""
    rate = str(fps)
    if sys.platform == "win32":  # pragma: no cover - Windows only, untested here
        options = {"framerate": rate, "draw_mouse": "1"}
        if source.kind is SourceKind.WINDOW:
            return _Grab(f"title={source.title}", "gdigrab", options)
        offsets = {"offset_x": str(source.x), "offset_y": str(source.y)}
        size = {"video_size": f"{source.width}x{source.height}"}
        return _Grab("desktop", "gdigrab", {**options, **offsets, **size})
    options = {"framerate": rate, "draw_mouse": "1"}
    if source.kind is SourceKind.WINDOW and source.window_id is not None:
        # x11grab follows the window by id (moved or raised, it is still that window).
        return _Grab(source.display, "x11grab", {**options, "window_id": str(source.window_id)})
    options["video_size"] = f"{source.width}x{source.height}"
    return _Grab(f"{source.display}+{source.x},{source.y}", "x11grab", options)


class ScreenTrack(VideoStreamTrack):
    """Pictures of one screen or window, at most 1920x1080 and ``fps`` (5-15) a second.

    Capture starts at once in a thread of its own. When the source goes away (a window is
    closed, the display ends) ``on_error`` gets one sentence from that thread and the track
    ends: the receivers see the stream end rather than a frozen or black picture.
    """

    kind = "video"

    def __init__(
        self,
        source: ShareSource,
        *,
        fps: int = DEFAULT_FPS,
        max_size: tuple[int, int] = (MAX_WIDTH, MAX_HEIGHT),
        on_error: ErrorCallback | None = None,
    ) -> None:
        super().__init__()
        self.source = source
        self.fps = max(MIN_FPS, min(MAX_FPS, fps))
        self.max_size = max_size
        self.frames_captured = 0
        self._failure = FailureReport("screen", on_error)
        self._listeners: list[FrameListener] = []
        self._latest: Handoff[av.VideoFrame] = Handoff(maxlen=1)
        self._stopping = threading.Event()
        self._clock_start: float | None = None
        self._last_pts = -1
        self._thread = threading.Thread(target=self._run, name="screen capture", daemon=True)
        self._thread.start()

    @property
    def error(self) -> str | None:
        return self._failure.message

    def add_frame_listener(self, listener: FrameListener) -> None:
        self._listeners.append(listener)

    async def recv(self) -> av.VideoFrame:
        if self.readyState != "live":
            raise MediaStreamError
        frame = await self._latest.get()
        frame.pts = self._next_pts()
        frame.time_base = VIDEO_TIME_BASE
        return frame

    def stop(self) -> None:
        super().stop()
        self._stopping.set()
        self._latest.close()
        if threading.current_thread() is not self._thread:
            self._thread.join(_STOP_TIMEOUT_S)

    def _next_pts(self) -> int:
        now = time.monotonic()
        if self._clock_start is None:
            self._clock_start = now
        pts = max(int((now - self._clock_start) * VIDEO_CLOCK_RATE), self._last_pts + 1)
        self._last_pts = pts
        return pts

    # --- capture thread ----------------------------------------------------------------------

    def _run(self) -> None:
        grab = grab_spec(self.source, self.fps)
        try:
            container = av.open(
                grab.url, format=grab.format, options=grab.options, timeout=_READ_TIMEOUT_S
            )
        except (av.FFmpegError, OSError, ValueError) as exc:
            self._fail(f"'{self.source.title}' cannot be shared: {_reason(exc)}")
            return
        try:
            self._capture(container)
        except ScreenCaptureError as exc:
            self._fail(str(exc))
        finally:
            container.close()
            self._latest.close()  # receivers see the end, not the last picture forever

    def _capture(self, container: av.container.InputContainer) -> None:
        frames = container.decode(container.streams.video[0])
        while not self._stopping.is_set():
            frame = self._read(frames)
            width, height = fit_within(frame.width, frame.height, self.max_size)
            # swscale converts and scales in one pass; the encoder wants yuv420p anyway.
            self._deliver(frame.reformat(width=width, height=height, format="yuv420p"))

    def _read(self, frames: Iterator[av.VideoFrame]) -> av.VideoFrame:
        try:
            return next(frames)
        except StopIteration:
            raise ScreenCaptureError(f"'{self.source.title}' is no longer there") from None
        except (av.FFmpegError, OSError) as exc:
            raise ScreenCaptureError(
                f"'{self.source.title}' is no longer shared: {_reason(exc)}"
            ) from None

    def _deliver(self, frame: av.VideoFrame) -> None:
        self.frames_captured += 1
        self._latest.put(frame)
        for listener in list(self._listeners):
            try:
                listener(frame)
            except Exception:
                logger.exception("screen frame listener failed")

    def _fail(self, message: str) -> None:
        if not self._stopping.is_set():
            self._failure.fail(message)


def grab_thumbnail(source: ShareSource, size: tuple[int, int]) -> av.VideoFrame:
    """One picture of ``source`` scaled into ``size``, as BGRA (for a picker's preview)."""
    grab = grab_spec(source, MIN_FPS)
    try:
        with av.open(
            grab.url, format=grab.format, options=grab.options, timeout=_READ_TIMEOUT_S
        ) as container:
            frame = next(container.decode(container.streams.video[0]))
    except (av.FFmpegError, OSError, ValueError, StopIteration) as exc:
        raise ScreenCaptureError(f"'{source.title}' cannot be shown: {_reason(exc)}") from None
    width, height = fit_within(frame.width, frame.height, size)
    return frame.reformat(width=width, height=height, format="bgra")


def _reason(exc: BaseException) -> str:
    strerror = getattr(exc, "strerror", None)
    return str(strerror) if strerror else str(exc) or type(exc).__name__
