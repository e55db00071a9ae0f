"""Remote tracks made ready for the window on the media thread: pictures and voices.

A remote track lives on the media loop. Its video sink is made and started there, then
handed to the window's thread, so what crosses is an object that emits finished pictures;
its sound goes to the speakers (which also run there) and only a level probe is shared.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from client.call import events
from client.call.local_media import Playout
from client.media.level_probe import LevelProbeTrack
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
    if track.kind == "video":
        sink = VideoSink(track)
        sink.start()
        application = QCoreApplication.instance()
        if application is not None:
            sink.moveToThread(application.thread())  # the window owns and ends it
        return RemoteMediaReady(event.participant_id, event.session_type, sink=sink)
    if event.session_type is MediaSessionType.SCREEN or playout is None:
        return RemoteMediaReady(event.participant_id, event.session_type)
    voice = LevelProbeTrack(track)
    playout.add_source(event.participant_id, voice)
    return RemoteMediaReady(event.participant_id, event.session_type, voice=voice)
