"""Every meeting shortcut, pressed three times in a row on the real window, works each time.

The app runs as its own process on Xvfb under openbox, with the tests' PulseAudio server as
its sound card and a test picture as its camera (this machine has no camera: the settings
point the camera at an FFmpeg test source, which is what stands in for one). xdotool presses
the keys. What happened is read from outside: a headless participant's statistics (does it
hear and see the app, its hand, its chat), the window's geometry, other windows on the
display, and the screen's pixels.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from client.media.screen import display_source
from client.media.screen_track import grab_thumbnail
from tests.audio import PulseServer, start_pulse
from tests.desktop_session import (
    Colleague,
    Keyboard,
    app_log,
    desktop_fixture,
    first_start_home,
    start_app,
    until,
)
from tests.helpers import HostProcess, finish, start_host
from tests.xvfb import XDisplay

__all__ = ["desktop_fixture"]  # the display the window runs on

NAME = "Vorsitz"
CAMERA = "lavfi:color=c=red:size=640x360:rate=15"


@pytest.fixture
def sound(tmp_path: Path) -> Iterator[PulseServer]:
    server = start_pulse(tmp_path / "pulse")
    yield server
    server.stop()


@pytest.fixture
def host() -> Iterator[HostProcess]:
    process = start_host()
    yield process
    process.stop()


def _home(tmp_path: Path) -> Path:
    """A first start's home whose settings name the user and the camera."""
    return first_start_home(tmp_path, {"display_name": NAME, "camera": CAMERA, "video_fps": 15})


def _expect(what: str, check: Callable[[], bool], within: float = 8.0) -> None:
    until(check, within, what)


def _screen(screen: XDisplay) -> np.ndarray:
    """The whole display, small: enough to tell one layout from another."""
    frame = grab_thumbnail(display_source(screen.name), (128, 80))
    picture: np.ndarray = frame.to_ndarray(format="rgb24").astype(np.int16)
    return picture


def _alternates(keys: Keyboard, screen: XDisplay, key: str) -> None:
    """Pressed three times, ``key`` switches between two pictures of the window each time."""
    pictures = [_screen(screen)]
    for _ in range(3):
        keys.press(key)
        time.sleep(1.0)  # the layout settles
        pictures.append(_screen(screen))

    def differ(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.mean(np.abs(a - b) > 40))  # share of pixels that changed clearly

    changes = [differ(pictures[i], pictures[i + 1]) for i in range(3)]
    assert all(change > 0.02 for change in changes), (key, changes)  # each press changes it
    assert differ(pictures[0], pictures[2]) < min(changes), (key, changes)  # and back again


def _window_size(keys_env: dict[str, str]) -> tuple[int, int]:
    out = subprocess.run(
        ["xdotool", "getactivewindow", "getwindowgeometry", "--shell"],
        env=keys_env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    values = dict(line.split("=", 1) for line in out.split())
    return int(values["WIDTH"]), int(values["HEIGHT"])


def _windows_named(keys_env: dict[str, str], name: str) -> int:
    result = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", name],
        env=keys_env,
        capture_output=True,
        text=True,
        check=False,
    )
    return len(result.stdout.split())


def test_every_meeting_shortcut_works_three_times_in_a_row(
    desktop: XDisplay, sound: PulseServer, host: HostProcess, tmp_path: Path
) -> None:
    keys = Keyboard(desktop)
    env = {"DISPLAY": desktop.name, **sound.client_env}
    home = _home(tmp_path)
    app = start_app(desktop, home, "--link", host.link, base_env=sound.client_env)
    anna = Colleague(host.link, "Anna", tmp_path, app_name=NAME)
    colleagues = [anna]
    try:
        keys.activate(app.pid)
        until(lambda: "pre-join: True" in app_log(home), 30, "the pre-join")
        time.sleep(1.0)  # its devices open
        # The pre-join: the microphone and the camera keys, three times each, end "off".
        keys.press("ctrl+d", "ctrl+d", "ctrl+d", "ctrl+e", "ctrl+e", "ctrl+e", "Return")
        until(lambda: "joined" in app_log(home), 30, "the app joined")
        _expect("Anna sees the app join muted, camera off", lambda: (
            anna.of_app().get("audio_on") is False and anna.of_app().get("video_on") is False
        ), 20)  # fmt: skip

        # The meeting view: each key three times; Anna sees every press.
        for state in (True, False, True):
            keys.press("ctrl+d")
            _expect(f"audio_on {state}", lambda s=state: anna.of_app().get("audio_on") is s)
        for state in (True, False, True):
            keys.press("ctrl+e")
            _expect(f"video_on {state}", lambda s=state: anna.of_app().get("video_on") is s)
        for raised in (True, False, True):
            keys.press("ctrl+shift+h")
            _expect(f"hand {raised}", lambda r=raised: (NAME in anna.stats().get("hands", [])) is r)
        for number in (1, 2, 3):
            keys.press("ctrl+shift+c")  # the chat opens with the cursor in its field
            keys.type(f"Punkt {number}")
            keys.press("Return", "ctrl+shift+c")  # sent; the chat closes again
            _expect(f"chat {number}", lambda n=number: any(
                entry["text"] == f"Punkt {n}" for entry in anna.stats().get("chat", [])
            ))  # fmt: skip

        normal = _window_size(env)
        for fullscreen in (True, False, True):
            keys.press("F11")
            _expect(f"full screen {fullscreen}", lambda f=fullscreen: (
                (_window_size(env) == (desktop.width, desktop.height)) is f
            ), 5)  # fmt: skip
        keys.press("F11")
        _expect("back to the window", lambda: _window_size(env) == normal, 5)
        for _ in range(3):
            keys.press("F1")
            _expect("the shortcuts", lambda: _windows_named(env, "Keyboard shortcuts") == 1, 5)
            keys.press("Escape")
            _expect("closed", lambda: _windows_named(env, "Keyboard shortcuts") == 0, 5)

        _alternates(keys, desktop, "ctrl+p")  # the participant list
        _alternates(keys, desktop, "ctrl+l")  # speaker layout and grid

        # The presentation view: Bernd shares this very display; the keys work there too.
        bernd = Colleague(
            host.link, "Bernd", tmp_path, "--share-screen", desktop.name, app_name=NAME
        )
        colleagues.append(bernd)
        _expect("the app shows Bernd's screen", lambda: "Bernd" in anna.stats().get(
            "remotes", {}) and bernd.process.poll() is None, 20)  # fmt: skip
        time.sleep(3.0)  # the presentation view is up
        _alternates(keys, desktop, "ctrl+shift+g")  # presentation and grid
        for state in (False, True, False):
            keys.press("ctrl+d")
            _expect(f"audio_on {state} while presenting", lambda s=state: (
                anna.of_app().get("audio_on") is s
            ))  # fmt: skip
    finally:
        for colleague in colleagues:
            colleague.stop()
        if app.poll() is None:
            app.terminate()
        finish(app, 15)
