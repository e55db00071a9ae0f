"""Raised hands, in the order they went up."""

from __future__ import annotations


class HandQueue:
    def __init__(self) -> None:
        self._queue: list[str] = []

    def raise_hand(self, participant_id: str) -> bool:
        """True when this changed the queue (a second raise keeps the first place)."""
        if participant_id in self._queue:
            return False
        self._queue.append(participant_id)
        return True

    def lower(self, participant_id: str) -> bool:
        if participant_id not in self._queue:
            return False
        self._queue.remove(participant_id)
        return True

    @property
    def queue(self) -> list[str]:
        return list(self._queue)
