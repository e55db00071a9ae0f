"""A camera as an aiortc video track: PyAV captures in a thread, recv() hands out the newest."""

from __future__ import annotations

import errno
import logging
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import av
from av.video.reformatter import VideoReformatter

from client.media.capture_track import READ_TIMEOUT_S, CaptureTrack, error_reason, fit_within
from client.media.failure import ErrorCallback
from client.media.send_scale import SendScale

if TYPE_CHECKING:  # OpenCV loads only when an effect is chosen
    from client.media.background.stage import BackgroundStage

logger = logging.getLogger(__name__)

# A device that is missing, busy or forbidden will not open with other options either.
_FINAL_OPEN_ERRORS = {errno.ENOENT, errno.EBUSY, errno.EACCES, errno.ENODEV, errno.EPERM}


class CameraError(Exception):
    """The camera cannot deliver pictures; the message is a sentence naming it and why."""


@dataclass(frozen=True)
class _Source:
    url: str
    format: str
    attempts: list[dict[str, str]] = field(default_factory=lambda: [{}])
    paced: bool = False  # synthetic sources decode as fast as asked: pace them to real time


class CameraTrack(CaptureTrack):
    """Video from a camera, at most ``width`` x ``height`` and ``fps``.

    ``spec`` is ``/dev/videoN`` (V4L2), ``video=NAME`` (DirectShow, Windows),
    ``avfoundation:NAME`` (macOS) or ``lavfi:GRAPH`` (a synthetic camera, e.g.
    ``lavfi:testsrc2=size=640x360:rate=30``). Capture starts at once in a thread of its own.
    Listeners (local preview) and ``on_error`` are called from that thread: a UI must pass
    them on to its own thread (a queued Qt signal does). When the camera fails, ``on_error``
    gets one sentence, the track sends no more pictures and the meeting goes on.
    With ``adapt_to_cpu`` the pictures sent shrink while the sender cannot keep up
    (:mod:`client.media.send_scale`); listeners get the captured size. With a
    ``background`` effect on (blur, a picture; applied on the capture thread to the sent
    picture) listeners get the sent picture: the self view shows what the others see.
    """

    def __init__(
        self,
        spec: str,
        *,
        width: int = 1280,
        height: int = 720,
        fps: int = 30,
        name: str | None = None,
        adapt_to_cpu: bool = False,
        on_error: ErrorCallback | None = None,
        background: BackgroundStage | None = None,
    ) -> None:
        super().__init__("camera", on_error)
        self.spec = spec
        self.width, self.height, self.fps = width, height, fps
        self.frames_taken = 0
        self.adapts_to_cpu = adapt_to_cpu
        self._send_scale_rule = SendScale(width) if adapt_to_cpu else None
        self._send_scale = 1.0  # written on the loop, read by the capture thread
        self._scaler = VideoReformatter()  # the capture thread's own
        self._background = background
        self._label = f"'{name}' ({spec})" if name else f"'{spec}'"
        self._start_capture(f"camera {spec}")

    def set_background(self, stage: BackgroundStage) -> None:
        """Put the pictures through ``stage`` from the next one on."""
        self._background = stage

    @property
    def send_scale(self) -> float:
        """The share of the captured width and height that goes out now."""
        return self._send_scale

    async def recv(self) -> av.VideoFrame:
        frame = await super().recv()
        self.frames_taken += 1
        rule = self._send_scale_rule
        if rule is not None:
            change = rule.observe(time.monotonic(), self.frames_captured, self.frames_taken)
            if change is not None and change.scale < self._send_scale:
                # the background effect gives up model runs too: the next window may then
                # keep up without shrinking further
                stage = self._background
                if stage is not None:
                    stage.relieve()
            if change is not None:
                self._send_scale = change.scale
                logger.info(
                    "camera %s now sends %d%% of its size: %.0f%% of pictures went unsent",
                    self._label,
                    round(change.scale * 100),
                    change.skipped_share * 100,
                )
        return frame

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
                    source.url, format=source.format, options=options, timeout=READ_TIMEOUT_S
                )
            except (av.FFmpegError, OSError, ValueError) as exc:
                reason = error_reason(exc)
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
                f" (none for {READ_TIMEOUT_S:.0f} s)"
            ) from None
        except StopIteration:
            raise CameraError(
                f"the camera {self._label} stopped delivering pictures (disconnected or ended)"
            ) from None
        except (av.FFmpegError, OSError) as exc:
            raise CameraError(
                f"the camera {self._label} stopped delivering pictures: {error_reason(exc)}"
            ) from None

    def _outgoing(self, frame: av.VideoFrame) -> av.VideoFrame:
        scaled = self._scaled(frame)
        # the effect blends at the sent size: cheaper while the computer is short of CPU
        return self._background.apply(scaled) if self._background is not None else scaled

    def _shown(self, captured: av.VideoFrame, outgoing: av.VideoFrame) -> av.VideoFrame:
        stage = self._background
        return outgoing if stage is not None and stage.choice.is_on else captured

    def _scaled(self, frame: av.VideoFrame) -> av.VideoFrame:
        scale = self._send_scale
        if scale == 1.0:
            return frame
        box = (int(frame.width * scale), int(frame.height * scale))
        width, height = fit_within(frame.width, frame.height, box)
        outgoing = self._scaler.reformat(frame, width=width, height=height)
        outgoing.pts, outgoing.time_base = frame.pts, frame.time_base
        return outgoing

    def _fit(self, frame: av.VideoFrame) -> av.VideoFrame:
        """Scales down (never up) to fit the requested size, keeping the aspect ratio."""
        if frame.width <= self.width and frame.height <= self.height:
            return frame
        width, height = fit_within(frame.width, frame.height, (self.width, self.height))
        return frame.reformat(width=width, height=height)
