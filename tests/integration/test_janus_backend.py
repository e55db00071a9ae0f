"""Runde participants in a real Janus VideoRoom, through MeetingSession and JanusBackend.

Janus skips loopback, so Janus and the participants run in a network namespace of their own
(two ends of a veth pair, no route out); that needs root and the Debian `janus` package.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bench.janus_server import (
    JanusRoom,
    JanusServer,
)
from tests.bench.netns import CLIENT_ADDRESS, Namespace
from tests.helpers import finish
from tests.integration.janus_namespace import janus_in_namespace

pytestmark = pytest.mark.janus

ROOM = 1234
PIN_ROOM = 4321
PIN = "2468"
NAMES = ("Anna", "Bernd")  # stay 8 s
LEAVER = "Clara"  # leaves after 4 s


@pytest.fixture(scope="module")
def janus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Namespace, JanusServer]]:
    rooms = [JanusRoom(ROOM), JanusRoom(PIN_ROOM, pin=PIN)]
    with janus_in_namespace(tmp_path_factory.mktemp("janus"), rooms) as found:
        yield found


def _participant(namespace: Namespace, name: str, room: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        namespace.command(
            [
                sys.executable,
                "-m",
                "tests.bench.janus_participant",
                "--room",
                str(room),
                "--name",
                name,
                "--bind",
                CLIENT_ADDRESS,
                *extra,
            ]
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_participants_decode_each_other_and_see_a_leaver_go(
    janus: tuple[Namespace, JanusServer], tmp_path: Path
) -> None:
    namespace, server = janus
    stats = {name: tmp_path / f"{name}.json" for name in (*NAMES, LEAVER)}
    processes = {
        name: _participant(
            namespace,
            name,
            ROOM,
            "--duration",
            "4" if name == LEAVER else "8",
            "--stats-json",
            str(stats[name]),
        )
        for name in (*NAMES, LEAVER)
    }
    for name, process in processes.items():
        code, err = finish(process)
        assert code == 0, f"{name} failed: {err[-2000:]}\nJanus:\n{server.log_tail()}"
    received = {name: json.loads(path.read_text()) for name, path in stats.items()}
    for name in NAMES:
        others = {*NAMES, LEAVER} - {name}
        # Names come from Janus's publisher list: the display name each one joined with.
        assert set(received[name]["remotes"]) == others, received[name]
        for other in others:
            remote = received[name]["remotes"][other]
            # 15 fps test video and 50 audio frames/s over at least 3 s of overlap.
            assert remote["video_frames"] >= 20, (name, other, remote)
            assert remote["audio_frames"] >= 80, (name, other, remote)
        # The other stayer may also be seen leaving, right at the end.
        assert received[name]["left"][:1] == [LEAVER], received[name]
        assert received[name]["streams_ended"][:1] == [LEAVER], received[name]
    for other in NAMES:
        assert received[LEAVER]["remotes"][other]["video_frames"] >= 20, received[LEAVER]


@pytest.mark.parametrize(
    ("room", "extra", "sentence"),
    [
        (999, (), "the Janus room 999 does not exist"),
        (PIN_ROOM, (), f"the Janus room {PIN_ROOM} needs a PIN"),
        (PIN_ROOM, ("--pin", "1111"), f"the Janus room {PIN_ROOM} refused the PIN"),
    ],
)
def test_a_refused_join_names_the_problem(
    janus: tuple[Namespace, JanusServer], room: int, extra: tuple[str, ...], sentence: str
) -> None:
    namespace, _ = janus
    code, err = finish(_participant(namespace, "Clara", room, "--duration", "1", *extra))
    assert code == 3, err
    assert f"could not join the meeting: {sentence}" in err, err
