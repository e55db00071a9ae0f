"""A meeting as the user sees it: state, participants, our own mute state.

The session is the one object the desktop UI and the headless participant both drive; it
knows nothing about which media server carries the meeting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from aiortc import MediaStreamTrack

from client.call import events
from client.call.backend import EventSink, JoinError, MeetingBackend, PublishError
from client.protocol.messages import MediaSessionType, MediaState

logger = logging.getLogger("runde.call.session")

BackendFactory = Callable[[EventSink], MeetingBackend]
Listener = Callable[[events.MeetingEvent], None]


class SessionState(StrEnum):
    IDLE = "idle"
    JOINING = "joining"
    JOINED = "joined"
    ENDED = "ended"
    FAILED = "failed"


@dataclass
class RemoteParticipant:
    id: str
    display_name: str
    media: MediaState
    tracks: dict[tuple[MediaSessionType, str], MediaStreamTrack] = field(default_factory=dict)


class MeetingSession:
    def __init__(self, backend_factory: BackendFactory) -> None:
        self._backend = backend_factory(self._on_event)
        self._listeners: list[Listener] = []
        self.state = SessionState.IDLE
        self.participant_id: str | None = None
        self.participants: dict[str, RemoteParticipant] = {}
        self.media = MediaState(audio=True, video=True)
        self.end_reason: str | None = None
        self.screen_track: MediaStreamTrack | None = None

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    async def join(
        self,
        display_name: str,
        tracks: Sequence[MediaStreamTrack] = (),
        media: MediaState | None = None,
    ) -> None:
        """Enter the meeting and publish ``tracks``; raises :class:`JoinError`."""
        self.media = media or MediaState(
            audio=any(t.kind == "audio" for t in tracks),
            video=any(t.kind == "video" for t in tracks),
        )
        self.state = SessionState.JOINING
        try:
            result = await self._backend.join(display_name, self.media)
        except JoinError as exc:
            self.state = SessionState.FAILED
            self.end_reason = str(exc)
            raise
        self.participant_id = result.participant_id
        for info in result.participants:
            self.participants[info.id] = RemoteParticipant(info.id, info.display_name, info.media)
        self.state = SessionState.JOINED
        if tracks:
            await self._backend.publish(MediaSessionType.VIDEO, tracks)

    async def share_screen(self, track: MediaStreamTrack) -> None:
        """Send ``track`` as our shared screen, next to the camera.

        Raises :class:`~client.call.backend.PublishError` when the meeting refuses it
        (someone else is presenting); then nothing is shared and ``track`` is stopped.
        """
        if self.state is not SessionState.JOINED:
            track.stop()
            raise PublishError("join the meeting before sharing your screen")
        if self.screen_track is not None:
            track.stop()
            raise PublishError("you are already sharing your screen")
        self.screen_track = track
        try:
            await self._backend.publish(MediaSessionType.SCREEN, [track])
        except BaseException:
            self.screen_track = None
            track.stop()
            raise
        logger.info("sharing the screen")

    async def stop_screen_share(self) -> None:
        track, self.screen_track = self.screen_track, None
        if track is None:
            return
        await self._backend.unpublish(MediaSessionType.SCREEN)
        track.stop()
        logger.info("stopped sharing the screen")

    async def set_media(self, audio: bool, video: bool) -> None:
        self.media = MediaState(audio=audio, video=video)
        await self._backend.set_media_state(self.media)

    async def leave(self) -> None:
        await self._backend.leave()
        if self.screen_track is not None:
            self.screen_track.stop()
            self.screen_track = None
        if self.state is not SessionState.FAILED:
            self.state = SessionState.ENDED
            self.end_reason = self.end_reason or "you left the meeting"

    def _on_event(self, event: events.MeetingEvent) -> None:
        if isinstance(event, events.ParticipantJoined):
            info = event.participant
            self.participants[info.id] = RemoteParticipant(info.id, info.display_name, info.media)
        elif isinstance(event, events.ParticipantLeft):
            self.participants.pop(event.participant_id, None)
        elif isinstance(event, events.MediaStateChanged):
            remote = self.participants.get(event.participant_id)
            if remote is not None:
                remote.media = event.media
        elif isinstance(event, events.RemoteTrackAdded):
            remote = self.participants.get(event.participant_id)
            if remote is not None:
                remote.tracks[(event.session_type, event.track.kind)] = event.track
        elif isinstance(event, events.RemoteStreamEnded):
            remote = self.participants.get(event.participant_id)
            if remote is not None:
                remote.tracks = {
                    key: track
                    for key, track in remote.tracks.items()
                    if key[0] is not event.session_type
                }
        elif isinstance(event, events.MeetingEnded):
            self.state = SessionState.ENDED
            self.end_reason = event.reason
        for listener in list(self._listeners):
            listener(event)
