"""A microphone as an aiortc audio track: 20 ms frames of 48 kHz mono from sounddevice."""

from __future__ import annotations

import fractions
import functools
import logging
import math
import time
from typing import Any

import av
import numpy as np
from aiortc import AudioStreamTrack
from aiortc.mediastreams import MediaStreamError
from numpy.typing import NDArray

from client.media import portaudio
from client.media.failure import ErrorCallback, FailureReport
from client.media.handoff import Handoff
from client.media.processing import AudioProcessor

logger = logging.getLogger(__name__)

SAMPLE_RATE = 48000
FRAME_SAMPLES = 960  # 20 ms, what Opus packs into one packet
FRAME_S = FRAME_SAMPLES / SAMPLE_RATE
# The device delivers 10 ms blocks, two of which make a frame: PortAudio keeps two blocks in
# the device's buffer, so a 20 ms block would hold each sound 20 ms longer before we see it.
BLOCK_SAMPLES = FRAME_SAMPLES // 2
TIME_BASE = fractions.Fraction(1, SAMPLE_RATE)
QUEUE_FRAMES = 5  # 100 ms: more would only add delay
MIN_DBFS = -100.0

# How long recv() waits for the device before it sends silence, and how long the device may
# stay silent (no callback at all) before the user is told.
_STALL_GRACE_S = 0.1
_STALL_REPORT_S = 5.0


class MicrophoneTrack(AudioStreamTrack):
    """Sound from a microphone (``device``: a PortAudio index, None for the system default).

    The stream opens at once, so ``level_dbfs`` works before a meeting starts. While muted the
    track sends silence and the stream stays open (the level still shows the voice, so a UI
    can say "you are muted"). When the device cannot open or fails, ``on_error`` gets one
    sentence (from the caller's or the audio thread) and the track sends silence, so the
    meeting goes on.
    """

    kind = "audio"

    def __init__(
        self,
        device: int | None = None,
        *,
        name: str | None = None,
        on_error: ErrorCallback | None = None,
        processor: AudioProcessor | None = None,
    ) -> None:
        super().__init__()
        self.device = device
        self.silence_frames = 0  # sent because the device had nothing
        self.blocks_received = 0  # 20 ms frames the device delivered
        self._failure = FailureReport("microphone", on_error)
        self._processor = processor
        self._muted = False
        self._level = MIN_DBFS
        self._queue: Handoff[NDArray[np.int16]] = Handoff(maxlen=QUEUE_FRAMES)
        self._first_half: NDArray[np.int16] | None = None  # of the frame being recorded
        self._pts = 0
        self._silence_due: float | None = None
        self._closing = False
        self._generation = 0  # of the open stream: a replaced one's end is not a failure
        self._opened_at = time.monotonic()
        self._last_callback: float | None = None
        self._label = _describe(name or portaudio.device_name(device, "input"), device)
        self._stream = self._open()

    @property
    def muted(self) -> bool:
        return self._muted

    @muted.setter
    def muted(self, value: bool) -> None:
        self._muted = value

    @property
    def level_dbfs(self) -> float:
        """RMS of the last 20 ms the device delivered, in dBFS (``MIN_DBFS`` for silence)."""
        return self._level

    @property
    def error(self) -> str | None:
        return self._failure.message

    @property
    def dropped_frames(self) -> int:
        """Frames the device delivered while recv() fell behind, dropped to keep delay low."""
        return self._queue.dropped

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        samples = await self._next_samples()
        if self._muted:
            samples = np.zeros(FRAME_SAMPLES, dtype=np.int16)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = self._pts
        frame.time_base = TIME_BASE
        self._pts += FRAME_SAMPLES
        return frame

    def stop(self) -> None:
        """Closes the device stream; recv() raises MediaStreamError from now on."""
        super().stop()
        self._closing = True
        self._queue.close()
        stream, self._stream = self._stream, None
        if stream is None:
            return
        portaudio.close_stream(stream, f"microphone {self._label}")

    def close_device(self) -> None:
        """Closes the device but not the track: it sends silence until ``open_device``."""
        self._generation += 1
        stream, self._stream = self._stream, None
        if stream is not None:
            portaudio.close_stream(stream, f"microphone {self._label}")

    def open_device(self, device: int | None, name: str | None = None) -> None:
        """Records from ``device`` from now on (the same track: no renegotiation)."""
        self.close_device()
        self.device = device
        self._label = _describe(name or portaudio.device_name(device, "input"), device)
        self._failure.reset()
        self._opened_at, self._last_callback = time.monotonic(), None
        self._stream = self._open()

    async def _next_samples(self) -> NDArray[np.int16]:
        """The next 20 ms from the device, or silence paced in real time when it has none."""
        if self._silence_due is None:
            samples = await self._queue.get_within(FRAME_S + _STALL_GRACE_S)
            if samples is not None:
                return samples
            self._silence_due = time.monotonic()
        else:
            samples = await self._queue.get_within(max(0.0, self._silence_due - time.monotonic()))
            if samples is not None:
                self._silence_due = None
                return samples
        self._silence_due += FRAME_S
        self.silence_frames += 1
        self._check_stalled()
        return np.zeros(FRAME_SAMPLES, dtype=np.int16)

    def _check_stalled(self) -> None:
        if self._stream is None or self._failure.message is not None:
            return
        since = self._last_callback or self._opened_at
        if time.monotonic() - since > _STALL_REPORT_S:
            self._fail(f"the microphone {self._label} delivers no sound any more")

    # --- device ------------------------------------------------------------------------------

    def _open(self) -> Any:
        sd = portaudio.load()
        if sd is None:
            self._fail(f"the microphone {self._label} cannot be used: PortAudio is missing")
            return None
        reason = "unknown error"
        self._first_half = None
        for channels in (1, 2):  # some devices only record in stereo
            try:
                stream = sd.InputStream(
                    device=self.device,
                    samplerate=SAMPLE_RATE,
                    channels=channels,
                    dtype="int16",
                    blocksize=BLOCK_SAMPLES,
                    callback=self._callback,
                    finished_callback=functools.partial(self._finished, self._generation),
                    extra_settings=portaudio.extra_settings(sd, self.device, "input"),
                    latency=portaudio.LATENCY,
                )
                portaudio.start_stream(stream)
            except (sd.PortAudioError, ValueError) as exc:
                reason = str(exc)
                continue
            if self._processor is not None:
                self._processor.set_capture_latency(float(stream.latency))
            return stream
        self._fail(f"the microphone {self._label} could not be opened: {reason}")
        return None

    def _callback(self, indata: NDArray[np.int16], frames: int, _time: Any, _status: Any) -> None:
        """PortAudio's thread: one 10 ms block (``blocksize`` makes every block that long)."""
        samples = indata[:, 0].copy()
        if self._processor is not None:
            samples = self._processor.process_capture(samples)
        self._last_callback = time.monotonic()
        first_half, self._first_half = self._first_half, None
        if first_half is None:
            self._first_half = samples
            return
        frame = np.concatenate((first_half, samples))
        self._level = dbfs(frame)
        self.blocks_received += 1
        self._queue.put(frame)

    def _finished(self, generation: int) -> None:
        # PortAudio ends a stream by itself only when the device or sound server failed
        # (a stream closed on purpose, or replaced by another device, says nothing).
        if not self._closing and generation == self._generation:
            self._fail(f"the microphone {self._label} stopped working (disconnected?)")

    def _fail(self, message: str) -> None:
        self._failure.fail(message)


def dbfs(samples: NDArray[np.int16]) -> float:
    """RMS level in dB relative to full scale, floored at ``MIN_DBFS``."""
    if samples.size == 0:
        return MIN_DBFS
    as_float = samples.astype(np.float64).ravel()
    rms = math.sqrt(float(np.dot(as_float, as_float)) / as_float.size)
    if rms <= 0:
        return MIN_DBFS
    return max(MIN_DBFS, 20 * math.log10(rms / 32768))


def _describe(name: str | None, device: int | None) -> str:
    if name:
        return f"'{name}'"
    return "(system default)" if device is None else f"#{device}"
