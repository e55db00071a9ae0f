"""A video file played over and over at its own pace (``runde join --video FILE``).

aiortc's ``MediaPlayer(loop=True)`` seeks back to the start at the end, but it paces pictures
by their timestamps, which start at 0 again: from the second pass on it decodes as fast as it
can and queues everything (measured: about 11,500 queued 320x240 pictures, some 1.3 GB, 5.5 s
after opening a 2 s file). Here each pass gets a fresh player, which paces itself, and the
timestamps carry on from the previous pass so receivers see one continuous stream. (Looped
audio is not affected: the player's resampler keeps its clock running across passes.)
"""

from __future__ import annotations

import logging

import av
from aiortc import MediaStreamTrack
from aiortc.contrib.media import MediaPlayer
from aiortc.mediastreams import MediaStreamError

from client.media.catch_up import CatchingUpTrack

logger = logging.getLogger(__name__)

_FALLBACK_FRAME_S = 1 / 30  # a picture's duration before two have been seen


class LoopedVideoFile(MediaStreamTrack):
    """The pictures of ``path``, from the start again after each end.

    ``first`` is the player already opened for the first pass (so a bad file is refused before
    joining). A pass without pictures, or a file that can no longer be opened, ends the track.
    """

    kind = "video"

    def __init__(self, path: str, first: MediaPlayer) -> None:
        super().__init__()
        self._path = path
        self._pass = _paced(first)
        self._offset_s = 0.0  # where the current pass starts on the stream's clock
        self._next_s = 0.0  # when the picture after the last one is due
        self._last_s: float | None = None
        self._frame_s = _FALLBACK_FRAME_S
        self._frames_in_pass = 0

    async def recv(self) -> av.VideoFrame:
        while self.readyState == "live" and self._pass is not None:
            try:
                frame = await self._pass.recv()
            except MediaStreamError:
                if self.readyState != "live" or not self._next_pass():
                    break
                continue
            if isinstance(frame, av.VideoFrame):
                self._continue_clock(frame)
                return frame
        self.stop()
        raise MediaStreamError

    def stop(self) -> None:
        super().stop()
        self._stop_player()

    def _continue_clock(self, frame: av.VideoFrame) -> None:
        self._frames_in_pass += 1
        if frame.pts is None or frame.time_base is None:
            return
        frame.pts += round(self._offset_s / frame.time_base)
        start = float(frame.pts * frame.time_base)
        if self._last_s is not None and start > self._last_s:
            self._frame_s = start - self._last_s
        self._last_s = start
        self._next_s = start + self._frame_s

    def _next_pass(self) -> bool:
        if self._frames_in_pass == 0:
            logger.warning("%s gave no picture in a whole pass: it ends here", self._path)
            return False
        self._stop_player()
        try:
            self._pass = _paced(MediaPlayer(self._path))
        except (av.FFmpegError, OSError, ValueError) as exc:
            logger.warning("%s cannot be played again: %s", self._path, exc)
            return False
        self._offset_s = self._next_s
        self._frames_in_pass = 0
        return True

    def _stop_player(self) -> None:
        if self._pass is not None:
            self._pass.stop()


def _paced(player: MediaPlayer) -> CatchingUpTrack | None:
    # Per pass: each new player starts its own clock, which the skipping has to follow.
    return CatchingUpTrack(player.video) if player.video is not None else None
