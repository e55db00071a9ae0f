"""Plays the remote voices: one jitter buffer per source, mixed in the sound card's callback."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from dataclasses import dataclass
from typing import Any

import av
import numpy as np
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError
from numpy.typing import NDArray

from client.media import portaudio
from client.media.audio_receive import is_concealed
from client.media.failure import ErrorCallback, FailureReport
from client.media.jitter import JitterBuffer, SourceStats
from client.media.lip_sync import AvSync
from client.media.pcm import packed_s16
from client.media.processing import APM_FRAME, AudioProcessor

logger = logging.getLogger(__name__)

SAMPLE_RATE = 48000
BLOCK_FRAMES = APM_FRAME  # 10 ms per callback: what the echo canceller takes
_LAYOUTS = {1: "mono", 2: "stereo"}
_STALL_REPORT_S = 3.0  # no callback for this long while sources play: the device is gone


@dataclass(frozen=True)
class PlayoutStats:
    """For a diagnostics view: the device's side and each source's buffer."""

    sources: tuple[SourceStats, ...]
    frames_played: int  # audio frames written to the device
    output_underflows: int  # the device ran out before the callback delivered
    latency_ms: float  # the device's output latency
    error: str | None
    # per source: how long its pictures are now held back to meet its sound (lip sync)
    picture_holds_ms: tuple[tuple[str, float], ...] = ()


@dataclass
class _Source:
    track: MediaStreamTrack
    buffer: JitterBuffer
    task: asyncio.Task[None] | None = None
    resampler: av.AudioResampler | None = None
    sync: AvSync | None = None  # told when each frame will be heard, for the pictures


class AudioPlayout:
    """Mixes remote audio tracks onto one output device (``device``: PortAudio index or None).

    ``add_source`` starts a task reading the track into the source's jitter buffer; the
    sounddevice callback mixes all buffers. When the device cannot open or fails, ``on_error``
    gets one sentence (from the caller's or the audio thread); the tracks are still read (and
    their audio dropped) so nothing piles up, and the meeting goes on without sound.
    """

    def __init__(
        self,
        device: int | None = None,
        *,
        name: str | None = None,
        on_error: ErrorCallback | None = None,
        processor: AudioProcessor | None = None,
        channels: int = 2,
        target_ms: float = 40.0,  # the start; each voice's buffer then follows its jitter
        max_ms: float = 200.0,
    ) -> None:
        self.device = device
        self.channels = channels
        self._target_ms, self._max_ms = target_ms, max_ms
        self._failure = FailureReport("speaker", on_error)
        self._processor = processor
        self._sources: dict[str, _Source] = {}
        self._syncs: dict[str, AvSync] = {}  # per source key, shared with its pictures
        self._buffers: tuple[JitterBuffer, ...] = ()  # replaced whole: the callback reads it
        self._frames_played = 0
        self._output_underflows = 0
        self._last_callback: float | None = None
        self._closing = False
        self._generation = 0  # of the open stream: a replaced one's end is not a failure
        label = name or portaudio.device_name(device, "output")
        self._label = f"'{label}'" if label else "(system default)"
        self._stream = self._open()
        self._opened_at = time.monotonic()

    @property
    def error(self) -> str | None:
        return self._failure.message

    def sync_for(self, key: str) -> AvSync:
        """The lip sync of source ``key``: its pictures wait for its sound through it."""
        sync = self._syncs.get(key)
        if sync is None:
            sync = self._syncs[key] = AvSync()
        return sync

    def add_source(self, key: str, track: MediaStreamTrack) -> None:
        """Plays ``track`` (replacing an earlier source of the same key); needs a running loop."""
        self._stop_source(key)  # its pictures keep their sync
        source = _Source(track, JitterBuffer(self.channels, self._target_ms, self._max_ms))
        source.sync = self.sync_for(key)
        source.task = asyncio.get_running_loop().create_task(
            self._pump(key, source), name=f"playout {key}"
        )
        self._sources[key] = source
        self._buffers = tuple(s.buffer for s in self._sources.values())

    def remove_source(self, key: str) -> None:
        self._syncs.pop(key, None)
        self._stop_source(key)

    def _stop_source(self, key: str) -> None:
        source = self._sources.pop(key, None)
        if source is None:
            return
        self._buffers = tuple(s.buffer for s in self._sources.values())
        if source.task is not None:
            source.task.cancel()

    async def close(self) -> None:
        """Stops reading every source and closes the device."""
        self._closing = True
        tasks = [s.task for s in self._sources.values() if s.task is not None]
        for key in list(self._sources):
            self.remove_source(key)
        await asyncio.gather(*tasks, return_exceptions=True)
        stream, self._stream = self._stream, None
        if stream is not None:
            portaudio.close_stream(stream, f"speakers {self._label}")

    def close_device(self) -> None:
        """Closes the device; the sources are still read (and dropped) until ``open_device``."""
        self._generation += 1
        stream, self._stream = self._stream, None
        if stream is not None:
            portaudio.close_stream(stream, f"speakers {self._label}")

    def open_device(self, device: int | None, name: str | None = None) -> None:
        """Plays on ``device`` from now on; the voices keep their buffers."""
        self.close_device()
        self.device = device
        label = name or portaudio.device_name(device, "output")
        self._label = f"'{label}'" if label else "(system default)"
        self._failure.reset()
        self._opened_at, self._last_callback = time.monotonic(), None
        self._stream = self._open()

    def stats(self) -> PlayoutStats:
        latency = float(self._stream.latency) * 1000 if self._stream is not None else 0.0
        return PlayoutStats(
            # a copy first: sources come and go on the media loop while the window asks
            sources=tuple(s.buffer.stats(key) for key, s in list(self._sources.items())),
            frames_played=self._frames_played,
            output_underflows=self._output_underflows,
            latency_ms=round(latency, 1),
            error=self._failure.message,
            picture_holds_ms=tuple(
                (key, round(sync.last_hold_s * 1000, 1)) for key, sync in list(self._syncs.items())
            ),
        )

    # --- sources (event loop) ----------------------------------------------------------------

    async def _pump(self, key: str, source: _Source) -> None:
        try:
            while True:
                frame = await source.track.recv()
                if not isinstance(frame, av.AudioFrame):
                    continue
                arrival, media = time.monotonic(), _media_samples(frame)
                concealed = is_concealed(frame)
                if source.sync is not None and media is not None:
                    # heard once what is buffered ahead of it and the device's buffer played
                    ahead_s = source.buffer.buffered_ms / 1000 + self._output_latency()
                    source.sync.audio_heard(media, arrival + ahead_s)
                for samples in self._convert(source, frame):
                    source.buffer.push(samples, media, arrival, concealed)
                    media = None  # one arrival per frame is enough for the jitter estimate
                self._check_stalled()
        except MediaStreamError:
            logger.info("the audio of %s ended", key)

    def _convert(self, source: _Source, frame: av.AudioFrame) -> list[NDArray[np.int16]]:
        """Frames as (frames, channels) s16 at 48 kHz; aiortc's Opus decoder already gives that."""
        layout = _LAYOUTS[self.channels]
        if (
            frame.format.name == "s16"
            and frame.sample_rate == SAMPLE_RATE
            and frame.layout.name == layout
        ):
            return [_s16(frame, self.channels)]
        if source.resampler is None:
            source.resampler = av.AudioResampler(format="s16", layout=layout, rate=SAMPLE_RATE)
        try:
            converted = source.resampler.resample(frame)
        except (av.FFmpegError, ValueError) as exc:
            logger.debug("cannot convert a frame (%s): %s", frame, exc)
            return []
        return [_s16(f, self.channels) for f in converted]

    def _output_latency(self) -> float:
        stream = self._stream
        return float(stream.latency) if stream is not None else 0.0

    def _check_stalled(self) -> None:
        if self._stream is None or self._failure.message is not None:
            return
        since = self._last_callback or self._opened_at
        if time.monotonic() - since > _STALL_REPORT_S:
            self._fail(f"the speakers {self._label} stopped playing (disconnected?)")

    # --- device (audio thread) ---------------------------------------------------------------

    def _open(self) -> Any:
        sd = portaudio.load()
        if sd is None:
            self._fail(f"the speakers {self._label} cannot be used: PortAudio is missing")
            return None
        try:
            stream = sd.OutputStream(
                device=self.device,
                samplerate=SAMPLE_RATE,
                channels=self.channels,
                dtype="int16",
                blocksize=BLOCK_FRAMES,
                callback=self._callback,
                finished_callback=functools.partial(self._finished, self._generation),
                extra_settings=portaudio.extra_settings(sd, self.device, "output"),
                latency=portaudio.LATENCY,
            )
            portaudio.start_stream(stream)
        except (sd.PortAudioError, ValueError) as exc:
            self._fail(f"the speakers {self._label} could not be opened: {exc}")
            return None
        if self._processor is not None:
            self._processor.set_render_latency(float(stream.latency))
        return stream

    def _callback(self, outdata: NDArray[np.int16], frames: int, _time: Any, status: Any) -> None:
        if status.output_underflow:
            self._output_underflows += 1
        mix = np.zeros((frames, self.channels), dtype=np.int32)
        for buffer in self._buffers:
            samples = buffer.pull(frames)
            if samples is not None:
                mix += samples
        np.clip(mix, -32768, 32767, out=mix)
        outdata[:] = mix
        if self._processor is not None:
            self._processor.process_render(outdata)
        self._frames_played += frames
        self._last_callback = time.monotonic()

    def _finished(self, generation: int) -> None:
        # PortAudio ends a stream by itself only when the device or sound server failed
        # (a stream closed on purpose, or replaced by another device, says nothing).
        if not self._closing and generation == self._generation:
            self._fail(f"the speakers {self._label} stopped playing (disconnected?)")

    def _fail(self, message: str) -> None:
        self._failure.fail(message)


def _media_samples(frame: av.AudioFrame) -> int | None:
    """The frame's media time in 48 kHz samples (its RTP timestamp), when it has one."""
    if frame.pts is None or frame.time_base is None:
        return None
    return int(frame.pts * frame.time_base * SAMPLE_RATE)


def _s16(frame: av.AudioFrame, channels: int) -> NDArray[np.int16]:
    """A packed s16 frame as (frames, channels); no copy."""
    return packed_s16(frame).reshape(-1, channels)
