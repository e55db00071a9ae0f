"""A workstation for tests of the real window: Xvfb, openbox, xdotool keys, and (for screen
reader tests) a private D-Bus session with the AT-SPI accessibility bus.

The app runs as its own process on that display; tests read it from outside. A test module
imports the fixture it uses (``desktop_fixture``, ``accessible_desktop_fixture``).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from client.settings import APPLICATION, ORGANIZATION
from tests.helpers import LOOPBACK, finish, runde_command, wait_for
from tests.xvfb import XDisplay, start_xvfb, stop_xvfb

TOOLS_HINT = (
    "apt-get install openbox xdotool at-spi2-core python3-pyatspi dbus-x11 (bootstrap.sh test does)"
)
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"


def require(*tools: str) -> None:
    """Skip where a tool is missing, but fail in CI: a test must not vanish silently there."""
    missing = [tool for tool in tools if shutil.which(tool) is None and not Path(tool).exists()]
    if missing and os.environ.get("CI"):
        pytest.fail(f"{', '.join(missing)} missing: {TOOLS_HINT}")
    if missing:
        pytest.skip(f"{', '.join(missing)} missing: {TOOLS_HINT}")


def until(predicate: Callable[[], bool], within: float, what: str) -> None:
    assert wait_for(predicate, within, 0.2), f"not within {within} s: {what}"


@dataclass
class Desktop:
    """One display with a window manager; ``env`` is what a program started on it sees."""

    screen: XDisplay
    env: dict[str, str] = field(default_factory=dict)


def _start_window_manager(env: dict[str, str]) -> subprocess.Popen[bytes]:
    manager = subprocess.Popen(
        ["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
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
    return manager


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(name="desktop")
def desktop_fixture() -> Iterator[XDisplay]:
    """Xvfb with a window manager, as on a workstation (focus and activation work)."""
    require("Xvfb", "openbox", "xdotool")
    screen = start_xvfb(1280, 800)
    manager = _start_window_manager({**os.environ, "DISPLAY": screen.name})
    try:
        yield screen
    finally:
        _stop(manager)
        stop_xvfb(screen)


def _session_bus(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """A private D-Bus session bus; returns the daemon and its address."""
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert daemon.stdout is not None
    ready, _, _ = select.select([daemon.stdout], [], [], 10.0)
    address = daemon.stdout.readline().decode().strip() if ready else ""
    if not address:
        _stop(daemon)
        raise RuntimeError("dbus-daemon printed no address")
    return daemon, address


@pytest.fixture(name="accessible_desktop")
def accessible_desktop_fixture(tmp_path: Path) -> Iterator[Desktop]:
    """A desktop whose programs talk to screen readers: a session bus of its own, the AT-SPI
    bus and registry on it, and Qt told to expose its widgets there."""
    require("Xvfb", "openbox", "xdotool", "dbus-daemon", BUS_LAUNCHER, "/usr/bin/python3")
    screen = start_xvfb(1280, 800)
    runtime = tmp_path / "desktop-run"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "DISPLAY": screen.name, "XDG_RUNTIME_DIR": str(runtime)}
    started: list[subprocess.Popen[bytes]] = []
    try:
        started.append(_start_window_manager(env))
        daemon, address = _session_bus(env)
        started.append(daemon)
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        # --a11y=1: accessibility on for this session, as when a user turns on a screen reader
        started.append(
            subprocess.Popen(
                [BUS_LAUNCHER, "--launch-immediately", "--a11y=1", "--screen-reader=1"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1"
        env["QT_ACCESSIBILITY"] = "1"
        yield Desktop(screen, env)
    finally:
        for process in reversed(started):
            _stop(process)
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


def start_app(
    screen: XDisplay,
    home: Path,
    *args: str,
    base_env: dict[str, str] | None = None,
    language: str = "en",
) -> subprocess.Popen[str]:
    """The real app on ``screen`` with a home of its own (settings, log, runtime dir)."""
    (home / "run").mkdir(mode=0o700, parents=True, exist_ok=True)
    env = {
        **(base_env if base_env is not None else os.environ),
        "DISPLAY": screen.name,
        "QT_QPA_PLATFORM": "xcb",
        "XDG_RUNTIME_DIR": str(home / "run"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "LANGUAGE": language,
    }
    return subprocess.Popen(
        runde_command("--log-level", "info", "--bind", LOOPBACK, *args),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def app_log(home: Path) -> str:
    return "".join(p.read_text() for p in (home / "data").rglob("runde.log"))


def first_start_home(tmp_path: Path, user_settings: dict[str, object]) -> Path:
    """A home for the app's first start whose settings already hold ``user_settings``."""
    home = tmp_path / "home"
    ini = home / "config" / ORGANIZATION / f"{APPLICATION}.conf"
    ini.parent.mkdir(parents=True)
    settings = QSettings(str(ini), QSettings.Format.IniFormat)
    for key, value in user_settings.items():
        settings.setValue(f"user/{key}", value)
    settings.sync()
    return home


class Colleague:
    """A headless participant beside the app, its statistics rewritten three times a second."""

    def __init__(self, link: str, name: str, tmp_path: Path, *extra: str, app_name: str) -> None:
        self.app_name = app_name
        self.stats_path = tmp_path / f"{name}.json"
        self.log_path = tmp_path / f"{name}.log"
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                runde_command(
                    "--log-level", "info", "join", link, "--headless", "--name", name,
                    "--bind", "127.0.0.1", "--duration", "300", "--stats-json",
                    str(self.stats_path), "--stats-every", "0.3", *extra,
                ),
                stdout=subprocess.DEVNULL,
                stderr=log,
                text=True,
            )  # fmt: skip

    def stats(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(self.stats_path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):  # not yet, or mid-write
            return {}
        return data

    def of_app(self) -> dict[str, Any]:
        remote: dict[str, Any] = self.stats().get("remotes", {}).get(self.app_name, {})
        return remote

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        finish(self.process, 15)
