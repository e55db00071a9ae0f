"""A private PulseAudio server for tests: a null "speaker", a null sink whose monitor is the mic."""

# PortAudio reaches it through ALSA's pulse plugin (Debian ``libasound2-plugins``): the fixture
# points ``PULSE_SERVER`` at its own socket, makes PortAudio list devices again, and its ALSA
# devices ``pulse`` and ``default`` are then this server's. Its default sink is the speaker and
# its default source the microphone, so "system default" devices land there too.

from __future__ import annotations

import ctypes
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import numpy as np
import pytest
from numpy.typing import NDArray

RATE = 48000
SPEAKER_SINK = "runde_speaker"
MICROPHONE_SINK = "runde_microphone"  # what is played into it comes out of its monitor
MICROPHONE_SOURCE = f"{MICROPHONE_SINK}.monitor"
TOOLS = ("pulseaudio", "pactl", "pacat", "parec")
INSTALL_HINT = "apt-get install pulseaudio pulseaudio-utils libasound2-plugins libportaudio2"


def missing(what: str, hint: str = INSTALL_HINT) -> NoReturn:
    """A part the test needs is not installed: CI (``CI=true``) must have it, so fail there."""
    message = f"{what} ({hint})"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _die_with_parent() -> None:
    """In the child before exec: end it when the test process dies without cleaning up."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class PulseServer:
    """One ``pulseaudio --daemonize=no`` with its own runtime dir under ``base``."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.socket = base / "native"
        self.server = f"unix:{self.socket}"
        self.log = base / "pulseaudio.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._keepalive: list[subprocess.Popen[bytes]] = []

    @property
    def client_env(self) -> dict[str, str]:
        """Environment for clients (pactl, pacat, parec) of this server."""
        return {**os.environ, "PULSE_SERVER": self.server, "PULSE_CLIENTCONFIG": str(self._conf)}

    @property
    def _conf(self) -> Path:
        return self.base / "client.conf"

    def start(self, keep_running: bool = True) -> None:
        run = self.base / "run"
        run.mkdir(parents=True, mode=0o700, exist_ok=True)
        # never start another one; and no shared memory: PulseAudio 16's memfd transport
        # aborts the server on an assertion when many clients come and go (upstream #824)
        self._conf.write_text("autospawn = no\nenable-shm = no\n", encoding="utf-8")
        env = {
            **os.environ,
            "HOME": str(self.base),
            "XDG_RUNTIME_DIR": str(run),
            "XDG_CONFIG_HOME": str(self.base / "config"),
            "PULSE_RUNTIME_PATH": str(run / "pulse"),
            "PULSE_STATE_PATH": str(self.base / "state"),
        }
        env.pop("PULSE_SERVER", None)
        sink = (
            "module-null-sink sink_name={} rate=48000 channels={}"
            " sink_properties=device.description={}"
        )
        self._process = subprocess.Popen(
            [
                "pulseaudio",
                "--daemonize=no",
                "-n",  # no default.pa: only the modules below
                "--exit-idle-time=-1",
                "--use-pid-file=no",
                "--disable-shm=yes",
                f"--log-target=file:{self.log}",
                "-L",
                f"module-native-protocol-unix socket={self.socket} auth-anonymous=1",
                "-L",
                sink.format(SPEAKER_SINK, 2, "Runde-Test-Speaker"),
                "-L",
                sink.format(MICROPHONE_SINK, 1, "Runde-Test-Microphone-Feed"),
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        self._wait_ready()
        self.pactl("set-default-sink", SPEAKER_SINK)
        self.pactl("set-default-source", MICROPHONE_SOURCE)
        if keep_running:
            self._keep_sinks_running()

    def unplug_everything(self) -> None:
        """Unload both null sinks: no speaker and no microphone left, as when every sound
        device is unplugged (unloading one only moves the streams to the other)."""
        for line in self.pactl("list", "short", "modules").splitlines():
            if any(f"sink_name={sink}" in line for sink in (SPEAKER_SINK, MICROPHONE_SINK)):
                self.pactl("unload-module", line.split()[0])
        for reader in self._keepalive:  # their sinks are gone, and they with them
            reader.kill()
            reader.wait()
        self._keepalive.clear()

    def plug_everything_in(self) -> None:
        """Both sinks back, as the server started them (defaults, ticking steadily)."""
        for sink, channels in ((SPEAKER_SINK, 2), (MICROPHONE_SINK, 1)):
            self.pactl("load-module", "module-null-sink", f"sink_name={sink}", "rate=48000",
                       f"channels={channels}")  # fmt: skip
        self.pactl("set-default-sink", SPEAKER_SINK)
        self.pactl("set-default-source", MICROPHONE_SOURCE)
        self._keep_sinks_running()

    def _keep_sinks_running(self) -> None:
        # An idle null sink sleeps in 2 s blocks, so a new stream would wait up to 2 s for
        # its first data. A low-latency reader on each monitor keeps the sinks ticking every
        # 10 ms, as a real sound card does.
        for sink in (SPEAKER_SINK, MICROPHONE_SINK):
            self._keepalive.append(
                subprocess.Popen(
                    ["parec", f"--device={sink}.monitor", *_RAW_MONO, "--latency-msec=10"],
                    env=self.client_env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    preexec_fn=_die_with_parent,
                )
            )
        deadline = time.monotonic() + 10
        while len(self.pactl("list", "short", "source-outputs").splitlines()) < 2:
            if time.monotonic() > deadline:
                raise RuntimeError("the keep-alive readers did not connect to pulseaudio")
            time.sleep(0.05)
        time.sleep(2.1)  # the sinks' last 2 s sleep ends; from now on they tick every 10 ms

    def _wait_ready(self, within: float = 15.0) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(f"pulseaudio exited: {self._log_tail()}")
            probe = subprocess.run(
                ["pactl", "info"], env=self.client_env, capture_output=True, check=False
            )
            if probe.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError(f"pulseaudio did not start within {within} s: {self._log_tail()}")

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-2000:]
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        for reader in self._keepalive:
            reader.kill()
            reader.wait()
        self._keepalive.clear()
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def kill(self) -> None:
        """Ends the server abruptly, as a crashing sound server or a pulled device would."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None
        self.stop()

    def pactl(self, *args: str) -> str:
        result = subprocess.run(
            ["pactl", *args], env=self.client_env, capture_output=True, text=True, check=True
        )
        return result.stdout

    def play_tone_into_microphone(
        self, freq_hz: float, seconds: float, amplitude: float = 0.5
    ) -> None:
        """Plays a sine into the microphone feed; returns when it has been played."""
        self.play_into_microphone(tone(freq_hz, seconds, amplitude))

    def play_into_microphone(self, samples: NDArray[np.int16]) -> None:
        subprocess.run(
            ["pacat", "--playback", f"--device={MICROPHONE_SINK}", *_RAW_MONO, "--latency-msec=20"],
            input=samples.astype("<i2").tobytes(),
            env=self.client_env,
            capture_output=True,
            check=True,
            timeout=len(samples) / RATE + 15,
        )

    def record_speaker(self, seconds: float) -> NDArray[np.int16]:
        """What the speaker plays during the next ``seconds``, as 48 kHz mono."""
        wanted = round(seconds * RATE) * 2
        process = subprocess.Popen(
            ["parec", f"--device={SPEAKER_SINK}.monitor", *_RAW_MONO, "--latency-msec=20"],
            env=self.client_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdout is not None
        data = bytearray()
        deadline = time.monotonic() + seconds + 10
        try:
            while len(data) < wanted and time.monotonic() < deadline:
                ready, _, _ = select.select([process.stdout], [], [], 0.5)
                if ready:
                    chunk = os.read(process.stdout.fileno(), wanted - len(data))
                    if not chunk:
                        break
                    data.extend(chunk)
        finally:
            process.kill()
            process.wait()
        return np.frombuffer(bytes(data), dtype="<i2").astype(np.int16)


_RAW_MONO = ("--format=s16le", f"--rate={RATE}", "--channels=1", "--raw")


def tone(freq_hz: float, seconds: float, amplitude: float = 0.5) -> NDArray[np.int16]:
    t = np.arange(round(seconds * RATE)) / RATE
    return (np.sin(2 * np.pi * freq_hz * t) * amplitude * 32767).astype(np.int16)


def dominant_frequency(samples: NDArray[np.generic], rate: int = RATE) -> float:
    """The strongest frequency in ``samples`` (Hann window, FFT)."""
    data = np.asarray(samples, dtype=np.float64).ravel()
    if data.size < 2:
        raise ValueError("need at least two samples")
    spectrum = np.abs(np.fft.rfft((data - data.mean()) * np.hanning(data.size)))
    return float(np.argmax(spectrum) * rate / data.size)


def tone_share(samples: NDArray[np.generic], freq_hz: float, rate: int = RATE) -> float:
    """Share (0..1) of the signal's energy within 15 Hz of ``freq_hz``."""
    data = np.asarray(samples, dtype=np.float64).ravel()
    power = np.abs(np.fft.rfft((data - data.mean()) * np.hanning(data.size))) ** 2
    freqs = np.fft.rfftfreq(data.size, 1 / rate)
    total = float(power.sum())
    return float(power[np.abs(freqs - freq_hz) <= 15].sum()) / total if total > 0 else 0.0


def start_pulse(base: Path, keep_running: bool = True) -> PulseServer:
    """A started server, or a skip (a failure in CI) when PulseAudio is not installed.

    ``keep_running=False`` saves the 2 s it takes to get the sinks ticking steadily, for a
    server that a test only means to kill."""
    absent = [tool for tool in TOOLS if shutil.which(tool) is None]
    if absent:
        missing(f"PulseAudio tools missing: {', '.join(absent)}")
    server = PulseServer(base)
    server.start(keep_running)
    return server


@pytest.fixture(scope="session")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseServer]:
    """The session's sound server; this process's PortAudio sees its devices."""
    from client.media import devices, portaudio

    if portaudio.load() is None:
        missing("PortAudio (libportaudio2) cannot be loaded")
    server = start_pulse(tmp_path_factory.mktemp("pulse"))
    saved = {key: os.environ.get(key) for key in ("PULSE_SERVER", "PULSE_CLIENTCONFIG")}
    os.environ["PULSE_SERVER"] = server.server
    os.environ["PULSE_CLIENTCONFIG"] = str(server.base / "client.conf")
    devices.rescan_audio_devices()  # PortAudio lists devices once, at start
    try:
        if "pulse" not in [device.name for device in devices.list_microphones()]:
            missing("PortAudio does not see PulseAudio: ALSA's pulse plugin is missing")
        yield server
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        server.stop()
        devices.rescan_audio_devices()


def pulse_device_index() -> int:
    """PortAudio's index of ALSA's ``pulse`` device (the fixture's server)."""
    from client.media import devices

    for device in devices.list_microphones():
        if device.name == "pulse":
            return device.index
    raise AssertionError("PortAudio lists no 'pulse' device: is the pulse fixture running?")
