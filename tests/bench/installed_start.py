"""Cold start of the installed app to its window: `python -m tests.bench.installed_start`.

Starts the installed command (``--program``, default /usr/bin/runde: install
dist/runde_<version>_amd64.deb first) under an Xvfb of its own, each run with a fresh home,
and measures from starting the process to its main window being mapped, polled with
``xdotool search --onlyvisible`` every 10 ms. Prints a table (median/min/max, and the first
run, whose files were least likely in the page cache).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from tests.xvfb import start_xvfb, stop_xvfb


def window_shown(pid: int, env: dict[str, str]) -> bool:
    search = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--pid", str(pid), "--name", "^Runde$"],
        env=env,
        capture_output=True,
    )
    return bool(search.stdout.strip())


def one_run(program: str, display: str, home: Path, timeout: float = 60.0) -> float:
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700, parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "XDG_", "WAYLAND_"))}
    env.update(HOME=str(home), DISPLAY=display, XDG_RUNTIME_DIR=str(runtime))
    started = time.monotonic()
    errors = home / "stderr.txt"
    with errors.open("wb") as sink:
        app = subprocess.Popen([program], env=env, stdout=subprocess.DEVNULL, stderr=sink)
    try:
        while time.monotonic() - started < timeout:
            if window_shown(app.pid, env):
                return time.monotonic() - started
            if app.poll() is not None:
                raise SystemExit(
                    f"{program} ended with {app.returncode} before showing a window:\n"
                    + errors.read_text(errors="replace")[-3000:]
                )
            time.sleep(0.01)
        raise SystemExit(f"no window within {timeout} s")
    finally:
        app.terminate()
        app.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--program", default="/usr/bin/runde")
    args = parser.parse_args()
    screen = start_xvfb()
    try:
        with tempfile.TemporaryDirectory() as scratch:
            times = [
                one_run(args.program, screen.name, Path(scratch) / f"run{n}")
                for n in range(args.runs)
            ]
    finally:
        stop_xvfb(screen)
    print("| runs | start to window: median s | min s | max s | first run s |")
    print("|---|---|---|---|---|")
    print(
        f"| {len(times)} | {statistics.median(times):.2f} | {min(times):.2f} "
        f"| {max(times):.2f} | {times[0]:.2f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
