"""``runde join --video-snapshot DIR``: on exit, each remote's last camera picture as
``DIR/NAME.png`` (for scripts and tests that look at what arrived)."""

from __future__ import annotations

import re
from pathlib import Path

import av

from client.headless.stats import save_screen_snapshot

_UNSAFE = re.compile(r"[^\w.-]+")


def snapshot_name(display_name: str, taken: set[str]) -> str:
    """A file name for a participant: their name with anything path-like replaced; two
    remotes of the same name get -2, -3 …"""
    base = _UNSAFE.sub("_", display_name).strip("._") or "participant"
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}-{number}"
    taken.add(name)
    return name


def save_video_snapshots(
    folder: Path, snapshots: dict[str, av.VideoFrame], names: dict[str, str]
) -> list[Path]:
    """Writes one PNG per remote; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    written = []
    for participant_id, frame in sorted(snapshots.items()):
        path = folder / f"{snapshot_name(names.get(participant_id, participant_id), taken)}.png"
        save_screen_snapshot(path, frame)
        written.append(path)
    return written
