"""Passes a remote audio track through and remembers how loud it is: the speaking indicator."""

from __future__ import annotations

import av
from aiortc import MediaStreamTrack

from client.media.microphone import MIN_DBFS, dbfs
from client.media.pcm import packed_s16

SPEAKING_DBFS = -45.0  # above this a voice is speaking; Opus comfort noise stays below


class LevelProbeTrack(MediaStreamTrack):
    """Wraps ``source``; ``level_dbfs`` is the loudness of the last frame that went through."""

    kind = "audio"

    def __init__(self, source: MediaStreamTrack) -> None:
        super().__init__()
        self._source = source
        self.level_dbfs = MIN_DBFS

    @property
    def speaking(self) -> bool:
        return self.level_dbfs > SPEAKING_DBFS

    async def recv(self) -> av.AudioFrame:
        frame = await self._source.recv()
        if isinstance(frame, av.AudioFrame) and frame.format.name == "s16":
            self.level_dbfs = dbfs(packed_s16(frame))
        return frame  # type: ignore[return-value]

    def stop(self) -> None:
        super().stop()
        self._source.stop()
