"""Cold join time of the app: `python -m tests.bench.join_time [--runs 5]`.

From starting `runde --no-prejoin --link LINK` (offscreen Qt, a fresh settings folder with a
name in it) to the first remote picture ready for its tile, against a headless host on
127.0.0.1 with one headless participant sending video. Prints a table.
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

_READY = re.compile(r"first remote picture ready at (\d+\.\d+)")


def one_run(link: str, folder: Path, timeout: float = 30.0) -> float:
    config = folder / "config" / "Runde"
    config.mkdir(parents=True, exist_ok=True)
    (config / "Runde.conf").write_text("[user]\ndisplay_name=Bench\ncamera_on=false\n")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_DATA_HOME": str(folder / "data"),
    }
    started = time.time()
    app = subprocess.Popen(
        runde_command("--log-level", "info", "--bind", LOOPBACK, "--no-prejoin", "--link", link),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    logs = folder / "data"  # Qt puts the app's folder under here (org/app/logs)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = "".join(p.read_text() for p in logs.rglob("runde.log"))
            match = _READY.search(text)
            if match:
                return float(match.group(1)) - started
            time.sleep(0.05)
        raise RuntimeError(f"no remote picture within {timeout} s; see the log in {logs}")
    finally:
        app.terminate()
        app.wait(10)


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
        try:
            times = [one_run(host.link, Path(scratch) / f"run{n}") for n in range(args.runs)]
        finally:
            sender.terminate()
            finish(sender)
            host.stop()
    print("| runs | cold join to first remote picture: median s | min s | max s |")
    print("|---|---|---|---|")
    print(
        f"| {len(times)} | {statistics.median(times):.2f} | {min(times):.2f} | {max(times):.2f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
