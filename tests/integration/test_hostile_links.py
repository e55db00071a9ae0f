"""Links as the OS link handler hands them over: hostile ones are refused and start nothing.

Each case runs the real `runde` command with the argv a desktop builds from the registered
`runde --link %u` (Linux) or `runde --link "%1"` (Windows) line. A refused start must exit
with code 2 and a sentence naming the problem, before any window, log file or instance socket
exists.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from client.protocol.link import MeetingLink
from tests.helpers import runde_command

GOOD = MeetingLink("127.0.0.1", 9, "room", "k" * 32, bytes(32)).to_text()


def start_as_link_handler(tmp_path: Path, *argv: str | bytes) -> subprocess.CompletedProcess[str]:
    (tmp_path / "run").mkdir(mode=0o700, exist_ok=True)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(tmp_path / "run"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    command: list[str | bytes] = [*runde_command(), *argv]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        # `runde --link "%1"` with a link that closes the quote: the rest becomes arguments.
        (("--link", 'runde://x"', "--evil"), "--link must be the last option"),
        (("--link", "runde://x", "--log-level", "debug"), "--link must be the last option"),
        (("--link", "--version"), "--link must be the last option"),
        (("--link",), "--link must be the last option"),
        (("--link", GOOD + "\n--evil"), "line breaks"),
        (("--link", GOOD.replace("#", "\r\n#")), "line breaks"),
        (("--link", "runde://127.0.0.1:9/" + "a" * 5000), "longer than 512"),
        (("--link", b"runde://127.0.0.1:9/r\xff\xfe#k=x"), "not valid UTF-8"),
        (("--link", GOOD.replace("https://", "file://")), "unknown link scheme"),
        (("--link", GOOD.replace("https://", "javascript://")), "unknown link scheme"),
        (("--link", GOOD.replace("127.0.0.1", "evil.example;rm")), "not a valid host"),
        (("--link", GOOD.replace("https://", "https://user:pw@")), "user name or password"),
    ],
)
def test_hostile_links_are_refused_before_anything_starts(
    tmp_path: Path, argv: tuple[str | bytes, ...], problem: str
) -> None:
    result = start_as_link_handler(tmp_path, *argv)
    assert result.returncode == 2, result.stderr
    assert problem in result.stderr
    assert not (tmp_path / "data").exists(), "no log file: the app must not have started"
    assert list((tmp_path / "run").iterdir()) == [], "no instance lock or socket either"
