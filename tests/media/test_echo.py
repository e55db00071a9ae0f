"""Echo cancellation: what the speakers play and the microphone picks up again is removed."""

# The echo path is real audio: PulseAudio loops the speaker's monitor back into the
# microphone feed, as a laptop's speakers reach its microphone.

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import numpy as np
import pytest
from numpy.typing import NDArray

from client.media.microphone import MicrophoneTrack
from client.media.playout import AudioPlayout
from client.media.processing import AudioProcessor
from tests.audio import MICROPHONE_SINK, SPEAKER_SINK, PulseServer, missing, pulse_device_index
from tests.media.support import ScriptedTrack, playing


@pytest.fixture
def echo_path(pulse: PulseServer) -> Iterator[None]:
    module = pulse.pactl(
        "load-module",
        "module-loopback",
        f"source={SPEAKER_SINK}.monitor",
        f"sink={MICROPHONE_SINK}",
        "latency_msec=30",
    ).strip()
    yield
    pulse.pactl("unload-module", module)


async def collect(track: MicrophoneTrack, into: list[NDArray[np.int16]]) -> None:
    while True:
        frame = await track.recv()
        into.append(frame.to_ndarray().ravel().astype(np.int16))


def rms(chunks: list[NDArray[np.int16]], last_seconds: float) -> float:
    samples = np.concatenate(chunks)[-round(last_seconds * 48000) :].astype(np.float64)
    return float(np.sqrt(np.mean(samples**2)))


def test_the_far_end_is_not_sent_back(echo_path: None) -> None:
    processor = AudioProcessor.create(
        echo_cancellation=True, noise_suppression=False, high_pass_filter=True
    )
    if processor is None:
        missing(
            "the livekit wheel (WebRTC audio processing) is not installed", "pip install livekit"
        )

    async def scenario() -> None:
        device = pulse_device_index()
        playout = AudioPlayout(device, processor=processor)
        plain = MicrophoneTrack(device)  # hears the echo, side by side with the processed one
        cleaned = MicrophoneTrack(device, processor=processor)
        heard: dict[str, list[NDArray[np.int16]]] = {"plain": [], "cleaned": []}
        readers = [
            asyncio.ensure_future(collect(plain, heard["plain"])),
            asyncio.ensure_future(collect(cleaned, heard["cleaned"])),
        ]
        try:
            await playing(playout)
            playout.add_source("far", ScriptedTrack(440, lambda n: n * 0.02))
            await asyncio.sleep(5.0)  # the canceller adapts within a few seconds
        finally:
            for reader in readers:
                reader.cancel()
            await asyncio.gather(*readers, return_exceptions=True)
            await playout.close()
            plain.stop()
            cleaned.stop()
        echo, residue = rms(heard["plain"], 1.5), rms(heard["cleaned"], 1.5)
        assert echo > 2000, "the loop really brings the far end into the microphone"
        assert residue < echo / 10, f"echo {echo:.0f} RMS, after cancellation {residue:.0f}"

    asyncio.run(scenario())
