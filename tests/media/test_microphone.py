"""MicrophoneTrack on a real (PulseAudio null-sink) microphone: it hears what is played into it."""

from __future__ import annotations

import asyncio
from fractions import Fraction

import av
import numpy as np
import pytest
from numpy.typing import NDArray

from client.media import microphone
from client.media.microphone import FRAME_SAMPLES, MIN_DBFS, SAMPLE_RATE, MicrophoneTrack
from tests.audio import PulseServer, dominant_frequency, pulse_device_index, start_pulse
from tests.media.support import Errors, run


async def record(
    track: MicrophoneTrack, seconds: float, levels: list[float] | None = None
) -> list[av.AudioFrame]:
    frames = []
    for _ in range(round(seconds / 0.02)):
        frames.append(await asyncio.wait_for(track.recv(), 2))
        if levels is not None:
            levels.append(track.level_dbfs)
    return frames


async def started(track: MicrophoneTrack, within: float = 10.0) -> None:
    """Reads until the device delivers (its first stream in a process may take seconds)."""
    for _ in range(round(within / 0.02)):
        await asyncio.wait_for(track.recv(), 2)
        if track.blocks_received > 0:
            return
    raise AssertionError(f"the microphone delivered nothing within {within} s")


def samples_of(frames: list[av.AudioFrame]) -> NDArray[np.int16]:
    return np.concatenate([f.to_ndarray().ravel() for f in frames]).astype(np.int16)


def loudest(samples: NDArray[np.int16], seconds: float) -> NDArray[np.int16]:
    """The loudest ``seconds`` (the tone), whatever the device's start-up delay was."""
    size = round(seconds * SAMPLE_RATE)
    energy = np.convolve(samples.astype(np.float64) ** 2, np.ones(FRAME_SAMPLES), "valid")
    start = int(np.argmax(energy[: max(1, len(energy) - size)]))
    return samples[start : start + size]


def test_the_microphone_hears_a_1khz_tone(pulse: PulseServer) -> None:
    async def scenario() -> None:
        errors = Errors()
        track = MicrophoneTrack(pulse_device_index(), on_error=errors)
        try:
            await started(track)
            playing = asyncio.ensure_future(
                asyncio.to_thread(pulse.play_tone_into_microphone, 1000, 1.5)
            )
            levels: list[float] = []
            frames = await record(track, 2.5, levels)
            await playing
        finally:
            track.stop()
        assert not errors.messages
        assert {(f.samples, f.sample_rate, f.layout.name, f.format.name) for f in frames} == {
            (FRAME_SAMPLES, SAMPLE_RATE, "mono", "s16")
        }
        first = frames[0].pts or 0
        steps = range(first, first + FRAME_SAMPLES * len(frames), FRAME_SAMPLES)
        assert [f.pts for f in frames] == list(steps)
        assert {f.time_base for f in frames} == {Fraction(1, SAMPLE_RATE)}
        tone = loudest(samples_of(frames), 1.0)
        assert abs(dominant_frequency(tone) - 1000) <= 20
        assert np.abs(tone).max() > 8000  # played at half scale
        assert min(levels) == MIN_DBFS, "silence before the tone"
        assert -12 < max(levels) < -6, "a half-scale sine is at -9 dBFS"

    run(scenario)


def test_muted_sends_silence_but_keeps_the_level_meter(pulse: PulseServer) -> None:
    async def scenario() -> None:
        track = MicrophoneTrack(pulse_device_index())
        track.muted = True
        levels: list[float] = []
        try:
            await started(track)
            playing = asyncio.ensure_future(
                asyncio.to_thread(pulse.play_tone_into_microphone, 1000, 1.0)
            )
            frames = await record(track, 1.5, levels)
            await playing
        finally:
            track.stop()
        assert track.muted
        assert not samples_of(frames).any(), "muted means silence to the others"
        assert max(levels) > -20, "while the meter still shows the voice"

    run(scenario)


def test_a_microphone_that_cannot_open_is_reported_and_sends_silence(pulse: PulseServer) -> None:
    async def scenario() -> None:
        errors = Errors()
        track = MicrophoneTrack(9999, name="Headset", on_error=errors)
        try:
            frames = await record(track, 0.2)
        finally:
            track.stop()
        assert len(errors.messages) == 1
        assert errors.messages[0].startswith("the microphone 'Headset' could not be opened: ")
        assert len(frames) == 10 and not samples_of(frames).any()

    run(scenario)


def test_a_sound_server_dying_mid_call_is_reported_once(
    pulse: PulseServer, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    doomed = start_pulse(tmp_path_factory.mktemp("doomed-pulse"), keep_running=False)
    # ALSA's pulse plugin connects where PULSE_SERVER points when a stream opens
    monkeypatch.setenv("PULSE_SERVER", doomed.server)

    async def scenario() -> None:
        errors = Errors()
        track = MicrophoneTrack(pulse_device_index(), name="USB Mic", on_error=errors)
        try:
            await started(track)
            doomed.kill()
            assert await asyncio.to_thread(errors.arrived.wait, 5)
            after = await record(track, 0.4)  # the call goes on, with silence
        finally:
            track.stop()
        assert errors.messages == ["the microphone 'USB Mic' stopped working (disconnected?)"]
        assert len(after) == 20 and not samples_of(after).any()

    try:
        run(scenario)
    finally:
        doomed.stop()


def test_a_microphone_that_stalls_is_reported_and_silence_goes_on(
    pulse: PulseServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(microphone, "_STALL_REPORT_S", 1.0)  # 5 s in the product
    module = pulse.pactl(
        "load-module", "module-null-sink", "sink_name=runde_stalling", "rate=48000", "channels=1"
    ).strip()
    # ALSA's pulse plugin records from PULSE_SOURCE when a stream opens
    monkeypatch.setenv("PULSE_SOURCE", "runde_stalling.monitor")

    async def scenario() -> None:
        errors = Errors()
        track = MicrophoneTrack(pulse_device_index(), name="Webcam Mic", on_error=errors)
        try:
            await started(track)
            # a suspended source delivers nothing, yet the stream stays open: a hung device
            pulse.pactl("suspend-sink", "runde_stalling", "1")
            frames = await record(track, 2.0)
        finally:
            track.stop()
        assert errors.messages == ["the microphone 'Webcam Mic' delivers no sound any more"]
        assert len(frames) == 100 and track.silence_frames >= 40

    try:
        run(scenario)
    finally:
        pulse.pactl("unload-module", module)
