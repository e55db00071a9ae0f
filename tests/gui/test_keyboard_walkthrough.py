"""A moderator chairs a meeting with the keyboard alone, in the real window.

The app runs as its own process on Xvfb under openbox; xdotool presses the keys a person
would (through XTEST, like a real keyboard); everything is read from outside: the waiting
participant's statistics and exit code, a refused newcomer's exit code, the host's exit.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import IO

from client.exit_codes import EXIT_JOIN_FAILED, EXIT_OK, EXIT_REMOVED
from tests.desktop_session import Keyboard, app_log, desktop_fixture, start_app, until
from tests.helpers import (
    LOOPBACK,
    HostProcess,
    finish,
    read_stats,
    runde_command,
    start_host,
    start_participant,
)
from tests.xvfb import XDisplay

__all__ = ["desktop_fixture"]  # the display the window runs on


def _app(screen: XDisplay, home: Path, link: str) -> subprocess.Popen[str]:
    return start_app(screen, home, "--link", link)


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
        until(lambda: "joined" in app_log(tmp_path / "home"), 30, "the app joined")

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
