"""A private Xvfb for tests and benchmarks: the server picks a free display number itself."""

from __future__ import annotations

import os
import select
import subprocess
from dataclasses import dataclass


class XvfbError(RuntimeError):
    """No X server could be started."""


@dataclass
class XDisplay:
    name: str  # for DISPLAY, e.g. ":5"
    process: subprocess.Popen[bytes]
    width: int
    height: int


def start_xvfb(width: int = 1280, height: int = 800, timeout: float = 10.0) -> XDisplay:
    """Xvfb on a display of its own (``-displayfd``: no race for numbers), once it accepts."""
    read_end, write_end = os.pipe()
    try:
        process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{width}x{height}x24",
             "-nolisten", "tcp", "-noreset"],
            pass_fds=(write_end,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
    except FileNotFoundError:
        os.close(read_end)
        os.close(write_end)
        raise XvfbError("Xvfb is missing: apt-get install xvfb (bootstrap.sh test does)") from None
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        ready, _, _ = select.select([pipe], [], [], timeout)
        number = pipe.readline().strip() if ready else ""
    if not number:
        process.kill()
        process.wait()
        raise XvfbError(f"Xvfb did not report a display within {timeout} s")
    return XDisplay(f":{number}", process, width, height)


def stop_xvfb(screen: XDisplay) -> None:
    screen.process.terminate()
    try:
        screen.process.wait(10)
    except subprocess.TimeoutExpired:
        screen.process.kill()
        screen.process.wait()
