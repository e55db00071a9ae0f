"""Fixtures of the media tests: the PulseAudio server from tests.audio."""

from tests.audio import pulse

__all__ = ["pulse"]
