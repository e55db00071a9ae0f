"""The administrator's background policy as `runde join --headless` obeys it (real processes)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from client.protocol.link import MeetingLink, new_room_id, new_secret
from tests.helpers import runde_command

EXIT_POLICY = 6
# a well-formed link to a port nobody listens on: the refusal comes before connecting
LINK = MeetingLink("127.0.0.1", 9, new_room_id(), new_secret(), bytes(32)).to_text()


def join(tmp_path: Path, policy: dict[str, object], *args: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(policy))
    env = {**os.environ, "RUNDE_POLICY_FILE": str(path)}
    return subprocess.run(
        runde_command("join", LINK, "--headless", "--duration", "1", *args),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_blur_required_refuses_turning_it_off(tmp_path: Path) -> None:
    result = join(tmp_path, {"background_effect": "blur"}, "--background", "none")
    assert result.returncode == EXIT_POLICY, result.stderr
    assert "requires the background effect 'blur'" in result.stderr
    assert "'none' is not allowed" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_own_pictures_forbidden_refuses_a_picture_file(tmp_path: Path) -> None:
    picture = tmp_path / "beach.png"
    picture.write_bytes(b"")
    result = join(
        tmp_path, {"own_background_pictures_allowed": False}, "--background", str(picture)
    )
    assert result.returncode == EXIT_POLICY, result.stderr
    assert "does not allow your own background pictures" in result.stderr


def test_an_unknown_effect_is_a_usage_error_naming_the_choices(tmp_path: Path) -> None:
    result = join(tmp_path, {}, "--background", "picture:beach")
    assert result.returncode == 2, result.stderr
    assert "picture:beach" in result.stderr and "blur-strong" in result.stderr
