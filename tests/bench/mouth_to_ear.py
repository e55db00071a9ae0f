"""Mouth to ear: how long a sound takes from one participant's microphone to another's speaker.

    python -m tests.bench.mouth_to_ear [--bursts 12] [--code DIR [--code DIR ...]]

Everything runs on one private PulseAudio server, and one recording on its clock measures
both ends: a stereo null sink ``air`` whose left channel is the sender's mouth and whose right
channel is the receiver's ear. A burst (1 kHz, 40 ms) is played into the left channel; the
sender's microphone hears only the left channel; the receiver plays into the right channel
only (so the sender never hears it back); ``parec`` records ``air``'s monitor. The delay of
each burst from left to right is the mouth-to-ear time, including both sound devices, the
echo canceller, Opus, the network path through a headless host on 127.0.0.1 and the
receiver's jitter buffer.

The participants are ``tests/bench/voice_peer.py`` (the app's audio path without a window).
``--code DIR`` runs host and participants from another checkout (its ``client`` package),
for a before/after comparison in one run; the rows print as a markdown table.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tests.audio import RATE, PulseServer, start_pulse

REPO = Path(__file__).resolve().parents[2]
PEER = REPO / "tests" / "bench" / "voice_peer.py"
BURST_HZ = 1000
BURST_S = 0.04
PERIOD_S = 1.5
LINK = re.compile(r"https://\S+")


def _load(pulse: PulseServer, *args: str) -> None:
    pulse.pactl("load-module", *args)


def prepare_room(pulse: PulseServer) -> None:
    _load(
        pulse,
        "module-null-sink",
        "sink_name=air",
        "rate=48000",
        "channels=2",
        "channel_map=front-left,front-right",
    )
    for name, side in (("mouth", "front-left"), ("ear", "front-right")):
        _load(
            pulse,
            "module-remap-sink",
            f"sink_name={name}",
            "master=air",
            "channels=1",
            "channel_map=mono",
            f"master_channel_map={side}",
            "remix=no",
        )
    _load(
        pulse,
        "module-remap-source",
        "source_name=heard_by_sender",
        "master=air.monitor",
        "channels=1",
        "channel_map=mono",
        "master_channel_map=front-left",
        "remix=no",
    )
    _load(pulse, "module-null-sink", "sink_name=quiet", "rate=48000")


def burst_train(count: int) -> NDArray[np.int16]:
    period = np.zeros(round(PERIOD_S * RATE), dtype=np.float64)
    t = np.arange(round(BURST_S * RATE)) / RATE
    period[: t.size] = np.sin(2 * np.pi * BURST_HZ * t) * np.hanning(t.size) ** 0.25
    lead_in = np.zeros(RATE)  # a second of silence before the first burst
    return (np.concatenate([lead_in, *([period] * count)]) * 0.5 * 32767).astype(np.int16)


def onsets(channel: NDArray[np.float64], threshold: float) -> list[int]:
    """Sample indices where the 1 ms envelope first rises over ``threshold``, 0.5 s apart."""
    window = RATE // 1000
    envelope = np.convolve(np.abs(channel), np.ones(window) / window, mode="same")
    found: list[int] = []
    above = np.flatnonzero(envelope > threshold)
    for index in above:
        if not found or index - found[-1] > RATE // 2:
            found.append(int(index))
    return found


def delays_ms(recording: NDArray[np.int16]) -> list[float]:
    mouth = recording[:, 0].astype(np.float64)
    ear = recording[:, 1].astype(np.float64)
    sent = onsets(mouth, 0.1 * np.abs(mouth).max())
    heard = onsets(ear, 0.1 * max(np.abs(ear).max(), 1.0))
    out = []
    for start in sent:
        later = [h for h in heard if start < h < start + RATE]
        if later:
            out.append((later[0] - start) * 1000 / RATE)
    return out


def measure(pulse: PulseServer, code: Path, bursts: int) -> tuple[list[float], str]:
    env = {**os.environ, **pulse.client_env, "PYTHONPATH": str(code)}
    host = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "client",
            "--log-level",
            "warning",
            "host",
            "--headless",
            "--bind",
            "127.0.0.1",
        ],
        cwd=code,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    peers: list[subprocess.Popen[str]] = []
    try:
        assert host.stdout is not None
        link = ""
        while not link:
            line = host.stdout.readline()
            if not line:
                raise RuntimeError("the host exited before printing its link")
            found = LINK.search(line)
            link = found.group(0) if found else ""
        seconds = str(bursts * PERIOD_S + 12)
        roles = {"Sender": ("heard_by_sender", "quiet"), "Receiver": ("quiet.monitor", "ear")}
        for name, (source, sink) in roles.items():
            peers.append(
                subprocess.Popen(
                    [sys.executable, str(PEER), link, name, seconds, source, sink],
                    cwd=code,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            )
        time.sleep(6)  # both joined, subscribed, buffers settled
        recorder = subprocess.Popen(
            [
                "parec",
                "--device=air.monitor",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=2",
                "--raw",
                "--latency-msec=10",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        pulse_play = subprocess.run(
            [
                "pacat",
                "--playback",
                "--device=mouth",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=1",
                "--raw",
                "--latency-msec=10",
            ],
            input=burst_train(bursts).tobytes(),
            env=env,
            capture_output=True,
            check=False,
        )
        time.sleep(1.0)
        recorder.terminate()
        raw, _ = recorder.communicate()
        if pulse_play.returncode != 0:
            raise RuntimeError(f"pacat failed: {pulse_play.stderr.decode()}")
        recording = np.frombuffer(raw, dtype="<i2").reshape(-1, 2)
        if os.environ.get("RUNDE_BENCH_SAVE"):
            np.save(os.environ["RUNDE_BENCH_SAVE"], recording)
        notes = ""
        for peer in peers:
            out, _ = peer.communicate(timeout=60)
            notes += out
        return delays_ms(recording), notes
    finally:
        for process in [*peers, host]:
            if process.poll() is None:
                process.terminate()
                process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bursts", type=int, default=12)
    parser.add_argument(
        "--code",
        type=Path,
        action="append",
        help="a checkout to run host and participants from (default: this one)",
    )
    parser.add_argument("--verbose", action="store_true", help="print the peers' output")
    args = parser.parse_args()
    codes = args.code or [REPO]
    with tempfile.TemporaryDirectory() as base:
        pulse = start_pulse(Path(base))
        try:
            prepare_room(pulse)
            rows = []
            for code in codes:
                delays, notes = measure(pulse, code.resolve(), args.bursts)
                if args.verbose:
                    print(notes)
                rows.append((code, delays))
        finally:
            pulse.stop()
    print("| code | bursts heard | median ms | min ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    for code, delays in rows:
        if not delays:
            print(f"| {code} | 0/{args.bursts} | - | - | - |")
            continue
        print(
            f"| {code} | {len(delays)}/{args.bursts} | {statistics.median(delays):.0f} | "
            f"{min(delays):.0f} | {max(delays):.0f} |"
        )


if __name__ == "__main__":
    main()
