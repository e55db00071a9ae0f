"""A camera as an aiortc video track: PyAV captures in a thread, recv() hands out the newest."""

from __future__ import annotations

import errno
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import av
from aiortc import VideoStreamTrack
from aiortc.mediastreams import VIDEO_CLOCK_RATE, VIDEO_TIME_BASE, MediaStreamError

from client.media.failure import ErrorCallback, FailureReport
from client.media.handoff import Handoff

logger = logging.getLogger("runde.media.camera")

FrameListener = Callable[[av.VideoFrame], None]

# A device that is missing, busy or forbidden will not open with other options either.
_FINAL_OPEN_ERRORS = {errno.ENOENT, errno.EBUSY, errno.EACCES, errno.ENODEV, errno.EPERM}
_STOP_TIMEOUT_S = 2.0
_READ_TIMEOUT_S = 10.0  # a camera silent this long has hung: ffmpeg gives up the read


class CameraError(Exception):
    """The camera cannot deliver pictures; the message is a sentence naming it and why."""


@dataclass(frozen=True)
class _Source:
    url: str
    format: str
    attempts: list[dict[str, str]] = field(default_factory=lambda: [{}])
    paced: bool = False  # synthetic sources decode as fast as asked: pace them to real time


class CameraTrack(VideoStreamTrack):
    """Video from a camera, at most ``width`` x ``height`` and ``fps``.

    ``spec`` is ``/dev/videoN`` (V4L2), ``video=NAME`` (DirectShow, Windows),
    ``avfoundation:NAME`` (macOS) or ``lavfi:GRAPH`` (a synthetic camera, e.g.
    ``lavfi:testsrc2=size=640x360:rate=30``). Capture starts at once in a thread of its own.
    Listeners (local preview) and ``on_error`` are called from that thread: a UI must pass
    them on to its own thread (a queued Qt signal does). When the camera fails, ``on_error``
    gets one sentence, the track sends no more pictures and the meeting goes on.
    """

    kind = "video"

    def __init__(
        self,
        spec: str,
        *,
        width: int = 1280,
        height: int = 720,
        fps: int = 30,
        name: str | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        super().__init__()
        self.spec = spec
        self.width, self.height, self.fps = width, height, fps
        self.frames_captured = 0
        self._label = f"'{name}' ({spec})" if name else f"'{spec}'"
        self._failure = FailureReport("camera", on_error)
        self._listeners: list[FrameListener] = []
        self._latest: Handoff[av.VideoFrame] = Handoff(maxlen=1)
        self._stopping = threading.Event()
        self._clock_start: float | None = None
        self._last_pts = -1
        self._thread = threading.Thread(target=self._run, name=f"camera {spec}", daemon=True)
        self._thread.start()

    @property
    def error(self) -> str | None:
        """The sentence given to ``on_error``, once the camera failed."""
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
        frame = await self._latest.get()
        frame.pts = self._next_pts()
        frame.time_base = VIDEO_TIME_BASE
        return frame

    def stop(self) -> None:
        """Stops capture and waits (briefly) for the capture thread to end."""
        super().stop()
        self._stopping.set()
        self._latest.close()
        if threading.current_thread() is not self._thread:
            self._thread.join(_STOP_TIMEOUT_S)
            if self._thread.is_alive():
                logger.warning("the camera %s did not stop in time", self._label)

    def _next_pts(self) -> int:
        # Timestamps from our clock, not the device's: they start at 0 and never go back.
        now = time.monotonic()
        if self._clock_start is None:
            self._clock_start = now
        pts = max(int((now - self._clock_start) * VIDEO_CLOCK_RATE), self._last_pts + 1)
        self._last_pts = pts
        return pts

    # --- capture thread ----------------------------------------------------------------------

    def _run(self) -> None:
        try:
            source = self._source()
            container = self._open(source)
        except CameraError as exc:
            self._fail(str(exc))
            return
        try:
            self._capture(container, source.paced)
        except CameraError as exc:
            self._fail(str(exc))
        finally:
            container.close()

    def _source(self) -> _Source:
        size = {"video_size": f"{self.width}x{self.height}", "framerate": str(self.fps)}
        spec = self.spec
        if spec.startswith("lavfi:"):
            return _Source(spec.removeprefix("lavfi:"), "lavfi", paced=True)
        if sys.platform == "linux" and (spec.startswith("/dev/video") or spec.startswith("v4l2:")):
            # MJPEG first: most USB cameras only reach 720p30 compressed.
            attempts = [{**size, "input_format": "mjpeg"}, size, {}]
            return _Source(spec.removeprefix("v4l2:"), "v4l2", attempts)
        if sys.platform == "win32" and spec.startswith("video="):
            buffer = {"rtbufsize": "64M"}
            return _Source(spec, "dshow", [{**size, **buffer}, buffer])
        if sys.platform == "darwin" and spec.startswith("avfoundation:"):
            # AVFoundation refuses frame rates the device does not list exactly.
            attempts = [size, {"framerate": str(self.fps)}, {}]
            return _Source(spec.removeprefix("avfoundation:"), "avfoundation", attempts)
        raise CameraError(f"the camera {self._label} is not a camera this computer can open")

    def _open(self, source: _Source) -> av.container.InputContainer:
        reason = "unknown error"
        for options in source.attempts:
            try:
                return av.open(
                    source.url, format=source.format, options=options, timeout=_READ_TIMEOUT_S
                )
            except (av.FFmpegError, OSError, ValueError) as exc:
                reason = _reason(exc)
                if getattr(exc, "errno", None) in _FINAL_OPEN_ERRORS:
                    break
                logger.debug("camera %s refused options %s: %s", self._label, options, reason)
        raise CameraError(f"the camera {self._label} could not be opened: {reason}")

    def _capture(self, container: av.container.InputContainer, paced: bool) -> None:
        if not container.streams.video:
            raise CameraError(f"the camera {self._label} delivers no video")
        frames = container.decode(container.streams.video[0])
        min_interval = 0.8 / self.fps  # tolerate jitter, drop what exceeds the rate clearly
        started = time.monotonic()
        last_kept = -1.0
        while not self._stopping.is_set():
            frame = self._read(frames)
            if paced and frame.time is not None:
                self._stopping.wait(max(0.0, started + frame.time - time.monotonic()))
            now = time.monotonic()
            if now - last_kept < min_interval:
                continue
            last_kept = now
            self._deliver(self._fit(frame))

    def _read(self, frames: Iterator[av.VideoFrame]) -> av.VideoFrame:
        try:
            return next(frames)
        except av.ExitError:
            raise CameraError(
                f"the camera {self._label} stopped delivering pictures"
                f" (none for {_READ_TIMEOUT_S:.0f} s)"
            ) from None
        except StopIteration:
            raise CameraError(
                f"the camera {self._label} stopped delivering pictures (disconnected or ended)"
            ) from None
        except (av.FFmpegError, OSError) as exc:
            raise CameraError(
                f"the camera {self._label} stopped delivering pictures: {_reason(exc)}"
            ) from None

    def _fit(self, frame: av.VideoFrame) -> av.VideoFrame:
        """Scales down (never up) to fit the requested size, keeping the aspect ratio."""
        if frame.width <= self.width and frame.height <= self.height:
            return frame
        scale = min(self.width / frame.width, self.height / frame.height)
        width = max(2, int(frame.width * scale) // 2 * 2)
        height = max(2, int(frame.height * scale) // 2 * 2)
        return frame.reformat(width=width, height=height)

    def _deliver(self, frame: av.VideoFrame) -> None:
        self.frames_captured += 1
        self._latest.put(frame)
        for listener in list(self._listeners):
            try:
                listener(frame)
            except Exception:
                # A broken preview must not stop what the others see.
                logger.exception("camera preview listener failed")

    def _fail(self, message: str) -> None:
        if not self._stopping.is_set():  # a stop is not a failure
            self._failure.fail(message)


def _reason(exc: BaseException) -> str:
    strerror = getattr(exc, "strerror", None)
    return str(strerror) if strerror else str(exc)
