"""Moderators' actions on the room layer alone (no media plane): who may, and what changes."""

from __future__ import annotations

import asyncio

import pytest

from client.conference import modules
from client.conference.moderation import moderate
from client.conference.room import ConferenceRoom, Member, RoomError
from client.protocol.common import ErrorCode
from client.protocol.messages import JoinSuccess, MediaState
from client.protocol.moderation import (
    Admit,
    LockMeeting,
    LockMicrophones,
    LowerAllHands,
    Mute,
    Remove,
    Rename,
    Renamed,
    RenewLink,
    Role,
    SetRole,
    SetWaitingRoom,
    WaitingList,
)
from tests.unit.test_conference_room import Outbox

ON = MediaState(audio=True, video=True)


async def enter(room: ConferenceRoom, name: str, moderator: bool = False) -> tuple[Member, Outbox]:
    outbox = Outbox()
    return await room.join(name, ON, outbox, moderator=moderator), outbox


def payloads(outbox: Outbox, kind: type) -> list[object]:
    return [n.payload for n in outbox.notices if isinstance(n.payload, kind)]


def test_participants_may_not_moderate_and_nothing_changes() -> None:
    async def scenario() -> None:
        room = ConferenceRoom("r", "s" * 32, "m" * 32)
        anna, _ = await enter(room, "Anna")
        bernd, _ = await enter(room, "Bernd")
        for action in (
            Mute(action="mute", target=bernd.id),
            LockMeeting(action="lock", locked=True),
            SetRole(action="set_role", target=anna.id, role=Role.MODERATOR),
        ):
            with pytest.raises(RoomError) as refused:
                await moderate(room, anna, action, None)
            assert refused.value.code is ErrorCode.FORBIDDEN
        assert bernd.media.audio and not room.rules.locked and anna.role is Role.PARTICIPANT

    asyncio.run(scenario())


def test_the_waiting_room_seats_nobody_until_admitted_and_moderators_never_wait() -> None:
    async def scenario() -> None:
        room = ConferenceRoom("r", "s" * 32, "m" * 32)
        room.rules.waiting_room = True
        chair, chair_out = await enter(room, "Vorsitz", moderator=True)
        modules.send_chat(room, chair, "vertraulich", None)
        guest, guest_out = await enter(room, "Gast")
        assert guest.id in room.waiting and guest.id not in room.members
        assert [type(n.payload).__name__ for n in guest_out.notices] == ["Waiting"]
        lists = payloads(chair_out, WaitingList)
        assert [w.display_name for w in lists[-1].waiting] == ["Gast"]  # type: ignore[attr-defined]
        await moderate(room, chair, Admit(action="admit", target=guest.id), "t1")
        assert guest.id in room.members
        assert isinstance(guest_out.notices[1].payload, JoinSuccess)
        assert [m.text for m in guest_out.chat()] == ["vertraulich"]

        room.rules.waiting_room = True
        late, _ = await enter(room, "Spät")
        await moderate(room, chair, SetWaitingRoom(action="waiting_room", enabled=False), None)
        assert late.id in room.members, "turning the waiting room off lets everyone in"

    asyncio.run(scenario())


def test_locked_meetings_and_renewed_links_keep_those_inside() -> None:
    async def scenario() -> None:
        room = ConferenceRoom("r", "s" * 32, "m" * 32)
        chair, _ = await enter(room, "Vorsitz", moderator=True)
        anna, _ = await enter(room, "Anna")
        await moderate(room, chair, LockMeeting(action="lock", locked=True), None)
        with pytest.raises(RoomError, match="the meeting is locked") as refused:
            await enter(room, "Bernd")
        assert refused.value.code is ErrorCode.MEETING_LOCKED
        await enter(room, "Zweiter Vorsitz", moderator=True)  # moderators still come in
        await moderate(room, chair, RenewLink(action="renew_link"), None)
        assert not room.secret_matches("s" * 32)
        assert room.moderator_secret_matches("m" * 32)
        assert anna.id in room.members

    asyncio.run(scenario())


def test_microphone_lock_mutes_and_refuses_unmuting_but_not_for_moderators() -> None:
    async def scenario() -> None:
        room = ConferenceRoom("r", "s" * 32, "m" * 32)
        chair, _ = await enter(room, "Vorsitz", moderator=True)
        anna, _ = await enter(room, "Anna")
        await moderate(room, chair, LockMicrophones(action="lock_microphones", locked=True), None)
        assert not anna.media.audio and chair.media.audio
        with pytest.raises(RoomError, match="microphones are locked") as refused:
            room.update_media_state(anna, ON)
        assert refused.value.code is ErrorCode.MICROPHONE_LOCKED
        # A newcomer comes in muted.
        bernd, _ = await enter(room, "Bernd")
        assert not bernd.media.audio

    asyncio.run(scenario())


def test_roles_names_and_hands_change_for_everyone() -> None:
    async def scenario() -> None:
        room = ConferenceRoom("r", "s" * 32, "m" * 32)
        chair, _ = await enter(room, "Vorsitz", moderator=True)
        anna, anna_out = await enter(room, "Anna")
        modules.raise_hand(room, anna, True)
        await moderate(room, chair, LowerAllHands(action="lower_all_hands"), None)
        assert anna_out.hands() == []
        await moderate(
            room, chair, Rename(action="rename", target=anna.id, display_name="Dr. Anna"), None
        )
        assert anna.display_name == "Dr. Anna" and payloads(anna_out, Renamed)
        await moderate(
            room, chair, SetRole(action="set_role", target=anna.id, role=Role.MODERATOR), None
        )
        await moderate(room, anna, LockMeeting(action="lock", locked=True), None)
        assert room.rules.locked, "a promoted moderator moderates"

    asyncio.run(scenario())


def test_a_removed_participant_cannot_come_back_with_its_resume_token() -> None:
    async def scenario() -> None:
        room = ConferenceRoom("r", "s" * 32, "m" * 32)
        chair, _ = await enter(room, "Vorsitz", moderator=True)
        anna, anna_out = await enter(room, "Anna")
        token = anna_out.join_success().resume_token.get_secret_value()
        await moderate(room, chair, Remove(action="remove", target=anna.id), None)
        assert anna_out.disconnected and anna.id not in room.members
        with pytest.raises(RoomError, match="removed you") as refused:
            await room.join("Anna", ON, Outbox(), token)
        assert refused.value.code is ErrorCode.FORBIDDEN

    asyncio.run(scenario())
