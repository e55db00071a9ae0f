"""Runde without a window: the SFU as a small server, and a participant for scripts and tests."""

from client.headless.host import run_host
from client.headless.participant import HeadlessParticipant, ShareSettings
from client.headless.stats import ParticipantStats, RemoteCounts, save_screen_snapshot, write_stats

__all__ = [
    "HeadlessParticipant",
    "ParticipantStats",
    "RemoteCounts",
    "ShareSettings",
    "run_host",
    "save_screen_snapshot",
    "write_stats",
]
