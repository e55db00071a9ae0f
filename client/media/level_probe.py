"""Passes a remote audio track through and remembers how loud it is: the speaking indicator."""

from __future__ import annotations

import av
import numpy as np
from aiortc import MediaStreamTrack

SILENCE_DBFS = -100.0
SPEAKING_DBFS = -45.0  # above this a voice is speaking; Opus comfort noise stays below


class LevelProbeTrack(MediaStreamTrack):
    """Wraps ``source``; ``level_dbfs`` is the loudness of the last frame that went through."""

    kind = "audio"

    def __init__(self, source: MediaStreamTrack) -> None:
        super().__init__()
        self._source = source
        self.level_dbfs = SILENCE_DBFS

    @property
    def speaking(self) -> bool:
        return self.level_dbfs > SPEAKING_DBFS

    async def recv(self) -> av.AudioFrame:
        frame = await self._source.recv()
        if isinstance(frame, av.AudioFrame):
            samples = frame.to_ndarray().astype(np.float64)
            rms = float(np.sqrt(np.mean(samples * samples))) if samples.size else 0.0
            self.level_dbfs = 20 * np.log10(rms / 32768) if rms > 0 else SILENCE_DBFS
        return frame  # type: ignore[return-value]

    def stop(self) -> None:
        super().stop()
        self._source.stop()
