"""Headless host and participant: the SFU as a small server, and a participant without a UI."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import av
import numpy as np
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from client.call import events
from client.call.backend import EventSink, MeetingBackend
from client.call.session import MeetingSession
from client.call.sfu_backend import SfuBackend
from client.media.screen import display_source
from client.media.screen_track import DEFAULT_FPS, ScreenTrack
from client.media.sources import OpenedSource
from client.netconfig import NetworkSettings
from client.protocol.link import LinkForm, MeetingLink
from client.protocol.messages import MediaSessionType
from client.sfu.server import ServerSettings, SfuServer

logger = logging.getLogger("runde.headless")


async def run_host(
    settings: ServerSettings, form: LinkForm, stop: asyncio.Event, out: TextIO
) -> None:
    """Serve one meeting until ``stop`` is set; the link is the first line on ``out``."""
    server = SfuServer(settings)
    await server.start()
    try:
        _, link = server.create_room()
        out.write(link.to_text(form) + "\n")
        out.flush()
        await stop.wait()
    finally:
        await server.stop()
        logger.info("meeting ended, server stopped")


@dataclass
class RemoteCounts:
    video_frames: int = 0
    audio_frames: int = 0
    screen_frames: int = 0
    screen_size: tuple[int, int] | None = None
    # the last second of received audio, to name the tone a remote is sending
    recent_audio: deque[np.ndarray] = field(default_factory=lambda: deque(maxlen=50))
    audio_rate: int = 48000

    def dominant_hz(self) -> float | None:
        if not self.recent_audio:
            return None
        samples = np.concatenate(list(self.recent_audio)).astype(np.float64)
        spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
        spectrum[0] = 0.0
        return round(float(np.argmax(spectrum)) * self.audio_rate / len(samples), 1)


@dataclass
class ParticipantStats:
    name: str
    started_at: float
    join_started_s: float | None = None  # from process start to asking to join
    first_remote_video_s: float | None = None
    first_remote_screen_s: float | None = None
    # keyed by participant id; names are resolved when the stats are written
    counts: dict[str, RemoteCounts] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        # A participant who left and rejoined has two ids: their visits add up by name.
        remotes: dict[str, dict[str, object]] = {}
        for participant_id, counts in self.counts.items():
            name = self.names.get(participant_id, participant_id)
            before = remotes.get(name, {})
            entry: dict[str, object] = {
                "video_frames": counts.video_frames + _int(before.get("video_frames")),
                "audio_frames": counts.audio_frames + _int(before.get("audio_frames")),
                "screen_frames": counts.screen_frames + _int(before.get("screen_frames")),
                "audio_dominant_hz": counts.dominant_hz(),
            }
            if counts.screen_size is not None:
                entry["screen_width"], entry["screen_height"] = counts.screen_size
            remotes[name] = {**before, **entry}
        return {
            "name": self.name,
            "join_started_s": self.join_started_s,
            "first_remote_video_s": self.first_remote_video_s,
            "first_remote_screen_s": self.first_remote_screen_s,
            "remotes": remotes,
        }


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def _first_channel(frame: av.AudioFrame) -> np.ndarray:
    """One channel is enough to tell which tone arrives."""
    samples: np.ndarray = frame.to_ndarray()
    channel: np.ndarray = (
        samples[0][:: len(frame.layout.channels)] if frame.format.is_packed else samples[0]
    )
    return channel


class HeadlessParticipant:
    """Joins, publishes the given sources and decodes everything it receives."""

    def __init__(
        self,
        link: MeetingLink,
        name: str,
        network: NetworkSettings,
        sources: list[OpenedSource],
        started_at: float,
        video_codec: str = "VP8",
        share: ShareSettings | None = None,
    ) -> None:
        self._link = link
        self._share = share
        self.screen_snapshot: av.VideoFrame | None = None
        self.screen_error: str | None = None
        self._video_codec = video_codec
        self._network = network
        self._sources = sources
        self.stats = ParticipantStats(name=name, started_at=started_at)
        self._consumers: set[asyncio.Task[None]] = set()
        self.session = MeetingSession(self._make_backend)
        self.session.subscribe(self._on_event)
        self.ended = asyncio.Event()
        self.end: events.MeetingEnded | None = None

    def _make_backend(self, sink: EventSink) -> MeetingBackend:
        return SfuBackend(self._link, self._network, sink, video_codec=self._video_codec)

    async def join(self) -> None:
        self.stats.join_started_s = round(time.monotonic() - self.stats.started_at, 3)
        await self.session.join(self.stats.name, [s.track for s in self._sources])
        for participant in self.session.participants.values():
            self.stats.names[participant.id] = participant.display_name
        if self._share is not None:
            await self.share_screen(self._share)

    async def share_screen(self, share: ShareSettings) -> None:
        """Share a whole X display; raises ScreenCaptureError or PublishError."""
        track = ScreenTrack(
            display_source(share.display), fps=share.fps, on_error=self._screen_failed
        )
        await self.session.share_screen(track)

    def _screen_failed(self, message: str) -> None:
        self.screen_error = message

    async def leave(self) -> None:
        await self.session.leave()
        for source in self._sources:
            source.stop()
        for task in list(self._consumers):
            task.cancel()
        await asyncio.gather(*self._consumers, return_exceptions=True)

    def _on_event(self, event: events.MeetingEvent) -> None:
        if isinstance(event, events.ParticipantJoined):
            self.stats.names[event.participant.id] = event.participant.display_name
        elif isinstance(event, events.RemoteTrackAdded):
            consume = (
                self._consume_screen(event.participant_id, event.track)
                if event.session_type is MediaSessionType.SCREEN
                else self._consume(event.participant_id, event.track)
            )
            task = asyncio.ensure_future(consume)
            self._consumers.add(task)
            task.add_done_callback(self._consumers.discard)
        elif isinstance(event, events.MeetingEnded):
            logger.info("meeting ended: %s", event.reason)
            self.end = event
            self.ended.set()

    async def _consume(self, participant_id: str, track: MediaStreamTrack) -> None:
        counts = self.stats.counts.setdefault(participant_id, RemoteCounts())
        try:
            while True:
                frame = await track.recv()
                if track.kind == "video":
                    counts.video_frames += 1
                    if self.stats.first_remote_video_s is None:
                        self.stats.first_remote_video_s = round(
                            time.monotonic() - self.stats.started_at, 3
                        )
                elif isinstance(frame, av.AudioFrame):
                    counts.audio_frames += 1
                    counts.audio_rate = frame.sample_rate
                    counts.recent_audio.append(_first_channel(frame))
        except MediaStreamError:
            pass

    async def _consume_screen(self, participant_id: str, track: MediaStreamTrack) -> None:
        counts = self.stats.counts.setdefault(participant_id, RemoteCounts())
        try:
            while True:
                frame = await track.recv()
                if not isinstance(frame, av.VideoFrame):
                    continue
                counts.screen_frames += 1
                counts.screen_size = (frame.width, frame.height)
                self.screen_snapshot = frame
                if self.stats.first_remote_screen_s is None:
                    self.stats.first_remote_screen_s = round(
                        time.monotonic() - self.stats.started_at, 3
                    )
        except MediaStreamError:
            pass


@dataclass(frozen=True)
class ShareSettings:
    """``--share-screen DISPLAY``: the whole X display, at ``fps`` pictures a second."""

    display: str
    fps: int = DEFAULT_FPS


def save_screen_snapshot(path: Path, frame: av.VideoFrame) -> None:
    """The last received shared-screen picture as a PNG (for tests and demos)."""
    encoder = av.CodecContext.create("png", "w")
    encoder.width, encoder.height, encoder.pix_fmt = frame.width, frame.height, "rgb24"
    picture = frame.reformat(format="rgb24")
    data = b"".join(bytes(p) for p in [*encoder.encode(picture), *encoder.encode(None)])
    path.write_bytes(data)


def write_stats(path: Path, stats: ParticipantStats) -> None:
    path.write_text(json.dumps(stats.as_json(), indent=2) + "\n", encoding="utf-8")
