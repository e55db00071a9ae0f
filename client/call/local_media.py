"""This computer's camera, microphone and speakers for a meeting: opened, switched, closed.

Qt-free. The desktop window drives it from its own thread; closing a camera waits for its
capture thread, so that happens on a worker thread of its own and never holds the window up.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

import av
from aiortc import MediaStreamTrack

from client.media.screen import ShareSource
from client.media.switchable import SwitchableVideoTrack
from client.protocol.messages import MediaState

logger = logging.getLogger(__name__)

Choices = list[tuple[str, str]]  # (label shown, device value)
FrameListener = Callable[[av.VideoFrame], None]
ProblemListener = Callable[[str], None]


class Playout(Protocol):
    def add_source(self, key: str, track: MediaStreamTrack) -> None: ...
    def remove_source(self, key: str) -> None: ...
    async def close(self) -> None: ...


class LocalMedia(Protocol):
    """This computer's devices; failures are reported through ``on_error``, never raised."""

    def cameras(self) -> Choices: ...
    def microphones(self) -> Choices: ...
    def speakers(self) -> Choices: ...
    def open_camera(
        self, on_error: ProblemListener, on_frame: FrameListener
    ) -> MediaStreamTrack | None: ...
    def open_microphone(self, on_error: ProblemListener) -> MediaStreamTrack | None: ...
    def open_playout(self, on_error: ProblemListener) -> Playout | None: ...
    def set_microphone_muted(self, track: MediaStreamTrack, muted: bool) -> None: ...
    def microphone_level(self, track: MediaStreamTrack) -> float: ...
    def playout_report(self, playout: Playout) -> str: ...
    def share_sources(self) -> list[ShareSource]: ...
    def share_thumbnail(self, source: ShareSource, width: int, height: int) -> av.VideoFrame: ...
    def open_screen(self, source: ShareSource, on_error: ProblemListener) -> MediaStreamTrack: ...


class LocalDevices:
    """The devices one meeting (and its pre-join) uses, and whether each is switched on.

    ``video`` is what we publish: the camera behind it is opened and closed as it is
    switched, so the peer connection keeps one track. Camera opening and closing run in
    order on one worker thread.
    """

    def __init__(
        self, media: LocalMedia, on_problem: ProblemListener, on_frame: FrameListener
    ) -> None:
        self._media = media
        self._on_problem = on_problem
        self._on_frame = on_frame
        self.video = SwitchableVideoTrack()
        self.microphone: MediaStreamTrack | None = None
        self.playout: Playout | None = None
        self._camera: MediaStreamTrack | None = None  # owned by the camera worker
        self._camera_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="runde-camera")
        self.is_open = False
        self.microphone_on = True
        self.camera_on = True

    def open(self) -> None:
        """Open what is switched on (kept open from the pre-join into the meeting)."""
        self.is_open = True
        if self.microphone is None:
            self.microphone = self._media.open_microphone(self._on_problem)
        if self.playout is None:
            self.playout = self._media.open_playout(self._on_problem)
        self.set_microphone(self.microphone_on)
        self.set_camera(self.camera_on)

    def set_microphone(self, on: bool) -> None:
        self.microphone_on = on
        if self.microphone is not None:
            self._media.set_microphone_muted(self.microphone, not on)

    def set_camera(self, on: bool) -> None:
        """Off closes the camera (its light goes out); on opens it again."""
        self.camera_on = on
        self._camera_worker.submit(self._switch_camera, on and self.is_open)

    def _switch_camera(self, on: bool) -> None:
        if not on and self._camera is not None:
            camera, self._camera = self._camera, None
            self.video.set_source(None)
            camera.stop()
        elif on and self._camera is None:
            self._camera = self._media.open_camera(self._on_problem, self._on_frame)
            self.video.set_source(self._camera)

    def tracks(self) -> list[MediaStreamTrack]:
        """What we publish; the same tracks again after a reconnect (the devices stay open)."""
        tracks: list[MediaStreamTrack] = [self.video]
        if self.microphone is not None:
            tracks.insert(0, self.microphone)
        return tracks

    def media_state(self) -> MediaState:
        return MediaState(
            audio=self.microphone_on and self.microphone is not None,
            video=self.camera_on and self.is_open,
        )

    def microphone_level(self) -> float:
        if self.microphone is None or not self.microphone_on:
            return -100.0
        return self._media.microphone_level(self.microphone)

    def camera_send_scale(self) -> float | None:
        """The share of the camera's size that goes out (None: no camera is open)."""
        camera = self._camera
        if camera is None:
            return None
        return float(getattr(camera, "send_scale", 1.0))

    def audio_report(self) -> str | None:
        return self._media.playout_report(self.playout) if self.playout is not None else None

    async def close(
        self, run_playout_close: Callable[[Coroutine[Any, Any, None]], Awaitable[None]]
    ) -> None:
        """Close every device; ``run_playout_close`` awaits on the loop the speakers run on."""
        self.is_open = False
        microphone, self.microphone = self.microphone, None
        if microphone is not None:
            microphone.stop()
        self._camera_worker.submit(self._switch_camera, False)
        if self.playout is not None:
            playout, self.playout = self.playout, None
            await run_playout_close(playout.close())
