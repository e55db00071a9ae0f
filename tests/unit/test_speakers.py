"""Audio forwarding picks the loudest speakers and does not flap between equal voices."""

from __future__ import annotations

import time
from collections.abc import Callable

from client.sfu.speakers import SpeakerSelector


class Meeting:
    """Publishers sending audio packets at given levels (0 dBov loudest, 127 silence)."""

    def __init__(self, max_speakers: int) -> None:
        self.selector = SpeakerSelector(max_speakers)
        self.gates: dict[str, Callable[[tuple[bool, int] | None], bool]] = {}

    def speak(self, levels: dict[str, int | None], seconds: float) -> dict[str, bool]:
        """``None`` stands for packets without the audio-level extension."""
        for name in levels:
            self.gates.setdefault(name, self.selector.gate_for(name))
        admitted: dict[str, bool] = {}
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for name, level in levels.items():
                admitted[name] = self.gates[name](None if level is None else (False, level))
            time.sleep(0.02)
        return admitted


def test_only_the_loudest_are_forwarded() -> None:
    meeting = Meeting(max_speakers=2)  # admits 3: each of them hears the 2 others
    admitted = meeting.speak({"a": 10, "b": 20, "c": 30, "d": 120, "e": 127}, 0.6)
    assert admitted == {"a": True, "b": True, "c": True, "d": False, "e": False}


def test_small_meetings_forward_everyone() -> None:
    meeting = Meeting(max_speakers=3)
    admitted = meeting.speak({"a": 127, "b": 127, "c": 127, "d": 127}, 0.4)
    assert all(admitted.values())


def test_a_new_loud_speaker_takes_over_from_a_quiet_one() -> None:
    meeting = Meeting(max_speakers=1)  # admits 2
    meeting.speak({"a": 10, "b": 20, "c": 127}, 0.5)
    admitted = meeting.speak({"a": 10, "b": 127, "c": 5}, 1.0)
    assert admitted == {"a": True, "b": False, "c": True}


def test_senders_without_a_level_are_always_forwarded() -> None:
    meeting = Meeting(max_speakers=1)  # admits 2 of those who can be ranked
    unranked = {f"x{n}": None for n in range(5)}
    admitted = meeting.speak({**unranked, "a": 10, "b": 20, "c": 127}, 0.6)
    assert all(admitted[name] for name in unranked)
    assert admitted == {**dict.fromkeys(unranked, True), "a": True, "b": True, "c": False}
