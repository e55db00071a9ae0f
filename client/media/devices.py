"""Lists the cameras, microphones and speakers this computer has, per platform."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import re
import struct
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import av
import av.logging

from client import compat
from client.media import portaudio

logger = logging.getLogger(__name__)

# struct v4l2_capability: driver[16] card[32] bus_info[32] version capabilities device_caps res[3]
_V4L2_CAPABILITY = struct.Struct("16s32s32sIII12x")
_VIDIOC_QUERYCAP = 0x80685600  # _IOR('V', 0, struct v4l2_capability)
_V4L2_CAP_VIDEO_CAPTURE = 0x00000001
_V4L2_CAP_VIDEO_CAPTURE_MPLANE = 0x00001000
_V4L2_CAP_DEVICE_CAPS = 0x80000000

_DSHOW_HEADER = re.compile(r"DirectShow (video|audio) devices")
_DSHOW_DEVICE = re.compile(r'^\s*"(?P<name>[^"]+)"\s*(?:\((?P<kind>video|audio|none)\))?\s*$')
_AVF_HEADER = re.compile(r"AVFoundation (video|audio) devices")
_AVF_DEVICE = re.compile(r"^\s*\[(?P<index>\d+)\]\s+(?P<name>.+?)\s*$")


@dataclass(frozen=True)
class Camera:
    """A camera; ``spec`` is what :class:`client.media.camera.CameraTrack` opens."""

    spec: str
    name: str


@dataclass(frozen=True)
class AudioDevice:
    """A PortAudio device: ``index`` is what sounddevice streams take as ``device``."""

    index: int
    name: str
    host_api: str
    channels: int
    default: bool
    default_samplerate: float


# --- cameras -----------------------------------------------------------------------------------


def list_cameras() -> list[Camera]:
    """The cameras of this computer; an empty list (and one log line) when none can be listed."""
    lister = _CAMERA_LISTERS.get(sys.platform)
    if lister is None:
        logger.info("cameras cannot be listed on %s", sys.platform)
        return []
    try:
        return lister()
    except (OSError, av.FFmpegError) as exc:
        logger.warning("cameras cannot be listed: %s", exc)
        return []


def linux_cameras(
    sysfs: Path = Path("/sys/class/video4linux"), dev: Path = Path("/dev")
) -> list[Camera]:
    """V4L2 capture nodes, named by sysfs; metadata and output nodes are left out."""
    nodes = {path.name for path in dev.glob("video*")}
    if sysfs.is_dir():
        nodes.update(path.name for path in sysfs.glob("video*"))
    cameras = []
    for node in sorted(nodes, key=_node_number):
        path = dev / node
        if _is_capture_node(path, sysfs / node):
            cameras.append(Camera(spec=str(path), name=_sysfs_name(sysfs / node) or str(path)))
    if not cameras:
        logger.info("no camera found (no V4L2 capture device under %s)", dev)
    return cameras


def _node_number(node: str) -> int:
    digits = node.removeprefix("video")
    return int(digits) if digits.isdigit() else 1 << 30


def _sysfs_name(entry: Path) -> str | None:
    try:
        return (entry / "name").read_text(encoding="utf-8", errors="replace").strip() or None
    except OSError:
        return None


def _is_capture_node(path: Path, entry: Path) -> bool:
    capable = _query_capture_capability(path)
    if capable is not None:
        return capable
    # Cannot ask the driver (no permission, not a device): UVC cameras put the picture on
    # the node with index 0 and metadata on index 1.
    try:
        return (entry / "index").read_text(encoding="ascii").strip() == "0"
    except (OSError, UnicodeDecodeError):
        return path.exists()


def _query_capture_capability(path: Path) -> bool | None:
    """Asks the driver (VIDIOC_QUERYCAP); None when it cannot be asked."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        buffer = bytearray(_V4L2_CAPABILITY.size)
        fcntl.ioctl(fd, _VIDIOC_QUERYCAP, buffer)
    except OSError as exc:
        if exc.errno not in (errno.ENOTTY, errno.EINVAL):
            logger.debug("cannot query %s: %s", path, exc)
        return None
    finally:
        os.close(fd)
    _, _, _, _, capabilities, device_caps = _V4L2_CAPABILITY.unpack(buffer)
    caps = device_caps if capabilities & _V4L2_CAP_DEVICE_CAPS else capabilities
    return bool(caps & (_V4L2_CAP_VIDEO_CAPTURE | _V4L2_CAP_VIDEO_CAPTURE_MPLANE))


def dshow_cameras() -> list[Camera]:
    """DirectShow cameras, from ffmpeg's ``list_devices`` log (Windows)."""
    lines = _ffmpeg_device_list("dshow", "dummy")
    return [Camera(spec=f"video={name}", name=name) for name in parse_dshow_devices(lines, "video")]


def avfoundation_cameras() -> list[Camera]:
    """AVFoundation cameras (macOS); screens, which it lists as cameras too, are left out."""
    lines = _ffmpeg_device_list("avfoundation", "")
    return [
        Camera(spec=f"avfoundation:{name}", name=name)
        for name in parse_avfoundation_devices(lines, "video")
        if not name.startswith("Capture screen")
    ]


def _ffmpeg_device_list(fmt: str, url: str) -> list[str]:
    """What ffmpeg logs when asked to list a device input's devices."""
    previous = av.logging.get_level()
    av.logging.set_level(av.logging.INFO)  # the list is logged at INFO
    try:
        # ffmpeg "fails" on purpose after logging the list
        with av.logging.Capture() as logs, contextlib.suppress(av.FFmpegError):
            av.open(url, format=fmt, options={"list_devices": "true"})
    finally:
        av.logging.set_level(previous)
    return [message for _, _, message in logs]


_CAMERA_LISTERS: dict[str, Callable[[], list[Camera]]] = {
    "linux": linux_cameras,
    "win32": dshow_cameras,
    "darwin": avfoundation_cameras,
}


def parse_dshow_devices(lines: Iterable[str], kind: Literal["video", "audio"]) -> list[str]:
    """Device names of one kind; both the old (header) and new (``(video)``) log forms."""
    names: list[str] = []
    section: str | None = None
    for line in lines:
        header = _DSHOW_HEADER.search(line)
        if header:
            section = header.group(1)
            continue
        match = _DSHOW_DEVICE.match(line)
        if match is None:
            continue
        device_kind = match.group("kind") or section
        if device_kind == kind and match.group("name") not in names:
            names.append(match.group("name"))
    return names


def parse_avfoundation_devices(lines: Iterable[str], kind: Literal["video", "audio"]) -> list[str]:
    names: list[str] = []
    section: str | None = None
    for line in lines:
        header = _AVF_HEADER.search(line)
        if header:
            section = header.group(1)
            continue
        match = _AVF_DEVICE.match(line)
        if match and section == kind:
            names.append(match.group("name"))
    return names


# --- microphones and speakers ------------------------------------------------------------------


def list_microphones() -> list[AudioDevice]:
    """Capture devices PortAudio offers; an empty list (and one log line) when there are none."""
    return _audio_devices("input")


def list_speakers() -> list[AudioDevice]:
    """Playback devices PortAudio offers; an empty list (and one log line) when there are none."""
    return _audio_devices("output")


def rescan_audio_devices() -> bool:
    """Makes PortAudio look for devices again (plugged in, or a sound server that started).

    PortAudio lists devices once, when it starts: this restarts it. Only call it while no
    microphone or playout stream is open. False when PortAudio is not available.
    """
    sd = portaudio.load()
    if sd is None:
        return False
    try:
        compat.restart_portaudio(sd)
    except (OSError, sd.PortAudioError) as exc:
        logger.warning("sound devices cannot be scanned again: %s", exc)
        return False
    return True


def _audio_devices(kind: Literal["input", "output"]) -> list[AudioDevice]:
    label = "microphones" if kind == "input" else "speakers"
    sd = portaudio.load()
    if sd is None:
        return []
    try:
        raw: list[dict[str, Any]] = list(sd.query_devices())
        host_apis = [str(api["name"]) for api in sd.query_hostapis()]
        default = _default_index(sd, kind)
    except (OSError, sd.PortAudioError) as exc:
        logger.warning("%s cannot be listed: %s", label, exc)
        return []
    channels_key = f"max_{kind}_channels"
    devices = [
        AudioDevice(
            index=int(info["index"]),
            name=str(info["name"]),
            host_api=host_apis[int(info["hostapi"])],
            channels=int(info[channels_key]),
            default=int(info["index"]) == default,
            default_samplerate=float(info["default_samplerate"]),
        )
        for info in raw
        if int(info[channels_key]) > 0
    ]
    if not devices:
        logger.info("no %s found (PortAudio lists none)", label)
    return devices


def _default_index(sd: ModuleType, kind: Literal["input", "output"]) -> int:
    try:
        return int(sd.query_devices(kind=kind)["index"])
    except sd.PortAudioError:
        return -1  # PortAudio has no default of this kind
