"""How often the segmentation model runs, following what this computer can carry.

The blend runs on every picture (it is cheap); the model, the costly part, runs on every
n-th one and the pictures between reuse its (time-smoothed) mask. Over each window the
share of wall time the effect took is compared with limits: too busy and the model runs
less often, down to a few times a second; still too busy then, and the effect must turn
itself off, before the camera drops pictures for it. Calm windows bring the model back.
"""

from __future__ import annotations

from dataclasses import dataclass

MODEL_RATE = 7.5  # model runs a second when the computer has room: edges follow movement
MIN_MODEL_RATE = 2.0  # fewer, and a moving person leaves the mask behind


@dataclass(frozen=True)
class CadenceChange:
    every: int  # the model now runs on every n-th picture
    busy_share: float  # of the window that decided it
    turn_off: bool = False  # the effect costs too much even at the slowest model rate


class ModelCadence:
    """Fed each picture's time spent; answers when the model's rate changes."""

    def __init__(
        self,
        fps: float,
        window_s: float = 2.0,
        busy_limit: float = 0.5,
        calm_limit: float = 0.2,
        overload_limit: float = 0.85,
        overloaded_windows: int = 3,
        calm_windows: int = 3,
    ) -> None:
        self.base_every = max(1, round(fps / MODEL_RATE))
        self.max_every = max(self.base_every, round(fps / MIN_MODEL_RATE))
        self.every = self.base_every
        self._window_s = window_s
        self._busy_limit = busy_limit
        self._calm_limit = calm_limit
        self._overload_limit = overload_limit
        self._overloaded_needed = overloaded_windows
        self._calm_needed = calm_windows
        self._window_start: float | None = None
        self._busy_s = 0.0
        self._overloaded = 0
        self._calm = 0

    def relieve(self) -> bool:
        """The sender falls behind (the camera is about to send smaller pictures): run the
        model half as often. False when it already runs as seldom as it may."""
        if self.every >= self.max_every:
            return False
        self.every = min(self.max_every, self.every * 2)
        self._calm = 0
        return True

    def observe(self, now: float, spent_s: float) -> CadenceChange | None:
        """Call after each picture with monotonic time and the seconds it took."""
        if self._window_start is None:
            self._window_start = now - spent_s
        self._busy_s += spent_s
        elapsed = now - self._window_start
        if elapsed < self._window_s:
            return None
        share = self._busy_s / elapsed
        self._window_start, self._busy_s = now, 0.0
        if share > self._busy_limit:
            self._calm = 0
            if self.every < self.max_every:
                self.every = min(self.max_every, self.every * 2)
                return CadenceChange(self.every, share)
            self._overloaded = self._overloaded + 1 if share > self._overload_limit else 0
            if self._overloaded >= self._overloaded_needed:
                return CadenceChange(self.every, share, turn_off=True)
            return None
        self._overloaded = 0
        self._calm = self._calm + 1 if share < self._calm_limit else 0
        if self._calm >= self._calm_needed and self.every > self.base_every:
            self._calm = 0
            self.every = max(self.base_every, self.every // 2)
            return CadenceChange(self.every, share)
        return None
