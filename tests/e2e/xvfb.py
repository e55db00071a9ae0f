"""Starts a private Xvfb on a display number nobody else uses (from :200 up)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

FIRST_DISPLAY = 200  # far from the :0, :1 … that other tools and xvfb-run pick


class XvfbError(RuntimeError):
    """No X server could be started."""


def start_xvfb(attempts: int = 50) -> tuple[subprocess.Popen[bytes], str]:
    """The server process and its DISPLAY value, once its socket accepts connections."""
    for number in range(FIRST_DISPLAY, FIRST_DISPLAY + attempts):
        if Path(f"/tmp/.X{number}-lock").exists():
            continue
        server = subprocess.Popen(
            ["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        socket = Path(f"/tmp/.X11-unix/X{number}")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and server.poll() is None and not socket.exists():
            time.sleep(0.02)
        if server.poll() is None and socket.exists():
            return server, f":{number}"
        server.kill()
        server.wait()
    raise XvfbError(f"no Xvfb could start on :{FIRST_DISPLAY}…:{FIRST_DISPLAY + attempts - 1}")


def stop_xvfb(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
