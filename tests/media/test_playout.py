"""AudioPlayout on a real (PulseAudio null-sink) speaker: remote voices come out, mixed."""

from __future__ import annotations

import asyncio

import pytest
from aiortc.contrib.media import MediaPlayer

from client.media import playout as playout_module
from client.media.playout import AudioPlayout, PlayoutStats
from tests.audio import (
    PulseServer,
    dominant_frequency,
    pulse_device_index,
    start_pulse,
    tone_share,
)
from tests.media.support import RATE, Errors, ScriptedTrack, playing, run


def sine_player(freq: int) -> MediaPlayer:
    """A synthetic remote voice: aiortc decodes to 48 kHz stereo s16, so does this."""
    return MediaPlayer(f"sine=frequency={freq}:sample_rate=48000", format="lavfi")


async def watch(playout: AudioPlayout, seconds: float) -> list[PlayoutStats]:
    snapshots = []
    for _ in range(round(seconds / 0.01)):
        await asyncio.sleep(0.01)
        snapshots.append(playout.stats())
    return snapshots


def test_a_remote_voice_comes_out_of_the_speaker(pulse: PulseServer) -> None:
    async def scenario() -> None:
        errors = Errors()
        playout = AudioPlayout(pulse_device_index(), on_error=errors)
        player = sine_player(440)
        assert player.audio is not None
        try:
            await playing(playout)
            playout.add_source("anna", player.audio)
            await asyncio.sleep(0.5)
            heard = await asyncio.to_thread(pulse.record_speaker, 1.5)
            stats = playout.stats()
        finally:
            await playout.close()
            player.audio.stop()
        assert not errors.messages
        assert abs(dominant_frequency(heard) - 440) <= 10
        assert tone_share(heard, 440) > 0.8
        (anna,) = stats.sources
        assert anna.key == "anna" and anna.frames_played > RATE
        assert 0 < anna.buffered_ms <= 200
        assert stats.frames_played > RATE and stats.latency_ms > 0 and stats.error is None

    run(scenario)


def test_two_voices_are_mixed(pulse: PulseServer) -> None:
    async def scenario() -> None:
        playout = AudioPlayout(pulse_device_index())
        players = [sine_player(440), sine_player(660)]
        try:
            await playing(playout)
            for key, player in zip(("anna", "bernd"), players, strict=True):
                assert player.audio is not None
                playout.add_source(key, player.audio)
            await asyncio.sleep(0.5)
            heard = await asyncio.to_thread(pulse.record_speaker, 1.5)
            playout.remove_source("bernd")
            await asyncio.sleep(0.4)
            after = await asyncio.to_thread(pulse.record_speaker, 1.0)
            keys = [s.key for s in playout.stats().sources]
        finally:
            await playout.close()
            for player in players:
                if player.audio is not None:
                    player.audio.stop()
        assert tone_share(heard, 440) > 0.3
        assert tone_share(heard, 660) > 0.3
        assert tone_share(after, 660) < 0.05, "a removed source is no longer heard"
        assert tone_share(after, 440) > 0.8
        assert keys == ["anna"]

    run(scenario)


def test_bursts_and_a_too_fast_sender_keep_the_buffers_bounded(pulse: PulseServer) -> None:
    async def scenario() -> None:
        playout = AudioPlayout(pulse_device_index(), target_ms=60, max_ms=200)
        # 25 frames (0.5 s) at once every 0.5 s, as after network hiccups
        bursty = ScriptedTrack(440, lambda n: (n // 25) * 0.5)
        fast = ScriptedTrack(660, lambda n: n * 0.01)  # twice real time
        try:
            await playing(playout)
            playout.add_source("bursty", bursty)
            playout.add_source("fast", fast)
            snapshots = await watch(playout, 2.6)
        finally:
            await playout.close()
        fills = {
            key: [s.sources[i].buffered_ms for s in snapshots]
            for i, key in enumerate(("bursty", "fast"))
        }
        bursts, too_fast = snapshots[-1].sources
        assert max(fills["bursty"]) <= 200 and max(fills["fast"]) <= 200
        assert bursts.dropped_frames >= 10 * 4, "most of each 0.5 s burst cannot be kept"
        # what was kept plays, then the source runs dry until its next burst
        assert bursts.underruns >= 3 and bursts.late_frames >= 3 * 25
        assert bursts.frames_played >= 4 * 0.06 * RATE
        # Twice real time never runs dry by itself; one underrun can come from this test's own
        # loop stalling on a loaded machine (seen once in CI: one late frame, one underrun).
        assert too_fast.dropped_frames > 20 and too_fast.underruns <= too_fast.late_frames <= 1
        assert too_fast.frames_played >= 2 * RATE

    run(scenario)


def test_a_stalled_source_underruns_and_its_late_audio_is_counted(pulse: PulseServer) -> None:
    async def scenario() -> None:
        playout = AudioPlayout(pulse_device_index(), target_ms=60, max_ms=200)
        # real time, then nothing for 0.6 s (sender froze), then real time again
        track = ScriptedTrack(440, lambda n: n * 0.02 + (0.6 if n >= 50 else 0.0))
        try:
            await playing(playout)
            playout.add_source("frozen", track)
            snapshots = await watch(playout, 2.5)
        finally:
            await playout.close()
        stats = snapshots[-1].sources[0]
        assert stats.underruns >= 1
        assert stats.late_frames >= 1
        assert stats.dropped_frames == 0
        assert max(s.sources[0].buffered_ms for s in snapshots) <= 200

    run(scenario)


def test_speakers_that_cannot_open_are_reported_and_sources_still_drain(
    pulse: PulseServer,
) -> None:
    async def scenario() -> None:
        errors = Errors()
        playout = AudioPlayout(9999, name="HDMI", on_error=errors)
        track = ScriptedTrack(440, lambda n: n * 0.02)
        try:
            playout.add_source("anna", track)
            await asyncio.sleep(0.5)
            stats = playout.stats()
        finally:
            await playout.close()
        assert len(errors.messages) == 1
        assert errors.messages[0].startswith("the speakers 'HDMI' could not be opened: ")
        assert stats.error == errors.messages[0]
        assert track.delivered >= 20, "nothing piles up in aiortc's queues"
        assert stats.sources[0].buffered_ms <= 200

    run(scenario)


def test_a_sound_server_dying_mid_call_is_reported_once(
    pulse: PulseServer, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    doomed = start_pulse(tmp_path_factory.mktemp("doomed-pulse"), keep_running=False)
    monkeypatch.setenv("PULSE_SERVER", doomed.server)

    async def scenario() -> None:
        errors = Errors()
        playout = AudioPlayout(pulse_device_index(), name="USB Headset", on_error=errors)
        track = ScriptedTrack(440, lambda n: n * 0.02)
        try:
            await playing(playout)
            playout.add_source("anna", track)
            await asyncio.sleep(0.5)
            doomed.kill()
            assert await asyncio.to_thread(errors.arrived.wait, 5)
            delivered = track.delivered
            await asyncio.sleep(0.3)
        finally:
            await playout.close()
        assert errors.messages == ["the speakers 'USB Headset' stopped playing (disconnected?)"]
        assert track.delivered > delivered, "the meeting goes on"

    try:
        run(scenario)
    finally:
        doomed.stop()


def test_speakers_that_hang_are_reported_and_sources_still_drain(
    pulse: PulseServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(playout_module, "_STALL_REPORT_S", 1.0)  # 3 s in the product
    module = pulse.pactl(
        "load-module", "module-null-sink", "sink_name=runde_hanging", "rate=48000", "channels=2"
    ).strip()
    # ALSA's pulse plugin plays to PULSE_SINK when a stream opens
    monkeypatch.setenv("PULSE_SINK", "runde_hanging")

    async def scenario() -> None:
        errors = Errors()
        playout = AudioPlayout(pulse_device_index(), name="Dock", on_error=errors)
        track = ScriptedTrack(440, lambda n: n * 0.02)
        try:
            await playing(playout)
            playout.add_source("anna", track)
            # a suspended sink takes nothing, yet the stream stays open: a hung device
            pulse.pactl("suspend-sink", "runde_hanging", "1")
            assert await asyncio.to_thread(errors.arrived.wait, 5)
            delivered = track.delivered
            await asyncio.sleep(0.3)
            stats = playout.stats()
        finally:
            await playout.close()
        assert errors.messages == ["the speakers 'Dock' stopped playing (disconnected?)"]
        assert track.delivered > delivered, "the meeting goes on"
        assert stats.sources[0].buffered_ms <= 200

    try:
        run(scenario)
    finally:
        pulse.pactl("unload-module", module)
