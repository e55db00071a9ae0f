"""Mouth to ear: how long a sound takes from one participant's microphone to another's speaker.

    python -m tests.bench.mouth_to_ear [--bursts 12] [--code DIR ...] [--chromium]

Everything runs on one private PulseAudio server, and one recording on its clock measures
both ends: a stereo null sink ``air`` whose left channel is the sender's mouth and whose right
channel is the receiver's ear. A burst (40 ms) is played into the left channel; the
sender's microphone hears only the left channel; the receiver plays into the right channel
only (so the sender never hears it back); ``parec`` records ``air``'s monitor. The delay of
each burst from left to right is the mouth-to-ear time, including both sound devices, the
echo canceller, Opus, the network path through a headless host on 127.0.0.1 and the
receiver's jitter buffer. The bursts take turns at five pitches, and each one heard is matched
to the burst of its own pitch: a path that holds sound longer than the 1.5 s between bursts
then shows as that long, instead of as the short gap to a later burst.

The participants are ``tests/bench/voice_peer.py`` (the app's audio path without a window).
``--code DIR`` runs host and participants from another checkout (its ``client`` package),
for a before/after comparison in one run; ``--chromium`` adds two headless Chromiums
(``tests/bench/chromium_voice.py``) through the same host, and then every row runs in two
network namespaces (root): the sender in one, host and receiver in the other. The rows print
as a markdown table.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tests.audio import RATE, PulseServer, start_pulse
from tests.integration.netns_uplink import HOST_ADDRESS, PUBLISHER_ADDRESS, UplinkPair

REPO = Path(__file__).resolve().parents[2]
PEER = REPO / "tests" / "bench" / "voice_peer.py"
BURST_HZ = (700, 1000, 1300, 1600, 1900)  # burst k at BURST_HZ[k % 5]
BURST_S = 0.04
PITCH_TOLERANCE_HZ = 120
PERIOD_S = 1.5
LINK = re.compile(r"https://\S+")
LOOPBACK = "127.0.0.1"


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
    # Chromium records from the server's default source whatever PULSE_SOURCE says, and
    # refuses a monitor (the test server's default): it then sends its fake input's beep.
    pulse.pactl("set-default-source", "heard_by_sender")


def burst_train(count: int) -> NDArray[np.int16]:
    t = np.arange(round(BURST_S * RATE)) / RATE
    periods = []
    for index in range(count):
        period = np.zeros(round(PERIOD_S * RATE), dtype=np.float64)
        pitch = BURST_HZ[index % len(BURST_HZ)]
        period[: t.size] = np.sin(2 * np.pi * pitch * t) * np.hanning(t.size) ** 0.25
        periods.append(period)
    lead_in = np.zeros(RATE)  # a second of silence before the first burst
    return (np.concatenate([lead_in, *periods]) * 0.5 * 32767).astype(np.int16)


def pitch_at(channel: NDArray[np.float64], start: int) -> int | None:
    """Which of :data:`BURST_HZ` sounds in the 30 ms from ``start`` (None: none of them)."""
    piece = channel[start : start + round(0.03 * RATE)]
    if piece.size < 64:
        return None
    spectrum = np.abs(np.fft.rfft(piece * np.hanning(piece.size), n=8192))
    peak = float(np.fft.rfftfreq(8192, 1 / RATE)[int(np.argmax(spectrum))])
    nearest = min(range(len(BURST_HZ)), key=lambda k: abs(BURST_HZ[k] - peak))
    return nearest if abs(BURST_HZ[nearest] - peak) <= PITCH_TOLERANCE_HZ else None


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
    heard_pitches = [(h, pitch_at(ear, h)) for h in heard]
    out = []
    for index, start in enumerate(sent):
        pitch = index % len(BURST_HZ)
        # nothing crosses two sound devices and a network in under 30 ms; a burst of the same
        # pitch comes again after len(BURST_HZ) periods
        later = [
            h
            for h, heard_pitch in heard_pitches
            if heard_pitch == pitch
            and start + RATE * 0.03 < h < start + RATE * PERIOD_S * len(BURST_HZ)
        ]
        if later:
            out.append((later[0] - start) * 1000 / RATE)
    return out


@dataclass(frozen=True)
class Participants:
    """Who talks and who listens: Runde app peers from a checkout, or Chromium."""

    label: str
    code: Path | None  # None: Chromium

    def command(
        self, role: str, link: str, seconds: str, devices: tuple[str, str], bind: str
    ) -> list[str]:
        if self.code is None:
            verb = "send" if role == "Sender" else "receive"
            return [sys.executable, "-m", "tests.bench.chromium_voice", link, verb, seconds]
        return [sys.executable, str(PEER), link, role, seconds, *devices, bind]

    def env(self, base: dict[str, str], devices: tuple[str, str]) -> dict[str, str]:
        if self.code is None:  # Chromium takes its sound devices from the environment
            return {**base, "PULSE_SOURCE": devices[0], "PULSE_SINK": devices[1]}
        return {**base, "PYTHONPATH": str(self.code)}


@dataclass(frozen=True)
class Network:
    """Where the host and the two participants run: 127.0.0.1, or two namespaces (the sender
    in one, host and receiver in the other) with real addresses, which Chromium needs."""

    host: list[str]
    sender: list[str]
    receiver: list[str]
    host_address: str
    sender_address: str

    @classmethod
    def loopback(cls) -> Network:
        return cls([], [], [], LOOPBACK, LOOPBACK)

    @classmethod
    def namespaces(cls, pair: UplinkPair) -> Network:
        return cls(
            pair.in_server([]), pair.in_publisher([]), pair.in_server([]),
            HOST_ADDRESS, PUBLISHER_ADDRESS,
        )  # fmt: skip


def _start_host(
    network: Network, env: dict[str, str], code: Path
) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "client", "--log-level", "warning", "host", "--headless",
               "--bind", network.host_address]  # fmt: skip
    host = subprocess.Popen(
        [*network.host, *command], cwd=code, env={**env, "PYTHONPATH": str(code)},
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert host.stdout is not None
    while True:
        line = host.stdout.readline()
        if not line:
            raise RuntimeError("the host exited before printing its link")
        found = LINK.search(line)
        if found:
            return host, found.group(0)


def measure(
    pulse: PulseServer, who: Participants, network: Network, bursts: int
) -> tuple[list[float] | str, str]:
    """The delays of the bursts heard (or why none could be measured), and the peers' output."""
    env = {**os.environ, **pulse.client_env}
    host, link = _start_host(network, env, who.code or REPO)
    peers: list[subprocess.Popen[str]] = []
    try:
        seconds = str(bursts * PERIOD_S + 12)
        roles = {
            "Sender": (("heard_by_sender", "quiet"), network.sender, network.sender_address),
            "Receiver": (("quiet.monitor", "ear"), network.receiver, network.host_address),
        }
        for role, (devices, prefix, bind) in roles.items():
            command = who.command(role, link, seconds, devices, bind)
            peers.append(subprocess.Popen(
                [*prefix, *command], cwd=who.code or REPO, env=who.env(env, devices),
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            ))  # fmt: skip
            time.sleep(3)  # the sender publishes before the receiver comes
        time.sleep(8)  # joined, subscribed, buffers settled
        try:
            delays: list[float] | str = delays_ms(record_bursts(env, bursts))
        except IncompleteRecording as exc:
            delays = str(exc)
        notes = ""
        for peer in peers:
            out, _ = peer.communicate(timeout=60)
            notes += out
        return delays, notes
    finally:
        for process in [*peers, host]:
            if process.poll() is None:
                process.terminate()
                process.wait(10)


def record_bursts(env: dict[str, str], bursts: int) -> NDArray[np.int16]:
    """Plays the bursts into the mouth while recording the room: one stream, one clock."""
    recorder = subprocess.Popen(
        ["parec", "--device=air.monitor", "--format=s16le", f"--rate={RATE}", "--channels=2",
         "--raw", "--latency-msec=10"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    train = burst_train(bursts)
    # Read as it comes: parec stops taking sound from the server while its pipe is full
    # (64 KiB, a third of a second), and the rest of the recording is lost.
    chunks: list[bytes] = []
    stdout = recorder.stdout
    assert isinstance(stdout, io.BufferedReader)
    reader = threading.Thread(target=_read_all, args=(stdout, chunks), daemon=True)
    reader.start()
    played = subprocess.run(
        ["pacat", "--playback", "--device=mouth", "--format=s16le", f"--rate={RATE}",
         "--channels=1", "--raw", "--latency-msec=10"],
        input=train.tobytes(), env=env, capture_output=True, check=False,
    )  # fmt: skip
    time.sleep(1.0)
    recorder.terminate()
    recorder.wait(10)
    reader.join(10)
    raw = b"".join(chunks)
    raw = raw[: len(raw) // 4 * 4]  # whole stereo frames
    if played.returncode != 0:
        raise RuntimeError(f"pacat failed: {played.stderr.decode()}")
    recording = np.frombuffer(raw, dtype="<i2").reshape(-1, 2)
    if os.environ.get("RUNDE_BENCH_SAVE"):
        np.save(os.environ["RUNDE_BENCH_SAVE"], recording)
    played_s, recorded_s = len(train) / RATE, len(recording) / RATE
    if recorded_s < played_s:
        raise IncompleteRecording(f"recorded {recorded_s:.1f} s of the {played_s:.1f} s played")
    return recording


def _read_all(stream: io.BufferedReader, chunks: list[bytes]) -> None:
    while chunk := stream.read1(65536):
        chunks.append(chunk)


class IncompleteRecording(RuntimeError):
    """The recorder got less sound than was played: no figure can be read from it."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bursts", type=int, default=12)
    parser.add_argument(
        "--code", type=Path, action="append",
        help="a checkout to run host and Runde participants from (default: this one)",
    )  # fmt: skip
    parser.add_argument(
        "--chromium", action="store_true",
        help="also Chromium to Chromium through the same host (all in network namespaces)",
    )  # fmt: skip
    parser.add_argument("--verbose", action="store_true", help="print the peers' output")
    args = parser.parse_args()
    rows = [Participants(f"Runde app ({c})", c.resolve()) for c in args.code or [REPO]]
    if args.chromium:
        rows.append(Participants("Chromium", None))
    pair = UplinkPair.create() if args.chromium else None
    network = Network.namespaces(pair) if pair is not None else Network.loopback()
    results = []
    try:
        with tempfile.TemporaryDirectory() as base:
            pulse = start_pulse(Path(base))
            try:
                prepare_room(pulse)
                for who in rows:
                    delays, notes = measure(pulse, who, network, args.bursts)
                    if args.verbose:
                        print(notes)
                    results.append((who.label, delays))
            finally:
                pulse.stop()
    finally:
        if pair is not None:
            pair.delete()
    print("| sender → receiver | bursts heard | median ms | min ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    for label, delays in results:
        if isinstance(delays, str):
            print(f"| {label} | not measured: {delays} | - | - | - |")
            continue
        if not delays:
            print(f"| {label} | 0/{args.bursts} | - | - | - |")
            continue
        print(
            f"| {label} | {len(delays)}/{args.bursts} | {statistics.median(delays):.0f} | "
            f"{min(delays):.0f} | {max(delays):.0f} |"
        )


if __name__ == "__main__":
    main()
