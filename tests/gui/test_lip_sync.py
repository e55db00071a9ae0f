"""A colleague's flash and beep, taken together, reach the window's tile and speaker together.

The colleague (``flash_and_beep.py``, a headless participant in a process of its own) sends a
picture that turns white for 200 ms every 1.5 s and a 1 kHz beep at the same moments, both
made from the wall clock as a camera and a microphone would take them. The app shows the
pictures on its tile and plays the sound on the test's PulseAudio speaker. The test reads both
from outside: when the tile's picture turns bright (polled every 5 ms), and when the beep
sounds on the speaker's monitor (``parec``; its samples put on this process's clock by when
each chunk arrived). The sound waits in the jitter buffer and the device; without lip sync
the picture ran 145-155 ms ahead of it here (two runs with the hold switched off), so the
test fails; with it the median offset was 7 and -12 ms.
"""

from __future__ import annotations

import asyncio
import os
import select
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np

from tests.audio import RATE, SPEAKER_SINK, PulseServer
from tests.gui.conftest import App
from tests.gui.flash_and_beep import PERIOD_S
from tests.gui.test_app import start_meeting, tile_of

TOLERANCE_S = 0.080  # what people accept between lips and voice
FLASHES = 6


class SpeakerRecording:
    """The speaker's monitor, each sample placed on ``time.monotonic()``."""

    def __init__(self, pulse: PulseServer) -> None:
        self._process = subprocess.Popen(
            ["parec", f"--device={SPEAKER_SINK}.monitor", "--format=s16le", f"--rate={RATE}",
             "--channels=1", "--raw", "--latency-msec=5"],
            env=pulse.client_env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.data = bytearray()
        self._starts: list[float] = []  # each chunk's arrival minus the samples read so far

    def read_for(self, seconds: float) -> None:
        assert self._process.stdout is not None
        fd, end = self._process.stdout.fileno(), time.monotonic() + seconds
        while time.monotonic() < end:
            if select.select([fd], [], [], 0.1)[0]:
                chunk = os.read(fd, 4096)
                self.data.extend(chunk)
                self._starts.append(time.monotonic() - len(self.data) / 2 / RATE)
        self._process.kill()
        self._process.wait()

    def onsets(self) -> list[float]:
        """When each beep began, on this process's clock."""
        samples = np.frombuffer(bytes(self.data), dtype="<i2").astype(np.float64)
        envelope = np.convolve(np.abs(samples), np.ones(48) / 48, mode="same")
        start = statistics.median(self._starts)  # when sample 0 sounded
        found: list[float] = []
        for index in np.flatnonzero(envelope > 0.25 * max(envelope.max(), 1.0)):
            at = start + index / RATE
            if not found or at - found[-1] > PERIOD_S / 2:
                found.append(at)
        return found


def _offsets(flashes: list[float], beeps: list[float]) -> list[float]:
    """Picture minus sound for each flash that has a beep within half a period."""
    pairs = []
    for flash in flashes:
        nearest = min(beeps, key=lambda beep: abs(beep - flash), default=None)
        if nearest is not None and abs(nearest - flash) < PERIOD_S / 2:
            pairs.append(flash - nearest)
    return pairs


def test_a_colleague_s_flash_is_shown_as_its_beep_is_heard(
    make_app: Callable[..., App], pulse: PulseServer
) -> None:
    app = make_app()
    flashes: list[float] = []
    beeps: list[float] = []

    async def scenario() -> None:
        link = await start_meeting(app)
        sender = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.gui.flash_and_beep", link, str(FLASHES * PERIOD_S + 30),
            stdout=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        try:
            await watch()
        finally:
            if sender.returncode is None:
                sender.terminate()
            await sender.wait()

    async def watch() -> None:
        await app.until(lambda: tile_of(app, "Anna") is not None, 10, "Anna's tile")
        tile = tile_of(app, "Anna")
        assert tile is not None
        await app.until(lambda: tile.image() is not None, 10, "Anna's picture")
        await asyncio.sleep(3)  # the buffers settle on this link
        recording = SpeakerRecording(pulse)
        listening = asyncio.ensure_future(asyncio.to_thread(recording.read_for, FLASHES * PERIOD_S))
        was_lit, shown = False, tile.image()
        while not listening.done():
            image = tile.image()
            if image is not None and image is not shown:
                shown = image
                lit = image.pixelColor(image.width() // 2, image.height() // 2).lightness() > 128
                if lit and not was_lit:
                    flashes.append(time.monotonic())
                was_lit = lit
            await asyncio.sleep(0.005)
        await listening
        beeps.extend(recording.onsets())

    app.run(scenario(), timeout=90)
    offsets = _offsets(flashes, beeps)
    shown = [round(offset * 1000) for offset in offsets]
    report = f"{len(flashes)} flashes, {len(beeps)} beeps, picture minus sound (ms): {shown}"
    assert len(offsets) >= FLASHES - 2, report
    assert abs(statistics.median(offsets)) <= TOLERANCE_S, report
    print(report)
