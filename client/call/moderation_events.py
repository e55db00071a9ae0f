"""The ``moderation`` namespace's notices as the client's events."""

from __future__ import annotations

from typing import assert_never

from client.call import events
from client.protocol.moderation import (
    CameraOffRequested,
    Denied,
    Done,
    LinkRenewed,
    MeetingSettings,
    ModerationNotice,
    Muted,
    Removed,
    Renamed,
    RoleChanged,
    ScreenShareStopped,
    Waiting,
    WaitingList,
)

REMOVED = "you were removed from the meeting by a moderator"
STOPPED_SHARING = "a moderator stopped your screen share"


def moderation_event(notice: ModerationNotice) -> events.MeetingEvent | None:
    """The event a moderation notice means for us (None: nothing to report)."""
    payload = notice.payload
    match payload:
        case Waiting():
            return events.Waiting()
        case Denied():
            return None  # only while joining; the join itself fails with a sentence
        case Removed():
            return events.MeetingEnded(REMOVED, removed=True)
        case Muted():
            return events.MutedByModerator()
        case CameraOffRequested():
            return events.CameraOffRequested()
        case ScreenShareStopped():
            return events.ScreenShareStopped(STOPPED_SHARING)
        case WaitingList(waiting=waiting):
            return events.WaitingListChanged(tuple((w.id, w.display_name) for w in waiting))
        case MeetingSettings():
            return events.MeetingRulesChanged(
                locked=payload.locked,
                waiting_room=payload.waiting_room,
                microphones_locked=payload.microphones_locked,
                microphone_allowed=tuple(payload.microphone_allowed),
            )
        case RoleChanged(participant_id=who, role=role):
            return events.RoleChanged(who, role)
        case Renamed(participant_id=who, display_name=name):
            return events.ParticipantRenamed(who, name)
        case LinkRenewed(secret=secret):
            return events.LinkRenewed(secret)
        case Done(action=action):
            return events.ModerationDone(action, notice.transaction_id)
        case _:
            assert_never(payload)
