"""Join time of the app: `python -m tests.bench.join_time [--runs 5]`.

Cold: from starting `runde --no-prejoin --link LINK` (offscreen Qt, a fresh settings folder
with a name in it) to the first remote picture painted in its tile. Warm: the app already runs
(started without a link, idle on its start view); from starting the same command, which hands
the link to the running app and exits, to that app's first remote picture. Both against a
headless host on 127.0.0.1 with one headless participant sending video. Prints a table.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from tests.helpers import LOOPBACK, finish, runde_command, start_host, start_participant

_READY = re.compile(r"first remote picture painted at (\d+\.\d+)")
_LISTENING = re.compile(r"taking links from later starts")


def _environment(folder: Path) -> dict[str, str]:
    config = folder / "config" / "Runde"
    config.mkdir(parents=True, exist_ok=True)
    (config / "Runde.conf").write_text("[user]\ndisplay_name=Bench\ncamera_on=false\n")
    (folder / "run").mkdir(mode=0o700, exist_ok=True)
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(folder / "run"),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_DATA_HOME": str(folder / "data"),
    }


def _log(folder: Path) -> str:
    # Qt puts the app's folder under XDG_DATA_HOME (org/app/logs)
    return "".join(p.read_text() for p in (folder / "data").rglob("runde.log"))


def _wait_in_log(folder: Path, pattern: re.Pattern[str], timeout: float) -> re.Match[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = pattern.search(_log(folder))
        if match:
            return match
        time.sleep(0.02)
    raise RuntimeError(f"no {pattern.pattern!r} within {timeout} s; see the log in {folder}")


def _start_app(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        runde_command("--log-level", "info", "--bind", LOOPBACK, *args),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stop(app: subprocess.Popen[bytes]) -> None:
    app.terminate()
    try:
        app.wait(10)
    except subprocess.TimeoutExpired:
        app.kill()
        app.wait()


def cold_run(link: str, folder: Path, timeout: float = 30.0) -> float:
    env = _environment(folder)
    started = time.time()
    app = _start_app(env, "--no-prejoin", "--link", link)
    try:
        return float(_wait_in_log(folder, _READY, timeout).group(1)) - started
    finally:
        _stop(app)


def warm_run(link: str, folder: Path, timeout: float = 30.0) -> float:
    env = _environment(folder)
    app = _start_app(env)
    try:
        _wait_in_log(folder, _LISTENING, timeout)
        time.sleep(1.0)  # let the idle app settle, as it would be long before a click
        started = time.time()
        handed = subprocess.run(
            runde_command("--no-prejoin", "--link", link), env=env, capture_output=True
        )
        if handed.returncode != 0:
            raise RuntimeError(f"hand-over failed: {handed.stderr.decode()}")
        return float(_wait_in_log(folder, _READY, timeout).group(1)) - started
    finally:
        _stop(app)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    host = start_host(log_level="warning")
    with tempfile.TemporaryDirectory() as scratch:
        sender = start_participant(
            host.link, "Sender", Path(scratch) / "sender.json", 600.0, "--video", "color:0000ff"
        )
        time.sleep(3.0)
        times: dict[str, list[float]] = {"cold": [], "warm": []}
        try:
            # Alternate, so both kinds see the same machine load.
            for n in range(args.runs):
                times["cold"].append(cold_run(host.link, Path(scratch) / f"cold{n}"))
                times["warm"].append(warm_run(host.link, Path(scratch) / f"warm{n}"))
        finally:
            sender.terminate()
            finish(sender)
            host.stop()
    print("| join | runs | to first remote picture: median s | min s | max s |")
    print("|---|---|---|---|---|")
    for kind, values in times.items():
        print(
            f"| {kind} | {len(values)} | {statistics.median(values):.2f} | {min(values):.2f} "
            f"| {max(values):.2f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
