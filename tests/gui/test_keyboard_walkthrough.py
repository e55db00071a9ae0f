"""A moderator chairs a meeting with the keyboard alone, in the real window.

The app runs as its own process on Xvfb under openbox; xdotool presses the keys a person
would (through XTEST, like a real keyboard); everything is read from outside: the waiting
participant's statistics and exit code, a refused newcomer's exit code, the host's exit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest

from client.exit_codes import EXIT_JOIN_FAILED, EXIT_OK, EXIT_REMOVED
from tests.helpers import (
    LOOPBACK,
    HostProcess,
    finish,
    read_stats,
    runde_command,
    start_host,
    start_participant,
    wait_for,
)
from tests.xvfb import XDisplay, start_xvfb, stop_xvfb

TOOLS_HINT = "apt-get install openbox xdotool (bootstrap.sh test does)"


def _require(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing and os.environ.get("CI"):
        pytest.fail(f"{', '.join(missing)} missing: {TOOLS_HINT}")
    if missing:
        pytest.skip(f"{', '.join(missing)} missing: {TOOLS_HINT}")


def until(predicate: Callable[[], bool], within: float, what: str) -> None:
    assert wait_for(predicate, within, 0.2), f"not within {within} s: {what}"


@pytest.fixture
def desktop() -> Iterator[XDisplay]:
    """Xvfb with a window manager, as on a workstation (focus and activation work)."""
    _require("Xvfb", "openbox", "xdotool")
    screen = start_xvfb(1280, 800)
    env = {**os.environ, "DISPLAY": screen.name}
    manager = subprocess.Popen(
        ["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        # openbox is up once it answers for the desktop it manages
        until(
            lambda: (
                subprocess.run(
                    ["xdotool", "get_desktop"], env=env, capture_output=True, check=False
                ).returncode
                == 0
            ),
            10,
            "openbox manages the screen",
        )
        yield screen
    finally:
        manager.terminate()
        manager.wait(10)
        stop_xvfb(screen)


class Keyboard:
    """xdotool on one display: keys go to the focused window, as from a real keyboard."""

    def __init__(self, screen: XDisplay) -> None:
        self._env = {**os.environ, "DISPLAY": screen.name}

    def press(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["xdotool", "key", "--clearmodifiers", key], env=self._env, check=True)
            time.sleep(0.15)  # a person's pace: each key handled before the next

    def type(self, text: str) -> None:
        subprocess.run(["xdotool", "type", "--delay", "50", text], env=self._env, check=True)

    def activate(self, pid: int, within: float = 30.0) -> None:
        found: list[str] = []

        def window_shown() -> bool:
            result = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--pid", str(pid), "--name", "^Runde"],
                env=self._env,
                capture_output=True,
                text=True,
                check=False,
            )
            found[:] = result.stdout.split()
            return bool(found)

        until(window_shown, within, "the Runde window is shown")
        subprocess.run(["xdotool", "windowactivate", "--sync", found[0]], env=self._env, check=True)


def _app(screen: XDisplay, home: Path, link: str) -> subprocess.Popen[str]:
    (home / "run").mkdir(mode=0o700, parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DISPLAY": screen.name,
        "QT_QPA_PLATFORM": "xcb",
        "XDG_RUNTIME_DIR": str(home / "run"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "LANGUAGE": "en",
    }
    return subprocess.Popen(
        runde_command("--log-level", "info", "--bind", LOOPBACK, "--link", link),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _participant(link: str, name: str, stats: Path, log: IO[str]) -> subprocess.Popen[str]:
    """A headless participant whose log goes to a file the test can read while it runs."""
    return subprocess.Popen(
        runde_command(
            "--log-level", "info", "join", link, "--headless", "--name", name,
            "--bind", LOOPBACK, "--duration", "120", "--stats-json", str(stats),
            "--stats-every", "0.5",
        ),
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )  # fmt: skip


def _log(home: Path) -> str:
    return "".join(p.read_text() for p in (home / "data").rglob("runde.log"))


def test_a_moderator_chairs_a_meeting_with_the_keyboard(desktop: XDisplay, tmp_path: Path) -> None:
    host: HostProcess = start_host("--waiting-room")
    keys = Keyboard(desktop)
    app = _app(desktop, tmp_path / "home", host.moderator_link)
    bernd_stats = tmp_path / "bernd.json"
    bernd: subprocess.Popen[str] | None = None
    try:
        keys.activate(app.pid)
        keys.type("Vorsitz")  # a first start: the pre-join asks for a name
        keys.press("Return")  # "Join now"
        until(lambda: "joined" in _log(tmp_path / "home"), 30, "the app joined")

        bernd_log = tmp_path / "bernd.log"
        with bernd_log.open("w") as log:
            bernd = _participant(host.link, "Bernd", bernd_stats, log)
        until(lambda: "waiting for a moderator" in bernd_log.read_text(), 30, "Bernd waits")
        # Into the panel (it opens on the waiting list, Bernd chosen), Tab to "Let in".
        keys.press("ctrl+shift+m", "Tab", "space")
        until(
            lambda: bernd_stats.exists() and read_stats(bernd_stats)["waited_s"] is not None,
            15,
            "Bernd is let in",
        )

        # Out of the panel and in again: now it opens on the participants, Bernd chosen.
        keys.press("ctrl+shift+m", "ctrl+shift+m", "Tab", "space")  # "Mute"
        until(lambda: read_stats(bernd_stats)["muted_by_moderator"] >= 1, 15, "Bernd muted")

        keys.press("shift+Tab", "shift+F10", "Up", "Return")  # menu: "Remove from the meeting"
        assert bernd.wait(20) == EXIT_REMOVED, bernd_log.read_text()[-2000:]
        assert "removed" in bernd_log.read_text().lower()

        # The meeting's rules sit just before the participants: lock it.
        keys.press("ctrl+shift+m", "ctrl+shift+m", "shift+Tab", "shift+Tab", "shift+Tab", "space")
        clara = start_participant(host.link, "Clara", tmp_path / "clara.json", 30)
        code, err = finish(clara, 40)
        assert code == EXIT_JOIN_FAILED, err
        assert "locked" in err

        # From the (empty) participants: Mute everyone, Lower all hands, New link, End.
        keys.press("ctrl+shift+m", "ctrl+shift+m", "Tab", "Tab", "Tab", "Tab", "space")
        assert host.process.wait(20) == EXIT_OK
    finally:
        for process in (bernd, app):
            if process is not None and process.poll() is None:
                process.terminate()
                finish(process, 15)
        host.stop()
