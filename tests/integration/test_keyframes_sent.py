"""Cameras that deliver MJPEG or raw pictures send delta frames, keyframes only when needed.

PyAV marks such pictures as keyframe requests; before Runde took the mark off, every frame
a receiver decoded was a keyframe (video_keyframes == video_frames).
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.helpers import HostProcess, finish, read_stats, start_participant
from tests.video_files import write_mjpeg, write_raw_yuv

SECONDS = 8.0


def test_mjpeg_and_raw_cameras_send_few_keyframes(host: HostProcess, tmp_path: Path) -> None:
    sources = {
        "Mona": write_mjpeg(tmp_path / "mjpeg-camera.avi"),
        "Rolf": write_raw_yuv(tmp_path / "raw-camera.y4m", size=(320, 180)),
    }
    processes = {
        name: start_participant(
            host.link, name, tmp_path / f"{name}.json", SECONDS, "--video", str(source)
        )
        for name, source in sources.items()
    }
    # A viewer who comes later asks for a keyframe (PLI) and must get one.
    time.sleep(3.0)
    processes["Vera"] = start_participant(
        host.link, "Vera", tmp_path / "Vera.json", 3.0, "--video", "none", "--audio", "none"
    )
    for name, process in processes.items():
        code, err = finish(process)
        assert code == 0, f"{name} failed: {err[-2000:]}"
    heights = {"Mona": 240, "Rolf": 180}
    pairs = [("Mona", "Rolf"), ("Rolf", "Mona"), ("Vera", "Mona"), ("Vera", "Rolf")]
    for receiver, sender in pairs:
        remote = read_stats(tmp_path / f"{receiver}.json")["remotes"][sender]
        seen = (receiver, sender, remote)
        # 15 fps for most of the time each was in the meeting.
        assert remote["video_frames"] >= (20 if receiver == "Vera" else 50), seen
        # The first picture is a keyframe: the count sees keyframes when there are some.
        assert remote["video_keyframes"] >= 1, seen
        assert remote["video_keyframes"] <= 0.1 * remote["video_frames"], seen
        assert remote["video_height"] == heights[sender], seen
        assert remote["audio_concealed_frames"] == 0, seen
