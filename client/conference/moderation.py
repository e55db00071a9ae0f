"""Moderators' actions on a room; every one is checked here, whoever sends it."""

from __future__ import annotations

from typing import assert_never

from client.conference.errors import RoomError
from client.conference.modules import broadcast_hands
from client.conference.room import ConferenceRoom, Member
from client.protocol.common import ErrorCode
from client.protocol.moderation import (
    Admit,
    AdmitAll,
    AllowMicrophone,
    CameraOffRequested,
    Deny,
    Done,
    EndMeeting,
    LinkRenewed,
    LockMeeting,
    LockMicrophones,
    LowerAllHands,
    ModerationAction,
    ModerationNotice,
    Mute,
    MuteAll,
    Remove,
    Rename,
    Renamed,
    RenewLink,
    RequestCameraOff,
    Role,
    RoleChanged,
    ScreenShareStopped,
    SetRole,
    SetWaitingRoom,
    StopScreenShare,
)


def _present(room: ConferenceRoom, target: str) -> Member:
    member = room.members.get(target)
    if member is None:
        raise RoomError("that participant is not in the meeting", ErrorCode.UNKNOWN_TARGET)
    return member


def _waiting(room: ConferenceRoom, target: str) -> Member:
    member = room.waiting.get(target)
    if member is None:
        raise RoomError("that person is not in the waiting room", ErrorCode.UNKNOWN_TARGET)
    return member


async def moderate(
    room: ConferenceRoom, actor: Member, action: ModerationAction, transaction_id: str | None
) -> None:
    """Carry out ``action`` for ``actor``, or refuse it with ``forbidden``."""
    if actor.role is not Role.MODERATOR:
        raise RoomError("only moderators can do that", ErrorCode.FORBIDDEN)
    rules = room.rules
    match action:
        case Mute(target=target):
            room.mute(_present(room, target))
        case MuteAll():
            # the chair goes on speaking: moderators are not muted
            for member in room.others(actor):
                if member.role is not Role.MODERATOR:
                    room.mute(member)
        case LockMicrophones(locked=locked):
            rules.microphones_locked = locked
            if locked:
                for member in room.others(actor):
                    if not room.may_unmute(member):
                        room.mute(member)
        case AllowMicrophone(target=target, allowed=allowed):
            member = _present(room, target)
            if allowed:
                rules.microphone_allowed.add(member.id)
            else:
                rules.microphone_allowed.discard(member.id)
        case RequestCameraOff(target=target):
            _present(room, target).outbox.send(
                ModerationNotice(payload=CameraOffRequested(message="camera_off_requested"))
            )
        case StopScreenShare(target=target):
            member = _present(room, target)
            if room.media is None or not await room.media.end_screen_share(member):
                raise RoomError(
                    f"{member.display_name} is not sharing their screen", ErrorCode.UNKNOWN_TARGET
                )
            member.outbox.send(
                ModerationNotice(payload=ScreenShareStopped(message="screen_share_stopped"))
            )
        case Remove(target=target):
            await room.remove(_present(room, target))
        case LockMeeting(locked=locked):
            rules.locked = locked
        case RenewLink():
            notice = ModerationNotice(
                payload=LinkRenewed(message="link_renewed", secret=room.renew_secret())
            )
            for moderator in room.moderators():
                moderator.outbox.send(notice)
        case SetWaitingRoom(enabled=enabled):
            rules.waiting_room = enabled
            if not enabled:  # nobody is left waiting for a room that no longer exists
                for member in list(room.waiting.values()):
                    await room.admit(member)
        case Admit(target=target):
            await room.admit(_waiting(room, target))
        case AdmitAll():
            for member in list(room.waiting.values()):
                await room.admit(member)
        case Deny(target=target):
            room.deny(_waiting(room, target))
        case Rename(target=target, display_name=name):
            member = _present(room, target)
            member.display_name = name
            room.tell_everyone(
                ModerationNotice(
                    payload=Renamed(message="renamed", participant_id=member.id, display_name=name)
                )
            )
        case LowerAllHands():
            for participant_id in room.hands.queue:
                room.hands.lower(participant_id)
            broadcast_hands(room)
        case SetRole(target=target, role=role):
            member = _present(room, target)
            member.role = role
            room.tell_everyone(
                ModerationNotice(
                    payload=RoleChanged(message="role_changed", participant_id=member.id, role=role)
                )
            )
            if role is Role.MODERATOR:
                room.tell_moderators_who_waits()
        case EndMeeting():
            actor.outbox.send(_done(action.action, transaction_id))
            await room.end("host_ended")
            return
        case _:
            assert_never(action)
    if isinstance(action, LockMicrophones | AllowMicrophone | LockMeeting | SetWaitingRoom):
        room.tell_everyone(rules.notice())
    actor.outbox.send(_done(action.action, transaction_id))


def _done(action: str, transaction_id: str | None) -> ModerationNotice:
    return ModerationNotice(
        transaction_id=transaction_id, payload=Done(message="done", action=action)
    )
