"""Media sources named on the command line: test signals, files and capture devices."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import av
from aiortc import MediaStreamTrack
from aiortc.contrib.media import MediaPlayer

from client.media import player_decoding
from client.media.catch_up import CatchingUpTrack
from client.media.keyframes import CapturedVideoTrack
from client.media.looped import LoopedVideoFile
from client.media.still_image import StillImageError, StillImageTrack, is_still_image

_TESTSRC = re.compile(r"^testsrc(?::(\d{2,4})x(\d{2,4})(?:@(\d{1,2}))?)?$")
_COLOR = re.compile(r"^color:([0-9a-fA-F]{6})$")
_SINE = re.compile(r"^sine(?::(\d{2,5}))?$")

# Test pictures made in the format the encoders take: otherwise each one is converted with
# PyAV's frame.reformat(), whose fresh scaler starts and stops a thread per core every time.
_ENCODER_FORMAT = ",format=yuv420p"

# Headless bots default to a small picture: several run side by side on one machine.
DEFAULT_TEST_SIZE = (320, 240)
DEFAULT_TEST_FPS = 15


class SourceError(ValueError):
    """A source that cannot be opened; the message names it and why."""


@dataclass
class OpenedSource:
    track: MediaStreamTrack

    def stop(self) -> None:
        self.track.stop()


def _open(
    file: str, fmt: str | None, kind: str, loop: bool = False, device: bool = False
) -> OpenedSource:
    player_decoding.install()  # one decoder per pass, not one (never freed) per frame
    try:
        # Looped video is paced by LoopedVideoFile: aiortc's own loop floods from pass two.
        player = MediaPlayer(file, format=fmt, loop=loop and kind == "audio")
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise SourceError(f"cannot open {kind} source {file!r}: {exc}") from None
    track: MediaStreamTrack | None = player.video if kind == "video" else player.audio
    if track is None:
        raise SourceError(f"{file!r} contains no {kind}")
    if kind == "video" and loop:
        track = LoopedVideoFile(file, player)  # each pass catches up by itself
    elif not device:
        # Files and test signals are read ahead of time; a device delivers as it captures.
        track = CatchingUpTrack(track)
    if kind == "video":
        track = CapturedVideoTrack(track)
    return OpenedSource(track)


def open_video_source(spec: str) -> OpenedSource | None:
    """``none``, ``testsrc[:WxH[@FPS]]``, ``color:RRGGBB``, a video or picture file (a
    picture is sent as a camera that never moves), or a camera."""
    if spec == "none":
        return None
    color = _COLOR.match(spec)
    if color:
        width, height = DEFAULT_TEST_SIZE
        graph = f"color=c=0x{color.group(1)}:size={width}x{height}:rate={DEFAULT_TEST_FPS}"
        return _open(graph + _ENCODER_FORMAT, "lavfi", "video")
    match = _TESTSRC.match(spec)
    if match:
        width = int(match.group(1) or DEFAULT_TEST_SIZE[0])
        height = int(match.group(2) or DEFAULT_TEST_SIZE[1])
        fps = int(match.group(3) or DEFAULT_TEST_FPS)
        graph = f"testsrc=size={width}x{height}:rate={fps}{_ENCODER_FORMAT}"
        opened = _open(graph, "lavfi", "video")
        if isinstance(opened.track, CapturedVideoTrack):
            # it says its size like a camera, so a tall one is sent in layers like one
            opened.track.width, opened.track.height = width, height
        return opened
    if spec.startswith("/dev/video") or (sys.platform == "linux" and spec.startswith("v4l2:")):
        return _open(spec.removeprefix("v4l2:"), "v4l2", "video", device=True)
    if sys.platform == "win32" and spec.startswith("video="):
        return _open(spec, "dshow", "video", device=True)
    if Path(spec).is_file() and is_still_image(spec):
        try:
            return OpenedSource(CapturedVideoTrack(StillImageTrack(spec)))
        except StillImageError as exc:
            raise SourceError(str(exc)) from None
    if Path(spec).is_file():
        return _open(spec, None, "video", loop=True)
    raise SourceError(
        f"video source {spec!r} is neither none, testsrc, color:RRGGBB, an existing file "
        "nor a camera device"
    )


def open_audio_source(spec: str) -> OpenedSource | None:
    """``none``, ``sine[:HZ]``, an audio file, or an ALSA device (``alsa:NAME``)."""
    if spec == "none":
        return None
    match = _SINE.match(spec)
    if match:
        frequency = int(match.group(1) or 440)
        return _open(f"sine=frequency={frequency}:sample_rate=48000", "lavfi", "audio")
    if spec.startswith("alsa:"):
        return _open(spec.removeprefix("alsa:"), "alsa", "audio", device=True)
    if sys.platform == "win32" and spec.startswith("audio="):
        return _open(spec, "dshow", "audio", device=True)
    if Path(spec).is_file():
        return _open(spec, None, "audio", loop=True)
    raise SourceError(
        f"audio source {spec!r} is neither none, sine, an existing file nor alsa:DEVICE"
    )
