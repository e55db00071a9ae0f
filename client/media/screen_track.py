"""A shared screen or window as an aiortc video track: PyAV grabs in a thread at a low rate.

Linux X11 uses ``x11grab`` (a window by its id, so it follows the window), Windows ``gdigrab``
(a window by its title). Pictures are scaled down, never up, to fit 1920x1080 keeping their
shape: text must stay readable, so the rate is low (5-15 fps) and the size high.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass

import av

from client.media.capture_track import (
    READ_TIMEOUT_S,
    CaptureTrack,
    error_reason,
    first_picture,
    fit_within,
)
from client.media.failure import ErrorCallback
from client.media.screen import ScreenCaptureError, ShareSource, SourceKind

MAX_WIDTH, MAX_HEIGHT = 1920, 1080
MIN_FPS, MAX_FPS = 5, 15
DEFAULT_FPS = 10


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


class ScreenTrack(CaptureTrack):
    """Pictures of one screen or window, at most 1920x1080 and ``fps`` (5-15) a second.

    Capture starts at once in a thread of its own. When the source goes away (a window is
    closed, the display ends) ``on_error`` gets one sentence from that thread and the track
    ends: the receivers see the stream end rather than a frozen or black picture.
    """

    def __init__(
        self,
        source: ShareSource,
        *,
        fps: int = DEFAULT_FPS,
        max_size: tuple[int, int] = (MAX_WIDTH, MAX_HEIGHT),
        on_error: ErrorCallback | None = None,
    ) -> None:
        super().__init__("screen", on_error)
        self.source = source
        self.fps = max(MIN_FPS, min(MAX_FPS, fps))
        self.max_size = max_size
        self._start_capture("screen capture")

    # --- capture thread ----------------------------------------------------------------------

    def _run(self) -> None:
        grab = grab_spec(self.source, self.fps)
        try:
            container = av.open(
                grab.url, format=grab.format, options=grab.options, timeout=READ_TIMEOUT_S
            )
        except (av.FFmpegError, OSError, ValueError) as exc:
            self._fail(f"'{self.source.title}' cannot be shared: {error_reason(exc)}")
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
                f"'{self.source.title}' is no longer shared: {error_reason(exc)}"
            ) from None


def grab_thumbnail(source: ShareSource, size: tuple[int, int]) -> av.VideoFrame:
    """One picture of ``source`` scaled into ``size``, as BGRA (for a picker's preview)."""
    grab = grab_spec(source, MIN_FPS)
    try:
        with av.open(
            grab.url, format=grab.format, options=grab.options, timeout=READ_TIMEOUT_S
        ) as container:
            frame = first_picture(container)
    except (av.FFmpegError, OSError, ValueError, StopIteration) as exc:
        raise ScreenCaptureError(f"'{source.title}' cannot be shown: {error_reason(exc)}") from None
    width, height = fit_within(frame.width, frame.height, size)
    return frame.reformat(width=width, height=height, format="bgra")
