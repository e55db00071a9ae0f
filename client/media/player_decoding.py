"""How aiortc's ``MediaPlayer`` reads a file, test signal or device: one decoder per pass.

aiortc's player thread takes each frame with ``next(container.decode(...))``: a fresh PyAV
decode generator per frame, dropped after its first frame. PyAV's demuxer allocates a packet
and a stream table when such a generator starts and frees them only when it finishes, which
a dropped one never does: about 270 bytes of native memory per frame, ~1 MiB a minute for a
participant sending a test picture and a tone (measured in docs/benchmarks.md). Here each pass
over the source reads from one generator, closed when the pass ends. Everything else is what
the player did: audio becomes 20 ms of 48 kHz stereo s16 with continuous timestamps, video
timestamps start at zero, reading runs at most about a second ahead of the wall clock (for
files and test signals), and the end of the source (or an error) ends both tracks.

:func:`install` puts this in the player's place for the whole process (through
:mod:`client.compat`); it is called before a player opens.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fractions
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import av
from aiortc import MediaStreamTrack
from av.audio.frame import AudioFrame
from av.container import InputContainer
from av.frame import Frame
from av.video.frame import VideoFrame

from client import compat
from client.media.capture_track import close_decoder

logger = logging.getLogger(__name__)

AUDIO_RATE = 48000
AUDIO_FRAME_SAMPLES = 960  # 20 ms, what the Opus encoder takes
READ_AHEAD_S = 1.0

_installed = False


def install() -> None:
    """From now on every ``MediaPlayer`` in this process reads through :func:`decode_source`
    (idempotent)."""
    global _installed
    if not _installed:
        compat.replace_player_decoding(decode_source)
        _installed = True


class _Tracks:
    """Hands frames to the player's tracks on their event loop, from the reading thread."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        audio: MediaStreamTrack | None,
        video: MediaStreamTrack | None,
    ) -> None:
        self._loop = loop
        self.audio = compat.player_track_queue(audio) if audio is not None else None
        self.video = compat.player_track_queue(video) if video is not None else None

    def put(self, queue: asyncio.Queue[Frame | None], frame: Frame | None) -> None:
        # the queues have no limit: put_nowait cannot fail, and needs no coroutine per frame
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody reads the tracks now
            self._loop.call_soon_threadsafe(queue.put_nowait, frame)

    def end(self) -> None:
        for queue in (self.audio, self.video):
            if queue is not None:
                self.put(queue, None)


def decode_source(
    loop: asyncio.AbstractEventLoop,
    container: InputContainer,
    streams: list[Any],
    audio_track: MediaStreamTrack | None,
    video_track: MediaStreamTrack | None,
    quit_event: threading.Event,
    throttle_playback: bool,
    loop_playback: bool,
) -> None:
    """The player thread's work (the signature aiortc's player starts its thread with)."""
    tracks = _Tracks(loop, audio_track, video_track)
    resampler = av.AudioResampler(
        format="s16", layout="stereo", rate=AUDIO_RATE, frame_size=AUDIO_FRAME_SAMPLES
    )
    audio_samples = 0
    audio_time_base = fractions.Fraction(1, AUDIO_RATE)
    first_video_pts: int | None = None
    read_up_to = 0.0  # the time of the last frame handed on, in the source's clock
    started = time.time()
    frames: Iterator[Frame] = container.decode(*streams)
    try:
        while not quit_event.is_set():
            try:
                frame = next(frames)
            except StopIteration:
                if not loop_playback:
                    break
                container.seek(0)
                frames = container.decode(*streams)
                continue
            except av.FFmpegError as exc:
                # the generator ended with the error (and freed what it held): a new one
                frames = container.decode(*streams)
                if exc.errno == errno.EAGAIN:  # a device with nothing ready yet
                    time.sleep(0.01)
                    continue
                logger.warning("reading %s failed: %s", container.name, exc)
                break
            except Exception as exc:  # the thread's edge: the tracks end, the log says why
                logger.warning("reading %s failed: %r", container.name, exc)
                break
            if throttle_playback and read_up_to > time.time() - started + READ_AHEAD_S:
                time.sleep(0.1)
            if isinstance(frame, AudioFrame) and tracks.audio is not None:
                for piece in resampler.resample(frame):
                    piece.pts = audio_samples
                    piece.time_base = audio_time_base
                    audio_samples += piece.samples
                    read_up_to = float(piece.time or 0.0)
                    tracks.put(tracks.audio, piece)
            elif isinstance(frame, VideoFrame) and tracks.video is not None:
                if frame.pts is None:
                    continue  # no time to send it at
                if first_video_pts is None:
                    first_video_pts = frame.pts  # a camera's clock does not start at zero
                frame.pts -= first_video_pts
                read_up_to = float(frame.time or 0.0)
                tracks.put(tracks.video, frame)
    finally:
        close_decoder(frames)  # frees the demuxer's packet now, not never
        tracks.end()
