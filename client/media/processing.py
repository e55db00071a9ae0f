"""Echo cancellation and noise suppression by the WebRTC audio processing module (optional)."""

from __future__ import annotations

import logging
import threading
from typing import Any

import numpy as np
from numpy.typing import NDArray

logger = logging.getLogger(__name__)

SAMPLE_RATE = 48000
APM_FRAME = 480  # the module takes 10 ms frames and nothing else


class AudioProcessor:
    """One WebRTC audio processing module shared by the microphone and the playout.

    The playout gives it what the speakers play (``process_render``), the microphone what it
    records (``process_capture``); the echo of the first is removed from the second. Both may
    be called from their own audio threads. ``create`` returns None when the ``livekit`` wheel
    that carries the module is not installed: then audio passes through unprocessed.
    """

    def __init__(self, apm: Any, rtc: Any) -> None:
        self._apm = apm
        self._rtc = rtc
        self._lock = threading.Lock()  # the delay is set from both audio threads
        self._capture_latency = 0.0
        self._render_latency = 0.0

    @classmethod
    def create(
        cls,
        *,
        echo_cancellation: bool = True,
        noise_suppression: bool = True,
        high_pass_filter: bool = True,
        auto_gain_control: bool = False,
    ) -> AudioProcessor | None:
        try:
            from livekit import rtc  # type: ignore[import-not-found, unused-ignore]
        except (ImportError, OSError) as exc:
            logger.warning("no echo cancellation: the livekit audio module is missing (%s)", exc)
            return None
        apm = rtc.AudioProcessingModule(
            echo_cancellation=echo_cancellation,
            noise_suppression=noise_suppression,
            high_pass_filter=high_pass_filter,
            auto_gain_control=auto_gain_control,
        )
        return cls(apm, rtc)

    def process_capture(self, samples: NDArray[np.int16]) -> NDArray[np.int16]:
        """Cleans recorded mono audio; its length must be a multiple of 10 ms."""
        out = np.array(samples, dtype=np.int16, copy=True)
        for start in range(0, len(out), APM_FRAME):
            chunk = out[start : start + APM_FRAME]
            frame = self._rtc.AudioFrame(bytearray(chunk.tobytes()), SAMPLE_RATE, 1, APM_FRAME)
            self._apm.process_stream(frame)
            chunk[:] = np.frombuffer(frame.data, dtype=np.int16)
        return out

    def process_render(self, samples: NDArray[np.int16]) -> None:
        """Learns what the speakers play: (frames, channels), a multiple of 10 ms."""
        channels = samples.shape[1] if samples.ndim == 2 else 1
        for start in range(0, len(samples), APM_FRAME):
            chunk = np.ascontiguousarray(samples[start : start + APM_FRAME])
            frame = self._rtc.AudioFrame(
                bytearray(chunk.tobytes()), SAMPLE_RATE, channels, APM_FRAME
            )
            self._apm.process_reverse_stream(frame)

    def set_capture_latency(self, seconds: float) -> None:
        with self._lock:
            self._capture_latency = seconds
            self._update_delay()

    def set_render_latency(self, seconds: float) -> None:
        with self._lock:
            self._render_latency = seconds
            self._update_delay()

    def _update_delay(self) -> None:
        # The echo reaches the microphone after both the output and the input latency.
        delay_ms = round((self._capture_latency + self._render_latency) * 1000)
        try:
            self._apm.set_stream_delay_ms(delay_ms)
        except RuntimeError as exc:
            logger.warning("echo canceller refused a delay of %d ms: %s", delay_ms, exc)
