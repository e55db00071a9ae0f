"""What the user reads when the meeting core reports something: one sentence each, in the
user's language (the core is Qt-free and speaks English for logs)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from client.call import events
from client.ui.refusals import meeting_ended_text


def ended_text(ended: events.MeetingEnded) -> str:
    """Why the meeting is over for us."""
    if ended.removed:
        return QCoreApplication.translate("MeetingController", "You were removed from the meeting.")
    if ended.connection_lost and not ended.retry:
        return QCoreApplication.translate(
            "MeetingController",
            "Your audio and video could not reach the meeting host, so it gave up your "
            "place. A firewall may block them; your administrator can set up a TURN server.",
        )
    if ended.connection_lost:
        return QCoreApplication.translate(
            "MeetingController", "The connection to the meeting was lost and could not be restored."
        )
    return meeting_ended_text(ended.reason)


def problem_text(event: events.ServerError | events.MutedByModerator) -> str:
    """A refusal or a moderator's action that the meeting goes on after."""
    match event:
        case events.ServerError(code="rate_limited"):
            return QCoreApplication.translate(
                "MeetingController", "You are sending too fast; wait a moment and try again."
            )
        case events.ServerError(text=text):
            return text
        case events.MutedByModerator(refused=True):
            return QCoreApplication.translate(
                "MeetingController", "Microphones are locked: a moderator must allow you to speak."
            )
        case events.MutedByModerator():
            return QCoreApplication.translate("MeetingController", "A moderator muted you.")
