"""This computer's camera, microphone and speaker for the app, as the UI's LocalMedia."""

from __future__ import annotations

import contextlib
import logging
import os
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

import av
from aiortc import MediaStreamTrack

from client.media import devices, portaudio
from client.media.camera import CameraTrack
from client.media.microphone import MicrophoneTrack
from client.media.playout import AudioPlayout
from client.media.processing import AudioProcessor
from client.media.pulse_devices import PREFIX as PULSE_PREFIX
from client.media.pulse_devices import list_pulse_devices, route_to
from client.media.screen import ShareSource, list_sources
from client.media.screen_track import ScreenTrack, grab_thumbnail
from client.settings import SettingsStore

if TYPE_CHECKING:  # OpenCV and the model load when an effect is first chosen
    from client.media.background.choice import BackgroundChoice
    from client.media.background.stage import BackgroundStage

logger = logging.getLogger(__name__)

Choices = list[tuple[str, str]]


def _index_of(name: str, candidates: list[devices.AudioDevice]) -> int | None:
    """Devices are stored by name: PortAudio's indices change when devices come and go."""
    for device in candidates:
        if device.name == name:
            return device.index
    return None


def _named(kind: Literal["input", "output"]) -> Choices:
    """The sound server's devices by the names the desktop shows; [] without a server."""
    found = list_pulse_devices(kind) or []
    return [(device.description, f"{PULSE_PREFIX}{device.name}") for device in found]


def _chosen(
    kind: Literal["input", "output"], setting: str, candidates: list[devices.AudioDevice]
) -> tuple[int | None, str | None]:
    """PortAudio's device index (None: its default) and a label, for the stored choice."""
    if route_to(kind, setting):  # a sound server's device: through ALSA's pulse device
        return _index_of("pulse", candidates), setting.removeprefix(PULSE_PREFIX)
    return (_index_of(setting, candidates) if setting else None), setting or None


class DesktopMedia:
    """Opens the devices chosen in the settings; every failure becomes one sentence."""

    def __init__(self, settings: SettingsStore) -> None:
        self._settings = settings
        self._processor: AudioProcessor | bool | None = False  # False: not created yet
        self._background: BackgroundStage | None = None  # every camera opened shares it
        self._camera: weakref.ref[CameraTrack] | None = None

    def _shared_processor(self) -> AudioProcessor | None:
        # One echo canceller for microphone and speaker, so it knows what is being played.
        if self._processor is False:
            self._processor = AudioProcessor.create()
        return self._processor if isinstance(self._processor, AudioProcessor) else None

    def warm_up(self) -> None:
        """Load the audio libraries ahead of the first meeting (runs on a worker thread).

        PortAudio and the echo canceller load on first use, which would otherwise add a
        quarter of a second to joining from a clicked link.
        """
        portaudio.load()
        # A missing echo canceller is said once, when a meeting asks for it.
        with contextlib.suppress(ImportError, OSError):
            import livekit.rtc  # type: ignore[import-not-found, unused-ignore]  # noqa: F401

    def cameras(self) -> Choices:
        return [(camera.name, camera.spec) for camera in devices.list_cameras()]

    def microphones(self) -> Choices:
        return _named("input") or [(d.name, d.name) for d in devices.list_microphones()]

    def speakers(self) -> Choices:
        return _named("output") or [(d.name, d.name) for d in devices.list_speakers()]

    def open_camera(
        self, on_error: Callable[[str], None], on_frame: Callable[[av.VideoFrame], None]
    ) -> MediaStreamTrack | None:
        chosen = self._settings.load()
        spec = chosen.camera
        if not spec:
            found = devices.list_cameras()
            if not found:
                return None  # the caller tells the user: no camera
            spec = found[0].spec
        camera = CameraTrack(
            spec,
            width=chosen.video_width,
            height=chosen.video_height,
            fps=chosen.video_fps,
            adapt_to_cpu=chosen.adapt_camera_to_cpu,
            on_error=on_error,
            background=self._background,
        )
        camera.add_frame_listener(on_frame)
        self._camera = weakref.ref(camera)
        return camera

    def set_background(
        self, choice: BackgroundChoice, on_turned_off: Callable[[str], None]
    ) -> None:
        """The camera's background effect from now on, also for the open camera.

        Raises BackgroundPictureError (the picture cannot be read) or SegmenterError.
        ``on_turned_off`` hears (on the capture thread) when the effect had to stop itself.
        """
        # the kind only: the path of the user's own picture stays out of the log
        logger.info("camera background effect: %s", choice.kind.value)
        if self._background is None:
            if not choice.is_on:
                return  # no effect yet, none wanted: OpenCV need not load
            from client.media.background.stage import BackgroundStage

            fps = self._settings.load().video_fps
            self._background = BackgroundStage(choice, fps=fps, on_turned_off=on_turned_off)
            camera = self._camera() if self._camera is not None else None
            if camera is not None:
                camera.set_background(self._background)
            return
        self._background.set_choice(choice)

    def open_microphone(self, on_error: Callable[[str], None]) -> MediaStreamTrack | None:
        index, name = self._chosen_microphone()
        return MicrophoneTrack(
            index, name=name, on_error=on_error, processor=self._shared_processor()
        )

    def open_playout(self, on_error: Callable[[str], None]) -> AudioPlayout:
        index, name = self._chosen_speakers()
        return AudioPlayout(index, name=name, on_error=on_error, processor=self._shared_processor())

    def reopen_audio(self, microphone: MediaStreamTrack | None, playout: object) -> None:
        """Open the chosen microphone and speakers again, looking for devices anew (one
        that came back, or was plugged in); the tracks stay, so the meeting goes on."""
        if isinstance(microphone, MicrophoneTrack):
            microphone.close_device()
        if isinstance(playout, AudioPlayout):
            playout.close_device()
        devices.rescan_audio_devices()  # PortAudio lists devices only while none is open
        if isinstance(microphone, MicrophoneTrack):
            microphone.open_device(*self._chosen_microphone())
        if isinstance(playout, AudioPlayout):
            playout.open_device(*self._chosen_speakers())

    def _chosen_microphone(self) -> tuple[int | None, str | None]:
        return _chosen("input", self._settings.load().microphone, devices.list_microphones())

    def _chosen_speakers(self) -> tuple[int | None, str | None]:
        return _chosen("output", self._settings.load().speaker, devices.list_speakers())

    def share_sources(self) -> list[ShareSource]:
        """Screens and other applications' windows; raises ScreenCaptureError (e.g. Wayland)."""
        return list_sources(exclude_pid=os.getpid())

    def share_thumbnail(self, source: ShareSource, width: int, height: int) -> av.VideoFrame:
        return grab_thumbnail(source, (width, height))

    def open_screen(self, source: ShareSource, on_error: Callable[[str], None]) -> MediaStreamTrack:
        return ScreenTrack(source, on_error=on_error)

    def set_microphone_muted(self, track: MediaStreamTrack, muted: bool) -> None:
        if isinstance(track, MicrophoneTrack):
            track.muted = muted

    def microphone_level(self, track: MediaStreamTrack) -> float:
        return track.level_dbfs if isinstance(track, MicrophoneTrack) else -100.0

    def playout_report(self, playout: object) -> str:
        if not isinstance(playout, AudioPlayout):
            return ""
        stats = playout.stats()
        lines = [
            f"frames played: {stats.frames_played}",
            f"device underflows: {stats.output_underflows}",
            f"output latency: {stats.latency_ms:.0f} ms",
        ]
        if stats.error:
            lines.append(f"error: {stats.error}")
        for source in stats.sources:
            lines.append(str(source))
        for key, held_ms in stats.picture_holds_ms:
            lines.append(f"{key}: pictures held {held_ms:.0f} ms to meet the sound (lip sync)")
        return "\n".join(lines)
