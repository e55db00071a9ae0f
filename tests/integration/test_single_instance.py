"""One Runde per user: later starts hand their link to the running app, as a clicked link does.

The app runs as a real process (offscreen Qt) with its own runtime, config and data folders;
"later starts" are real `runde --link LINK` processes, as the OS link handler starts them.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from client.protocol.link import LinkForm, MeetingLink
from tests.helpers import runde_command, wait_for

SECRET = "s3cr3t-s3cr3t-s3cr3t-s3cr3t"
LINK = MeetingLink("127.0.0.1", 9, "roomA", SECRET, bytes(32)).to_text()
OTHER_LINK = MeetingLink("127.0.0.1", 9, "roomB", SECRET, bytes(32)).to_text(LinkForm.RUNDE)


def until(predicate: Callable[[], bool], within: float, what: str) -> None:
    assert wait_for(predicate, within), f"not within {within} s: {what}"


@dataclass
class Desktop:
    """The folders one user's session gives Runde."""

    root: Path

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_RUNTIME_DIR": str(self.root / "run"),
            "XDG_CONFIG_HOME": str(self.root / "config"),
            "XDG_DATA_HOME": str(self.root / "data"),
        }

    @property
    def socket_path(self) -> Path:
        return self.root / "run" / "runde" / "instance-v1.sock"

    def log(self) -> str:
        return "".join(p.read_text() for p in (self.root / "data").rglob("runde.log"))

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            runde_command("--log-level", "info", *args),
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def later_start(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            runde_command(*args), env=self.env, capture_output=True, text=True, timeout=30
        )


@pytest.fixture
def desktop(tmp_path: Path) -> Desktop:
    (tmp_path / "run").mkdir(mode=0o700)
    return Desktop(tmp_path)


@pytest.fixture
def running_app(desktop: Desktop) -> Iterator[subprocess.Popen[str]]:
    app = desktop.start()
    until(lambda: "taking links from later starts" in desktop.log(), 30, "app listening")
    yield app
    if app.poll() is None:
        app.terminate()
        try:
            app.wait(15)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()


def test_a_later_start_hands_its_link_to_the_running_app(
    desktop: Desktop, running_app: subprocess.Popen[str]
) -> None:
    result = desktop.later_start("--link", LINK)
    assert result.returncode == 0, result.stderr
    until(lambda: "opening https://127.0.0.1:9/r/roomA" in desktop.log(), 10, "link opened")
    assert running_app.poll() is None, "the running app must keep running"

    result = desktop.later_start("--no-prejoin", "--link", OTHER_LINK)
    assert result.returncode == 0, result.stderr
    until(lambda: "opening https://127.0.0.1:9/r/roomB" in desktop.log(), 10, "second link")
    assert SECRET not in desktop.log(), "the meeting secret must not reach the log"


def test_a_bad_link_is_refused_before_anything_starts(
    desktop: Desktop, running_app: subprocess.Popen[str]
) -> None:
    result = desktop.later_start("--link", "runde://127.0.0.1:9/roomA#k=short&fp=x")
    assert result.returncode == 2
    assert "meeting secret" in result.stderr
    time.sleep(0.5)
    assert "opening" not in desktop.log()


def test_a_stale_socket_of_a_killed_app_is_taken_over(desktop: Desktop) -> None:
    first = desktop.start()
    until(lambda: "taking links from later starts" in desktop.log(), 30, "first app")
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert desktop.socket_path.exists(), "a killed app leaves its socket behind"

    second = desktop.start()
    try:
        until(lambda: desktop.log().count("taking links from later starts") == 2, 30, "second app")
        result = desktop.later_start("--link", LINK)
        assert result.returncode == 0, result.stderr
        until(lambda: "opening https://127.0.0.1:9/r/roomA" in desktop.log(), 10, "opened")
    finally:
        second.terminate()
        second.wait(15)


def _ask(path: Path, payload: bytes) -> dict[str, object]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(10)
        client.connect(str(path))
        client.sendall(payload)
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = client.recv(4096)
            if not chunk:
                break
            reply += chunk
    value = json.loads(reply)
    assert isinstance(value, dict)
    return value


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        (b"not json\n", "not JSON"),
        (b'{"v": 2, "action": "open"}\n', "version 2"),
        (b'{"v": 1, "action": "open", "link": "runde://x\\" --evil"}\n', "link"),
        (b'{"v": 1, "action": "delete"}\n', "malformed"),
        (b"x" * 9000, "too long"),
    ],
)
def test_malformed_requests_get_a_reason_and_change_nothing(
    desktop: Desktop, running_app: subprocess.Popen[str], payload: bytes, problem: str
) -> None:
    reply = _ask(desktop.socket_path, payload)
    assert reply["ok"] is False
    assert problem in str(reply["error"])
    assert "opening" not in desktop.log()
    assert running_app.poll() is None
