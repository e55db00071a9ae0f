"""Whom the speaker layout shows large: the one speaking, held so the picture does not jump."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping

HOLD_S = 2.0  # someone else speaks this long (while the main speaker is quiet) to take over
PAUSE_S = 0.6  # a pause between words this short still counts as speaking


class ActiveSpeaker:
    """Chooses the main speaker from who is audible, polled about ten times a second.

    The first one heard becomes the main speaker at once. After that the main speaker stays
    until someone else has spoken for ``HOLD_S`` while the main speaker is quiet: a cough, a
    short "yes" or two people talking over each other do not move the large tile. Someone
    whose microphone is off never becomes the main speaker; one who leaves stops being it.
    ``clock`` gives monotonic seconds (tests pass their own).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.current: str | None = None
        self._started: dict[str, float] = {}  # since when each one speaks (short pauses kept)
        self._heard: dict[str, float] = {}  # when each one was last heard

    def update(self, speaking: Mapping[str, bool], microphones: Mapping[str, bool]) -> str | None:
        """``speaking``: who is audible now, by id; ``microphones``: every other participant
        (never we ourselves) with whether their microphone is on. Returns the main speaker,
        None while nobody has spoken yet."""
        now = self.clock()
        for gone in set(self._heard) - set(microphones):
            self._heard.pop(gone, None)
            self._started.pop(gone, None)
        if self.current not in microphones:
            self.current = None
        for participant_id, audible in speaking.items():
            if not audible or participant_id not in microphones:
                continue
            if now - self._heard.get(participant_id, -math.inf) > PAUSE_S:
                self._started[participant_id] = now
            self._heard[participant_id] = now
        talking = sorted(
            (started, participant_id)
            for participant_id, started in self._started.items()
            if microphones.get(participant_id) and self._speaks(participant_id, now)
        )
        if self.current is None:
            if talking:
                self.current = talking[0][1]
            return self.current
        if self._speaks(self.current, now):
            return self.current
        for started, participant_id in talking:
            if participant_id != self.current and now - started >= HOLD_S:
                self.current = participant_id
                break
        return self.current

    def reset(self) -> None:
        """Another meeting: nobody has spoken yet."""
        self.current = None
        self._started.clear()
        self._heard.clear()

    def _speaks(self, participant_id: str, now: float) -> bool:
        return now - self._heard.get(participant_id, -math.inf) <= PAUSE_S
