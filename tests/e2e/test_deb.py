"""The Linux package as an administrator and a user meet it: installed with dpkg, opened by link.

Builds dist/runde_<version>_amd64.deb with installers/linux/build-deb.sh, installs it, opens
meeting links of real headless hosts on 127.0.0.1 through the desktop file's Exec line under
Xvfb, and purges it again.
"""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import signal
import subprocess
from pathlib import Path

import psutil
import pytest

from client import __version__
from client.protocol.link import parse_link
from tests.e2e.conftest import PACKAGE, Display, require_tools
from tests.helpers import LOOPBACK, start_host, wait_for

# building the freeze takes a minute, more on a busy machine
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

APP_ID = "org.runde.Runde"
INSTALLED_PROGRAM = "/opt/runde/runde"
APPLICATIONS = Path("/usr/share/applications")
DESKTOP_HINT = "apt-get install xdg-utils desktop-file-utils xdotool"


def _user_environment(home: Path, display: Display) -> dict[str, str]:
    """A fresh desktop user: own home, private runtime folder, the test's X display."""
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("QT_", "XDG_", "WAYLAND_"))
    }
    env.update(
        HOME=str(home),
        DISPLAY=display.name,
        XDG_RUNTIME_DIR=str(runtime),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
    )
    return env


def _default_handler(env: dict[str, str]) -> str:
    query = subprocess.run(
        ["xdg-mime", "query", "default", "x-scheme-handler/runde"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    return query.stdout.strip()


def _desktop_entry(desktop_id: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read(APPLICATIONS / desktop_id, encoding="utf-8")
    return parser["Desktop Entry"]


def _launch_command(desktop_id: str, link: str) -> list[str]:
    """The Exec line with %u replaced by the link, as one argument, the way a desktop does.

    The installed app logs warnings only; ``--log-level info`` (placed before ``--link``,
    which must stay last) makes it write the line that names the meeting it opened.
    """
    argv = shlex.split(_desktop_entry(desktop_id)["Exec"])
    assert argv[-2:] == ["--link", "%u"], f"the Exec line must end in --link %u: {argv}"
    program = shutil.which(argv[0])
    assert program is not None, f"{argv[0]} from the Exec line is not on PATH"
    return [program, "--log-level", "info", *argv[1:-1], link]


def _log_text(home: Path) -> str:
    return "".join(path.read_text(errors="replace") for path in home.rglob("runde.log"))


def _installed_app_processes(home: Path) -> list[psutil.Process]:
    """The installed Runde processes of the test's user (the one with this home)."""
    found = []
    for process in psutil.process_iter(["exe"]):
        if process.info["exe"] != INSTALLED_PROGRAM:
            continue
        try:
            if process.environ().get("HOME") == str(home):
                found.append(process)
        except psutil.NoSuchProcess:
            continue
    return found


def _visible_windows(pid: int, env: dict[str, str]) -> list[str]:
    search = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--pid", str(pid), "--name", "^Runde$"],
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
    )
    return search.stdout.split()


def test_package_installs_the_frozen_app_with_its_system_libraries(installed: Path) -> None:
    depends = subprocess.run(
        ["dpkg-query", "-W", "-f=${Depends}", PACKAGE], capture_output=True, text=True
    ).stdout
    # PortAudio is opened at run time (not linked); the xcb ones are Qt's X11 platform plugin.
    for library in ("libportaudio2", "libxcb-cursor0", "libxcb-icccm4", "libssl3", "libegl1"):
        assert library in depends, f"Depends lacks {library}: {depends}"
    files = subprocess.run(
        ["dpkg", "-L", PACKAGE], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for path in (
        "/usr/bin/runde",
        f"/usr/share/applications/{APP_ID}.desktop",
        f"/usr/share/metainfo/{APP_ID}.metainfo.xml",
        f"/usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
        f"/usr/share/icons/hicolor/48x48/apps/{APP_ID}.png",
        # package data of `client`: the guest page and the German translation
        "/opt/runde/_internal/client/sfu/guest_page.html",
        "/opt/runde/_internal/client/ui/i18n/runde_de.qm",
    ):
        assert path in files, f"the package does not ship {path}"
    unwanted = [path for path in files if "Qt6Quick" in path or "Qt6Qml" in path]
    assert not unwanted, f"Qt Quick/QML made it into the package: {unwanted[:5]}"

    version = subprocess.run(
        ["runde", "--version"], capture_output=True, text=True, timeout=60, check=True
    )
    assert version.stdout.strip() == f"runde {__version__}"

    host = subprocess.Popen(
        ["runde", "host", "--headless", "--bind", LOOPBACK],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert host.stdout is not None
        link = parse_link(host.stdout.readline().strip())
        assert link.host == LOOPBACK
    finally:
        host.send_signal(signal.SIGTERM)
        _, err = host.communicate(timeout=30)
    assert host.returncode == 0, f"the installed host did not end cleanly: {err[-2000:]}"


def test_meeting_links_open_the_prejoin_of_one_running_app(
    installed: Path, xvfb: Display, tmp_path: Path
) -> None:
    require_tools("xdg-mime", "xdotool", hint=DESKTOP_HINT)
    env = _user_environment(tmp_path / "home", xvfb)
    handler = _default_handler(env)
    assert handler == f"{APP_ID}-url-handler.desktop", f"runde:// opens with {handler!r}"
    assert "x-scheme-handler/runde" in _desktop_entry(handler)["MimeType"].split(";")

    first_host = start_host("--link-form", "runde")
    second_host = start_host("--link-form", "runde")
    home = tmp_path / "home"
    app = subprocess.Popen(
        _launch_command(handler, first_host.link),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = f"opening {parse_link(first_host.link).redacted()} (pre-join: True)"
        assert wait_for(lambda: first in _log_text(home), 60), (
            f"no pre-join for the first meeting; log:\n{_log_text(home)[-3000:]}"
        )
        assert wait_for(lambda: _visible_windows(app.pid, env), 20), "no Runde window shown"

        # A second link, opened the same way, goes to the app that already runs.
        second_start = subprocess.run(
            _launch_command(handler, second_host.link),
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second_start.returncode == 0, f"the second start failed: {second_start.stderr}"
        second = f"opening {parse_link(second_host.link).redacted()} (pre-join: True)"
        assert wait_for(lambda: second in _log_text(home), 30), (
            f"the running app did not open the second meeting; log:\n{_log_text(home)[-3000:]}"
        )
        assert app.poll() is None, "the first Runde ended"
        assert [p.pid for p in _installed_app_processes(home)] == [app.pid]

        log = _log_text(home)
        for link in (first_host.link, second_host.link):
            assert parse_link(link).secret not in log, "a meeting secret reached the log"
        assert "Traceback" not in log
    finally:
        app.terminate()
        try:
            _, err = app.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            app.kill()
            _, err = app.communicate()
        first_host.stop()
        second_host.stop()
    assert "Traceback" not in err, err[-3000:]


def test_purge_leaves_nothing_of_the_package_behind(installed: Path, tmp_path: Path) -> None:
    require_tools("xdg-mime", hint=DESKTOP_HINT)
    listed = subprocess.run(
        ["dpkg", "-L", PACKAGE], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    had_policy_folder = Path("/etc/runde").exists()
    purge = subprocess.run(["dpkg", "--purge", PACKAGE], capture_output=True, text=True)
    assert purge.returncode == 0, purge.stderr

    left = []
    for path in listed:
        if not os.path.lexists(path):
            continue
        if os.path.isdir(path) and not os.path.islink(path):
            # a folder other packages share (/usr/share/icons/hicolor/48x48/apps ...) stays
            owner = subprocess.run(["dpkg-query", "-S", path], capture_output=True)
            if owner.returncode == 0 or any(Path(path).iterdir()):
                continue
        left.append(path)
    assert not left, f"purge left these behind: {left[:20]}"
    assert not Path("/opt/runde").exists()
    assert Path("/etc/runde").exists() == had_policy_folder, "the package touched /etc/runde"
    # postrm refreshed the desktop database: the scheme has no handler any more
    env = {**os.environ, "HOME": str(tmp_path)}
    assert _default_handler(env) == "", "runde:// still has a handler after purge"
