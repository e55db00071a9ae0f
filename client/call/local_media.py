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

from client.call.device_problems import DeviceKind, DeviceListener, DeviceProblem, DeviceTrouble
from client.media.lip_sync import AvSync
from client.media.screen import ShareSource
from client.media.switchable import SwitchableVideoTrack
from client.protocol.messages import MediaState

logger = logging.getLogger(__name__)

Choices = list[tuple[str, str]]  # (label shown, device value)
FrameListener = Callable[[av.VideoFrame], None]
ProblemListener = Callable[[str], None]


class Playout(Protocol):
    def add_source(self, key: str, track: MediaStreamTrack) -> None: ...
    def sync_for(self, key: str) -> AvSync: ...
    def remove_source(self, key: str) -> None: ...
    async def close(self) -> None: ...


class LocalMedia(Protocol):
    """This computer's devices; failures are reported through ``on_error``, never raised."""

    def cameras(self) -> Choices: ...
    def microphones(self) -> Choices: ...
    def speakers(self) -> Choices: ...
    def open_camera(
        self, on_error: ProblemListener, on_frame: FrameListener
    ) -> MediaStreamTrack | None:
        """``None``: this computer has no camera."""
        ...

    def open_microphone(self, on_error: ProblemListener) -> MediaStreamTrack | None: ...
    def open_playout(self, on_error: ProblemListener) -> Playout | None: ...
    def reopen_audio(
        self, microphone: MediaStreamTrack | None, playout: Playout | None
    ) -> None: ...
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
    order on one worker thread. A device that is missing or fails is in ``problems`` (and
    told to ``on_device``); what we tell the others (``media_state``) leaves it out.
    """

    def __init__(
        self, media: LocalMedia, on_device: DeviceListener, on_frame: FrameListener
    ) -> None:
        self._media = media
        self._on_device = on_device
        self._on_frame = on_frame
        self.problems: dict[DeviceKind, DeviceProblem] = {}
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
            self._check_found(DeviceKind.MICROPHONE, bool(self._media.microphones()))
            self.microphone = self._media.open_microphone(self._failed(DeviceKind.MICROPHONE))
        if self.playout is None:
            self._check_found(DeviceKind.SPEAKERS, bool(self._media.speakers()))
            self.playout = self._media.open_playout(self._failed(DeviceKind.SPEAKERS))
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
            self._clear(DeviceKind.CAMERA)  # switched on again: a new attempt
            self._camera = self._media.open_camera(self._failed(DeviceKind.CAMERA), self._on_frame)
            self._check_found(DeviceKind.CAMERA, self._camera is not None)
            self.video.set_source(self._camera)

    # ---- devices that fail, and come back ---------------------------------------------

    def choices(self, kind: DeviceKind) -> Choices:
        """The devices of ``kind`` this computer has: (label, value for the settings)."""
        match kind:
            case DeviceKind.MICROPHONE:
                return self._media.microphones()
            case DeviceKind.CAMERA:
                return self._media.cameras()
            case DeviceKind.SPEAKERS:
                return self._media.speakers()

    def retry(self) -> None:
        """Open the chosen devices again (after a failure, or another device was chosen).

        The microphone and speakers are reopened in place; the camera closes and opens."""
        for kind in (DeviceKind.MICROPHONE, DeviceKind.SPEAKERS):
            self._clear(kind)
        if self.is_open:
            self._media.reopen_audio(self.microphone, self.playout)
            self._check_found(DeviceKind.MICROPHONE, bool(self._media.microphones()))
            self._check_found(DeviceKind.SPEAKERS, bool(self._media.speakers()))
        self._camera_worker.submit(self._switch_camera, False)
        self.set_camera(self.camera_on)

    def _failed(self, kind: DeviceKind) -> ProblemListener:
        def failed(detail: str) -> None:  # any thread: audio callbacks, capture threads
            if kind not in self.problems:
                self._report(DeviceProblem(kind, DeviceTrouble.FAILED, detail))

        return failed

    def _check_found(self, kind: DeviceKind, found: bool) -> None:
        if not found:
            self._report(DeviceProblem(kind, DeviceTrouble.NOT_FOUND, f"no {kind.value} found"))

    def _report(self, problem: DeviceProblem) -> None:
        self.problems[problem.kind] = problem
        logger.warning("%s: %s", problem.kind.value, problem.detail)
        self._on_device(problem.kind, problem)

    def _clear(self, kind: DeviceKind) -> None:
        if self.problems.pop(kind, None) is not None:
            self._on_device(kind, None)

    def tracks(self) -> list[MediaStreamTrack]:
        """What we publish; the same tracks again after a reconnect (the devices stay open)."""
        tracks: list[MediaStreamTrack] = [self.video]
        if self.microphone is not None:
            tracks.insert(0, self.microphone)
        return tracks

    def media_state(self) -> MediaState:
        return MediaState(
            audio=self.microphone_on
            and self.microphone is not None
            and DeviceKind.MICROPHONE not in self.problems,
            video=self.camera_on and self.is_open and DeviceKind.CAMERA not in self.problems,
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
        for kind in list(self.problems):  # closed devices have no problems to show
            self._clear(kind)
        microphone, self.microphone = self.microphone, None
        if microphone is not None:
            microphone.stop()
        self._camera_worker.submit(self._switch_camera, False)
        if self.playout is not None:
            playout, self.playout = self.playout, None
            await run_playout_close(playout.close())
