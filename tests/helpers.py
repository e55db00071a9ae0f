"""Starting the real `runde` command in subprocesses, as users and outside checks do."""

from __future__ import annotations

import asyncio
import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOOPBACK = "127.0.0.1"


def runde_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "client", *args]


@dataclass
class HostProcess:
    process: subprocess.Popen[str]
    link: str  # the participants' link (the first line)
    moderator_link: str = ""  # the second line

    def stop(self, timeout: float = 10.0) -> str:
        """SIGTERM the host like an operator would; returns its stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            _, err = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        return err


def start_host(
    *extra: str,
    log_level: str = "info",
    bind: str = LOOPBACK,
    wrap: Callable[[list[str]], list[str]] = list,
) -> HostProcess:
    """``runde host --headless`` on ``bind``; ``wrap`` puts the command into a network
    namespace a test made (``ip netns exec …``). Waits for its two links."""
    process = subprocess.Popen(
        wrap(runde_command("--log-level", log_level, "host", "--headless", "--bind", bind, *extra)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 20.0)
    if not ready:
        process.kill()
        raise RuntimeError(f"the host printed no link: {process.communicate()[1][-2000:]}")
    link = process.stdout.readline().strip()
    moderator_link = process.stdout.readline().strip()
    if not link or not moderator_link:
        raise RuntimeError(f"the host exited: {process.communicate()[1][-2000:]}")
    return HostProcess(process, link, moderator_link)


def start_participant(
    link: str,
    name: str,
    stats: Path,
    duration: float,
    *extra: str,
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        runde_command(
            "join",
            link,
            "--headless",
            "--name",
            name,
            "--bind",
            LOOPBACK,
            "--duration",
            str(duration),
            "--stats-json",
            str(stats),
            *extra,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def finish(process: subprocess.Popen[str], timeout: float = 60.0) -> tuple[int, str]:
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return process.returncode, err


def read_stats(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def wait_for(predicate: Any, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


async def until(predicate: Callable[[], bool], within: float, what: str = "the condition") -> None:
    """Wait on the running loop until ``predicate()`` holds; fail naming ``what``."""
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within} s: {what}")
        await asyncio.sleep(0.05)
