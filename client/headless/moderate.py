"""``runde moderate LINK ACTION [NAME]``: one moderator's action, then exit."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sys
import time

from client.call.backend import EventSink, JoinError, MeetingBackend
from client.call.session import MeetingSession, ModerationRefused
from client.call.sfu_backend import SfuBackend
from client.exit_codes import EXIT_JOIN_FAILED, EXIT_OK, EXIT_REFUSED, EXIT_USAGE
from client.netconfig import NetworkSettings
from client.protocol.link import LinkForm, MeetingLink
from client.protocol.messages import MediaState
from client.protocol.moderation import (
    Admit,
    AdmitAll,
    Deny,
    EndMeeting,
    LockMeeting,
    LockMicrophones,
    LowerAllHands,
    ModerationAction,
    Mute,
    MuteAll,
    Remove,
    RenewLink,
    SetWaitingRoom,
)

logger = logging.getLogger(__name__)

# The actions that name a person: someone in the meeting, or someone waiting.
ON_SOMEONE_PRESENT = ("mute", "remove")
ON_SOMEONE_WAITING = ("admit", "deny")
ON_THE_MEETING: dict[str, ModerationAction] = {
    "admit-all": AdmitAll(action="admit_all"),
    "mute-all": MuteAll(action="mute_all"),
    "lock-microphones": LockMicrophones(action="lock_microphones", locked=True),
    "unlock-microphones": LockMicrophones(action="lock_microphones", locked=False),
    "lock": LockMeeting(action="lock", locked=True),
    "unlock": LockMeeting(action="lock", locked=False),
    "waiting-room-on": SetWaitingRoom(action="waiting_room", enabled=True),
    "waiting-room-off": SetWaitingRoom(action="waiting_room", enabled=False),
    "renew-link": RenewLink(action="renew_link"),
    "lower-hands": LowerAllHands(action="lower_all_hands"),
    "end": EndMeeting(action="end_meeting"),
}
ACTIONS = sorted([*ON_SOMEONE_PRESENT, *ON_SOMEONE_WAITING, *ON_THE_MEETING])
# The waiting list follows join_success at once; this is plenty on any network.
WAITING_LIST_WAIT_S = 2.0


class _Refused(Exception):
    pass


def _fail(code: int, text: str) -> int:
    print(f"runde: {text}", file=sys.stderr)
    return code


async def moderate(
    link: MeetingLink, form: LinkForm, action_name: str, name: str | None, network: NetworkSettings
) -> int:
    if not link.moderates:
        return _fail(EXIT_USAGE, "this is a participant link; moderating needs the moderator link")
    if (action_name in ON_SOMEONE_PRESENT or action_name in ON_SOMEONE_WAITING) != bool(name):
        needs = "needs" if name is None else "takes no"
        return _fail(EXIT_USAGE, f"'{action_name}' {needs} a participant's name")

    def backend(sink: EventSink) -> MeetingBackend:
        return SfuBackend(link, network, sink, moderation_only=True)

    session = MeetingSession(backend, reconnect_attempts=0)
    try:
        await session.join("runde moderate", [], MediaState(audio=False, video=False))
    except JoinError as exc:
        return _fail(EXIT_JOIN_FAILED, f"could not reach the meeting: {exc}")
    try:
        action = await _action(session, action_name, name)
        await session.moderate(action)
        if isinstance(action, RenewLink):
            print(await _renewed_link(session, link, form))
    except (_Refused, ModerationRefused) as exc:
        return _fail(EXIT_REFUSED, str(exc))
    finally:
        await session.leave()
    return EXIT_OK


async def _action(session: MeetingSession, action_name: str, name: str | None) -> ModerationAction:
    if action_name in ON_THE_MEETING:
        return ON_THE_MEETING[action_name]
    if action_name in ON_SOMEONE_PRESENT:
        present = {p.display_name: p.id for p in session.participants.values()}
        if name not in present:
            raise _Refused(f"nobody called {name!r} is in the meeting")
        return _about(action_name, present[name])
    deadline = time.monotonic() + WAITING_LIST_WAIT_S
    while True:
        waiting = dict((n, i) for i, n in session.moderation.waiting)
        if name in waiting:
            return _about(action_name, waiting[name])
        if time.monotonic() > deadline:
            raise _Refused(f"nobody called {name!r} is in the waiting room")
        await asyncio.sleep(0.05)


def _about(action_name: str, target: str) -> ModerationAction:
    match action_name:
        case "mute":
            return Mute(action="mute", target=target)
        case "remove":
            return Remove(action="remove", target=target)
        case "admit":
            return Admit(action="admit", target=target)
        case _:
            return Deny(action="deny", target=target)


async def _renewed_link(session: MeetingSession, link: MeetingLink, form: LinkForm) -> str:
    deadline = time.monotonic() + WAITING_LIST_WAIT_S
    while session.moderation.renewed_secret is None:
        if time.monotonic() > deadline:
            raise _Refused("the meeting host renewed the link but did not say the new one")
        await asyncio.sleep(0.05)
    renewed = dataclasses.replace(link, secret=session.moderation.renewed_secret)
    return renewed.for_participants().to_text(form)
