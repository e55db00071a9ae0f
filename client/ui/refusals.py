"""The host's refusals as sentences in the user's language.

The host answers with an error code and an English sentence; the code decides what the
user reads, the host's sentence is kept only where no code says more.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from client.protocol.common import ErrorCode


def join_refusal_text(code: str | None, host_text: str) -> str:
    """Why the host did not let us in, for "Could not join the meeting: …"."""
    match code:
        case ErrorCode.MEETING_LOCKED:
            return QCoreApplication.translate(
                "Refusals", "the meeting is locked; a moderator can unlock it"
            )
        case ErrorCode.ROOM_FULL:
            return QCoreApplication.translate("Refusals", "the meeting is full")
        case ErrorCode.JOIN_REFUSED:
            return QCoreApplication.translate(
                "Refusals",
                "the meeting host does not know this link: it is mistyped, was renewed, "
                "or the meeting has ended",
            )
        case ErrorCode.FORBIDDEN:
            return QCoreApplication.translate(
                "Refusals", "a moderator removed you from this meeting"
            )
        case ErrorCode.UNSUPPORTED_VERSION:
            return QCoreApplication.translate(
                "Refusals", "the meeting host runs a Runde version that does not fit this one"
            )
        case ErrorCode.RATE_LIMITED:
            return QCoreApplication.translate(
                "Refusals", "too many attempts; try again in a minute"
            )
        case _:
            return host_text


def moderation_refusal_text(code: str | None, host_text: str) -> str:
    """Why the host did not carry out a moderator's action."""
    match code:
        case ErrorCode.FORBIDDEN:
            return QCoreApplication.translate("Refusals", "only moderators can do that")
        case ErrorCode.UNKNOWN_TARGET:
            return QCoreApplication.translate(
                "Refusals", "that person is no longer there, or is not doing that anymore"
            )
        case ErrorCode.RATE_LIMITED:
            return QCoreApplication.translate(
                "Refusals", "too many actions at once; try again in a moment"
            )
        case ErrorCode.NOT_JOINED:
            return QCoreApplication.translate("Refusals", "you are not connected to the meeting")
        case _:
            return host_text


def meeting_ended_text(reason: str) -> str:
    """Why the meeting ended, from the meeting core's English sentence (the core has no Qt
    and so no translation); any other sentence is shown as it came."""
    texts = {
        "the host ended the meeting": QCoreApplication.translate(
            "Refusals", "the host ended the meeting"
        ),
        "the meeting host shut down": QCoreApplication.translate(
            "Refusals", "the meeting host shut down"
        ),
    }
    return texts.get(reason, reason)
