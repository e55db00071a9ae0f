"""A participant without a window: sends given sources, decodes and counts what it receives."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import assert_never

import av
import numpy as np
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from client.call import events
from client.call.connect import backend_for
from client.call.events import SessionState
from client.call.session import BackendFactory, MeetingSession
from client.headless.receive_estimates import ReceiveEstimates
from client.headless.stats import ParticipantStats
from client.media.audio_receive import is_concealed
from client.media.screen import display_source
from client.media.screen_track import DEFAULT_FPS, ScreenTrack
from client.media.sources import OpenedSource
from client.netconfig import NetworkSettings
from client.protocol.link import MeetingLink
from client.protocol.messages import MediaSessionType

logger = logging.getLogger(__name__)


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
        backend: BackendFactory | None = None,
    ) -> None:
        self._share = share
        self.screen_snapshot: av.VideoFrame | None = None
        # the last camera picture received from each remote, by participant id
        self.video_snapshots: dict[str, av.VideoFrame] = {}
        self.screen_error: str | None = None
        self._sources = sources
        self.stats = ParticipantStats(name=name, started_at=started_at)
        self._consumers: set[asyncio.Task[None]] = set()
        self._estimates = ReceiveEstimates(backend or backend_for(link, network, video_codec))
        self.session = MeetingSession(self._estimates.make_backend)
        self.session.subscribe(self._on_event)
        self._waiting_since: float | None = None
        self.ended = asyncio.Event()
        self.end: events.MeetingEnded | None = None

    async def join(self) -> None:
        self.stats.join_started_s = round(time.monotonic() - self.stats.started_at, 3)
        await self.session.join(self.stats.name, [s.track for s in self._sources])
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

    def waited_so_far(self) -> float | None:
        """Seconds in the waiting room so far (None: not waiting)."""
        since = self._waiting_since
        return time.monotonic() - since if since is not None else None

    def participant_named(self, name: str) -> str | None:
        """The id of the participant called ``name`` now in the meeting."""
        return next(
            (p.id for p in self.session.participants.values() if p.display_name == name), None
        )

    def _on_event(self, event: events.MeetingEvent) -> None:
        stats = self.stats
        match event:
            case events.ParticipantJoined(participant=info):
                stats.names[info.id] = info.display_name
                counts = stats.counts_of(info.id)
                counts.audio_on, counts.video_on = info.media.audio, info.media.video
            case events.MediaStateChanged(participant_id=who, media=media):
                counts = stats.counts_of(who)
                counts.audio_on, counts.video_on = media.audio, media.video
                counts.video_pauses += media.video_paused and not counts.video_paused
                counts.video_paused = media.video_paused
            case events.RemoteTrackAdded(participant_id=who, session_type=kind, track=track):
                consume = (
                    self._consume_screen(who, track)
                    if kind is MediaSessionType.SCREEN
                    else self._consume(who, track)
                )
                task = asyncio.ensure_future(consume)
                self._consumers.add(task)
                task.add_done_callback(self._consumers.discard)
            case events.ChatReceived(entry=entry):
                stats.chat.append(entry)
                stats.names.setdefault(entry.sender_id, entry.sender_name)
            case events.HandsChanged(queue=queue):
                stats.hands = queue
            case events.ReactionReceived(participant_id=who):
                stats.reactions[who] += 1
            case events.ServerError(text=text):
                stats.errors.append(text)
                logger.warning("the meeting refused a request: %s", text)
            case events.StateChanged(state=state, reason=reason):
                logger.info("meeting state %s %s", state.value, reason)
                if state is SessionState.JOINED and self._waiting_since is not None:
                    stats.waited_s = round(time.monotonic() - self._waiting_since, 3)
                    self._waiting_since = None
                if self.session.participant_id is not None:
                    stats.names[self.session.participant_id] = stats.name
            case events.MeetingEnded():
                logger.info("meeting ended: %s", event.reason)
                self.end = event
                self.ended.set()
            case events.Waiting():
                self._waiting_since = time.monotonic()
                logger.info("waiting for a moderator to let us in")
            case events.MutedByModerator():
                stats.muted_by_moderator += 1
            case events.OwnVideoPaused(paused=paused):
                stats.video_pauses += paused
            case (
                events.ParticipantLeft()
                | events.RemoteStreamEnded()
                | events.ScreenShareStopped()
                | events.CameraOffRequested()
                | events.MeetingRulesChanged()
                | events.WaitingListChanged()
                | events.RoleChanged()
                | events.ParticipantRenamed()
                | events.LinkRenewed()
                | events.ModerationDone()
            ):
                pass
            case _:
                assert_never(event)

    async def _consume(self, participant_id: str, track: MediaStreamTrack) -> None:
        counts = self.stats.counts_of(participant_id)
        try:
            while True:
                frame = await track.recv()
                if isinstance(frame, av.VideoFrame):
                    counts.video_frames += 1
                    counts.video_keyframes += frame.key_frame
                    counts.video_height = frame.height
                    self.video_snapshots[participant_id] = frame
                    if counts.video_frames % 15 == 1:  # about every second
                        counts.bitrate_estimate_kbps = self._estimates.kbps(track)
                    if self.stats.first_remote_video_s is None:
                        self.stats.first_remote_video_s = round(
                            time.monotonic() - self.stats.started_at, 3
                        )
                elif isinstance(frame, av.AudioFrame):
                    counts.audio_frames += 1
                    counts.audio_concealed_frames += is_concealed(frame)
                    counts.audio_rate = frame.sample_rate
                    counts.recent_audio.append(_first_channel(frame))
        except MediaStreamError:
            pass

    async def _consume_screen(self, participant_id: str, track: MediaStreamTrack) -> None:
        counts = self.stats.counts_of(participant_id)
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
