"""What members do besides media: chat, raised hands, reactions (the room enforces limits)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from client.conference.errors import RoomError
from client.protocol.common import ErrorCode
from client.protocol.modules import (
    ChatHistory,
    ChatNotice,
    HandsChanged,
    HandsNotice,
    Reacted,
    Reaction,
    ReactionNotice,
)

if TYPE_CHECKING:
    from client.conference.room import ConferenceRoom, Member


def send_module_state(room: ConferenceRoom, member: Member) -> None:
    """After joining: the conversation so far, the raised hands and the meeting's rules."""
    for chunk, complete in room.chat.history_chunks(member.id):
        member.outbox.send(
            ChatNotice(
                payload=ChatHistory(message="chat_history", messages=chunk, complete=complete)
            )
        )
    member.outbox.send(HandsNotice(payload=HandsChanged(message="hands", queue=room.hands.queue)))
    member.outbox.send(room.rules.notice())
    if member in room.moderators():
        room.tell_moderators_who_waits()


def send_chat(room: ConferenceRoom, member: Member, text: str, to: str | None) -> None:
    if not text.strip():
        raise RoomError("the message is empty")
    addressee = room.members.get(to) if to is not None else None
    if to is not None and (addressee is None or addressee is member):
        raise RoomError(
            "a private message needs another participant who is in the meeting",
            ErrorCode.UNKNOWN_TARGET,
        )
    if not member.chat_limit.take():
        raise RoomError(
            "you are sending messages too fast; this one was not sent, wait a moment",
            ErrorCode.RATE_LIMITED,
        )
    message = room.chat.add(
        (member.id, member.display_name),
        text,
        (addressee.id, addressee.display_name) if addressee is not None else None,
    )
    notice = ChatNotice(payload=message)
    for receiver in [member, addressee] if addressee else room.members.values():
        receiver.outbox.send(notice)


def raise_hand(room: ConferenceRoom, member: Member, raised: bool) -> None:
    if not member.hand_limit.take():
        raise RoomError("you are raising and lowering your hand too fast", ErrorCode.RATE_LIMITED)
    changed = room.hands.raise_hand(member.id) if raised else room.hands.lower(member.id)
    if changed:
        broadcast_hands(room)


def react(room: ConferenceRoom, member: Member, reaction: Reaction) -> None:
    if not member.reaction_limit.take():
        raise RoomError("you are sending reactions too fast", ErrorCode.RATE_LIMITED)
    notice = ReactionNotice(
        payload=Reacted(message="reaction", participant_id=member.id, reaction=reaction)
    )
    for receiver in room.members.values():
        receiver.outbox.send(notice)


def broadcast_hands(room: ConferenceRoom) -> None:
    room.tell_everyone(HandsNotice(payload=HandsChanged(message="hands", queue=room.hands.queue)))
