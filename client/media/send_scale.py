"""How large the camera's pictures go out while this computer cannot encode every one.

The sender takes the newest captured picture whenever it is ready for one; a picture it
never took was replaced in the hand-off. When more than a fifth are skipped over a window,
encoding (or the loop driving it) is short of CPU. Then smaller pictures go out, whose cost
falls with their area, rather than fewer: a steady frame rate reads better for faces. After a
calm spell the size steps back up; each step up that brings the skipping back doubles the
calm spell the next one waits for.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

logger = logging.getLogger(__name__)

# 1280x720 -> 960x540 -> 640x360
SCALES = (1.0, 0.75, 0.5)
MIN_WIDTH = 320  # below this a face is no longer worth the pixels saved


@dataclass(frozen=True)
class ScaleChange:
    scale: float
    skipped_share: float  # of the pictures captured in the window that decided it


class SendScale:
    """Fed the running counts of captured and taken pictures; answers when to change size."""

    def __init__(
        self,
        full_width: int,
        window_s: float = 2.0,
        skip_limit: float = 0.2,
        calm_limit: float = 0.05,
        calm_windows: int = 5,
        max_calm_windows: int = 40,
    ) -> None:
        self._scales = [s for s in SCALES if s == 1.0 or full_width * s >= MIN_WIDTH]
        self._level = 0
        self._window_s = window_s
        self._skip_limit = skip_limit
        self._calm_limit = calm_limit
        self._calm_needed = calm_windows
        self._max_calm = max_calm_windows
        self._calm = 0
        self._windows_since_up: int | None = None
        self._window_start: float | None = None
        self._captured_at_start = 0
        self._taken_at_start = 0

    @property
    def scale(self) -> float:
        return self._scales[self._level]

    def observe(self, now: float, captured: int, taken: int) -> ScaleChange | None:
        """Call with monotonic time and running counts; returns the change to make, if any."""
        if self._window_start is None or now - self._window_start < self._window_s:
            if self._window_start is None:
                self._restart(now, captured, taken)
            return None
        captured_in_window = captured - self._captured_at_start
        taken_in_window = taken - self._taken_at_start
        self._restart(now, captured, taken)
        if captured_in_window < 5 or taken_in_window == 0:
            return None  # a camera this slow, or no sender yet: nothing to judge
        skipped = max(0.0, 1.0 - taken_in_window / captured_in_window)
        if self._windows_since_up is not None:
            self._windows_since_up += 1
        if skipped > self._skip_limit:
            return self._step_down(skipped)
        self._calm = self._calm + 1 if skipped < self._calm_limit else 0
        if self._level > 0 and self._calm >= self._calm_needed:
            self._level -= 1
            self._calm = 0
            self._windows_since_up = 0
            return ScaleChange(self.scale, skipped)
        return None

    def _step_down(self, skipped: float) -> ScaleChange | None:
        self._calm = 0
        if self._windows_since_up is not None and self._windows_since_up <= 2:
            # The last step up did not hold: wait longer before the next one.
            self._calm_needed = min(self._calm_needed * 2, self._max_calm)
        self._windows_since_up = None
        if self._level == len(self._scales) - 1:
            return None
        self._level += 1
        return ScaleChange(self.scale, skipped)

    def _restart(self, now: float, captured: int, taken: int) -> None:
        self._window_start = now
        self._captured_at_start = captured
        self._taken_at_start = taken
