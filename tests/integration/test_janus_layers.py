"""A Runde camera in layers on a real Janus VideoRoom: viewers receive one layer each.

The publisher sends three pre-encoded layers (180, 90 and 54 rows) on three transceivers of
one PeerConnection and names them in Janus's ``descriptions``; a viewer asking for no size
receives the audio and the 180-row layer only, one asking for at most 100 rows the 90-row
layer. Janus and the participants run in a network namespace of their own (root and the
Debian `janus` package needed), as in test_janus_backend.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="module")
def janus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Namespace, JanusServer]]:
    with janus_in_namespace(tmp_path_factory.mktemp("janus"), [JanusRoom(ROOM)]) as found:
        yield found


def _meeting(namespace: Namespace, server: JanusServer, work: Path) -> dict[str, Any]:
    out = work / "received.json"
    process = subprocess.Popen(
        namespace.command(
            [
                sys.executable,
                "-m",
                "tests.integration.janus_layers_meeting",
                "--url",
                server.url,
                "--room",
                str(ROOM),
                "--bind",
                CLIENT_ADDRESS,
                "--work",
                str(work),
                "--out",
                str(out),
                "--small-height",
                "100",
            ]
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    code, err = finish(process)
    assert code == 0, f"the meeting failed: {err[-2000:]}\nJanus:\n{server.log_tail()}"
    received: dict[str, Any] = json.loads(out.read_text())
    return received


def test_each_viewer_receives_one_layer_of_a_camera_in_layers(
    janus: tuple[Namespace, JanusServer], tmp_path: Path
) -> None:
    namespace, server = janus
    received = _meeting(namespace, server, tmp_path)
    viewer, small = received["Viewer"], received["Small"]
    # one video track from the publisher, not three: Janus forwards the chosen layer only
    assert viewer["tracks"] == {"audio": 1, "video": 1}, received
    assert small["tracks"] == {"audio": 1, "video": 1}, received
    # every picture the viewer decoded has the tallest layer's height; the small one's the
    # tallest not above its 100 rows
    assert set(viewer["heights"]) == {"180"}, received
    assert set(small["heights"]) == {"90"}, received
    # 30 fps clips and 50 audio frames/s over the 2 s watched (and the settling before it)
    for counts in (viewer, small):
        assert counts["video_frames"] >= 30, received
        assert counts["audio_frames"] >= 50, received
