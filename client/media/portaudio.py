"""Loads sounddevice (PortAudio) once and closes its streams without raising into the app."""

from __future__ import annotations

import logging
import sys
from types import ModuleType
from typing import Any, Literal

logger = logging.getLogger(__name__)

_WINDOWS = sys.platform == "win32"  # a plain flag: mypy checks every platform's branch


def load() -> ModuleType | None:
    """The sounddevice module, or None (logged) when the PortAudio library is missing."""
    try:
        import sounddevice
    except (ImportError, OSError) as exc:
        logger.warning("sound devices are unavailable, PortAudio cannot be loaded: %s", exc)
        return None
    module: ModuleType = sounddevice
    return module


def device_name(device: int | None, kind: Literal["input", "output"]) -> str | None:
    """The name PortAudio gives a device (None: the default of ``kind``); None if unknown."""
    sd = load()
    if sd is None:
        return None
    try:
        return str(sd.query_devices(device, kind=kind)["name"])
    except (ValueError, sd.PortAudioError):
        return None


def start_stream(stream: Any) -> None:
    """Starts a stream; one that cannot start is closed before the error goes on."""
    try:
        stream.start()
    except Exception:
        stream.close()
        raise


def close_stream(stream: Any, label: str) -> None:
    """Stops and closes a stream whose device may already be gone or hung."""
    sd = load()
    try:
        # abort, not stop: stop waits for the device to take the pending buffers, which a
        # hung device never does (measured: 41 s on a suspended PulseAudio source)
        stream.abort()
        stream.close()
    except Exception as exc:
        if sd is None or not isinstance(exc, sd.PortAudioError):
            raise
        logger.debug("closing %s: %s", label, exc)


# PortAudio's "low" suggested latency (a few ms of device buffer) instead of sounddevice's
# default "high" (~45 ms out, ~25 ms in here): speech is a conversation, and the playout's
# jitter buffer already absorbs the network's unevenness.
LATENCY = "low"


def extra_settings(sd: ModuleType, device: int | None, kind: Literal["input", "output"]) -> Any:
    """WASAPI (Windows) refuses rates other than the mixer's unless asked to convert."""
    if not _WINDOWS:
        return None
    try:
        info = sd.query_devices(device, kind=kind)
        host_api = str(sd.query_hostapis(info["hostapi"])["name"])
    except (ValueError, sd.PortAudioError):
        return None
    return sd.WasapiSettings(auto_convert=True) if "WASAPI" in host_api else None
