"""The background effect around any video track (the headless participant's sources).

The desktop camera applies its :class:`BackgroundStage` on its capture thread; a source
without a thread of its own gets one here, so the effect never blocks the event loop.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import av
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError
from av.frame import Frame
from av.packet import Packet

from client.media.background.stage import BackgroundStage


class BackgroundTrack(MediaStreamTrack):
    """``source``'s pictures through ``stage``. Stopping it stops ``source``."""

    kind = "video"

    def __init__(self, source: MediaStreamTrack, stage: BackgroundStage) -> None:
        super().__init__()
        self.source = source
        self.stage = stage
        # one worker: pictures stay in order and the stage is applied by one thread at a time
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="background")

    async def recv(self) -> Frame | Packet[Any]:
        if self.readyState != "live":
            raise MediaStreamError
        frame = await self.source.recv()
        if not isinstance(frame, av.VideoFrame) or not self.stage.choice.is_on:
            return frame
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker, self.stage.apply, frame)

    def stop(self) -> None:
        super().stop()
        self.source.stop()
        self._worker.shutdown(wait=False)
