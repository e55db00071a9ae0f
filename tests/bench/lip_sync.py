"""Lip sync, as far as the sender reports reach: where a flash and a beep sent together by a
Runde participant land on the publisher's clock at a subscriber.

    python -m tests.bench.lip_sync [--runs 5]

A benchmark, not a CI test: with file sources the offset depends on how the publisher's two
player threads keep pace on a busy machine (+107, +4, +27, -21, -123 ms in five runs at a load
average of 10-20), so a fixed tolerance would fail at random. Each run prints the offsets.

A real host and a real Runde participant on 127.0.0.1 send two files made for the test: a
picture that flashes white for 100 ms every 2 s, and a 1 kHz beep of 100 ms at the same
moments. The subscriber is an aiortc peer (``raw_subscriber.py``) that decodes both streams,
finds each flash and each beep onset by its RTP timestamp, and maps the timestamps to the
publisher's wall clock with the sender reports the SFU sends it. A receiver that plays sound
and picture by that mapping keeps them within the ±80 ms people accept; each run prints the
mapped offsets, and how far apart the two arrived (decoded) at this subscriber, which is what a
receiver that does not align them would show.

The publisher's sender reports (aiortc's) pair an RTP time with the moment its packet was
*sent*, not captured: a stream whose sending lags behind the other on the publisher (a file
source may fall up to 200 ms behind before it skips, see ``client/media/catch_up.py``) shows
up here as an offset, as it would at any receiver.
"""

from __future__ import annotations

import argparse
import asyncio
import fractions
import signal
import tempfile
import time
from pathlib import Path
from typing import Any

import aiortc.rtcrtpreceiver
import av
import numpy as np
from aiortc import RTCRtpTransceiver
from aiortc.mediastreams import MediaStreamError
from aiortc.rtp import AnyRtcpPacket, RtcpSrPacket

from client import compat
from client.protocol.link import parse_link
from tests.helpers import finish, start_host, start_participant
from tests.integration.raw_subscriber import subscribe

PERIOD_S = 2.0
FLASH_S = 0.1
FILE_S = 16
FPS = 30
RATE = 48000
LISTEN_S = 10.0
CLOCK_RATES = {"audio": RATE, "video": 90000}
TOLERANCE_S = 0.080


def _make_sources(folder: Path) -> tuple[Path, Path]:
    """A flashing picture (VP8 in WebM) and a beeping tone (Opus in WebM), in step."""
    flash, beep = folder / "flash.webm", folder / "beep.webm"
    with av.open(str(flash), "w") as out:
        stream = out.add_stream("libvpx", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        for index in range(FILE_S * FPS):
            lit = (index / FPS) % PERIOD_S < FLASH_S
            picture = np.full((120, 160, 3), 255 if lit else 0, np.uint8)
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts, frame.time_base = index, fractions.Fraction(1, FPS)
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    with av.open(str(beep), "w") as out:
        audio = out.add_stream("libopus", rate=RATE)
        audio.layout = "mono"
        for start in range(0, FILE_S * RATE, 960):
            t = np.arange(start, start + 960) / RATE
            tone = np.sin(2 * np.pi * 1000 * t) * 16000 * ((t % PERIOD_S) < FLASH_S)
            chunk = av.AudioFrame.from_ndarray(
                tone.astype(np.int16).reshape(1, -1), format="s16", layout="mono"
            )
            chunk.sample_rate, chunk.pts = RATE, start
            chunk.time_base = fractions.Fraction(1, RATE)
            out.mux(audio.encode(chunk))
        out.mux(audio.encode(None))
    return flash, beep


class Watcher:
    """One received stream: its sender reports, and the onsets of flashes or beeps as
    (RTP timestamp, wall-clock second it was decoded)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.reports: list[tuple[int, int]] = []  # (NTP, RTP)
        self.onsets: list[tuple[int, float]] = []
        self._quiet_since: int | None = None
        self._was_lit = False

    async def on_rtcp(self, packet: AnyRtcpPacket, original: Any) -> None:
        if isinstance(packet, RtcpSrPacket) and packet.sender_info.ntp_timestamp:
            self.reports.append(
                (packet.sender_info.ntp_timestamp, packet.sender_info.rtp_timestamp)
            )
        await original(packet)

    async def consume(self, track: Any) -> None:
        try:
            while True:
                frame = await track.recv()
                self._look(frame, time.time())
        except MediaStreamError:
            pass

    def _look(self, frame: Any, now: float) -> None:
        if self.kind == "video":
            lit = float(frame.to_ndarray(format="gray").mean()) > 128
            if lit and not self._was_lit:
                self.onsets.append((frame.pts, now))
            self._was_lit = lit
            return
        samples = np.abs(frame.to_ndarray().astype(np.int32)).reshape(
            -1, len(frame.layout.channels)
        )
        loud = np.flatnonzero(samples.max(axis=1) > 4000)
        if loud.size == 0:
            if self._quiet_since is None:
                self._quiet_since = frame.pts
            return
        quiet_long = self._quiet_since is not None and frame.pts - self._quiet_since > RATE // 2
        if quiet_long:
            self.onsets.append((frame.pts + int(loud[0]), now))
        self._quiet_since = None

    def publisher_time(self, rtp: int) -> float:
        """The publisher's wall-clock second ``rtp`` stands for, by the latest sender report."""
        ntp, sr_rtp = self.reports[-1]
        ticks = ((rtp - sr_rtp + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)
        return ntp / (1 << 32) + ticks / CLOCK_RATES[self.kind]


def _watch(link: str) -> dict[str, Watcher]:
    watchers: dict[str, Watcher] = {}
    tasks: list[asyncio.Future[None]] = []

    def prepare(transceiver: RTCRtpTransceiver) -> None:
        watcher = watchers[transceiver.kind] = Watcher(transceiver.kind)
        compat.intercept_receiver_rtcp(transceiver.receiver, watcher.on_rtcp)
        tasks.append(asyncio.ensure_future(watcher.consume(transceiver.receiver.track)))

    async def run() -> None:
        await subscribe(parse_link(link), prepare, LISTEN_S)
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(run())
    return watchers


class RtpTimestamps:
    """aiortc's receiver counts a stream's timestamps from its first frame
    (``TimestampMapper``); the test wants them as sent, to map them by the sender reports."""

    def map(self, timestamp: int) -> int:
        return timestamp


def measure(folder: Path) -> tuple[list[float], list[float]]:
    """(flash minus beep on the publisher's clock, as decoded here) per flash, in seconds."""
    flash, beep = _make_sources(folder)
    host = start_host(log_level="warning")
    publisher = start_participant(
        host.link, "Anna", folder / "Anna.json", 60, "--video", str(flash), "--audio", str(beep)
    )
    try:
        watchers = _watch(host.link)
    finally:
        publisher.send_signal(signal.SIGTERM)
        finish(publisher)
        host.stop()
    video, audio = watchers["video"], watchers["audio"]
    if not (video.reports and audio.reports):
        raise RuntimeError("no sender reports with a clock reached the subscriber")
    mapped, arrived = [], []
    for rtp, decoded_at in video.onsets:
        seen = video.publisher_time(rtp)
        heard_rtp, heard_at = min(
            audio.onsets, key=lambda o: abs(audio.publisher_time(o[0]) - seen)
        )
        mapped.append(seen - audio.publisher_time(heard_rtp))
        arrived.append(decoded_at - heard_at)
    return mapped, arrived


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    # aiortc's receiver counts timestamps from its first frame; the SRs speak of them as sent
    aiortc.rtcrtpreceiver.TimestampMapper = RtpTimestamps  # type: ignore[misc]
    print("| run | flash - beep by the SRs, ms | as decoded here, ms | within ±80 ms |")
    print("|---:|---|---|---|")
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory() as folder:
            mapped, arrived = measure(Path(folder))
        paired = [m for m in mapped if abs(m) < PERIOD_S / 2]
        within = bool(paired) and all(abs(m) <= TOLERANCE_S for m in paired)
        print(
            f"| {run} | {[round(m * 1000) for m in mapped]} | "
            f"{[round(a * 1000) for a in arrived]} | {'yes' if within else 'no'} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
