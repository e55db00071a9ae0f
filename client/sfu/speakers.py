"""Choosing whose audio to forward: only the loudest few speakers reach the others.

Publishers mark each Opus packet with its level (RFC 6464, 0 = loudest, 127 = silence).
Forwarding every microphone to everyone costs packets for silence; a meeting only ever
needs the few people who are actually talking.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

SILENCE_DBOV = 127
_SMOOTHING = 0.2  # weight of a new packet's loudness in the running average
_RESELECT_INTERVAL = 0.25  # seconds between re-ranking speakers
_INCUMBENT_BONUS = 6.0  # hysteresis: equal voices don't take turns being cut off


@dataclass
class _Speaker:
    loudness: float = 0.0  # 0 = silent, 127 = full scale
    last_packet: float = 0.0


class SpeakerSelector:
    """Keeps a running loudness per publisher and admits the loudest.

    ``max_speakers + 1`` publishers are admitted, so that each admitted speaker still hears
    ``max_speakers`` others besides themself.
    """

    def __init__(self, max_speakers: int = 3) -> None:
        self.max_admitted = max_speakers + 1
        self._speakers: dict[str, _Speaker] = {}
        self._admitted: set[str] = set()
        self._last_ranking = 0.0
        # Publishers whose microphone is off by the room's record (they, or a moderator,
        # muted it): their audio goes nowhere, whatever their client still sends.
        self._silenced: set[str] = set()

    def silence(self, publisher_id: str, silenced: bool) -> None:
        if silenced:
            self._silenced.add(publisher_id)
        else:
            self._silenced.discard(publisher_id)

    def gate_for(self, publisher_id: str) -> _Gate:
        self._speakers[publisher_id] = _Speaker()
        self._admitted.add(publisher_id)
        return _Gate(self, publisher_id)

    def forget(self, publisher_id: str) -> None:
        self._speakers.pop(publisher_id, None)
        self._admitted.discard(publisher_id)

    def admits(self, publisher_id: str, audio_level: tuple[bool, int] | None) -> bool:
        speaker = self._speakers.get(publisher_id)
        if speaker is None or publisher_id in self._silenced:
            return False
        if audio_level is None:
            # A sender without the level extension cannot be ranked: never silence it. It
            # takes no place among the ranked, so it cannot crowd out those who can be.
            return True
        now = time.monotonic()
        level = audio_level[1]
        loudness = float(SILENCE_DBOV - min(max(level, 0), SILENCE_DBOV))
        speaker.loudness += _SMOOTHING * (loudness - speaker.loudness)
        speaker.last_packet = now
        if now - self._last_ranking >= _RESELECT_INTERVAL:
            self._rank(now)
        return publisher_id in self._admitted

    def _rank(self, now: float) -> None:
        self._last_ranking = now
        if len(self._speakers) <= self.max_admitted:
            self._admitted = set(self._speakers)
            return

        def score(item: tuple[str, _Speaker]) -> float:
            publisher_id, speaker = item
            if now - speaker.last_packet >= 1.0:
                return -1.0  # stopped sending: ranked as silent
            bonus = _INCUMBENT_BONUS if publisher_id in self._admitted else 0.0
            return speaker.loudness + bonus

        ranked = sorted(self._speakers.items(), key=score, reverse=True)
        self._admitted = {publisher_id for publisher_id, _ in ranked[: self.max_admitted]}


class _Gate:
    """The per-publisher callable a forwarder asks before sending an audio packet."""

    __slots__ = ("_publisher_id", "_selector")

    def __init__(self, selector: SpeakerSelector, publisher_id: str) -> None:
        self._selector = selector
        self._publisher_id = publisher_id

    def __call__(self, audio_level: tuple[bool, int] | None) -> bool:
        return self._selector.admits(self._publisher_id, audio_level)
