"""A participant that flashes and beeps together, in a process of its own (for lip sync tests).

    python -m tests.gui.flash_and_beep LINK SECONDS

Its picture turns white for ``FLASH_S`` every ``PERIOD_S`` and its sound beeps (1 kHz) at the
same moments over a quiet hum, both made from the wall clock as a camera and a microphone
take them. A process of its own keeps its sending off the receiving app's interpreter.
"""

from __future__ import annotations

import asyncio
import fractions
import sys
import time

import av
import numpy as np
from aiortc import MediaStreamTrack

from client.headless import HeadlessParticipant
from client.media.sources import OpenedSource
from client.netconfig import NetworkSettings, apply_bind_addresses
from client.protocol.link import parse_link

PERIOD_S = 1.5
FLASH_S = 0.2
RATE = 48000
LOOPBACK = "127.0.0.1"


def lit(t: float) -> bool:
    return (t % PERIOD_S) < FLASH_S


class FlashTrack(MediaStreamTrack):
    """30 pictures a second, white while the wall clock is in a flash, black otherwise."""

    kind = "video"

    def __init__(self, epoch: float) -> None:
        super().__init__()
        self._epoch, self._index = epoch, 0

    async def recv(self) -> av.VideoFrame:
        self._index += 1
        await asyncio.sleep(max(0.0, self._epoch + self._index / 30 - time.monotonic()))
        taken = time.monotonic() - self._epoch
        picture = np.full((240, 320, 3), 255 if lit(taken) else 0, np.uint8)
        frame = av.VideoFrame.from_ndarray(picture, format="rgb24").reformat(format="yuv420p")
        frame.pts, frame.time_base = round(taken * 90000), fractions.Fraction(1, 90000)
        return frame


class BeepTrack(MediaStreamTrack):
    """20 ms of sound at a time: a 1 kHz beep while the wall clock is in a flash."""

    kind = "audio"

    def __init__(self, epoch: float) -> None:
        super().__init__()
        self._epoch, self._samples = epoch, 0

    async def recv(self) -> av.AudioFrame:
        start = self._samples
        self._samples += 960
        await asyncio.sleep(max(0.0, self._epoch + self._samples / RATE - time.monotonic()))
        t = np.arange(start, start + 960) / RATE
        sound = np.sin(2 * np.pi * 1000 * t) * 16000 * np.array([lit(x) for x in t])
        sound += np.sin(2 * np.pi * 200 * t) * 1000  # a quiet hum: a microphone never stops
        frame = av.AudioFrame.from_ndarray(
            sound.astype(np.int16).reshape(1, -1), format="s16", layout="mono"
        )
        frame.sample_rate, frame.pts = RATE, start
        frame.time_base = fractions.Fraction(1, RATE)
        return frame


async def main(link: str, seconds: float) -> None:
    apply_bind_addresses([LOOPBACK])
    epoch = time.monotonic()
    sources = [OpenedSource(BeepTrack(epoch)), OpenedSource(FlashTrack(epoch))]
    network = NetworkSettings(bind_addresses=(LOOPBACK,))
    anna = HeadlessParticipant(parse_link(link), "Anna", network, sources, epoch)
    await anna.join()
    await asyncio.sleep(seconds)
    await anna.leave()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2])))
