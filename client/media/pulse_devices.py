"""Sound devices as the Linux desktop names them, through PulseAudio (or PipeWire's pulse).

PortAudio reaches these servers through ALSA's ``pulse`` device only, so it lists "pulse"
and "default" instead of "Jabra Evolve 65" or "Built-in Audio". The server itself knows
the names; a chosen one is opened by PortAudio's ``pulse`` device with ``PULSE_SOURCE`` or
``PULSE_SINK`` naming it (ALSA's pulse plugin reads them when a stream opens).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Literal

logger = logging.getLogger(__name__)

PREFIX = "pulse:"  # how a chosen server device is stored in the settings
_ENVIRONMENT = {"input": "PULSE_SOURCE", "output": "PULSE_SINK"}


@dataclass(frozen=True)
class PulseDevice:
    name: str  # the server's name, e.g. alsa_input.usb-Jabra…
    description: str  # what the desktop shows, e.g. "Jabra Evolve 65 Mono"


def list_pulse_devices(kind: Literal["input", "output"]) -> list[PulseDevice] | None:
    """The server's microphones (monitors of outputs left out) or speakers; None when no
    PulseAudio or PipeWire server answers (or pulsectl and libpulse are missing)."""
    try:
        import pulsectl  # type: ignore[import-untyped, unused-ignore]
    except (ImportError, OSError):
        return None
    try:
        with pulsectl.Pulse("runde-devices", connect=False) as pulse:
            pulse.connect()
            if kind == "input":
                items = [s for s in pulse.source_list() if s.monitor_of_sink_name is None]
            else:
                items = list(pulse.sink_list())
    except Exception as exc:  # pulsectl raises its own errors, OSError or ctypes' on a bad lib
        logger.info("the sound server lists no devices (%s): PortAudio's names are used", exc)
        return None
    return [PulseDevice(str(item.name), str(item.description)) for item in items]


def route_to(kind: Literal["input", "output"], setting: str) -> bool:
    """Point the next stream of ``kind`` at the server device in ``setting`` (or unpoint it).

    Returns True when ``setting`` names a server device: then it opens through ``pulse``.
    """
    variable = _ENVIRONMENT[kind]
    if setting.startswith(PREFIX):
        os.environ[variable] = setting.removeprefix(PREFIX)
        return True
    os.environ.pop(variable, None)  # the system default, or a device PortAudio names itself
    return False
