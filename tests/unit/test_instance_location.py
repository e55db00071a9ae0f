"""Where the single-instance lock and socket or pipe live."""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

import pytest

from client.instance import location
from client.instance.location import LocationError, instance_location


@pytest.fixture
def windows_profile(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Stands in for Windows (no Windows here): the platform name, the user name and a
    private LOCALAPPDATA; the code under test uses only portable file calls."""
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(location.getpass, "getuser", lambda: "Ute Müller")
    profile = tmp_path / "Ute" / "AppData" / "Local"
    monkeypatch.setenv("LOCALAPPDATA", str(profile))
    return profile


def test_the_windows_pipe_name_carries_a_private_random_part(windows_profile: Path) -> None:
    first = instance_location().server_name
    match = re.fullmatch(r"runde-Ute_M_ller-([A-Za-z0-9_-]{22})-v1", first)
    assert match, first
    assert instance_location().server_name == first, "the same name on every start"
    stored = windows_profile / "Runde" / "instance-name"
    assert stored.read_text() == match.group(1)


def test_another_profile_gets_another_pipe_name(
    windows_profile: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ours = instance_location().server_name
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Bernd" / "AppData" / "Local"))
    assert instance_location().server_name != ours


def test_a_damaged_stored_name_is_replaced(windows_profile: Path) -> None:
    stored = windows_profile / "Runde" / "instance-name"
    stored.parent.mkdir(parents=True)
    stored.write_text('x" --evil')
    name = instance_location().server_name
    assert "evil" not in name and stored.read_text() in name


@pytest.mark.skipif(sys.platform == "win32", reason="the Unix socket folder")
def test_a_socket_folder_open_to_others_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    runtime = tmp_path / "run"
    (runtime / "runde").mkdir(parents=True)
    os.chmod(runtime / "runde", 0o777)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    with pytest.raises(LocationError, match="open to other users"):
        instance_location()
    os.chmod(runtime / "runde", 0o700)
    assert instance_location().server_name == str(runtime / "runde" / "instance-v1.sock")
    assert stat.S_IMODE((runtime / "runde").stat().st_mode) == 0o700
