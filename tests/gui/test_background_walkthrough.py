"""Blur turned on in the real window's pre-join by keyboard reaches the others blurred.

The app runs as its own process on Xvfb under openbox; its camera is a photo of a person
(scikit-image's astronaut) played by lavfi, standing in for a physical camera (this machine
has none). xdotool presses the keys a user would: Alt+G to the background choice, Down to
"Blur", Enter to join. What the others see is read from outside: a headless participant's
last received picture of the app (``--video-snapshot``).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import cv2
import numpy as np
from skimage import data

from tests.desktop_session import (
    Colleague,
    Keyboard,
    app_log,
    desktop_fixture,
    first_start_home,
    start_app,
    until,
)
from tests.gui.test_background import WALL, astronaut_camera
from tests.helpers import HostProcess, finish
from tests.xvfb import XDisplay

__all__ = ["desktop_fixture"]  # the display the window runs on

NAME = "Ute"
FACE = (slice(60, 170), slice(190, 270))  # rows, columns of the 512x512 photo


def _as_photo(rgb: np.ndarray) -> np.ndarray:
    """A received 16:9 picture of the square photo, cut back to the photo at 512x512."""
    height, width = rgb.shape[:2]
    left = (width - height) // 2
    square = rgb[:, left : left + height] if width > height else rgb
    return cv2.resize(square, (512, 512), interpolation=cv2.INTER_AREA)


def _detail(rgb: np.ndarray, region: tuple[slice, slice]) -> float:
    """Fine detail in a region of the photo: the mean squared Laplacian of its brightness."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    return float(np.mean(cv2.Laplacian(grey, cv2.CV_32F)[region] ** 2))


def test_blur_chosen_by_keyboard_in_the_window_reaches_a_colleague_blurred(
    desktop: XDisplay, host: HostProcess, tmp_path: Path
) -> None:
    keys = Keyboard(desktop)
    home = first_start_home(
        tmp_path, {"display_name": NAME, "camera": astronaut_camera(tmp_path), "video_fps": 15}
    )
    app = start_app(desktop, home, "--link", host.link)
    snapshots = tmp_path / "seen"
    carl = Colleague(
        host.link, "Carl", tmp_path, "--audio", "none", "--video", "none",
        "--video-snapshot", str(snapshots), app_name=NAME,
    )  # fmt: skip
    try:
        keys.activate(app.pid)
        until(lambda: "pre-join: True" in app_log(home), 30, "the pre-join")
        keys.press("alt+g", "Down")  # the background choice, then "Blur"
        until(lambda: "background effect: blur" in app_log(home), 10, "blur chosen")
        keys.press("Return")  # "Join now"
        until(lambda: "joined" in app_log(home), 30, "the app joined")
        until(lambda: carl.of_app().get("video_frames", 0) > 60, 30, "Carl sees the app")
    finally:
        carl.stop()
        app.terminate()
        try:
            app.wait(15)
        except subprocess.TimeoutExpired:
            app.kill()
        finish(app, 5)

    seen = cv2.cvtColor(cv2.imread(str(snapshots / f"{NAME}.png")), cv2.COLOR_BGR2RGB)
    received, original = _as_photo(seen), data.astronaut()
    # behind her the wall's fine detail is gone; her face keeps most of its own
    assert _detail(received, WALL) < 0.3 * _detail(original, WALL)
    assert _detail(received, FACE) > 0.3 * _detail(original, FACE)
