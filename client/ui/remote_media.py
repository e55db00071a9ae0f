"""Remote tracks made ready for the window on the media thread: pictures and voices.

A remote track lives on the media loop. Its video sink is made and started there, then
handed to the window's thread, so what crosses is an object that emits finished pictures;
its sound goes to the speakers (which also run there) and only a level probe is shared.
A camera's pictures wait for its sound (``client.media.lip_sync``).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from client.call import events
from client.call.local_media import Playout
from client.media.level_probe import LevelProbeTrack
from client.media.lip_sync import clock_of
from client.protocol.messages import MediaSessionType
from client.ui.video_sink import VideoSink


@dataclass(frozen=True)
class RemoteMediaReady:
    """A remote stream, ready to show (``sink``) or already playing (``voice``)."""

    participant_id: str
    session_type: MediaSessionType
    sink: VideoSink | None = None
    voice: LevelProbeTrack | None = None


def make_ready(event: events.RemoteTrackAdded, playout: Playout | None) -> RemoteMediaReady:
    """On the media loop: start reading ``event.track`` there."""
    track = event.track
    camera = event.session_type is MediaSessionType.VIDEO
    sync = playout.sync_for(event.participant_id) if camera and playout is not None else None
    if track.kind == "video":
        if sync is not None:
            sync.video_clock = clock_of(track)
        sink = VideoSink(track, sync)
        sink.start()
        application = QCoreApplication.instance()
        if application is not None:
            sink.moveToThread(application.thread())  # the window owns and ends it
        return RemoteMediaReady(event.participant_id, event.session_type, sink=sink)
    if event.session_type is MediaSessionType.SCREEN or playout is None:
        return RemoteMediaReady(event.participant_id, event.session_type)
    voice = LevelProbeTrack(track)
    if sync is not None:
        sync.audio_clock = clock_of(track)
    playout.add_source(event.participant_id, voice)
    return RemoteMediaReady(event.participant_id, event.session_type, voice=voice)


class RemoteMediaSet:
    """The sinks and voices of the others, held by the window's thread while they are shown."""

    def __init__(self) -> None:
        self.participants: set[str] = set()  # whose tiles and sounds we hold
        self.cameras: dict[str, VideoSink] = {}
        self.screens: dict[str, VideoSink] = {}
        self.voices: dict[str, LevelProbeTrack] = {}

    def speaking(self) -> dict[str, bool]:
        return {participant_id: voice.speaking for participant_id, voice in self.voices.items()}

    def take(self, ready: RemoteMediaReady) -> VideoSink | None:
        """Keep what ``ready`` brings; returns a new video sink to show, if any."""
        who, sink = ready.participant_id, ready.sink
        if ready.voice is not None:
            self.voices[who] = ready.voice
        if sink is None:
            return None
        shown = self.screens if ready.session_type is MediaSessionType.SCREEN else self.cameras
        old = shown.pop(who, None)
        if old is not None:
            old.stop()
        shown[who] = sink
        return sink

    def end_screen(self, participant_id: str) -> bool:
        """Stop showing that participant's screen; True when one was shown."""
        sink = self.screens.pop(participant_id, None)
        if sink is not None:
            sink.stop()
        return sink is not None

    def drop(self, participant_id: str) -> bool:
        """Let go of everything of that participant; True when a screen was shown."""
        self.participants.discard(participant_id)
        self.voices.pop(participant_id, None)
        camera = self.cameras.pop(participant_id, None)
        if camera is not None:
            camera.stop()
        return self.end_screen(participant_id)
