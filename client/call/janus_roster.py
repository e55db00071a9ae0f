"""Who is in a Janus VideoRoom, learnt from its attendee and publisher lists.

Janus names participants by feed id and tells joins, publications and departures in room
events; the roster turns them into :class:`ParticipantInfo` and the session's events.
"""

from __future__ import annotations

import re

from client.call import events
from client.call.backend import EventSink
from client.call.janus_connection import FeedId, PublisherInfo, RoomEvent
from client.protocol.messages import MediaSessionType, MediaState, ParticipantInfo

_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SILENT = MediaState(audio=False, video=False)


def participant_id_of(feed: FeedId) -> str | None:
    """Our id for a Janus feed; None when it cannot be one (a hostile or odd server)."""
    text = str(feed)
    return text if _ID_PATTERN.match(text) else None


def _display_name(display: str | None, participant_id: str) -> str:
    name = (display or "").strip()[:64].strip()
    return name or f"Participant {participant_id}"


def _publishing(media: MediaState) -> list[MediaSessionType]:
    return [MediaSessionType.VIDEO] if media.audio or media.video else []


def _media_of(publisher: PublisherInfo) -> MediaState:
    active = {s.type for s in publisher.streams if not s.disabled}
    return MediaState(audio="audio" in active, video="video" in active)


class JanusRoster:
    """The other participants; ``own_feed`` (ours, once joined) is never one of them."""

    def __init__(self, emit: EventSink) -> None:
        self._emit = emit
        self.participants: dict[str, ParticipantInfo] = {}
        self.own_feed: FeedId | None = None

    def learn(self, data: RoomEvent, announce: bool) -> list[ParticipantInfo]:
        """Remember attendees and publishers; with ``announce`` emit what changed."""
        learned: list[ParticipantInfo] = []
        for attendee in data.attendees or []:
            info = self._remember(attendee.id, attendee.display, _SILENT)
            if info is not None:
                learned.append(info)
        for publisher in data.publishers or []:
            info = self._remember(publisher.id, publisher.display, _media_of(publisher), announce)
            if info is not None:
                learned.append(info)
        if data.joining is not None:
            self._remember(data.joining.id, data.joining.display, _SILENT, announce)
        return learned

    def _remember(
        self, feed: FeedId, display: str | None, media: MediaState, announce: bool = False
    ) -> ParticipantInfo | None:
        participant_id = participant_id_of(feed)
        if participant_id is None or feed == self.own_feed:
            return None
        known = self.participants.get(participant_id)
        if known is not None:
            if media != known.media and (media.audio or media.video):
                known = known.model_copy(update={"media": media, "publishing": _publishing(media)})
                self.participants[participant_id] = known
                if announce:
                    self._emit(events.MediaStateChanged(participant_id, media))
            return known
        info = ParticipantInfo(
            id=participant_id,
            display_name=_display_name(display, participant_id),
            media=media,
            publishing=_publishing(media),
        )
        self.participants[participant_id] = info
        if announce:
            self._emit(events.ParticipantJoined(info))
        return info

    def forget_media(self, feed: FeedId) -> None:
        # A later publish by the same participant then shows as a media change.
        participant_id = participant_id_of(feed)
        known = self.participants.get(participant_id or "")
        if participant_id is not None and known is not None:
            self.participants[participant_id] = known.model_copy(
                update={"media": _SILENT, "publishing": []}
            )

    def left(self, feed: FeedId, reason: str) -> None:
        participant_id = participant_id_of(feed)
        if participant_id is not None and self.participants.pop(participant_id, None) is not None:
            self._emit(events.ParticipantLeft(participant_id, reason))
