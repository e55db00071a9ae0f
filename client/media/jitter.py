"""The playout buffer of one remote voice: as small as its link allows, bounded, and following
the sender's clock. This is the only place received audio waits (see
:mod:`client.media.audio_receive`); its target follows the measured arrival jitter
(:mod:`client.media.arrival_jitter`)."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from client.media.arrival_jitter import ArrivalJitter

SAMPLE_RATE = 48000

# Drift: the average fill is followed over about a second of 10 ms pulls. Beyond these bands
# around the target a sample is dropped or repeated per pull (0.2 % faster or slower: not
# audible in speech); when far too full (after a burst) one more per 10 ms of excess, up to
# 2.5 %, so extra delay drains in seconds rather than minutes.
_AVERAGE_WEIGHT = 0.01
_HIGH_BAND_MS = 20.0
_LOW_BAND_MS = 10.0
_EXCESS_STEP_MS = 10.0
_MAX_DROP_PER_PULL = 12


@dataclass(frozen=True)
class SourceStats:
    """What one remote voice's buffer went through; counts since it was added.

    ``late_frames``: received frames that came after their source had run dry (its time was
    already filled with silence). ``dropped_frames``: received frames thrown away because the
    buffer went over its maximum. ``frames_played``: audio frames (one sample per channel)
    taken from the buffer. ``drift_corrections``: samples dropped or repeated to follow the
    sender's clock.
    """

    key: str
    buffered_ms: float
    underruns: int
    late_frames: int
    dropped_frames: int
    frames_played: int
    drift_corrections: int
    target_ms: float = 0.0  # what the buffer aims to hold, from the measured jitter
    concealed_frames: int = 0  # received frames filled in for lost packets


class JitterBuffer:
    """Audio pushed by a network task, pulled by the sound card's callback thread.

    Playback starts (and restarts after running dry) once the target is buffered. The target
    starts at ``target_ms`` and, for frames pushed with their media time, follows the measured
    arrival jitter between ``min_target_ms`` and 60 % of ``max_ms``. Over ``max_ms`` the oldest
    audio is dropped back down to the target; a fill that stays above or below the target is
    corrected by dropping or repeating single samples.
    """

    def __init__(
        self,
        channels: int = 2,
        target_ms: float = 60.0,
        max_ms: float = 200.0,
        min_target_ms: float = 20.0,
    ) -> None:
        if not 0 < min_target_ms <= target_ms < max_ms:
            raise ValueError("need 0 < min_target_ms <= target_ms < max_ms")
        self.channels = channels
        self.target = _samples(target_ms)
        self.maximum = _samples(max_ms)
        self._jitter = ArrivalJitter(min_target_ms, max(target_ms, 0.6 * max_ms), target_ms)
        self.concealed_frames = 0
        self.underruns = 0
        self.late_frames = 0
        self.dropped_frames = 0
        self.frames_played = 0
        self.drift_corrections = 0
        self._chunks: deque[NDArray[np.int16]] = deque()
        self._offset = 0  # into the first chunk
        self._fill = 0
        self._buffering = True
        self._starved = False
        self._average_fill = float(self.target)
        self._lock = threading.Lock()

    @property
    def buffered_ms(self) -> float:
        return self._fill * 1000 / SAMPLE_RATE

    def push(
        self,
        samples: NDArray[np.int16],
        media_samples: int | None = None,
        arrival_s: float | None = None,
        concealed: bool = False,
    ) -> None:
        """Received audio, shaped (frames, channels); with its media time (48 kHz samples,
        from the RTP timestamp) and arrival time (monotonic) the target follows the jitter."""
        if media_samples is not None and arrival_s is not None:
            target = _samples(self._jitter.add(arrival_s, media_samples))
        else:
            target = self.target
        with self._lock:
            self.target = target
            self.concealed_frames += concealed
            if self._starved:
                self.late_frames += 1
            self._chunks.append(samples)
            self._fill += len(samples)
            if self._fill > self.maximum:
                self._drop_oldest(self._fill - self.target)

    def pull(self, frames: int) -> NDArray[np.int16] | None:
        """The next ``frames`` to play, or None while there is nothing to play yet."""
        with self._lock:
            if self._buffering:
                if self._fill < self.target:
                    return None
                self._buffering = self._starved = False
            if self._fill < frames:
                return self._run_dry(frames)
            take = frames + self._drift_step(frames)
            out = self._take(min(take, self._fill))
            if len(out) != frames:
                self.drift_corrections += abs(len(out) - frames)
                out = _stretch(out, frames)
            self.frames_played += frames
            return out

    def stats(self, key: str) -> SourceStats:
        with self._lock:
            return SourceStats(
                key=key,
                buffered_ms=round(self.buffered_ms, 1),
                underruns=self.underruns,
                late_frames=self.late_frames,
                dropped_frames=self.dropped_frames,
                frames_played=self.frames_played,
                drift_corrections=self.drift_corrections,
                target_ms=round(self.target * 1000 / SAMPLE_RATE, 1),
                concealed_frames=self.concealed_frames,
            )

    def _run_dry(self, frames: int) -> NDArray[np.int16]:
        # Play what is left, then silence; wait for the target again before playing on.
        out = np.zeros((frames, self.channels), dtype=np.int16)
        left = self._take(self._fill)
        out[: len(left)] = left
        self.frames_played += len(left)
        self.underruns += 1
        self._buffering = self._starved = True
        self._average_fill = float(self.target)
        return out

    def _drift_step(self, frames: int) -> int:
        """Extra samples to take this pull: >0 drops, <0 repeats, to hold the target fill."""
        self._average_fill += _AVERAGE_WEIGHT * (self._fill - self._average_fill)
        excess_ms = (self._average_fill - self.target) * 1000 / SAMPLE_RATE
        if excess_ms > _HIGH_BAND_MS:
            return min(_MAX_DROP_PER_PULL, int((excess_ms - _HIGH_BAND_MS) // _EXCESS_STEP_MS) + 1)
        if excess_ms < -_LOW_BAND_MS:
            return -1
        return 0

    def _take(self, count: int) -> NDArray[np.int16]:
        parts = []
        while count > 0:
            head = self._chunks[0]
            part = head[self._offset : self._offset + count]
            parts.append(part)
            count -= len(part)
            self._advance(len(part))
        if not parts:
            return np.zeros((0, self.channels), dtype=np.int16)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _drop_oldest(self, count: int) -> None:
        while count > 0:
            head_left = len(self._chunks[0]) - self._offset
            dropped = min(head_left, count)
            self._advance(dropped)
            self.dropped_frames += 1
            count -= dropped

    def _advance(self, count: int) -> None:
        self._offset += count
        self._fill -= count
        if self._offset >= len(self._chunks[0]):
            self._chunks.popleft()
            self._offset = 0


def _samples(ms: float) -> int:
    return round(ms * SAMPLE_RATE / 1000)


def _stretch(samples: NDArray[np.int16], frames: int) -> NDArray[np.int16]:
    """Resamples a block to ``frames`` by linear interpolation (for a few samples' difference)."""
    if len(samples) == 0:
        return np.zeros((frames, samples.shape[1]), dtype=np.int16)
    source = np.arange(len(samples))
    target = np.linspace(0, len(samples) - 1, frames)
    columns = [np.interp(target, source, samples[:, c]) for c in range(samples.shape[1])]
    return np.round(np.stack(columns, axis=1)).astype(np.int16)
