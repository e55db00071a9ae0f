"""What can go wrong with this computer's camera, microphone and speakers, as values.

The media layer reports failures as English sentences for the log; the window shows a
sentence in the user's language built from the kind and the trouble, and keeps the
technical detail for the diagnostics view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class DeviceKind(StrEnum):
    MICROPHONE = "microphone"
    CAMERA = "camera"
    SPEAKERS = "speakers"


class DeviceTrouble(StrEnum):
    NOT_FOUND = "not_found"  # the computer has none
    FAILED = "failed"  # it could not be opened, or stopped working (unplugged, server gone)


@dataclass(frozen=True)
class DeviceProblem:
    kind: DeviceKind
    trouble: DeviceTrouble
    detail: str  # the media layer's sentence (English), for the log and the diagnostics


# Called from any thread: (kind, the problem, or None when the device works again).
DeviceListener = Callable[[DeviceKind, DeviceProblem | None], None]
