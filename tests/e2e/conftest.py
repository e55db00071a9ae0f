"""End-to-end fixtures: the .deb built from this checkout and installed with dpkg, and Xvfb.

These tests change the system (dpkg -i / --purge), so they need root; CI runs as root and
installs every tool they use, so there a missing one fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.audio import missing
from tests.xvfb import XvfbError, start_xvfb, stop_xvfb

REPO = Path(__file__).resolve().parents[2]
PACKAGE = "runde"
BUILD_HINT = "apt-get install dpkg-dev binutils file desktop-file-utils appstream"


def require_tools(*tools: str, hint: str) -> None:
    absent = [tool for tool in tools if shutil.which(tool) is None]
    if absent:
        missing(f"{', '.join(absent)} not installed", hint)


def require_root() -> None:
    if os.geteuid() != 0:
        missing("installing a .deb needs root", "run the tests as root, as CI does")


def package_installed() -> bool:
    status = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", PACKAGE], capture_output=True, text=True
    )
    return status.returncode == 0 and "install ok installed" in status.stdout


@pytest.fixture(scope="session")
def deb() -> Path:
    """dist/runde_<version>_amd64.deb, built once per session by the real build script.

    zstd instead of the release's xz: the same files, packed in seconds instead of minutes.
    """
    require_tools(
        "dpkg-deb",
        "dpkg-shlibdeps",
        "strip",
        "file",
        "desktop-file-validate",
        "appstreamcli",
        hint=BUILD_HINT,
    )
    env = {**os.environ, "PYTHON": sys.executable, "DEB_COMPRESSION": "zstd"}
    env.pop("QT_QPA_PLATFORM", None)
    built = subprocess.run(
        [str(REPO / "installers" / "linux" / "build-deb.sh")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert built.returncode == 0, f"build-deb.sh failed:\n{built.stderr[-4000:]}"
    path = REPO / built.stdout.strip().splitlines()[-1]
    assert path.is_file(), f"build-deb.sh named {path}, which does not exist"
    return path


def _install(deb: Path) -> None:
    result = subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"dpkg -i failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="session")
def deb_session(deb: Path) -> Iterator[Path]:
    """The package just built, installed over whatever was there; purged when the session ends."""
    require_root()
    _install(deb)
    yield deb
    if package_installed():
        subprocess.run(["dpkg", "--purge", PACKAGE], capture_output=True, check=False)


@pytest.fixture
def installed(deb_session: Path) -> Path:
    """The package installed with dpkg -i (again, if an earlier test purged it)."""
    if not package_installed():
        _install(deb_session)
    return deb_session


@dataclass
class Display:
    name: str  # for DISPLAY, e.g. ":5"


@pytest.fixture
def xvfb() -> Iterator[Display]:
    """A real X server without a screen, on a display of its own."""
    require_tools("Xvfb", hint="apt-get install xvfb")
    try:
        screen = start_xvfb()
    except XvfbError as exc:
        pytest.fail(str(exc))
    yield Display(screen.name)
    stop_xvfb(screen)
