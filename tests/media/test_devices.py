"""Device lists: the sound server's devices, empty lists (no exception) without any."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from client.media import devices
from client.media.devices import (
    Camera,
    linux_cameras,
    parse_avfoundation_devices,
    parse_dshow_devices,
)
from tests.audio import PulseServer

LIST_AUDIO = (
    "import json, logging, sys\n"
    "logging.basicConfig(level=logging.INFO, stream=sys.stderr, format='%(name)s: %(message)s')\n"
    "{prelude}\n"
    "from client.media.devices import list_microphones, list_speakers\n"
    "print(json.dumps([len(list_microphones()), len(list_speakers())]))\n"
)


def test_the_sound_servers_devices_are_listed(pulse: PulseServer) -> None:
    microphones = devices.list_microphones()
    speakers = devices.list_speakers()
    assert "pulse" in [m.name for m in microphones]
    assert "pulse" in [s.name for s in speakers]
    default_mic = [m for m in microphones if m.default]
    assert len(default_mic) == 1 and default_mic[0].host_api == "ALSA"
    assert all(m.channels > 0 and m.default_samplerate > 0 for m in microphones + speakers)
    assert sum(s.default for s in speakers) == 1


def run_listing(prelude: str, tmp_path: Path) -> tuple[list[int], str]:
    """Lists audio devices in a fresh process that can reach no sound server."""
    env = {
        **os.environ,
        "PULSE_SERVER": f"unix:{tmp_path}/no-such-server",
        "HOME": str(tmp_path),
        "XDG_RUNTIME_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", LIST_AUDIO.format(prelude=prelude)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout), result.stderr


def test_no_sound_devices_give_empty_lists(tmp_path: Path) -> None:
    if list(Path("/dev/snd").glob("pcm*")):
        pytest.skip("this computer has a sound card, which PortAudio always lists")
    counts, log = run_listing("", tmp_path)
    assert counts == [0, 0]
    assert "client.media.devices: no microphones found (PortAudio lists none)" in log
    assert "client.media.devices: no speakers found (PortAudio lists none)" in log


def test_missing_portaudio_gives_empty_lists(tmp_path: Path) -> None:
    # sounddevice raises OSError when libportaudio is absent; an absent module stands in
    counts, log = run_listing("sys.modules['sounddevice'] = None", tmp_path)
    assert counts == [0, 0]
    assert "sound devices are unavailable, PortAudio cannot be loaded" in log


def fake_v4l2(tmp_path: Path, nodes: dict[int, tuple[str, str | None]]) -> tuple[Path, Path]:
    """A sysfs and /dev stand-in: this machine has no camera and cannot load v4l2loopback,
    so the listing's file layout is rebuilt here; asking the driver (VIDIOC_QUERYCAP) is then
    impossible and the sysfs ``index`` decides, as it does without permission on the device."""
    sysfs, dev = tmp_path / "sys", tmp_path / "dev"
    dev.mkdir()
    for number, (name, index) in nodes.items():
        entry = sysfs / f"video{number}"
        entry.mkdir(parents=True)
        (entry / "name").write_text(name + "\n")
        if index is not None:
            (entry / "index").write_text(index + "\n")
        (dev / f"video{number}").write_bytes(b"")
    return sysfs, dev


def test_cameras_are_named_from_sysfs_without_metadata_nodes(tmp_path: Path) -> None:
    sysfs, dev = fake_v4l2(
        tmp_path,
        {
            0: ("Integrated Camera: Integrated C", "0"),
            1: ("Integrated Camera: Integrated C", "1"),  # UVC metadata node
            10: ("Logitech BRIO", "0"),
            2: ("Logitech BRIO", "1"),
        },
    )
    assert linux_cameras(sysfs, dev) == [
        Camera(spec=f"{dev}/video0", name="Integrated Camera: Integrated C"),
        Camera(spec=f"{dev}/video10", name="Logitech BRIO"),
    ]


def test_no_camera_gives_an_empty_list(tmp_path: Path) -> None:
    sysfs, dev = fake_v4l2(tmp_path, {})
    assert linux_cameras(sysfs, dev) == []
    assert linux_cameras(tmp_path / "absent", tmp_path / "absent") == []


def test_this_machines_cameras_are_capture_nodes_that_exist() -> None:
    # none on the test machine; a developer's laptop lists its own
    cameras = devices.list_cameras()
    assert all(Path(c.spec).exists() and c.spec.startswith("/dev/video") for c in cameras)
    assert all(c.name for c in cameras)


# ffmpeg's list_devices output, copied from ffmpeg 6 (new form) and ffmpeg 4 (old form) on
# Windows and macOS: these platforms cannot run here.
DSHOW_NEW = [
    '"Integrated Webcam" (video)\n',
    '  Alternative name "@device_pnp_\\\\?\\usb#vid_0c45&pid_6723&mi_00#global"\n',
    '"OBS Virtual Camera" (none)\n',
    '"Microphone Array (Realtek(R) Audio)" (audio)\n',
    '  Alternative name "@device_cm_{33D9A762-90C8-11D0-BD43-00A0C911CE86}\\wave_{A}"\n',
]
DSHOW_OLD = [
    "DirectShow video devices (some may be both video and audio devices)\n",
    ' "HD Pro Webcam C920"\n',
    '    Alternative name "@device_pnp_\\\\?\\usb#vid_046d&pid_082d"\n',
    "DirectShow audio devices\n",
    ' "Mikrofon (HD Pro Webcam C920)"\n',
]
AVFOUNDATION = [
    "AVFoundation video devices:\n",
    "[0] FaceTime HD Camera\n",
    "[1] Capture screen 0\n",
    "AVFoundation audio devices:\n",
    "[0] MacBook Pro Microphone\n",
]


def test_directshow_lists_are_parsed() -> None:
    assert parse_dshow_devices(DSHOW_NEW, "video") == ["Integrated Webcam"]
    assert parse_dshow_devices(DSHOW_NEW, "audio") == ["Microphone Array (Realtek(R) Audio)"]
    assert parse_dshow_devices(DSHOW_OLD, "video") == ["HD Pro Webcam C920"]
    assert parse_dshow_devices(DSHOW_OLD, "audio") == ["Mikrofon (HD Pro Webcam C920)"]


def test_avfoundation_lists_are_parsed() -> None:
    assert parse_avfoundation_devices(AVFOUNDATION, "video") == [
        "FaceTime HD Camera",
        "Capture screen 0",
    ]
    assert parse_avfoundation_devices(AVFOUNDATION, "audio") == ["MacBook Pro Microphone"]
